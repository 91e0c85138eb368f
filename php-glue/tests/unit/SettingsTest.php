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
}

