<?php
/**
 * The Klarna box's actions.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * What the merchant can ask of Klarna from the order screen, each through the core (OrderHooks::run, with the
 * intent ledger's exactly-once guarantees), each ending in a note, the stored state and the outcome record.
 *
 * Two WooCommerce idioms, by what each action needs:
 *
 * - **The order actions dropdown** (`woocommerce_order_actions`, `woocommerce_order_action_{action}`) for everything
 *   that moves money or the authorization: capture what remains, capture one shipment (its quantities and tracking
 *   are fields of the Klarna box, inside the order form), release, extend, retry, cancel. They ride the order form's
 *   nonce and WooCommerce's own save (HPOS: `update-order_{id}`; posts: `woocommerce_save_data` and `edit_post`),
 *   and run at priority 50, after WooCommerce has saved the items (10) and the status (40): the core sees exactly the
 *   order the merchant saved, and the reload shows the note, the status and the box. No JavaScript is needed; the
 *   box's buttons only pick the dropdown entry and submit the form (and are plain buttons, so Enter in another
 *   field never triggers one). `edit_shop_orders` is checked again here.
 * - **AJAX** (`wp_ajax_klarna_om_refresh`, `check_ajax_referer` + `current_user_can( 'edit_shop_orders' )`, as
 *   WooCommerce's own order-item actions) for "Refresh from Klarna": a read that changes nothing, so it must not
 *   submit (and save) a half-edited order form; the answer is the box redrawn in place. Exactly one `sync` call.
 *
 * The WooCommerce status after a capture from the box: the box never sets it. A status says what the merchant has
 * done with the goods (Completed: shipped); a capture says what Klarna took. The response's `order_status` is
 * applied as for every answer (On hold when Klarna refused), and once Klarna has captured the whole order the box
 * says so and asks the merchant to set Completed when everything has shipped; that status change then asks the core
 * again, which finds nothing left to capture (`already_captured`) and captures nothing twice.
 *
 * Cancel is the status Cancelled, saved through WooCommerce (the cancel flow with its refusals and holds), so the
 * status never claims a cancel Klarna refused. Retry repeats the recorded intent of an operation whose outcome is
 * unknown (a `pending` ledger entry): a status change by setting that status again, a box action by sending the same
 * request members; the core sends it under the pending idempotency key.
 */
final class OrderActions {
	/** The AJAX action and nonce of Refresh (one nonce action for the box, like WooCommerce's `order-item`). */
	public const AJAX  = 'klarna_om_refresh';
	public const NONCE = 'klarna-om-order';
	/** The form fields of a shipment capture, inside the order form. */
	public const SHIPMENT_FIELD = 'klarna_om_shipment';
	/** Prefix of the dropdown's entries: `klarna_om_capture`, `klarna_om_retry_capture`, … */
	public const PREFIX = 'klarna_om_';
	/** Operations a Retry can repeat (a pending refund is retried by refunding again in WooCommerce). */
	private const RETRYABLE = array( 'capture', 'cancel', 'update', 'release', 'extend' );

	public function __construct( private readonly OrderHooks $hooks, private readonly OrderBox $box, private readonly Logger $logger ) {}

	/**
	 * The actions offered for an order, entry => label, from what is stored (no Klarna call): capture, release and
	 * extend while Klarna holds an open authorization (AUTHORIZED or PART_CAPTURED in the stored state), cancel while
	 * nothing is captured (AUTHORIZED), a retry for each operation whose outcome is unknown. The core decides whether
	 * each one goes through; this only keeps impossible ones out of sight.
	 *
	 * @param \WC_Order $order  The order.
	 * @param Logger    $logger Where an unreadable ledger is reported.
	 * @return array<string, string>
	 */
	public static function available( \WC_Order $order, Logger $logger ): array {
		$state   = OrderState::fields( $order ) ?? array();
		$status  = (string) ( $state['status'] ?? '' );
		$open    = in_array( $status, array( 'AUTHORIZED', 'PART_CAPTURED' ), true );
		$actions = array();
		if ( $open ) {
			$actions[ self::PREFIX . 'capture' ]          = __( 'Klarna: capture what remains', 'klarna-order-management' );
			$actions[ self::PREFIX . 'capture_shipment' ] = __( 'Klarna: capture the selected items (one shipment)', 'klarna-order-management' );
			$actions[ self::PREFIX . 'release' ]          = __( 'Klarna: release the remaining authorization', 'klarna-order-management' );
			$actions[ self::PREFIX . 'extend' ]           = __( 'Klarna: extend the authorization time', 'klarna-order-management' );
		}
		if ( 'AUTHORIZED' === $status && ! $order->has_status( 'cancelled' ) ) {
			$actions[ self::PREFIX . 'cancel' ] = __( 'Klarna: cancel the order', 'klarna-order-management' );
		}
		foreach ( array_intersect( Ledger::pending( $order, $logger ), self::RETRYABLE ) as $operation ) {
			/* translators: %s: the operation whose outcome is unknown (capture, cancel, update, release, extend). */
			$actions[ self::PREFIX . 'retry_' . $operation ] = sprintf( __( 'Klarna: retry the %s whose outcome is unknown', 'klarna-order-management' ), $operation );
		}
		return $actions;
	}

	/**
	 * `woocommerce_order_actions`: the entries of the order actions dropdown for a Klarna order.
	 *
	 * @param array          $actions The dropdown's entries.
	 * @param \WC_Order|null $order   The order (WooCommerce passes it since 5.8).
	 */
	public function dropdown( $actions, $order = null ) {
		try {
			if ( $order instanceof \WC_Order && self::ours( $order ) ) {
				$actions = (array) $actions + self::available( $order, $this->logger );
			}
		} catch ( \Throwable $e ) {
			$this->logger->log( 'error', 'klarna-om could not list its order actions', array( 'error' => get_class( $e ) ) );
		}
		return $actions;
	}

	/** The dropdown's entries and their handlers, for Plugin::register_hooks(). */
	public function handlers(): array {
		$handlers = array(
			self::PREFIX . 'capture'          => fn ( $order ) => $this->act( $order, fn ( \WC_Order $o ) => $this->hooks->run( $o, 'capture' ) ),
			self::PREFIX . 'capture_shipment' => fn ( $order ) => $this->act( $order, fn ( \WC_Order $o ) => $this->capture_shipment( $o ) ),
			self::PREFIX . 'release'          => fn ( $order ) => $this->act( $order, fn ( \WC_Order $o ) => $this->hooks->run( $o, 'release' ) ),
			self::PREFIX . 'extend'           => fn ( $order ) => $this->act( $order, fn ( \WC_Order $o ) => $this->hooks->run( $o, 'extend' ) ),
			self::PREFIX . 'cancel'           => fn ( $order ) => $this->act( $order, fn ( \WC_Order $o ) => $o->set_status( 'cancelled' ) ),
		);
		foreach ( self::RETRYABLE as $operation ) {
			$handlers[ self::PREFIX . 'retry_' . $operation ] = fn ( $order ) => $this->act( $order, fn ( \WC_Order $o ) => $this->hooks->retry( $o, $operation ) );
		}
		return $handlers;
	}

	/** Whether this plugin manages the order's Klarna side: a Klarna gateway, and no Klarna plugin doing it itself. */
	private static function ours( \WC_Order $order ): bool {
		return Gateways::managed_here( $order );
	}

	/**
	 * Runs one dropdown action for a user who may edit orders, then saves the order (which runs a status change's own
	 * operation, for cancel and retry). Nothing escapes: a failure is logged, and the order keeps what was applied.
	 *
	 * @param \WC_Order $order The order WooCommerce reloaded after saving the form.
	 * @param callable  $work  The action.
	 */
	private function act( $order, callable $work ): void {
		try {
			if ( ! $order instanceof \WC_Order || ! current_user_can( 'edit_shop_orders' ) || ! self::ours( $order ) ) {
				return;
			}
			$work( $order );
			$order->save();
		} catch ( \Throwable $e ) {
			$this->logger->log( 'error', 'klarna-om order action failed', array( 'order_id' => $order instanceof \WC_Order ? $order->get_id() : 0, 'error' => get_class( $e ) ) );
		}
	}

	/**
	 * One shipment from the box's fields: the quantities entered, whether shipping goes along, the tracking. Without a
	 * quantity nothing is sent (an empty shipment would ask the core for everything that remains) and a note says so.
	 */
	private function capture_shipment( \WC_Order $order ): void {
		// phpcs:disable WordPress.Security.NonceVerification.Missing -- WooCommerce verified the order form's nonce before this action.
		$fields = (array) wp_unslash( $_POST[ self::SHIPMENT_FIELD ] ?? array() );
		// phpcs:enable
		$quantities = array();
		foreach ( (array) ( $fields['items'] ?? array() ) as $item_id => $quantity ) {
			$quantities[ absint( $item_id ) ] = absint( $quantity );
		}
		$capture = SnapshotBuilder::shipment(
			$quantities,
			! empty( $fields['shipping'] ),
			array(
				'shipping_company' => sanitize_text_field( (string) ( $fields['shipping_company'] ?? '' ) ),
				'tracking_number'  => sanitize_text_field( (string) ( $fields['tracking_number'] ?? '' ) ),
				'tracking_uri'     => esc_url_raw( (string) ( $fields['tracking_uri'] ?? '' ) ),
			)
		);
		if ( array() === $capture['items'] ) {
			$order->add_order_note( __( 'No quantity was entered for the shipment, so nothing was sent to Klarna.', 'klarna-order-management' ) );
			return;
		}
		$this->hooks->run( $order, 'capture', array(), array( 'capture' => $capture ) );
	}

	/**
	 * The order of an AJAX request about one order (`order_id`), as WooCommerce's own order AJAX checks it: the nonce of
	 * `$nonce` in `security` (check_ajax_referer() stops the request on a wrong one), a user who may edit orders, an
	 * order this plugin manages. Null, with the JSON error sent, otherwise.
	 *
	 * @param string $nonce The nonce's action.
	 */
	public static function ajax_order( string $nonce ): ?\WC_Order {
		check_ajax_referer( $nonce, 'security' );
		if ( ! current_user_can( 'edit_shop_orders' ) ) {
			wp_send_json_error( array( 'message' => __( 'You may not edit orders.', 'klarna-order-management' ) ), 403 );
			return null;
		}
		try {
			$order = wc_get_order( absint( wp_unslash( $_POST['order_id'] ?? 0 ) ) );  // phpcs:ignore WordPress.Security.NonceVerification.Missing -- checked above.
			if ( $order instanceof \WC_Order && self::ours( $order ) ) {
				return $order;
			}
		} catch ( \Throwable $e ) {
			$order = null;
		}
		wp_send_json_error( array( 'message' => __( 'This is not an order Klarna order management manages.', 'klarna-order-management' ) ), 404 );
		return null;
	}

	/** `wp_ajax_klarna_om_refresh`: one read of Klarna's order, stored; the box redrawn from it. */
	public function refresh(): void {
		$order = self::ajax_order( self::NONCE );
		if ( null === $order ) {
			return;
		}
		try {
			$record = $this->hooks->run( $order, 'sync' );
			$order->save();
			wp_send_json_success( array( 'success' => $record['success'], 'note' => $record['note'], 'html' => $this->box->content( $order ) ) );
		} catch ( \Throwable $e ) {
			$this->logger->log( 'error', 'klarna-om refresh failed', array( 'error' => get_class( $e ) ) );
			wp_send_json_error( array( 'message' => __( 'The refresh failed; see the WooCommerce log.', 'klarna-order-management' ) ), 500 );
		}
	}
}
