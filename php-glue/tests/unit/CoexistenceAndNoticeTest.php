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

/** Not acting twice beside Klarna's own plugins; the admin notice (what reaches the log: LoggingTest). */
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
		$this->assertStringContainsString( 'Klarna for WooCommerce 4.3.1 manages its Klarna orders itself', array_column( $notice->messages(), 1, 2 )['coexistence'] );

		$GLOBALS['klarna_om_test_options']['klarna_om_settings'] = array( 'take_over' => 'yes' );
		$this->assertFalse( Coexistence::handled_elsewhere( $kp ) );
		$this->assertSame( array(), Coexistence::active_built_ins() );
	}

	/** A bridge that can run (the executable mode, over any executable file) or cannot (no FFI, proc_open disabled). */
	private static function bridge( bool $works ): NativeBridge {
		return new NativeBridge( '/none/lib.so', '/none/h.h', '/bin/true', null, static fn ( string $name ) => $works || 'proc_open' !== $name );
	}

	public function test_no_notice_at_all_while_the_plugin_works_in_either_mode(): void {
		$GLOBALS['klarna_om_test_options'] = array();
		$this->assertSame( array(), ( new AdminNotice( self::bridge( true ) ) )->messages(), 'the executable mode works: nothing to say' );
		$dist = (string) getenv( 'KLARNA_OM_DIST' );
		if ( '' !== $dist && extension_loaded( 'ffi' ) ) {
			$ffi = new NativeBridge( "$dist/lib/libklarna_om.so", "$dist/include/klarna_om.ffi.h", '/none' );
			$this->assertSame( 'ffi', $ffi->mode(), (string) $ffi->unavailable_reason() );
			$this->assertSame( array(), ( new AdminNotice( $ffi ) )->messages() );
		}
	}

	public function test_one_plain_notice_says_what_the_host_must_enable_when_nothing_can_run(): void {
		$GLOBALS['klarna_om_test_options'] = array();
		$messages = ( new AdminNotice( self::bridge( false ) ) )->messages();
		$this->assertCount( 1, $messages );
		[ $type, $text, $id ] = $messages[0];
		$this->assertSame( array( 'error', 'unavailable' ), array( $type, $id ) );
		$this->assertStringContainsString( 'Ask your hosting provider to enable PHP FFI or the proc_open function', $text );
		$this->assertStringContainsString( "PHP's proc_open function is disabled", $text, 'and the details, for the host' );
		$missing = new AdminNotice( self::bridge( true ) );
		$missing->woocommerce_missing = true;
		$this->assertSame( array( array( 'error', 'Klarna Order Management needs WooCommerce to be installed and active.', 'woocommerce_missing' ) ), $missing->messages() );
	}

	public function test_the_notice_shows_only_to_shop_managers_until_each_dismisses_it(): void {
		$GLOBALS['klarna_om_test_options'] = array();
		$notice = new AdminNotice( self::bridge( false ) );
		$render = static function () use ( $notice ): string {
			ob_start();
			$notice->render();
			return (string) ob_get_clean();
		};
		$GLOBALS['klarna_om_test_user'] = array( 'id' => 7, 'caps' => array( 'read' ) );
		$this->assertSame( '', $render(), 'a user who cannot manage WooCommerce sees nothing' );
		$GLOBALS['klarna_om_test_user'] = array( 'id' => 8, 'caps' => array( 'manage_woocommerce' ) );
		$html = $render();
		$this->assertStringStartsWith( '<div class="notice notice-error"><p>Klarna Order Management cannot work on this server', $html );
		$this->assertSame( 1, substr_count( $html, '<div' ) );
		$this->assertMatchesRegularExpression( '/<a href="[^"]*klarna_om_dismiss=unavailable[^"]*_wpnonce=[^"]+">Dismiss<\/a>/', $html );

		$_GET = array( 'klarna_om_dismiss' => 'unavailable', '_wpnonce' => 'forged' );
		$notice->dismiss();
		$this->assertNotSame( '', $render(), 'a dismissal needs its nonce' );
		$_GET = array( 'klarna_om_dismiss' => 'unavailable', '_wpnonce' => wp_create_nonce( 'klarna_om_dismiss' ) );
		$notice->dismiss();
		$_GET = array();
		$this->assertSame( '', $render(), 'dismissed for this user' );
		$GLOBALS['klarna_om_test_user'] = array( 'id' => 9, 'caps' => array( 'manage_woocommerce' ) );
		$this->assertNotSame( '', $render(), 'another shop manager still sees it' );
	}
}
