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
 * decimal strings WooCommerce stores and tax per rate from the order's own tax items; the stored state
 * (`order.meta`) comes from OrderMeta. Takes no decisions.
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
			'format'   => MoneyFormat::shop( (string) $order->get_currency() ),
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
			return $this->request( $order, array(), $this->refund( $refund ) );
		}
		return $this->request( $order, array(), null === $amount ? array( 'reason' => $reason ) : array( 'amount' => self::positive( self::amount( $amount ) ), 'reason' => $reason ) );
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
			'gift_cards'         => $this->gift_cards( $order ),
			'refunds'            => array_map( array( $this, 'refund_entry' ), array_values( $order->get_refunds() ) ),
			'payment_method'     => (string) $order->get_payment_method(),
			'klarna'             => array_filter(
				array(
					'order_id'         => (string) ( $order->get_transaction_id() ?: $order->get_meta( '_wc_klarna_order_id' ) ),
					'environment'      => (string) $order->get_meta( '_wc_klarna_environment' ),
					'purchase_country' => strtoupper( (string) ( $order->get_meta( '_wc_klarna_country' ) ?: $order->get_billing_country() ) ),
				)
			),
			'meta'               => OrderMeta::snapshot( $order, $this->logger ),
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

	/**
	 * `order.gift_cards`: the gift cards that paid part of the order, as the two common gift-card extensions store
	 * their redemptions, as order items whose amounts they already deducted from the order total. Read through their
	 * item types, like every other item, and their getters:
	 *
	 * - PW WooCommerce Gift Cards: type `pw_gift_card` (WC_Order_Item_PW_Gift_Card): get_card_number(), and
	 *   get_amount(), the decimal string its set_amount() stored through wc_format_decimal() (item meta
	 *   `card_number`, `amount`). Source: pw-woocommerce-gift-cards/includes/class-wc-order-item-pw-gift-card.php.
	 * - WooCommerce Gift Cards: type `gift_card` (WC_GC_Order_Item_Gift_Card): get_code(), and get_amount(), which
	 *   casts the stored decimal string (item meta `code`, `amount`) to a float. Source:
	 *   woocommerce-gift-cards/includes/class-wc-gc-order-item-gift-card.php.
	 *
	 * Without the extension, get_items() of its type is empty; an item of the type without those getters is left
	 * out, and the core refuses lines that do not add up rather than the plugin guessing an amount. Where these facts
	 * come from: php-glue/README.md, "Gift cards".
	 */
	private function gift_cards( \WC_Order $order ): array {
		$cards = array();
		foreach ( array( 'pw_gift_card' => 'get_card_number', 'gift_card' => 'get_code' ) as $type => $code_getter ) {
			foreach ( $order->get_items( $type ) as $item ) {
				if ( ! method_exists( $item, $code_getter ) || ! method_exists( $item, 'get_amount' ) ) {
					continue;
				}
				$code    = (string) $item->$code_getter( 'edit' );
				$cards[] = array_filter(
					array(
						'kind'      => 'gift_card',
						'code'      => $code,
						'reference' => 'pw_gift_card' === $type ? self::pw_gift_card_reference( $code, $item ) : '',
						'amount'    => self::money( $item->get_amount( 'edit' ) ),
					),
					'strlen'
				);
			}
		}
		return $cards;
	}

	/**
	 * A PW gift card's Klarna reference when the shop set one through the existing plugin's filter
	 * `klarna_pw_gift_card_sku` (its default there: `gift_card`); '' leaves the core's default, the card's code.
	 *
	 * @param string         $code The card number.
	 * @param \WC_Order_Item $item The redemption item.
	 */
	private static function pw_gift_card_reference( string $code, $item ): string {
		if ( ! has_filter( 'klarna_pw_gift_card_sku' ) ) {
			return '';
		}
		$reference = apply_filters( 'klarna_pw_gift_card_sku', 'gift_card', $code, $item );
		return is_string( $reference ) ? $reference : '';
	}

	/** The request's `refund`: the refund WooCommerce is creating, its lines matched to the order's by item id. */
	public function refund( \WC_Order_Refund $refund ): array {
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
			'id'     => $refund->get_id(),
			'amount' => self::positive( self::amount( $refund->get_amount( 'edit' ) ) ),
			'reason' => (string) $refund->get_reason(),
			'items'  => $items,
		);
	}

	/**
	 * The request's `capture` for one shipment (docs/contract.md, "Capture of one shipment"): the order items and
	 * quantities it carries (those above zero), whether the order's shipping lines go with it, and the shipment's
	 * tracking, each field only when given. Nothing is checked here: the core refuses what does not fit the order.
	 *
	 * @param array<int, int> $quantities Order item id → quantity shipped.
	 * @param bool            $shipping   Whether the shipping lines go with this shipment.
	 * @param array           $tracking   `shipping_company`, `tracking_number`, `tracking_uri` (strings).
	 */
	public static function shipment( array $quantities, bool $shipping, array $tracking = array() ): array {
		$items = array();
		foreach ( $quantities as $item_id => $quantity ) {
			if ( (int) $quantity > 0 ) {
				$items[] = array( 'item_id' => (int) $item_id, 'quantity' => (int) $quantity );
			}
		}
		$info    = array_filter( array_map( 'strval', array_intersect_key( $tracking, array_flip( array( 'shipping_company', 'tracking_number', 'tracking_uri' ) ) ) ), 'strlen' );
		$capture = array( 'items' => $items, 'shipping' => $shipping );
		if ( array() !== $info ) {
			$capture['shipping_info'] = array( $info );
		}
		return $capture;
	}

	/**
	 * One of the order's refunds for `order.refunds`, the one being created included. The core adds them up; the
	 * plugin does no arithmetic on amounts.
	 */
	private function refund_entry( \WC_Order_Refund $refund ): array {
		return array(
			'id'               => $refund->get_id(),
			'amount'           => self::positive( self::amount( $refund->get_amount( 'edit' ) ) ),
			'refunded_payment' => (bool) $refund->get_refunded_payment(),
		);
	}

	/**
	 * WooCommerce's amount as a decimal string: amounts reach the core as strings, never through a float.
	 *
	 * A string is sent as WooCommerce stored it (the getters with 'edit' return the stored text). One that is not a
	 * decimal (`1,234.50`) is sent as it is too: the core refuses it with the field's path instead of the plugin
	 * guessing a number. Empty and null are zero. An int is exact as it is.
	 *
	 * A float (WooCommerce stores tax rate percents as floats; code may pass process_refund a float) is written with
	 * the fewest significant digits that read back as the same float. That is safe: a double holds 15.95 decimal
	 * digits, so every decimal of at most 15 significant digits, which is every amount a shop stores, comes back from
	 * string → float → here unchanged ("0.07" → 0.07 → "0.07"). A float that is the result of float arithmetic
	 * keeps all its digits (0.1 + 0.2 → "0.30000000000000004"), which the core refuses, rather than being rounded
	 * into an amount nobody entered.
	 *
	 * @param string|float|int|null $value The stored amount.
	 */
	public static function amount( $value ): string {
		if ( is_int( $value ) ) {
			return (string) $value;
		}
		if ( is_float( $value ) ) {
			return self::shortest_text( $value );
		}
		$text = is_string( $value ) ? trim( $value ) : '';
		return '' === $text ? '0' : $text;
	}

	/**
	 * An amount of money as amount() writes it, except one a getter returns as a float (WooCommerce Gift Cards'
	 * get_amount() casts what it stored): that is written as WooCommerce writes money, wc_format_decimal() to the
	 * shop's price decimals (as WC_Order::set_total() stores the total it was deducted from), which gives the stored
	 * decimal back whenever it has no more decimals than the shop's. A float's shortest digits would be the same for
	 * such a decimal, but not for one left by float arithmetic (19.999999999999996 is 20.00 to WooCommerce).
	 *
	 * @param string|float|int|null $value The stored amount.
	 */
	private static function money( $value ): string {
		if ( is_float( $value ) && function_exists( 'wc_format_decimal' ) && function_exists( 'wc_get_price_decimals' ) ) {
			return self::amount( wc_format_decimal( $value, wc_get_price_decimals() ) );
		}
		return self::amount( $value );
	}

	/** A decimal string made positive by its sign alone: refunds are stored positive, their lines negative. */
	public static function positive( string $amount ): string {
		return str_starts_with( $amount, '-' ) ? substr( $amount, 1 ) : $amount;
	}

	/** The shortest plain decimal that reads back as exactly this float (see amount()); INF and NAN as PHP writes them. */
	private static function shortest_text( float $value ): string {
		if ( ! is_finite( $value ) ) {
			return (string) $value;
		}
		$digits = 1;
		while ( $digits < 17 && (float) sprintf( '%.' . ( $digits - 1 ) . 'e', $value ) !== $value ) {
			++$digits;
		}
		$exponent = (int) substr( (string) strrchr( sprintf( '%.' . ( $digits - 1 ) . 'e', $value ), 'e' ), 1 );
		$text     = sprintf( '%.' . max( 0, $digits - 1 - $exponent ) . 'F', $value );
		return '-0' === $text ? '0' : $text;
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
