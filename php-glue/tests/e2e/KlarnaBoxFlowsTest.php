<?php
use KlarnaOM\Attention;
use PHPUnit\Framework\TestCase;

/**
 * Issue 14 end to end: the order screen's Klarna box and every one of its actions, through the plugin's classes →
 * the real core (PHP FFI, and the klarna-om executable) → the Klarna sandbox, asserting from the sandbox's request
 * log exactly which requests each step sent: none for a page view, one GET for a refresh, and for each action the
 * requests docs/contract.md names ("The Klarna side of an order"; "What a capture captures": Klarna's order is read
 * before every capture unless Klarna is known to hold exactly the order's lines).

 */
final class KlarnaBoxFlowsTest extends TestCase {
	use SandboxShop;
	use KlarnaBoxSteps;

	/**
	 * Every entry point the plugin calls (NativeBridge::OPERATIONS) is in the core it ships with: each refuses a
	 * request of contract version 0 with its own envelope, so nothing reaches Klarna.
	 *
	 * @dataProvider modes
	 */
	public function test_the_core_has_every_entry_point_the_plugin_calls( string $mode ): void {
		$dist   = (string) getenv( 'KLARNA_OM_DIST' );
		$bridge = new KlarnaOM\NativeBridge( "$dist/lib/libklarna_om.so", "$dist/include/klarna_om.ffi.h", "$dist/bin/klarna-om", $mode );
		foreach ( KlarnaOM\NativeBridge::OPERATIONS as $operation ) {
			$answer = $bridge->call( $operation, array( 'version' => 0 ) );
			$this->assertSame( array( false, 'unsupported_version' ), array( $answer['ok'], $answer['error']['code'] ?? null ), $operation );
		}
	}

	/** @dataProvider modes */
	public function test_a_page_view_sends_nothing_and_a_refresh_exactly_one_read( string $mode ): void {
		$order = $this->order( $mode );
		$this->assertStringContainsString( 'has not been read yet', self::view( $order ) );
		$this->assertSame( array(), $this->sent(), 'a page view: no request' );
		$answer = self::refresh( $order );
		$this->assertTrue( $answer['success'] );
		$this->assertTrue( $answer['data']['success'], (string) $answer['data']['note'] );
		$this->assertSame( array( 'GET ' ), $this->sent(), 'a refresh: exactly one read of the order' );
		$state = self::state( $order );
		$this->assertSame( array( 'read', $this->klarna_id, 'AUTHORIZED', 'EUR', 10500, 0, 0, 10500 ), array( $state['source'], $state['klarna_order_id'], $state['status'], $state['currency'], $state['authorized'], $state['captured'], $state['refunded'], $state['remaining'] ) );
		$html = self::view( $order );
		$this->assertStringContainsString( '€105.00', $html );
		$this->assertStringContainsString( $this->klarna_id, $html );
		$this->assertStringContainsString( 'data-klarna-om-action="klarna_om_capture"', $html );
		$this->assertSame( array(), $this->sent(), 'drawing the refreshed box: no request' );
		$this->assertSame( array(), $order->notes, 'a read adds no note' );
	}

	/**
	 * Read once, so the answers after it derive their state from a stored one ("derived": the stored state with the
	 * operation's effect applied).
	 */
	private function read_first( WC_Order $order ): void {
		self::refresh( $order );
		$this->assertSame( array( 'GET ' ), $this->sent() );
	}

	/** @dataProvider modes */
	public function test_capture_what_remains( string $mode ): void {
		$order = $this->order( $mode );
		$this->read_first( $order );
		self::act( 'klarna_om_capture', $order );
		$this->assertSame( array( 'GET ', 'POST /captures' ), $this->sent(), 'what Klarna captured is read, then the rest captured' );
		$klarna = self::control( 'GET', "/orders/{$this->klarna_id}" );
		$this->assertSame( array( 'CAPTURED', 10500 ), array( $klarna['status'], $klarna['captured_amount'] ) );
		$capture_id = $klarna['captures'][0]['capture_id'];
		$this->assertSame( $capture_id, $order->get_meta( '_wc_klarna_capture_id' ) );
		$this->assertStringContainsString( $capture_id, end( $order->notes ) );
		$this->assertSame( 'processing', $order->get_status(), 'the status stays the merchant\'s' );
		$state = self::state( $order );
		$this->assertSame( 10500, $state['captured'] );
		$this->assertSame( array( array( $capture_id, 10500 ) ), array_map( static fn ( $capture ) => array( $capture['id'], $capture['amount'] ), $state['captures'] ), 'the capture adds itself and its amount' );
		$this->assertStringContainsString( $capture_id, self::text( $order ) );
		$this->assertSame( array(), $this->sent() );
	}

	/**
	 * The split shipment: one hoodie with shipping and tracking, then the other hoodie, then Completed, which finds
	 * nothing left to capture.
	 *
	 * @dataProvider modes
	 */
	public function test_two_shipments_then_completed( string $mode ): void {
		$order = $this->order( $mode );
		$order->meta['_wc_shipment_tracking_items'] = array( array( 'tracking_provider' => '', 'custom_tracking_provider' => 'PostNord', 'custom_tracking_link' => 'https://tracking.example/PN1', 'tracking_number' => 'PN1', 'date_shipped' => time(), 'tracking_id' => 'x' ) );
		$this->read_first( $order );
		$form = self::view( $order );
		$this->assertStringContainsString( 'name="klarna_om_shipment[tracking_number]" value="PN1"', $form, 'Shipment Tracking\'s number as the default' );
		$this->assertSame( array(), $this->sent() );
		$tracking = array( 'shipping_company' => 'PostNord', 'tracking_number' => 'PN1', 'tracking_uri' => 'https://tracking.example/PN1' );
		self::act( 'klarna_om_capture_shipment', $order, self::shipment( array( 11 => 1 ), true, $tracking ) );
		$this->assertSame( array( 'GET ', 'POST /captures' ), $this->sent(), 'what is left is read from Klarna first' );
		$klarna = self::control( 'GET', "/orders/{$this->klarna_id}" );
		$this->assertSame( array( 'PART_CAPTURED', 5500 ), array( $klarna['status'], $klarna['captured_amount'] ) );
		$first = $klarna['captures'][0];
		$this->assertSame( array( array( 'HOODIE-M', 1, 5000 ), array( 'flat_rate:3', 1, 500 ) ), array_map( static fn ( $line ) => array( $line['reference'], $line['quantity'], $line['total_amount'] ), $first['order_lines'] ) );
		$this->assertSame( array( $tracking ), array_map( static fn ( $info ) => array_intersect_key( $info, $tracking ), $first['shipping_info'] ) );
		$this->assertStringContainsString( 'PostNord PN1 <https://tracking.example/PN1>', self::text( $order ) );

		self::act( 'klarna_om_capture_shipment', $order, self::shipment( array( 11 => 1 ), false ) );
		$this->assertSame( array( 'GET ', 'POST /captures' ), $this->sent(), 'a capture id in meta: Klarna\'s order is read first' );
		$klarna = self::control( 'GET', "/orders/{$this->klarna_id}" );
		$this->assertSame( array( 'CAPTURED', 10500, 2 ), array( $klarna['status'], $klarna['captured_amount'], count( $klarna['captures'] ) ) );
		$this->assertSame( array( array( 'HOODIE-M', 1, 5000 ) ), array_map( static fn ( $line ) => array( $line['reference'], $line['quantity'], $line['total_amount'] ), $klarna['captures'][1]['order_lines'] ) );

		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( array( 'GET ' ), $this->sent(), 'Completed: nothing left to capture, nothing captured twice' );
		$this->assertSame( 'completed', $order->get_status() );
		$this->assertCount( 2, self::control( 'GET', "/orders/{$this->klarna_id}" )['captures'] );
		$this->assertSame( array(), $this->sent() );
	}

	/** @dataProvider modes */
	public function test_one_shipment_then_completed_captures_the_rest_without_lines( string $mode ): void {
		$order = $this->order( $mode );
		self::act( 'klarna_om_capture_shipment', $order, self::shipment( array( 11 => 1 ), true ) );
		$this->assertSame( array( 'GET ', 'POST /captures' ), $this->sent() );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( array( 'GET ', 'POST /captures' ), $this->sent() );
		$klarna = self::control( 'GET', "/orders/{$this->klarna_id}" );
		$this->assertSame( array( 'CAPTURED', 10500, 5000, array() ), array( $klarna['status'], $klarna['captured_amount'], $klarna['captures'][1]['captured_amount'], $klarna['captures'][1]['order_lines'] ) );
		$this->assertSame( 'completed', $order->get_status() );
	}

	/** @dataProvider modes */
	public function test_release_the_remaining_authorization_after_a_shipment( string $mode ): void {
		$order = $this->order( $mode );
		$this->read_first( $order );
		self::act( 'klarna_om_capture_shipment', $order, self::shipment( array( 11 => 1 ), true ) );
		$this->sent();
		self::act( 'klarna_om_release', $order );
		$this->assertSame( array( 'POST /release-remaining-authorization', 'GET ' ), $this->sent(), 'Klarna\'s resulting status read back' );
		$klarna = self::control( 'GET', "/orders/{$this->klarna_id}" );
		$this->assertSame( array( 'CLOSED', 0 ), array( $klarna['status'], $klarna['remaining_authorized_amount'] ) );
		$this->assertSame( array( 'CLOSED', 0 ), array( self::state( $order )['status'], self::state( $order )['remaining'] ) );
		$this->assertSame( 'processing', $order->get_status(), 'release never changes the WooCommerce status' );
		$this->assertNotSame( '', (string) end( $order->notes ) );
	}

	/** @dataProvider modes */
	public function test_extend_the_authorization_time( string $mode ): void {
		$soon  = gmdate( 'Y-m-d\TH:i:s+00:00', time() + 3 * 86400 );
		$order = $this->order( $mode, array( 'expires_at' => $soon ) );
		$this->read_first( $order );
		$this->assertStringContainsString( '[warning] The authorization expires on', self::text( $order ) );
		$this->assertNotSame( '', $order->get_meta( Attention::EXPIRES ), 'in the "needs attention" view' );
		self::act( 'klarna_om_extend', $order );
		$this->assertSame( array( 'POST /extend-authorization-time', 'GET ' ), $this->sent() );
		$klarna = self::control( 'GET', "/orders/{$this->klarna_id}" );
		$this->assertSame( strtotime( $klarna['expires_at'] ), strtotime( self::state( $order )['expires_at'] ), 'the new expiry, read back' );
		$this->assertGreaterThan( strtotime( $soon ), strtotime( $klarna['expires_at'] ) );
		$this->assertStringNotContainsString( 'The authorization expires on', self::text( $order ) );
		$this->assertSame( array( 'processing', array() ), array( $order->get_status(), $this->sent() ) );
	}

	/** @dataProvider modes */
	public function test_cancel_from_the_box_is_the_cancelled_status( string $mode ): void {
		$order = $this->order( $mode );
		$this->read_first( $order );
		self::act( 'klarna_om_cancel', $order );
		$this->assertSame( array( 'POST /cancel' ), $this->sent() );
		$this->assertSame( array( 'cancelled', 'CANCELLED' ), array( $order->get_status(), self::control( 'GET', "/orders/{$this->klarna_id}" )['status'] ) );
		$this->assertSame( 'CANCELLED', self::state( $order )['status'] );
	}
}
