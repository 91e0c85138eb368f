<?php
use KlarnaOM\NativeUnavailable;
use PHPUnit\Framework\TestCase;

/**
 * The Klarna box's actions: Refresh over AJAX (nonce, capability, exactly one `sync`), the others through the order
 * actions dropdown WooCommerce fires after saving the order form (`woocommerce_order_action_{action}`), each through
 * the core and each ending in a note, the stored state and the outcome.
 */
final class OrderActionsTest extends TestCase {
	protected function setUp(): void {
		$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 's' ) );
		$GLOBALS['klarna_om_test_user']    = array( 'id' => 7, 'caps' => array( 'edit_shop_orders' ) );
		$GLOBALS['klarna_om_test_json']    = null;
		$_POST                             = array();
		$_REQUEST                          = array();
	}

	private static function answer( string $operation, string $outcome, bool $success, array $extra = array() ): array {
		return $extra + array( 'version' => 1, 'ok' => true, 'operation' => $operation, 'outcome' => $outcome, 'success' => $success, 'note' => array( 'code' => $outcome, 'text' => "Note: $outcome." ) );
	}

	private static function authorized( int $id ): WC_Order {
		$order = OrderFactory::hoodies( $id, "k-$id" );
		$order->meta['_klarna_om_state'] = json_encode( array( 'status' => 'AUTHORIZED', 'currency' => 'EUR', 'authorized' => 10500, 'captured' => 0, 'remaining' => 10500, 'captures' => array() ) );
		return $order;
	}

	/** The merchant picks a Klarna entry of the order actions dropdown and clicks Update: WooCommerce then fires it. */
	private static function order_action( string $action, WC_Order $order ): void {
		do_action( "woocommerce_order_action_$action", $order );
	}

	/** Refresh: the box's button posts to admin-ajax.php. */
	private static function refresh( int $order_id, ?string $nonce = null ): void {
		$_POST    = array( 'action' => 'klarna_om_refresh', 'order_id' => (string) $order_id, 'security' => $nonce ?? wp_create_nonce( 'klarna-om-order' ) );
		$_REQUEST = $_POST;
		do_action( 'wp_ajax_klarna_om_refresh' );
	}

	public function test_refresh_reads_klarna_once_stores_the_state_and_redraws_the_box(): void {
		$state = array( 'source' => 'read', 'status' => 'AUTHORIZED', 'currency' => 'EUR', 'authorized' => 10500, 'captured' => 0, 'refunded' => 0, 'remaining' => 10500, 'klarna_order_id' => 'k-801' );
		$core  = new ScriptedCore( array( 'sync' => array( 'version' => 1, 'ok' => true, 'operation' => 'sync', 'outcome' => 'synced', 'success' => true, 'state' => $state ) ) );
		Shop::wire( $core );
		$order = OrderFactory::hoodies( 801, 'k-801' );
		self::refresh( 801 );
		$this->assertSame( array( 'sync' ), array_column( $core->calls, 0 ), 'exactly one call: sync' );
		$this->assertArrayNotHasKey( 'transition', $core->calls[0][1]['order'] );
		$this->assertSame( $state, json_decode( $order->get_meta( '_klarna_om_state' ), true ) );
		$this->assertSame( 1, $order->saves );
		$this->assertSame( array(), $order->notes, 'a read has no note' );
		$this->assertTrue( $GLOBALS['klarna_om_test_json']['success'] );
		$this->assertStringContainsString( "Authorized: €105.00", strip_tags( str_replace( '</th><td>', ': ', $GLOBALS['klarna_om_test_json']['data']['html'] ) ) );
		$this->assertSame( 'processing', $order->get_status() );
	}

	public function test_refresh_needs_the_nonce_and_the_capability(): void {
		$core = new ScriptedCore( array() );
		Shop::wire( $core );
		OrderFactory::hoodies( 802, 'k-802' );
		try {
			self::refresh( 802, 'forged' );
			$this->fail( 'check_ajax_referer dies on a forged nonce' );
		} catch ( Klarna_OM_Test_Die $e ) {
			$this->assertSame( 403, $e->getCode() );
		}
		$GLOBALS['klarna_om_test_user'] = array( 'id' => 8, 'caps' => array( 'read' ) );
		self::refresh( 802 );
		$this->assertSame( array( false, 403 ), array( $GLOBALS['klarna_om_test_json']['success'], $GLOBALS['klarna_om_test_json']['status'] ) );
		$GLOBALS['klarna_om_test_user'] = array( 'id' => 7, 'caps' => array( 'edit_shop_orders' ) );
		OrderFactory::hoodies( 803, 'k-803', 2, 'bacs' );
		self::refresh( 803 );
		$this->assertSame( 404, $GLOBALS['klarna_om_test_json']['status'], 'not a Klarna order' );
		$this->assertSame( array(), $core->calls );
	}

	public function test_a_refresh_that_cannot_run_notes_it_but_does_not_hold_the_order(): void {
		Shop::wire( new ScriptedCore( array( 'sync' => new NativeUnavailable( 'library missing' ) ) ) );
		$order = OrderFactory::hoodies( 804, 'k-804' );
		self::refresh( 804 );
		$this->assertSame( 'processing', $order->get_status() );
		$this->assertSame( array( 'Klarna order management could not run (sync): library missing. Nothing was sent to Klarna.' ), $order->notes );
		$this->assertFalse( $GLOBALS['klarna_om_test_json']['data']['success'] );
	}

	public function test_the_dropdown_offers_what_the_stored_state_allows(): void {
		Shop::wire( new ScriptedCore( array() ) );
		$order = self::authorized( 805 );
		$this->assertSame(
			array( 'send_order_details', 'klarna_om_capture', 'klarna_om_capture_shipment', 'klarna_om_release', 'klarna_om_extend', 'klarna_om_cancel' ),
			array_keys( apply_filters( 'woocommerce_order_actions', array( 'send_order_details' => 'Send order details' ), $order ) )
		);
		$this->assertSame( array( 'x' ), array_keys( apply_filters( 'woocommerce_order_actions', array( 'x' => 'x' ), OrderFactory::hoodies( 806, 'k-806', 2, 'bacs' ) ) ) );
		$this->assertSame( array( 'x' ), array_keys( apply_filters( 'woocommerce_order_actions', array( 'x' => 'x' ), OrderFactory::hoodies( 807, 'k-807' ) ) ), 'nothing read yet, nothing pending' );
	}

	public function test_capture_what_remains_goes_through_the_core_and_leaves_the_status_to_the_merchant(): void {
		$core = new ScriptedCore( array( 'capture' => self::answer( 'capture', 'captured', true, array( 'record' => array( 'capture_id' => 'cap-1' ), 'ledger' => array( 'answered' => 1 ), 'state' => array( 'status' => 'CAPTURED', 'remaining' => 0 ) ) ) ) );
		Shop::wire( $core );
		$order = self::authorized( 808 );
		self::order_action( 'klarna_om_capture', $order );
		$this->assertSame( array( 'capture' ), array_column( $core->calls, 0 ) );
		$this->assertArrayNotHasKey( 'capture', $core->calls[0][1], 'what remains: no shipment' );
		$this->assertArrayNotHasKey( 'transition', $core->calls[0][1]['order'] );
		$this->assertSame( array( 'Note: captured.' ), $order->notes );
		$this->assertSame( array( 'cap-1', '{"capture":{"answered":1}}' ), array( $order->get_meta( '_wc_klarna_capture_id' ), $order->get_meta( '_klarna_om_ledger' ) ) );
		$this->assertSame( 'processing', $order->get_status(), 'a capture says what Klarna took, not that the goods shipped' );
		$this->assertSame( 1, $order->saves );
		$this->assertStringContainsString( 'Klarna has captured the whole order. Set the order to Completed once everything has shipped', ( new KlarnaOM\OrderBox( new KlarnaOM\Logger() ) )->text( $order ) );
	}

	public function test_a_refused_capture_from_the_box_is_held_as_the_core_asks(): void {
		Shop::wire( new ScriptedCore( array( 'capture' => self::answer( 'capture', 'capture_refused', false, array( 'order_status' => 'on-hold' ) ) ) ) );
		$order = self::authorized( 809 );
		self::order_action( 'klarna_om_capture', $order );
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertSame( array( array( 'processing', 'on-hold' ) ), $order->transitions );
	}

	public function test_one_shipment_sends_the_quantities_shipping_and_tracking_entered(): void {
		$core = new ScriptedCore( array( 'capture' => self::answer( 'capture', 'captured', true ) ) );
		Shop::wire( $core );
		$order = self::authorized( 810 );
		$_POST = wp_slash( array( 'klarna_om_shipment' => array( 'items' => array( '11' => '1', '99' => '0' ), 'shipping' => '1', 'shipping_company' => " O'Brien Freight ", 'tracking_number' => 'OB-1', 'tracking_uri' => 'https://track.example/OB-1' ) ) );
		self::order_action( 'klarna_om_capture_shipment', $order );
		$this->assertSame(
			array( 'items' => array( array( 'item_id' => 11, 'quantity' => 1 ) ), 'shipping' => true, 'shipping_info' => array( array( 'shipping_company' => "O'Brien Freight", 'tracking_number' => 'OB-1', 'tracking_uri' => 'https://track.example/OB-1' ) ) ),
			$core->calls[0][1]['capture']
		);
		$this->assertSame( array( 'capture' => $core->calls[0][1]['capture'] ), $order->get_meta( '_klarna_om_outcomes' )['capture']['intent'], 'kept for a retry' );

		$_POST = array( 'klarna_om_shipment' => array( 'items' => array( '11' => '0' ) ) );
		self::order_action( 'klarna_om_capture_shipment', $order );
		$this->assertCount( 1, $core->calls, 'no quantity: nothing is sent (an empty shipment would capture everything)' );
		$this->assertSame( 'No quantity was entered for the shipment, so nothing was sent to Klarna.', end( $order->notes ) );
	}

	public static function box_operations(): array {
		return array( 'release' => array( 'klarna_om_release', 'release', 'released' ), 'extend' => array( 'klarna_om_extend', 'extend', 'extended' ) );
	}

	/** @dataProvider box_operations */
	public function test_release_and_extend_go_through_the_core_and_never_hold_the_order( string $action, string $operation, string $outcome ): void {
		$core = new ScriptedCore( array( $operation => self::answer( $operation, $outcome, true, array( 'ledger' => array( 'answered' => 1 ) ) ) ) );
		Shop::wire( $core );
		$order = self::authorized( 'release' === $operation ? 811 : 812 );
		self::order_action( $action, $order );
		$this->assertSame( array( $operation ), array_column( $core->calls, 0 ) );
		$this->assertSame( array( "Note: $outcome." ), $order->notes );
		$this->assertSame( "{\"$operation\":{\"answered\":1}}", $order->get_meta( '_klarna_om_ledger' ) );

		Shop::wire( new ScriptedCore( array( $operation => new NativeUnavailable( 'the klarna-om executable does not know the command' ) ) ) );
		self::order_action( $action, $order );
		$this->assertSame( 'processing', $order->get_status(), 'the box claims nothing in WooCommerce: no hold' );
		$this->assertStringStartsWith( "Klarna order management could not run ($operation)", end( $order->notes ) );
	}

	public function test_cancel_is_the_cancelled_status_saved_through_woocommerce(): void {
		$core = new ScriptedCore( array( 'cancel' => self::answer( 'cancel', 'cancelled', true ) ) );
		Shop::wire( $core );
		$order = self::authorized( 813 );
		self::order_action( 'klarna_om_cancel', $order );
		$this->assertSame( array( 'from' => 'processing', 'to' => 'cancelled' ), $core->calls[0][1]['order']['transition'] );
		$this->assertSame( 'cancelled', $order->get_status() );
		$this->assertSame( array( array( 'processing', 'cancelled' ) ), $order->transitions );
	}

	public function test_retry_repeats_a_status_changes_intent_by_setting_that_status_again(): void {
		$core = new ScriptedCore( array( 'capture' => self::answer( 'capture', 'capture_failed', false, array( 'order_status' => 'on-hold', 'ledger' => array( 'answered' => 0, 'pending' => 'f00d' ) ) ) ) );
		Shop::wire( $core );
		$order = self::authorized( 814 );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertArrayHasKey( 'klarna_om_retry_capture', apply_filters( 'woocommerce_order_actions', array(), $order ) );
		$core->answers['capture'] = self::answer( 'capture', 'captured', true, array( 'ledger' => array( 'answered' => 1 ) ) );
		self::order_action( 'klarna_om_retry_capture', $order );
		$this->assertSame( array( 'from' => 'on-hold', 'to' => 'completed' ), $core->calls[1][1]['order']['transition'] );
		$this->assertSame( '{"capture":{"answered":0,"pending":"f00d"}}', json_encode( $core->calls[1][1]['order']['meta']['ledger'] ), 'the pending entry goes back: the core reuses its key' );
		$this->assertSame( 'completed', $order->get_status() );
		$this->assertArrayNotHasKey( 'klarna_om_retry_capture', apply_filters( 'woocommerce_order_actions', array(), $order ) );
	}

	public function test_retry_repeats_a_shipment_with_the_same_request(): void {
		$core = new ScriptedCore( array( 'capture' => self::answer( 'capture', 'capture_failed', false, array( 'ledger' => array( 'answered' => 0, 'pending' => 'beef' ) ) ) ) );
		Shop::wire( $core );
		$order = self::authorized( 815 );
		$_POST = array( 'klarna_om_shipment' => array( 'items' => array( '11' => '1' ) ) );
		self::order_action( 'klarna_om_capture_shipment', $order );
		$_POST = array();
		self::order_action( 'klarna_om_retry_capture', $order );
		$this->assertSame( array( 'capture', 'capture' ), array_column( $core->calls, 0 ) );
		$this->assertSame( $core->calls[0][1]['capture'], $core->calls[1][1]['capture'] );
		$this->assertArrayNotHasKey( 'transition', $core->calls[1][1]['order'] );
	}

	public function test_without_the_capability_no_action_runs(): void {
		$core = new ScriptedCore( array() );
		Shop::wire( $core );
		$GLOBALS['klarna_om_test_user'] = array( 'id' => 9, 'caps' => array( 'read' ) );
		$order = self::authorized( 816 );
		foreach ( array( 'klarna_om_capture', 'klarna_om_release', 'klarna_om_extend', 'klarna_om_cancel', 'klarna_om_retry_capture' ) as $action ) {
			self::order_action( $action, $order );
		}
		$this->assertSame( array(), $core->calls );
		$this->assertSame( 'processing', $order->get_status() );
	}
}
