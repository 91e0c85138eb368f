<?php
use KlarnaOM\Settings;
use PHPUnit\Framework\TestCase;

/** The optional settings section: empty means "as the gateway is set up"; filled in, it overrides. */
final class SettingsSectionTest extends TestCase {
	public function test_the_section_is_offered_under_advanced_with_its_fields(): void {
		$this->assertArrayHasKey( 'klarna_om', KlarnaOM\SettingsSection::sections( array() ) );
		$ids = array_column( KlarnaOM\SettingsSection::fields( array(), 'klarna_om' ), 'id' );
		$this->assertContains( 'klarna_om_settings[username]', $ids );
		$this->assertContains( 'klarna_om_debug', $ids );
		$this->assertSame( array( 'other' ), KlarnaOM\SettingsSection::fields( array( 'other' ), 'other_section' ) );
	}

	public function test_empty_fields_keep_the_gateways_values_and_filled_ones_override(): void {
		$GLOBALS['klarna_om_test_options'] = array(
			'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 's' ),
			'klarna_om_settings'                   => array( 'username' => '', 'password' => '', 'environment' => '' ),
		);
		$order = new WC_Order( array( 'id' => 950, 'payment_method' => 'klarna_payments', 'billing_country' => 'SE' ) );
		$this->assertSame( array( 'playground', 'PK_se' ), array_values( array_intersect_key( ( new Settings() )->config( $order ), array_flip( array( 'environment', 'username' ) ) ) ) );
		$GLOBALS['klarna_om_test_options']['klarna_om_settings'] = array( 'username' => 'override', 'password' => 'p', 'environment' => 'production' );
		$config = ( new Settings() )->config( $order );
		$this->assertSame( array( 'production', 'override' ), array( $config['environment'], $config['username'] ) );
	}
}
