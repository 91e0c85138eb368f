<?php
use KlarnaOM\Logger;
use KlarnaOM\MoneyFormat;
use KlarnaOM\ResponseApplier;
use KlarnaOM\Settings;
use KlarnaOM\SnapshotBuilder;
use PHPUnit\Framework\TestCase;

/**
 * Issue 14, part 1: the response's `state` is kept with the order (`_klarna_om_state`) and sent back as
 * `order.meta.state`; the request carries the shop's money `format`; the box writes amounts by the same rules.
 */
final class StateAndFormatTest extends TestCase {
	protected function setUp(): void {
		$GLOBALS['klarna_om_test_hooks']   = array();
		$GLOBALS['klarna_om_test_log']     = array();
		$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 's' ) );
	}

	private static function request( WC_Order $order ): array {
		return ( new SnapshotBuilder( new Settings() ) )->request( $order );
	}

	public function test_the_state_a_response_brings_is_stored_and_sent_back_as_it_came(): void {
		$order = OrderFactory::hoodies( 701, 'k-701' );
		$state = array( 'source' => 'read', 'status' => 'PART_CAPTURED', 'authorized' => 10500, 'captures' => array( array( 'id' => 'c/1', 'amount' => 5000, 'shipping_info' => array() ) ), 'refunds' => array(), 'portal_url' => 'https://portal.example/ö' );
		( new ResponseApplier( new Logger() ) )->apply( $order, array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'captured', 'success' => true, 'state' => $state ) );
		$this->assertSame( '{"source":"read","status":"PART_CAPTURED","authorized":10500,"captures":[{"id":"c/1","amount":5000,"shipping_info":[]}],"refunds":[],"portal_url":"https://portal.example/ö"}', $order->get_meta( '_klarna_om_state' ), 'JSON without backslashes: WordPress unslashes post meta' );
		$sent = json_encode( self::request( $order )['order']['meta']['state'], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		$this->assertSame( $order->get_meta( '_klarna_om_state' ), $sent, 'sent back exactly as stored: lists stay lists' );

		( new ResponseApplier( new Logger() ) )->apply( $order, array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'capture_failed', 'success' => false ) );
		$this->assertStringContainsString( '"PART_CAPTURED"', $order->get_meta( '_klarna_om_state' ), 'an answer without state leaves the stored one' );
	}

	public function test_no_state_is_left_out_and_an_unreadable_one_is_logged_and_not_sent(): void {
		$order = OrderFactory::hoodies( 702, 'k-702' );
		$this->assertArrayNotHasKey( 'meta', self::request( $order )['order'] );
		$order->meta['_klarna_om_state'] = '["not an object"]';
		$this->assertArrayNotHasKey( 'meta', self::request( $order )['order'] );
		$this->assertSame( 'stored Klarna state is unreadable; not sent', $GLOBALS['klarna_om_test_log'][0][1] );
	}

	public static function formats(): array {
		return array(
			'WooCommerce defaults, EUR'      => array( array(), 'EUR', array( 'symbol' => '€', 'position' => 'left', 'decimal_separator' => '.', 'thousand_separator' => ',', 'decimals' => 2 ) ),
			'Swedish shop: kr, 0 decimals'   => array( array( 'woocommerce_currency_pos' => 'right_space', 'woocommerce_price_decimal_sep' => ',', 'woocommerce_price_thousand_sep' => ' ', 'woocommerce_price_num_decimals' => '0' ), 'SEK', array( 'symbol' => 'kr', 'position' => 'right_space', 'decimal_separator' => ',', 'thousand_separator' => ' ', 'decimals' => 0 ) ),
			'Vietnamese shop: ₫'             => array( array( 'woocommerce_currency_pos' => 'right', 'woocommerce_price_decimal_sep' => ',', 'woocommerce_price_thousand_sep' => '.', 'woocommerce_price_num_decimals' => '0' ), 'VND', array( 'symbol' => '₫', 'position' => 'right', 'decimal_separator' => ',', 'thousand_separator' => '.', 'decimals' => 0 ) ),
			'an unknown position is left'    => array( array( 'woocommerce_currency_pos' => 'middle', 'woocommerce_price_decimal_sep' => '' ), 'USD', array( 'symbol' => '$', 'position' => 'left', 'decimal_separator' => '.', 'thousand_separator' => ',', 'decimals' => 2 ) ),
		);
	}

	/** @dataProvider formats */
	public function test_the_request_carries_the_shops_money_format( array $options, string $currency, array $expected ): void {
		$GLOBALS['klarna_om_test_options'] += $options;
		$order = new WC_Order( array( 'id' => 703, 'currency' => $currency, 'payment_method' => 'klarna_payments', 'billing_country' => 'SE' ) );
		$this->assertSame( $expected, self::request( $order )['format'] );
	}

	public static function amounts(): array {
		$eur  = array( 'symbol' => '€', 'position' => 'left', 'decimal_separator' => '.', 'thousand_separator' => ',', 'decimals' => 2 );
		$sek0 = array( 'symbol' => 'kr', 'position' => 'right_space', 'decimal_separator' => ',', 'thousand_separator' => ' ', 'decimals' => 0 );
		return array(
			'EUR'                                      => array( 10500, 'EUR', $eur, '€105.00' ),
			'a minus sign before the symbol'           => array( -1000, 'EUR', $eur, '-€10.00' ),
			'thousands'                                => array( 123456789, 'EUR', $eur, '€1,234,567.89' ),
			'cents'                                    => array( 7, 'EUR', $eur, '€0.07' ),
			'kr at 0 decimals: 99.99 rounds up'        => array( 9999, 'SEK', $sek0, "100\u{a0}kr" ),
			'kr at 0 decimals: 1,234.49 rounds down'   => array( 123449, 'SEK', $sek0, "1 234\u{a0}kr" ),
			'half away from zero, as number_format'    => array( -150, 'SEK', $sek0, "-2\u{a0}kr" ),
			'JPY has no minor unit'                    => array( 1234, 'JPY', array( 'decimals' => 0 ) + $eur, '€1,234' ),
			'JPY shown with the shop\'s 2 decimals'    => array( 1234, 'JPY', $eur, '€1,234.00' ),
			'KWD has 3 decimals, the shop shows 2'     => array( 1235, 'KWD', $eur, '€1.24' ),
			'a multi-byte separator'                   => array( 123456, 'EUR', array( 'thousand_separator' => "\u{202f}" ) + $eur, "€1\u{202f}234.56" ),
			'beyond what a float holds'                => array( 9007199254740993, 'EUR', $eur, '€90,071,992,547,409.93' ),
		);
	}

	/** @dataProvider amounts */
	public function test_amounts_are_written_as_wc_price_writes_them_without_a_float( int $minor, string $currency, array $format, string $expected ): void {
		$this->assertSame( $expected, MoneyFormat::text( $minor, $currency, $format ) );
	}

	public function test_the_state_may_name_the_exponent_itself(): void {
		$eur = array( 'symbol' => 'X', 'position' => 'left_space', 'decimal_separator' => '.', 'thousand_separator' => ',', 'decimals' => 2 );
		$this->assertSame( "X\u{a0}1.23", MoneyFormat::text( 1234, 'XTS', $eur, 3 ) );
	}

	/** The exponents the box uses are the core's (data/iso4217.tsv, from which Sources/OMCore/ISO4217.swift is made). */
	public function test_the_exponent_table_is_the_cores(): void {
		$file = __DIR__ . '/../../../data/iso4217.tsv';
		if ( ! is_file( $file ) ) {
			$this->markTestSkipped( 'data/iso4217.tsv is not beside the plugin (an installed copy)' );
		}
		$other = array();
		foreach ( file( $file, FILE_IGNORE_NEW_LINES ) as $line ) {
			if ( preg_match( '/^([A-Z]{3})\t(\d+)$/', $line, $match ) && '2' !== $match[2] ) {
				$other[ $match[1] ] = (int) $match[2];
			}
		}
		$this->assertSame( $other, MoneyFormat::exponents() );
	}
}
