<?php
use KlarnaOM\AdminNotice;
use KlarnaOM\Coexistence;
use KlarnaOM\Logger;
use KlarnaOM\NativeBridge;
use KlarnaOM\OrderHooks;
use KlarnaOM\ResponseApplier;
use KlarnaOM\Settings;
use KlarnaOM\SnapshotBuilder;
use PHPUnit\Framework\TestCase;

/** Not acting twice beside Klarna's own plugins; the admin notice; what reaches the log. */
final class CoexistenceAndNoticeTest extends TestCase {
	/**
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_orders_of_a_gateway_with_built_in_order_management_are_left_alone(): void {
		define( 'WC_KLARNA_PAYMENTS_VERSION', '4.3.1' );
		$core  = new ScriptedCore( array() );
		$hooks = new OrderHooks( $core, new SnapshotBuilder( new Settings() ), new ResponseApplier( new Logger() ), new Logger() );
		add_action( 'woocommerce_before_order_object_save', array( $hooks, 'before_save' ), 10, 1 );
		$kp = OrderFactory::hoodies( 31, 'k-31' );
		$kp->set_status( 'completed' );
		$kp->save();
		$this->assertSame( array(), $core->calls, 'Klarna for WooCommerce 4.3+ captures its own orders' );
		$this->assertFalse( $hooks->refund( false, 31, 10.0, '' ), 'the refund filter answer is left to it' );
		$kco = OrderFactory::hoodies( 32, 'k-32', 2, 'kco' );
		$kco->set_status( 'completed' );
		$kco->save();
		$this->assertSame( 'capture', $core->calls[0][0] ?? null, 'Kustom Checkout without built-in order management is ours' );

		$notice = new AdminNotice( new NativeBridge( '/none', '/none', '/none' ) );
		$this->assertStringContainsString( 'Klarna for WooCommerce 4.3.1 manages its Klarna orders itself', $notice->messages()[0][1] );

		$GLOBALS['klarna_om_test_options']['klarna_om_settings'] = array( 'take_over' => 'yes' );
		$this->assertFalse( Coexistence::handled_elsewhere( $kp ) );
		$this->assertSame( array(), Coexistence::active_built_ins() );
	}

	public function test_the_notice_says_which_mode_runs_and_why(): void {
		$dist = (string) getenv( 'KLARNA_OM_DIST' );
		$none = new AdminNotice( new NativeBridge( '/none/lib.so', '/none/h.h', '/none/klarna-om' ) );
		$this->assertSame( 'error', $none->messages()[0][0] );
		$this->assertStringContainsString( 'cannot reach its core', $none->messages()[0][1] );
		if ( '' !== $dist ) {
			$cli = new AdminNotice( new NativeBridge( '/none/lib.so', '/none/h.h', "$dist/bin/klarna-om" ) );
			$this->assertStringContainsString( 'runs its bundled klarna-om program', $cli->messages()[0][1] );
		}
		$missing = new AdminNotice( new NativeBridge( '/none', '/none', '/none' ) );
		$missing->woocommerce_missing = true;
		$this->assertSame( array( array( 'error', 'Klarna Order Management needs WooCommerce to be installed and active.' ) ), $missing->messages() );
		ob_start();
		$none->render();
		$this->assertStringStartsWith( '<div class="notice notice-error"><p>', (string) ob_get_clean() );
	}

	public function test_the_log_gets_errors_always_and_the_rest_only_with_debug(): void {
		$GLOBALS['klarna_om_test_log']     = array();
		$GLOBALS['klarna_om_test_options'] = array();
		$logger = new Logger();
		$logger->log( 'info', 'klarna request done', array( 'path' => '/x' ) );
		$logger->log( 'error', 'core refused the request', array( 'code' => 'invalid_json' ) );
		$this->assertSame( array( array( 'error', 'core refused the request', array( 'source' => 'klarna-order-management', 'code' => 'invalid_json' ) ) ), $GLOBALS['klarna_om_test_log'] );
		$GLOBALS['klarna_om_test_options']['klarna_om_debug'] = 'yes';
		$logger->log( 'info', 'klarna request done', array() );
		$this->assertCount( 2, $GLOBALS['klarna_om_test_log'] );
	}
}
