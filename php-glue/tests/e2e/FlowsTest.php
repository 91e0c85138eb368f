<?php
use PHPUnit\Framework\TestCase;

/**
 * The four flows end to end: the plugin's classes → the real libklarna_om.so (PHP FFI) or the real klarna-om
 * executable → libcurl → the Klarna sandbox, and back to order notes, meta and status. Every test runs once per mode.
 * Only WooCommerce is a double (tests/doubles). scripts/test-php starts the sandbox and sets the environment.
 */
final class FlowsTest extends TestCase {
	use SandboxShop;

	/** The two statuses that say the customer holds nothing more, in both modes. */
	public static function holding_statuses(): array {
		return array(
			'Cancelled, PHP FFI' => array( 'ffi', 'cancelled' ), 'Cancelled, executable' => array( 'cli', 'cancelled' ),
			'Refunded, PHP FFI' => array( 'ffi', 'refunded' ), 'Refunded, executable' => array( 'cli', 'refunded' ),
		);
	}

	/**
	 * Cancelled, or Refunded by hand, before any capture: Klarna cancels its order.
	 *
	 * @dataProvider holding_statuses
	 */
	public function test_cancel( string $mode, string $status ): void {
		[ , $klarna_id, $id ] = $this->setUpShop( $mode );
		$order = OrderFactory::hoodies( $id, $klarna_id );
		$order->set_status( $status );
		$order->save();
		$this->assertSame( $status, $order->get_status() );
		$this->assertStringContainsString( "Klarna order $klarna_id cancelled", $order->notes[0] );
		$this->assertSame( 'yes', $order->get_meta( '_wc_klarna_cancelled' ) );
		$this->assertSame( 'CANCELLED', self::control( 'GET', "/orders/$klarna_id" )['status'] );
	}

	/** @dataProvider modes */
	public function test_update_after_editing_items( string $mode ): void {
		[ , $klarna_id, $id ] = $this->setUpShop( $mode );
		$order = OrderFactory::hoodies( $id, $klarna_id, 2, 'klarna_payments', 'on-hold' );
		OrderFactory::set_quantity( $order, 1 );
		$order->set_status( 'processing' );
		$order->save();
		$this->assertSame( 'processing', $order->get_status() );
		$this->assertStringContainsString( '€55.00', $order->notes[0] );
		$this->assertSame( 5500, self::control( 'GET', "/orders/$klarna_id" )['order_amount'] );
		$this->assertSame( 64, strlen( (string) $order->get_meta( '_klarna_om_lines_fingerprint' ) ) );
	}

	/** @dataProvider modes */
	public function test_capture_then_refund( string $mode ): void {
		[ , $klarna_id, $id ] = $this->setUpShop( $mode );
		$order = OrderFactory::hoodies( $id, $klarna_id );
		$order->set_status( 'completed' );
		$order->save();
		$klarna = self::control( 'GET', "/orders/$klarna_id" );
		$this->assertSame( 'completed', $order->get_status() );
		$this->assertSame( 'CAPTURED', $klarna['status'] );
		$this->assertSame( $klarna['captures'][0]['capture_id'], $order->get_meta( '_wc_klarna_capture_id' ) );
		$this->assertStringContainsString( '€105.00', $order->notes[0] );

		$refund = OrderFactory::refund_one_hoodie_via_klarna( $order );
		$this->assertInstanceOf( WC_Order_Refund::class, $refund );
		$klarna = self::control( 'GET', "/orders/$klarna_id" );
		$this->assertSame( 5000, $klarna['refunded_amount'] );
		$this->assertSame( 'HOODIE-M', $klarna['refunds'][0]['order_lines'][0]['reference'] );
		$this->assertStringContainsString( $klarna['refunds'][0]['refund_id'], end( $order->notes ) );
		$this->assertSame( $klarna['refunds'][0]['refund_id'], $order->get_meta( '_klarna_om_refund_id_' . $refund->get_id() ) );
	}

	/** @dataProvider modes */
	public function test_completing_again_does_not_capture_twice( string $mode ): void {
		[ , $klarna_id, $id ] = $this->setUpShop( $mode );
		$order = OrderFactory::hoodies( $id, $klarna_id );
		$order->set_status( 'completed' );
		$order->save();
		$order->set_status( 'on-hold' );
		$order->save();
		$order->set_status( 'completed' );
		$order->save();
		$this->assertCount( 1, self::control( 'GET', "/orders/$klarna_id" )['captures'] );
		$this->assertStringContainsString( 'already captured', end( $order->notes ) );
	}

	/** @dataProvider modes */
	public function test_klarna_refuses_the_capture_the_order_goes_on_hold( string $mode ): void {
		[ , $klarna_id, $id ] = $this->setUpShop( $mode, array( 'status' => 'CANCELLED' ) );
		$order = OrderFactory::hoodies( $id, $klarna_id );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertSame( array( array( 'processing', 'on-hold' ) ), $order->transitions );
		$this->assertStringContainsString( 'is cancelled', $order->notes[0], 'Klarna\'s order, read before the capture, says why' );
	}

	/**
	 * Klarna's refusal reaches WooCommerce's log without the debug switch: the outcome, Klarna's error code and the
	 * correlation id Klarna sent; never the API password or the customer's personal data.
	 *
	 * @dataProvider modes
	 */
	public function test_a_refusal_is_logged_for_support_without_secrets_or_personal_data( string $mode ): void {
		[ , $klarna_id, $id ] = $this->setUpShop( $mode, array( 'status' => 'CANCELLED' ) );
		$GLOBALS['klarna_om_test_log'] = array();
		// Items edited On hold, then Processing: Klarna refuses to update a cancelled order.
		$order = OrderFactory::with_customer( OrderFactory::hoodies( $id, $klarna_id, 2, 'klarna_payments', 'on-hold' ) );
		OrderFactory::set_quantity( $order, 1 );
		$order->set_status( 'processing' );
		$order->save();
		$logged  = array_values( array_filter( $GLOBALS['klarna_om_test_log'], static fn ( $entry ) => 'klarna-om update: update_refused' === $entry[1] ) );
		$this->assertCount( 1, $logged, json_encode( $GLOBALS['klarna_om_test_log'] ) );
		[ $level, , $context ] = $logged[0];
		$this->assertSame( array( 'warning', (string) $id, 'NOT_ALLOWED' ), array( $level, $context['order_number'], $context['klarna_error_code'] ) );
		$this->assertMatchesRegularExpression( '/^[0-9a-f-]{36}$/', $context['correlation_id'] );
		$this->assertStringContainsString( $context['correlation_id'], $order->notes[0], 'the same id as in the order note' );
		$text = json_encode( $GLOBALS['klarna_om_test_log'], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES );
		foreach ( array_merge( array_values( OrderFactory::CUSTOMER ), array( 'plugin-e2e-secret' ) ) as $secret ) {
			$this->assertStringNotContainsString( $secret, $text );
		}
	}

	/** @dataProvider modes */
	public function test_klarna_down_the_order_goes_on_hold_and_a_retry_captures_once( string $mode ): void {
		[ , $klarna_id, $id ] = $this->setUpShop( $mode );
		self::control( 'POST', '/faults', array( 'order_id' => $klarna_id, 'fail_next' => array( 'count' => 3, 'status' => 503 ) ) );
		$order = OrderFactory::hoodies( $id, $klarna_id );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertStringContainsString( 'TEMPORARILY_UNAVAILABLE', $order->notes[0] );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( 'completed', $order->get_status() );
		$this->assertCount( 1, self::control( 'GET', "/orders/$klarna_id" )['captures'] );
	}

	/** @dataProvider modes */
	public function test_refund_of_an_uncaptured_order_is_a_woocommerce_refund_error( string $mode ): void {
		[ , $klarna_id, $id ] = $this->setUpShop( $mode );
		$order = OrderFactory::hoodies( $id, $klarna_id, 2, 'klarna_payments', 'completed' );
		$error = OrderFactory::refund_one_hoodie_via_klarna( $order );
		$this->assertInstanceOf( WP_Error::class, $error );
		$this->assertSame( array(), $order->get_refunds(), 'WooCommerce deleted the refund Klarna did not make' );
		$this->assertStringContainsString( 'has not been captured', $error->get_error_message() );
		$this->assertSame( 0, self::control( 'GET', "/orders/$klarna_id" )['refunded_amount'] );
	}

	/**
	 * Cancelled or Refunded set by hand while Klarna holds the captured money: refused, On hold, Klarna unchanged.
	 *
	 * @dataProvider holding_statuses
	 */
	public function test_a_captured_order_set_to_a_status_that_says_nothing_is_held_goes_on_hold( string $mode, string $status ): void {
		[ , $klarna_id, $id ] = $this->setUpShop( $mode );
		$order = $this->captured_order( $id, $klarna_id );
		$notes = count( $order->notes );
		$order->set_status( $status );
		$order->save();
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertSame( array( array( 'processing', 'completed' ), array( 'completed', 'on-hold' ) ), $order->transitions, "no $status transition" );
		$this->assertCount( $notes + 1, $order->notes );
		$klarna = self::control( 'GET', "/orders/$klarna_id" );
		$this->assertSame( array( 'CAPTURED', 10500, 0 ), array( $klarna['status'], $klarna['captured_amount'], $klarna['refunded_amount'] ) );
		$changes = array_values( preg_grep( '/^GET /', self::requests( $klarna_id ), PREG_GREP_INVERT ) );
		$this->assertSame( array( "POST /ordermanagement/v1/orders/$klarna_id/captures" ), $changes, 'nothing but the capture was asked of Klarna' );
	}

}
