<?php
use KlarnaOM\Settings;
use PHPUnit\Framework\TestCase;

/** Credentials and environment, resolved as the existing plugin does, with the order's own environment first. */
final class SettingsTest extends TestCase {
	private function order( string $gateway, array $meta = array(), string $country = 'SE' ): WC_Order {
		$order = new WC_Order( array( 'id' => 900, 'payment_method' => $gateway, 'billing_country' => $country ) );
		$order->meta = $meta;
		return $order;
	}

	public function test_klarna_payments_uses_the_per_country_test_credentials(): void {
		$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 's' ) );
		$config = ( new Settings() )->config( $this->order( 'klarna_payments', array( '_wc_klarna_country' => 'SE' ) ) );
		$this->assertSame( array( 'playground', 'eu', 'PK_se' ), array( $config['environment'], $config['region'], $config['username'] ) );
	}

	public function test_the_orders_stored_environment_wins_over_the_current_setting(): void {
		$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_kco_settings' => array( 'testmode' => 'yes', 'merchant_id_eu' => 'live', 'shared_secret_eu' => 's', 'test_merchant_id_eu' => 'test', 'test_shared_secret_eu' => 's' ) );
		$config = ( new Settings() )->config( $this->order( 'kco', array( '_wc_klarna_environment' => 'live' ) ) );
		$this->assertSame( array( 'production', 'live' ), array( $config['environment'], $config['username'] ) );
	}

	public function test_per_order_credentials_come_first_and_regions_follow_the_country(): void {
		$GLOBALS['klarna_om_test_options'] = array();
		$config = ( new Settings() )->config( $this->order( 'kco', array( '_wc_klarna_merchant_id' => 'M123', '_wc_klarna_shared_secret' => 'kco_abc', '_wc_klarna_country' => 'US' ) ) );
		$this->assertSame( array( 'M123', 'na', 'kustom.co' ), array( $config['username'], $config['region'], $config['domain'] ) );
	}

	public function test_missing_credentials_give_no_config(): void {
		$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'no' ) );
		$this->assertNull( ( new Settings() )->config( $this->order( 'klarna_payments' ) ) );
	}

	public function test_the_operations_budget_ends_before_php_would_stop_the_request(): void {
		$this->assertSame( 20000, Settings::timeout_ms( 0, 100.0 ), 'no limit (the CLI, WP-CLI, cron): the default' );
		$this->assertSame( 20000, Settings::timeout_ms( 30, 1.0 ), "PHP's default 30 s leaves more than enough" );
		$this->assertSame( 13000, Settings::timeout_ms( 20, 2.0 ), '20 s - 2 s elapsed - 5 s for saving the answer' );
		$this->assertSame( 5000, Settings::timeout_ms( 10, 1.0 ), 'never below the floor' );
		$this->assertSame( 5000, Settings::timeout_ms( 5, 9.0 ), 'even past the limit' );
		$config = ( new Settings() )->config( $this->order( 'kco', array( '_wc_klarna_merchant_id' => 'M1', '_wc_klarna_shared_secret' => 's' ) ) );
		$this->assertSame( Settings::timeout_ms( (int) ini_get( 'max_execution_time' ), 0.0 ), $config['timeout_ms'] );
		$this->assertArrayNotHasKey( 'proxy', $config, "without WordPress's proxy constants no proxy is sent" );
	}

	/**
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_wordpresss_proxy_is_passed_with_its_credentials_and_never_reaches_a_note_or_log(): void {
		$GLOBALS['klarna_om_test_options'] = array();
		define( 'WP_PROXY_HOST', 'proxy.example' );
		$order = $this->order( 'kco', array( '_wc_klarna_merchant_id' => 'M1', '_wc_klarna_shared_secret' => 's' ) );
		$this->assertArrayNotHasKey( 'proxy', ( new Settings() )->config( $order ), 'WordPress needs the port as well' );
		define( 'WP_PROXY_PORT', '3128' );
		$this->assertSame( 'http://proxy.example:3128', ( new Settings() )->config( $order )['proxy'] );
		define( 'WP_PROXY_USERNAME', 'shop@example' );
		define( 'WP_PROXY_PASSWORD', 'p:ss/w@rd' );
		$this->assertSame( 'http://shop%40example:p%3Ass%2Fw%40rd@proxy.example:3128', ( new Settings() )->config( $order )['proxy'] );

		$GLOBALS['klarna_om_test_log'] = array();
		Shop::wire( new ScriptedCore( array( 'capture' => new KlarnaOM\NativeUnavailable( 'library missing' ) ) ) );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertStringNotContainsString( 'w@rd', json_encode( array( $GLOBALS['klarna_om_test_log'], $order->notes ) ) );
	}

	public function test_a_proxy_host_keeps_its_scheme_and_an_ipv6_address_its_brackets(): void {
		$this->assertSame( 'https://proxy.example:8443', Settings::proxy_url( 'https://proxy.example', '8443', null, null ) );
		$this->assertSame( 'http://[2001:db8::1]:3128', Settings::proxy_url( '2001:db8::1', '3128', null, null ) );
		$this->assertSame( 'http://proxy.example:3128', Settings::proxy_url( 'proxy.example', '3128', 'only-a-user', null ), 'WordPress uses credentials only as a pair' );
	}
}
