<?php
// The steps of the order screen's Klarna box, for the end-to-end suites: the page drawn, Refresh (its AJAX request),
// an entry of the order actions dropdown saved with the order form, and what Klarna got in between.

use KlarnaOM\Logger;
use KlarnaOM\OrderBox;

/** Needs SandboxShop in the same class. */
trait KlarnaBoxSteps {
	private string $klarna_id = '';
	private int $seen         = 0;

	protected function setUp(): void {
		$GLOBALS['klarna_om_test_user'] = array( 'id' => 1, 'caps' => array( 'edit_shop_orders' ) );
		$GLOBALS['klarna_om_test_hpos'] = true;
		$_POST                          = array();
	}

	/** The shop, and a hoodies order for a new Klarna order; the request log is read from here on. */
	private function order( string $mode, array $klarna = array() ): WC_Order {
		[ , $this->klarna_id, $id ] = $this->shop( $mode, $klarna );
		$this->seen                 = 0;
		return OrderFactory::hoodies( $id, $this->klarna_id );
	}

	/** The requests Klarna got since the last call, as "METHOD /path-after-the-order-id" lines. */
	private function sent(): array {
		$all        = self::requests( $this->klarna_id );
		$new        = array_slice( $all, $this->seen );
		$this->seen = count( $all );
		$prefix     = "/ordermanagement/v1/orders/{$this->klarna_id}";
		return array_map( static fn ( $line ) => str_replace( $prefix, '', $line ), $new );
	}

	/** The idempotency keys of the POSTs Klarna got on this order, in order. */
	private function post_keys(): array {
		$posts = array_filter( self::control( 'GET', "/requests?order_id={$this->klarna_id}" ), static fn ( $entry ) => 'POST' === $entry['method'] );
		return array_values( array_column( $posts, 'idempotency_key' ) );
	}

	/** The order edit screen is shown: the box registered and drawn, as WooCommerce does on HPOS. */
	private static function view( WC_Order $order ): string {
		$GLOBALS['klarna_om_test_meta_boxes'] = array();
		do_action( 'add_meta_boxes', wc_get_page_screen_id( 'shop-order' ), $order );
		ob_start();
		( $GLOBALS['klarna_om_test_meta_boxes']['klarna-om']['callback'] )( $order );
		return (string) ob_get_clean();
	}

	private static function text( WC_Order $order ): string {
		return ( new OrderBox( new Logger() ) )->text( $order );
	}

	/** "Refresh from Klarna": the box's AJAX request. */
	private static function refresh( WC_Order $order ): array {
		$_POST    = array( 'action' => 'klarna_om_refresh', 'order_id' => (string) $order->get_id(), 'security' => wp_create_nonce( 'klarna-om-order' ) );
		$_REQUEST = $_POST;
		do_action( 'wp_ajax_klarna_om_refresh' );
		$_POST = array();
		return $GLOBALS['klarna_om_test_json'];
	}

	/** An entry of the order actions dropdown, saved with the order form (its fields in $_POST). */
	private static function act( string $action, WC_Order $order, array $form = array() ): void {
		$_POST = wp_slash( $form );
		do_action( "woocommerce_order_action_$action", $order );
		$_POST = array();
	}

	private static function shipment( array $items, bool $shipping, array $tracking = array() ): array {
		return array( 'klarna_om_shipment' => array( 'items' => $items, 'shipping' => $shipping ? '1' : '' ) + $tracking );
	}

	private static function state( WC_Order $order ): array {
		return (array) json_decode( (string) $order->get_meta( '_klarna_om_state' ), true );
	}
}
