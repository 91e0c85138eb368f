<?php
/**
 * WC_Order → the request of docs/contract.md.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Builds the order snapshot through WooCommerce CRUD only (HPOS and posts storage alike), with amounts as the
 * decimal strings WooCommerce stores and tax per rate from the order's own tax items. Takes no decisions.
 */
final class SnapshotBuilder {
	public function __construct( private readonly Settings $settings, private readonly Logger $logger = new Logger() ) {}

	/**
	 * The whole request for one operation.
	 *
	 * @param \WC_Order                      $order      The order.
	 * @param array{from?:string,to?:string} $transition The status change, when there is one.
	 * @param array|null                     $refund     The request's `refund` object (refunds only).
	 */
	public function request( \WC_Order $order, array $transition = array(), ?array $refund = null ): array {
		$request = array(
			'version'  => 1,
			'locale'   => function_exists( 'get_locale' ) ? get_locale() : 'en_US',
			'config'   => $this->settings->config( $order ) ?? (object) array(),
			'platform' => array(
				'wordpress'   => (string) get_bloginfo( 'version' ),
				'woocommerce' => defined( 'WC_VERSION' ) ? WC_VERSION : '',
				'php'         => PHP_VERSION,
				'plugin'      => KLARNA_OM_VERSION,
			),
			'order'    => $this->order( $order, $transition ),
		);
		if ( null !== $refund ) {
			$request['refund'] = $refund;
		}
		return $request;
	}

	/**
	 * The request of a refund: the refund WooCommerce is creating, or, when code called the gateway's process_refund
	 * directly (no refund is being created), only the amount and reason it was given.
	 *
	 * @param \WC_Order             $order  The order.
	 * @param \WC_Order_Refund|null $refund The refund kept from `woocommerce_create_refund`.
	 * @param string|int|float|null $amount process_refund's amount.
	 * @param string                $reason process_refund's reason.
	 */
	public function refund_request( \WC_Order $order, ?\WC_Order_Refund $refund, $amount, string $reason ): array {
		if ( null !== $refund ) {
			return $this->request( $order, array(), $this->refund( $order, $refund ) );
		}
		return $this->request( $order, array(), null === $amount ? array( 'reason' => $reason ) : array( 'amount' => self::amount( $amount ), 'reason' => $reason ) );
	}

	public function order( \WC_Order $order, array $transition = array() ): array {
		$rates = $this->rate_percents( $order );
		$snapshot = array(
			'id'                 => $order->get_id(),
			'number'             => (string) $order->get_order_number(),
			'currency'           => $order->get_currency(),
			'prices_include_tax' => (bool) $order->get_prices_include_tax(),
			'totals'             => array(
				'total'          => self::amount( $order->get_total( 'edit' ) ),
				'total_tax'      => self::amount( $order->get_total_tax( 'edit' ) ),
				'shipping_total' => self::amount( $order->get_shipping_total( 'edit' ) ),
				'shipping_tax'   => self::amount( $order->get_shipping_tax( 'edit' ) ),
				'discount_total' => self::amount( $order->get_discount_total( 'edit' ) ),
				'discount_tax'   => self::amount( $order->get_discount_tax( 'edit' ) ),
			),
			'items'              => array(),
			'shipping_lines'     => array(),
			'fees'               => array(),
			'coupons'            => array(),
			'payment_method'     => (string) $order->get_payment_method(),
			'klarna'             => array_filter(
				array(
					'order_id'         => (string) ( $order->get_transaction_id() ?: $order->get_meta( '_wc_klarna_order_id' ) ),
					'environment'      => (string) $order->get_meta( '_wc_klarna_environment' ),
					'purchase_country' => strtoupper( (string) ( $order->get_meta( '_wc_klarna_country' ) ?: $order->get_billing_country() ) ),
				)
			),
			'meta'               => array_filter(
				array(
					'capture_ids'       => array_values( array_filter( array( (string) $order->get_meta( '_wc_klarna_capture_id' ) ) ) ),
					'lines_fingerprint' => (string) $order->get_meta( '_klarna_om_lines_fingerprint' ),
					'cancelled'         => 'yes' === $order->get_meta( '_wc_klarna_cancelled' ),
					'disconnected'      => '' !== (string) $order->get_meta( '_kom_disconnect' ),
					'ledger'            => $this->ledger( $order ),
				)
			),
		);
		if ( ! empty( $transition ) ) {
			$snapshot['transition'] = $transition;
		}
		foreach ( $order->get_items( 'line_item' ) as $item ) {
			$product              = $item->get_product();
			$snapshot['items'][] = array_filter(
				array(
					'item_id'         => $item->get_id(),
					'product_id'      => $item->get_product_id(),
					'variation_id'    => $item->get_variation_id() ?: null,
					'sku'             => $product ? (string) $product->get_sku() : null,
					'name'            => $item->get_name(),
					'quantity'        => (int) $item->get_quantity(),
					'subtotal'        => self::amount( $item->get_subtotal( 'edit' ) ),
					'subtotal_tax'    => self::amount( $item->get_subtotal_tax( 'edit' ) ),
					'total'           => self::amount( $item->get_total( 'edit' ) ),
					'total_tax'       => self::amount( $item->get_total_tax( 'edit' ) ),
					'taxes'           => $this->taxes( $item->get_taxes(), $rates ),
					'is_virtual'      => $product ? (bool) $product->is_virtual() : null,
					'is_downloadable' => $product ? (bool) $product->is_downloadable() : null,
					'product_url'     => $product ? (string) $product->get_permalink() : null,
					'product_deleted' => ! $product,
				),
				static fn ( $value ) => null !== $value && array() !== $value
			);
		}
		foreach ( $order->get_items( 'shipping' ) as $item ) {
			$snapshot['shipping_lines'][] = array(
				'item_id'     => $item->get_id(),
				'method_id'   => (string) $item->get_method_id(),
				'instance_id' => (string) $item->get_instance_id(),
				'name'        => $item->get_name(),
				'total'       => self::amount( $item->get_total( 'edit' ) ),
				'total_tax'   => self::amount( $item->get_total_tax( 'edit' ) ),
				'taxes'       => $this->taxes( $item->get_taxes(), $rates ),
			);
		}
		foreach ( $order->get_items( 'fee' ) as $item ) {
			$snapshot['fees'][] = array(
				'item_id'   => $item->get_id(),
				'name'      => $item->get_name(),
				'total'     => self::amount( $item->get_total( 'edit' ) ),
				'total_tax' => self::amount( $item->get_total_tax( 'edit' ) ),
				'taxes'     => $this->taxes( $item->get_taxes(), $rates ),
			);
		}
		foreach ( $order->get_items( 'coupon' ) as $item ) {
			$snapshot['coupons'][] = array(
				'item_id'      => $item->get_id(),
				'code'         => (string) $item->get_code(),
				'discount'     => self::amount( $item->get_discount( 'edit' ) ),
				'discount_tax' => self::amount( $item->get_discount_tax( 'edit' ) ),
			);
		}
		// An empty PHP array would encode as a JSON array, not an object: empty optional objects are left out.
		foreach ( array( 'klarna', 'meta' ) as $key ) {
			if ( array() === $snapshot[ $key ] ) {
				unset( $snapshot[ $key ] );
			}
		}
		return $snapshot;
	}

	public function refund( \WC_Order $order, \WC_Order_Refund $refund ): array {
		$items = array();
		foreach ( array( 'line_item', 'shipping', 'fee' ) as $type ) {
			foreach ( $refund->get_items( $type ) as $item ) {
				$items[] = array_filter(
					array(
						'item_id'   => (int) $item->get_meta( '_refunded_item_id' ),
						'quantity'  => 'line_item' === $type ? (int) $item->get_quantity() : null,
						'total'     => self::amount( $item->get_total( 'edit' ) ),
						'total_tax' => self::amount( $item->get_total_tax( 'edit' ) ),
					),
					static fn ( $value ) => null !== $value
				);
			}
		}
		return array(
			'id'                  => $refund->get_id(),
			'amount'              => self::amount( $refund->get_amount( 'edit' ) ),
			'reason'              => (string) $refund->get_reason(),
			'items'               => $items,
			'previously_refunded' => self::amount( (float) $order->get_total_refunded() - (float) $refund->get_amount( 'edit' ) ),
		);
	}

	/**
	 * WooCommerce's amount as a decimal string, never through a float when it is already a string.
	 *
	 * @param string|float|int|null $value The stored amount.
	 */
	public static function amount( $value ): string {
		if ( is_string( $value ) && preg_match( '/^-?\d*\.?\d+$/', $value ) ) {
			return $value;
		}
		$text = rtrim( rtrim( sprintf( '%.6F', (float) $value ), '0' ), '.' );
		return '' === $text || '-0' === $text ? '0' : $text;
	}

	/** The stored intent ledger as a JSON object, or null when there is none (an empty object is left out). */
	private function ledger( \WC_Order $order ): ?\stdClass {
		$entries = Ledger::read( $order, $this->logger );
		return array() === $entries ? null : (object) $entries;
	}

	/** Tax rate id → percent, from the order's own tax items (never the shop's current rates). */
	private function rate_percents( \WC_Order $order ): array {
		$percents = array();
		foreach ( $order->get_items( 'tax' ) as $tax ) {
			$percents[ (int) $tax->get_rate_id() ] = (string) $tax->get_rate_percent();
		}
		return $percents;
	}

	/**
	 * @param array $taxes WooCommerce's item taxes: ['total' => [rate id => amount], 'subtotal' => [...]].
	 * @param array $rates Rate id → percent.
	 */
	private function taxes( array $taxes, array $rates ): array {
		$shares = array();
		foreach ( (array) ( $taxes['total'] ?? array() ) as $rate_id => $amount ) {
			if ( '' === (string) $amount || ! isset( $rates[ (int) $rate_id ] ) ) {
				continue;
			}
			$share = array(
				'rate_id' => (int) $rate_id,
				'percent' => self::amount( $rates[ (int) $rate_id ] ),
				'amount'  => self::amount( $amount ),
			);
			if ( isset( $taxes['subtotal'][ $rate_id ] ) && '' !== (string) $taxes['subtotal'][ $rate_id ] ) {
				$share['subtotal_amount'] = self::amount( $taxes['subtotal'][ $rate_id ] );
			}
			$shares[] = $share;
		}
		return $shares;
	}
}
