<?php
use KlarnaOM\NativeBridge;
use PHPUnit\Framework\TestCase;

/**
 * The four flows end to end: the plugin's classes → the real libklarna_om.so (PHP FFI) or the real klarna-om
 * executable → libcurl → the Klarna sandbox, and back to order notes, meta and status. Every test runs once per mode.
 * Only WooCommerce is a double (tests/doubles). scripts/test-php starts the sandbox and sets the environment.
 */
final class FlowsTest extends TestCase {
	private const USER = 'PK_plugin_e2e';
	private const SECRET = 'plugin-e2e-secret';

	private static function sandbox(): string {
		$url = (string) getenv( 'KLARNA_OM_SANDBOX' );
		if ( '' === $url ) {
			self::markTestSkipped( 'KLARNA_OM_SANDBOX is not set: run through scripts/test-php' );
		}
		return $url;
	}

	private static function control( string $method, string $path, ?array $body = null ): array {
		$context = stream_context_create( array( 'http' => array( 'method' => $method, 'header' => "Content-Type: application/json\r\n", 'content' => null === $body ? '' : json_encode( $body ), 'ignore_errors' => true ) ) );
		return json_decode( (string) file_get_contents( self::sandbox() . "/_sandbox$path", false, $context ), true ) ?? array();
	}

	public static function modes(): array {
		return array( 'PHP FFI' => array( 'ffi' ), 'klarna-om executable' => array( 'cli' ) );
	}

	/** The two statuses that say the customer holds nothing more, in both modes. */
	public static function holding_statuses(): array {
		return array(
			'Cancelled, PHP FFI' => array( 'ffi', 'cancelled' ), 'Cancelled, executable' => array( 'cli', 'cancelled' ),
			'Refunded, PHP FFI' => array( 'ffi', 'refunded' ), 'Refunded, executable' => array( 'cli', 'refunded' ),
		);
	}

	private static int $next_id = 5000;

	/** A Klarna order like the hoodies order, and the plugin wired to the real core in one mode. */
	private function setUpShop( string $mode, array $klarna = array() ): array {
		if ( ! defined( 'KLARNA_OM_SANDBOX_URL' ) ) {
			define( 'KLARNA_OM_SANDBOX_URL', self::sandbox() );
		}
		self::control( 'POST', '/credentials', array( 'username' => self::USER, 'password' => self::SECRET ) );
		$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => self::USER, 'test_shared_secret_se' => self::SECRET ) );
		$klarna_id = self::control( 'POST', '/orders', $klarna + array( 'merchant' => self::USER, 'order_lines' => array(
			array( 'type' => 'physical', 'reference' => 'HOODIE-M', 'name' => 'Hoodie', 'quantity' => 2, 'unit_price' => 5000, 'tax_rate' => 2500, 'total_amount' => 10000, 'total_tax_amount' => 2000 ),
			array( 'type' => 'shipping_fee', 'reference' => 'flat_rate:3', 'name' => 'Flat rate', 'quantity' => 1, 'unit_price' => 500, 'tax_rate' => 2500, 'total_amount' => 500, 'total_tax_amount' => 100 ),
		) ) )['order_id'];
		$dist   = (string) getenv( 'KLARNA_OM_DIST' );
		$bridge = new NativeBridge( "$dist/lib/libklarna_om.so", "$dist/include/klarna_om.ffi.h", "$dist/bin/klarna-om", $mode );
		$this->assertSame( $mode, $bridge->mode(), (string) $bridge->ffi_unavailable_reason() );
		return array( Shop::wire( $bridge ), $klarna_id, ++self::$next_id );
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
		$this->assertStringContainsString( 'EUR 55.00', $order->notes[0] );
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
		$this->assertStringContainsString( 'EUR 105.00', $order->notes[0] );

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
		$this->assertStringContainsString( 'CAPTURE_NOT_ALLOWED', $order->notes[0] );
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

	/** What reached Klarna for this order, as "METHOD path" lines. */
	private static function requests( string $klarna_id ): array {
		return array_map( static fn ( $entry ) => $entry['method'] . ' ' . $entry['path'], self::control( 'GET', "/requests?order_id=$klarna_id" ) );
	}

	/** Captured at Klarna and Completed in WooCommerce. */
	private function capturedOrder( int $id, string $klarna_id ): WC_Order {
		$order = OrderFactory::hoodies( $id, $klarna_id );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( 'CAPTURED', self::control( 'GET', "/orders/$klarna_id" )['status'] );
		return $order;
	}

	/**
	 * Cancelled or Refunded set by hand while Klarna holds the captured money: refused, On hold, Klarna unchanged.
	 *
	 * @dataProvider holding_statuses
	 */
	public function test_a_captured_order_set_to_a_status_that_says_nothing_is_held_goes_on_hold( string $mode, string $status ): void {
		[ , $klarna_id, $id ] = $this->setUpShop( $mode );
		$order = $this->capturedOrder( $id, $klarna_id );
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
