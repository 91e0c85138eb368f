<?php
use KlarnaOM\AdminNotice;
use KlarnaOM\NativeBridge;
use KlarnaOM\Plugin;
use PHPUnit\Framework\TestCase;

/**
 * The plugin as WordPress and WooCommerce see it (woocommerce-facts §11): its headers and readme.txt, the Plugins
 * screen's links, the WooCommerce version it needs, and what deleting it removes.
 */
final class PluginLifecycleTest extends TestCase {
	private const DIR = __DIR__ . '/../../klarna-order-management';

	/** The main file's header fields, as WordPress's get_file_data() reads them ("Name: value" in the first comment). */
	private static function headers(): array {
		preg_match_all( '/^[ \t\/*#@]*([A-Za-z][A-Za-z ]+):[ \t]*(.+)$/m', (string) file_get_contents( self::DIR . '/klarna-order-management.php', false, null, 0, 8192 ), $fields, PREG_SET_ORDER );
		return array_column( $fields, 2, 1 );
	}

	/** readme.txt: the title, its "Name: value" headers, the short description and the sections. */
	private static function readme(): array {
		$text = (string) file_get_contents( self::DIR . '/readme.txt' );
		[ $head, $body ] = explode( "\n\n", $text, 2 );
		$lines           = explode( "\n", $head );
		preg_match_all( '/^([A-Za-z ]+): (.+)$/m', $head, $fields, PREG_SET_ORDER );
		preg_match_all( '/^== (.+) ==$/m', $body, $sections );
		return array(
			'title'    => $lines[0],
			'headers'  => array_column( $fields, 2, 1 ),
			'short'    => trim( explode( "\n\n", $body, 2 )[0] ),
			'sections' => $sections[1],
			'text'     => $text,
		);
	}

	public function test_the_headers_the_readme_and_the_doubles_agree(): void {
		$headers = self::headers();
		$readme  = self::readme();
		$this->assertSame( 'Klarna Order Management', $headers['Plugin Name'] );
		$this->assertSame( '=== Klarna Order Management ===', $readme['title'] );
		$this->assertNotEmpty( $headers['Author'] );
		$this->assertMatchesRegularExpression( '#^https://\S+$#', $headers['Plugin URI'] );
		$this->assertSame( 'woocommerce', $headers['Requires Plugins'] );
		$this->assertSame( array( KLARNA_OM_VERSION, KLARNA_OM_VERSION ), array( $headers['Version'], $readme['headers']['Stable tag'] ) );
		$this->assertSame( array( KLARNA_OM_WC_REQUIRES, KLARNA_OM_WC_REQUIRES ), array( $headers['WC requires at least'], $readme['headers']['WC requires at least'] ) );
		$this->assertSame( array( WC_VERSION, WC_VERSION ), array( $headers['WC tested up to'], $readme['headers']['WC tested up to'] ), 'tested against the WooCommerce the doubles model' );
		$this->assertSame( '6.8', $readme['headers']['Tested up to'], 'the WordPress the doubles model (get_bloginfo)' );
		$this->assertStringStartsWith( $readme['headers']['Tested up to'] . '.', get_bloginfo( 'version' ) );
		foreach ( array( 'Requires at least', 'Requires PHP', 'Requires Plugins' ) as $field ) {
			$this->assertSame( $headers[ $field ], $readme['headers'][ $field ], $field );
		}
		$this->assertLessThanOrEqual( 150, mb_strlen( $readme['short'] ) );
		$this->assertSame( $headers['Description'], $readme['short'] );
		$this->assertSame( array( 'Description', 'Installation', 'Frequently Asked Questions', 'Changelog' ), $readme['sections'] );
		$this->assertStringContainsString( "= $headers[Version] =", $readme['text'], 'the changelog has this version' );
		foreach ( array( 'proc_open', 'PHP FFI', 'woocommerce_klarna_payments_settings', 'woocommerce_kco_settings', 'WooCommerce → Settings → Advanced → Klarna order management' ) as $explained ) {
			$this->assertStringContainsString( $explained, $readme['text'] );
		}
	}

	public function test_the_merchant_never_sees_the_projects_short_name_in_brackets(): void {
		$this->assertStringNotContainsString( '(klarna-om)', self::headers()['Plugin Name'] . self::headers()['Description'] );
		foreach ( glob( self::DIR . '/{src/*.php,readme.txt,languages/*.po}', GLOB_BRACE ) as $file ) {
			$this->assertStringNotContainsString( '(klarna-om)', (string) file_get_contents( $file ), basename( $file ) );
		}
	}

	public function test_the_plugins_screen_links_to_the_settings_section_and_the_docs(): void {
		$links = Plugin::action_links( array( 'deactivate' => '<a href="plugins.php?action=deactivate">Deactivate</a>' ) );
		$this->assertSame( array( 'settings', 'docs', 'deactivate' ), array_keys( $links ) );
		$this->assertSame( '<a href="https://shop.example/wp-admin/admin.php?page=wc-settings&amp;tab=advanced&amp;section=klarna_om">Settings</a>', $links['settings'] );
		$this->assertSame( '<a href="https://shop.example/wp-content/plugins/klarna-order-management/readme.txt">Docs</a>', $links['docs'] );
		$this->assertFileExists( self::DIR . '/readme.txt' );
		$this->assertSame( array( 'docs', 'deactivate' ), array_keys( Plugin::action_links( array( 'deactivate' => '' ), false ) ), 'no Settings link without the WooCommerce section' );
	}

	/**
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_with_a_supported_woocommerce_the_hooks_are_registered_and_the_row_gets_its_links(): void {
		$GLOBALS['klarna_om_test_hooks'] = array();
		Plugin::start( new NativeBridge( '/none', '/none', '/none' ), WC_VERSION );
		$this->assertArrayHasKey( 'woocommerce_before_order_object_save', $GLOBALS['klarna_om_test_hooks'] );
		$this->assertArrayHasKey( 'woocommerce_system_status_report', $GLOBALS['klarna_om_test_hooks'] );
		$this->assertArrayHasKey( 'site_status_tests', $GLOBALS['klarna_om_test_hooks'] );
		$links = apply_filters( 'plugin_action_links_klarna-order-management/klarna-order-management.php', array() );
		$this->assertSame( array( 'settings', 'docs' ), array_keys( $links ) );
		$this->assertNotNull( Plugin::instance() );
	}

	/**
	 * An older WooCommerce than the header's "WC requires at least": no order hooks, and one notice saying so.
	 *
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_an_older_woocommerce_gets_a_notice_instead_of_the_plugin(): void {
		$GLOBALS['klarna_om_test_hooks'] = array();
		Plugin::start( new NativeBridge( '/none', '/none', '/none' ), '8.1.2' );
		$this->assertArrayNotHasKey( 'woocommerce_before_order_object_save', $GLOBALS['klarna_om_test_hooks'] );
		$this->assertArrayNotHasKey( 'wc_klarna_payments_process_refund', $GLOBALS['klarna_om_test_hooks'] );
		$this->assertNull( Plugin::instance() );
		$this->assertSame( array( 'docs' ), array_keys( apply_filters( 'plugin_action_links_klarna-order-management/klarna-order-management.php', array() ) ) );

		$GLOBALS['klarna_om_test_user'] = array( 'id' => 3, 'caps' => array( 'manage_woocommerce' ) );
		ob_start();
		do_action( 'admin_notices' );
		$html = (string) ob_get_clean();
		$this->assertSame( 1, substr_count( $html, '<div class="notice notice-error">' ), 'one notice, even though the core is unavailable too' );
		$this->assertStringContainsString( 'Klarna Order Management needs WooCommerce 8.2 or later, and this site runs WooCommerce 8.1.2.', $html );
		$this->assertStringContainsString( 'Klarna is not told when you cancel, complete, edit or refund a Klarna order', $html );
		$this->assertStringContainsString( 'klarna_om_dismiss=woocommerce_outdated', $html, 'dismissible' );
		$GLOBALS['klarna_om_test_user'] = array( 'id' => 4, 'caps' => array( 'read' ) );
		ob_start();
		do_action( 'admin_notices' );
		$this->assertSame( '', ob_get_clean(), 'only for those who manage the shop' );

		foreach ( array( '8.2' => true, '8.2.0' => true, '10.0.2' => true, '8.1.9' => false ) as $version => $supported ) {
			$GLOBALS['klarna_om_test_hooks'] = array();
			Plugin::start( new NativeBridge( '/none', '/none', '/none' ), (string) $version );
			$this->assertSame( $supported, isset( $GLOBALS['klarna_om_test_hooks']['woocommerce_before_order_object_save'] ), (string) $version );
		}
	}

	/**
	 * Deleting the plugin: uninstall.php, run alone as WordPress runs it, removes the plugin's options, the users'
	 * dismissed notices and a bulk action's failures not shown yet, cancels its background retries, and nothing else: not order meta (Klarna's
	 * state included), not the gateways' or other plugins' options.
	 *
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_uninstall_removes_exactly_the_plugins_own_data(): void {
		$others = array(
			'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes' ),
			'woocommerce_kco_settings'             => array( 'testmode' => 'no' ),
			'kom_settings'                         => array( 'kom_debug_log' => 'yes' ),
			'kp_unavailable_feature_ids'           => array(),
			'woocommerce_currency'                 => 'EUR',
		);
		$GLOBALS['klarna_om_test_options'] = $others + array( 'klarna_om_settings' => array( 'take_over' => 'yes' ), 'klarna_om_debug' => 'yes' );
		$GLOBALS['klarna_om_test_user_meta'] = array(
			1 => array( AdminNotice::DISMISSED => array( 'sandbox' ), 'locale' => 'vi' ),
			2 => array( AdminNotice::DISMISSED => array( 'unavailable', 'coexistence' ), KlarnaOM\RequestOutcomes::BULK_META => array( array( 'order_id' => 970 ) ) ),
		);
		$order = OrderFactory::hoodies( 970, 'k-970', 2, 'klarna_payments', 'completed' );
		$order->meta += array( '_wc_klarna_capture_id' => 'cap-1', '_klarna_om_ledger' => '{"capture":{"answered":1}}', '_klarna_om_refund_id_77' => 'r-1', '_klarna_om_state' => '{"status":"CAPTURED"}' );
		$meta = $order->meta;
		as_schedule_single_action( time() + 60, 'klarna_om_retry', array( 970, 'capture', 1 ), 'klarna-order-management' );
		as_schedule_single_action( time() + 60, 'another_plugins_hook', array( 970 ) );

		define( 'WP_UNINSTALL_PLUGIN', 'klarna-order-management/klarna-order-management.php' );
		require self::DIR . '/uninstall.php';

		$this->assertSame( $others, $GLOBALS['klarna_om_test_options'] );
		$this->assertSame( array( 1 => array( 'locale' => 'vi' ), 2 => array() ), $GLOBALS['klarna_om_test_user_meta'] );
		$this->assertSame( $meta, wc_get_order( 970 )->meta, 'order meta stays' );
		$this->assertSame( array( 'canceled', 'pending' ), array_column( $GLOBALS['klarna_om_test_actions'], 'status' ), 'its background retries are cancelled, nothing else' );
	}
}
