<?php
use KlarnaOM\NativeBridge;
use KlarnaOM\NativeUnavailable;
use PHPUnit\Framework\TestCase;

/**
 * Hosts where the core cannot run (shared hosting often disables both PHP FFI and proc_open; in PHP 8 a disabled
 * function is undefined and calling it throws \Error): a note, On hold for a status change, a WP_Error for a refund,
 * a log line, never a fatal error. The real run with those php.ini settings is tests/e2e/NoFfiNoProcOpenTest.php.
 */
final class UnavailableCoreTest extends TestCase {
	protected function setUp(): void {
		$GLOBALS['klarna_om_test_log']     = array();
		$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 's' ) );
	}

	/** A bridge on a host that disabled these functions (the library is not shipped here, so FFI cannot run either). */
	private static function bridge_without( array $disabled, string $executable = '/bin/true' ): NativeBridge {
		return new NativeBridge( '/none/libklarna_om.so', '/none/klarna_om.ffi.h', $executable, null, static fn ( string $name ) => ! in_array( $name, $disabled, true ) );
	}

	public function test_without_proc_open_the_executable_mode_is_not_offered_and_a_call_says_why(): void {
		$bridge = self::bridge_without( array( 'proc_open' ) );
		$this->assertSame( 'unavailable', $bridge->mode() );
		$this->assertStringContainsString( 'proc_open', (string) $bridge->unavailable_reason() );
		$this->assertSame( 'cli', self::bridge_without( array() )->mode(), 'the same bridge where proc_open exists' );
		$this->expectException( NativeUnavailable::class );
		$bridge->call( 'capture', array( 'version' => 1 ) );
	}

	public function test_every_failure_to_reach_the_core_is_native_unavailable(): void {
		$works = self::bridge_without( array() );
		try {
			$works->call( 'capture', array( 'order' => array( 'name' => "caf\xe9" ) ) );
			$this->fail( 'a request that is not UTF-8 cannot be sent' );
		} catch ( NativeUnavailable $e ) {
			$this->assertFalse( $e->may_have_run() );
			$this->assertInstanceOf( JsonException::class, $e->getPrevious() );
		}
		foreach ( array( '/bin/true', '/bin/false' ) as $executable ) {
			try {
				self::bridge_without( array(), $executable )->call( 'capture', array( 'version' => 1 ) );
				$this->fail( "$executable gives no answer" );
			} catch ( NativeUnavailable $e ) {
				$this->assertTrue( $e->may_have_run(), 'the core was started: its answer is lost, not never sent' );
			}
		}
	}

	public function test_a_status_change_on_such_a_host_ends_on_hold_with_a_note_and_the_save_goes_on(): void {
		Shop::wire( self::bridge_without( array( 'proc_open' ) ) );
		$order = OrderFactory::hoodies( 601, 'k-601' );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertSame( 1, $order->saves );
		$this->assertCount( 1, $order->notes );
		$this->assertStringContainsString( 'could not run (capture)', $order->notes[0] );
		$this->assertStringContainsString( 'Nothing was sent to Klarna', $order->notes[0] );
		$this->assertSame( 'error', $GLOBALS['klarna_om_test_log'][0][0] );
	}

	public function test_any_throwable_from_the_core_ends_on_hold_with_a_note(): void {
		Shop::wire( new ScriptedCore( array( 'cancel' => new Error( 'Call to undefined function proc_open()' ) ) ) );
		$order = OrderFactory::hoodies( 602, 'k-602' );
		$order->set_status( 'cancelled' );
		$order->save();
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertSame( array( array( 'processing', 'on-hold' ) ), $order->transitions );
		$this->assertStringContainsString( 'could not run (cancel)', $order->notes[0] );
	}

	public function test_a_refund_on_such_a_host_is_a_wp_error_with_a_note_and_woocommerce_deletes_it(): void {
		Shop::wire( self::bridge_without( array( 'proc_open' ) ) );
		$order = OrderFactory::hoodies( 603, 'k-603', 2, 'klarna_payments', 'completed' );
		$error = OrderFactory::refund_one_hoodie_via_klarna( $order );
		$this->assertInstanceOf( WP_Error::class, $error );
		$this->assertStringContainsString( 'proc_open', $error->get_error_message() );
		$this->assertSame( array(), $order->get_refunds() );
		$this->assertStringContainsString( 'could not run (refund)', $order->notes[0] );
		$this->assertStringNotContainsString( 'On hold', $order->notes[0] );
		$this->assertSame( 'completed', $order->get_status() );
		$this->assertGreaterThan( 0, $order->saves, 'the note is saved before the filter returns' );
	}

	public function test_a_failure_after_klarna_answered_says_klarna_may_have_acted_and_keeps_a_refund_klarna_made(): void {
		$captured = array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'captured', 'success' => true, 'note' => array( 'code' => 'captured', 'text' => 'Captured.' ) );
		$refunded = array( 'version' => 1, 'ok' => true, 'operation' => 'refund', 'outcome' => 'refunded', 'success' => true, 'note' => array( 'code' => 'refunded', 'text' => 'Refunded.' ) );
		$hooks = Shop::wire( new ScriptedCore( array( 'capture' => $captured, 'refund' => $refunded ) ) );
		add_filter(
			'klarna_om_order_note',
			static function () {
				throw new RuntimeException( 'a note filter of another plugin failed' );
			}
		);
		$order = OrderFactory::hoodies( 604, 'k-604' );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertStringContainsString( 'did not finish (capture)', $order->notes[0] );
		$this->assertStringContainsString( 'Klarna may have acted', $order->notes[0] );

		$refund = OrderFactory::refund_one_hoodie_via_klarna( $order );
		$this->assertInstanceOf( WC_Order_Refund::class, $refund, 'Klarna refunded: WooCommerce must keep the refund' );
		$this->assertStringContainsString( 'did not finish (refund)', end( $order->notes ) );
		$this->assertInstanceOf( KlarnaOM\OrderHooks::class, $hooks );
	}
}
