<?php
use KlarnaOM\Logger;
use KlarnaOM\OrderBox;
use PHPUnit\Framework\TestCase;

/**
 * The order screen's Klarna box is drawn from what is stored on the order alone: a page view asks the core nothing
 * (the ScriptedCore wired behind the plugin's hooks records every call, and must record none).
 */
final class OrderBoxTest extends TestCase {
	private ScriptedCore $core;

	protected function setUp(): void {
		$GLOBALS['klarna_om_test_options']    = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 's' ) );
		$GLOBALS['klarna_om_test_meta_boxes'] = array();
		$GLOBALS['klarna_om_test_hpos']       = true;
		$GLOBALS['klarna_om_test_user']       = array( 'id' => 7, 'caps' => array( 'edit_shop_orders' ) );
		$this->core                           = new ScriptedCore( array() );
		Shop::wire( $this->core );
	}

	protected function tearDown(): void {
		$this->assertSame( array(), $this->core->calls, 'a page view never calls the core' );
	}

	/** Klarna's state as a response returns it: captured in two shipments (the second with tracking), one refund. */
	public static function state( array $overrides = array() ): array {
		return $overrides + array(
			'source' => 'read', 'read_at' => '2026-03-02T09:15:00Z', 'klarna_order_id' => 'b0a9e2f6-0c2c-4e5a-9f51-3f6a1d2c7e10',
			'environment' => 'playground', 'region' => 'eu', 'status' => 'PART_CAPTURED', 'fraud_status' => 'ACCEPTED',
			'currency' => 'EUR', 'authorized' => 123456, 'captured' => 100000, 'refunded' => 2500, 'remaining' => 23456,
			'captures' => array(
				array( 'id' => 'cap-1', 'amount' => 60000, 'captured_at' => '2026-03-01T10:00:00Z', 'shipping_info' => array() ),
				array( 'id' => 'cap-2', 'amount' => 40000, 'captured_at' => '2026-03-02T09:00:00Z', 'shipping_info' => array( array( 'shipping_company' => 'PostNord', 'tracking_number' => 'PN123', 'tracking_uri' => 'https://track.example/PN123' ) ) ),
			),
			'refunds' => array( array( 'id' => 'ref-1', 'amount' => 2500, 'refunded_at' => '2026-03-02T09:10:00Z' ) ),
			'expires_at' => gmdate( 'Y-m-d\TH:i:s\Z', time() + 40 * 86400 ),
			'portal_url' => 'https://portal.playground.klarna.com/orders',
		);
	}

	private static function order( int $id, ?array $state, string $gateway = 'klarna_payments' ): WC_Order {
		$order = OrderFactory::hoodies( $id, "k-$id", 2, $gateway );
		if ( null !== $state ) {
			$order->meta['_klarna_om_state'] = json_encode( $state, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		}
		return $order;
	}

	private static function box(): OrderBox {
		return new OrderBox( new Logger() );
	}

	public function test_the_box_shows_klarnas_side_as_the_shop_writes_money(): void {
		$GLOBALS['klarna_om_test_options'] += array( 'woocommerce_currency_pos' => 'right_space', 'woocommerce_price_decimal_sep' => ',', 'woocommerce_price_thousand_sep' => '.' );
		$order = self::order( 601, self::state() );
		$order->meta['_klarna_om_outcomes'] = array( 'capture' => array( 'outcome' => 'captured', 'success' => true, 'note' => 'Klarna captured 400,00 € (capture id cap-2).', 'at' => 1 ) );
		$text  = self::box()->text( $order );
		foreach ( array(
			'Environment: playground (eu)',
			'Klarna order: b0a9e2f6-0c2c-4e5a-9f51-3f6a1d2c7e10',
			'Status at Klarna: PART_CAPTURED / ACCEPTED',
			"Authorized: 1.234,56\u{a0}€",
			"Captured: 1.000,00\u{a0}€",
			"Refunded: 25,00\u{a0}€",
			"Remaining authorized: 234,56\u{a0}€",
			"Captures: cap-1 600,00\u{a0}€ 2026-03-01 10:00",
			"Captures: cap-2 400,00\u{a0}€ 2026-03-02 09:00 (PostNord PN123 <https://track.example/PN123>)",
			"Refunds: ref-1 25,00\u{a0}€ 2026-03-02 09:10",
			'Read from Klarna: 2026-03-02 09:15',
			'Last operation: capture: Klarna captured 400,00 € (capture id cap-2).',
			"Open in Klarna's Merchant Portal: https://portal.playground.klarna.com/orders",
		) as $line ) {
			$this->assertStringContainsString( $line, $text );
		}
		$this->assertStringNotContainsString( 'expires on', $text, 'no warning 40 days ahead' );
		$this->assertStringContainsString( '[Refresh from Klarna] [Klarna: capture what remains] [Klarna: capture the selected items (one shipment)] [Klarna: release the remaining authorization] [Klarna: extend the authorization time]', $text );
	}

	public function test_an_authorization_expiring_within_seven_days_is_a_warning(): void {
		$soon = time() + 3 * 86400;
		$text = self::box()->text( self::order( 602, self::state( array( 'expires_at' => gmdate( 'Y-m-d\TH:i:s\Z', $soon ) ) ) ) );
		$this->assertStringContainsString( '[warning] The authorization expires on ' . gmdate( 'Y-m-d H:i', $soon ) . ': capture or extend it before then.', $text );
		$past = self::box()->text( self::order( 603, self::state( array( 'expires_at' => '2020-01-01T00:00:00Z' ) ) ) );
		$this->assertStringContainsString( '[error] The authorization expired on 2020-01-01 00:00', $past );
		$captured = self::box()->text( self::order( 604, self::state( array( 'status' => 'CAPTURED', 'remaining' => 0, 'expires_at' => gmdate( 'Y-m-d\TH:i:s\Z', $soon ) ) ) ) );
		$this->assertStringNotContainsString( 'expires on', $captured, 'nothing left to expire' );
		$this->assertStringContainsString( '[info] Klarna has captured the whole order. Set the order to Completed once everything has shipped', $captured );
		$this->assertStringNotContainsString( 'capture what remains', $captured );
	}

	public function test_without_a_stored_state_the_box_says_so_and_offers_refresh(): void {
		$order = self::order( 605, null );
		$this->assertSame( "[info] Klarna's side of this order has not been read yet. Refresh from Klarna to show it.\n[Refresh from Klarna]", self::box()->text( $order ) );
		$html = self::box()->content( $order );
		$this->assertStringContainsString( 'data-klarna-om-refresh="605" data-nonce="' . wp_create_nonce( 'klarna-om-order' ) . '"', $html );
		$order->meta['_klarna_om_state'] = '{"status":';
		$this->assertStringContainsString( 'has not been read yet', self::box()->text( $order ), 'an unreadable state is not shown' );
	}

	public function test_an_unknown_outcome_offers_a_retry_even_before_any_read(): void {
		$order = self::order( 606, null );
		$order->meta['_klarna_om_ledger'] = '{"capture":{"answered":0,"pending":"f00d"},"refund":{"answered":1,"pending":"beef"}}';
		$text = self::box()->text( $order );
		$this->assertStringContainsString( '[warning] The outcome of the last capture is unknown: retry it; Klarna will not act twice.', $text );
		$this->assertStringContainsString( '[warning] The outcome of the last refund is unknown: Klarna may have refunded. Refund again in WooCommerce to retry it', $text );
		$this->assertStringEndsWith( '[Refresh from Klarna] [Klarna: retry the capture whose outcome is unknown]', $text );
	}

	public function test_the_shipment_form_offers_the_items_and_shipment_trackings_number(): void {
		$order = self::order( 607, self::state( array( 'status' => 'AUTHORIZED', 'captured' => 0, 'captures' => array(), 'refunds' => array() ) ) );
		$order->meta['_wc_shipment_tracking_items'] = array(
			array( 'tracking_provider' => 'usps', 'custom_tracking_provider' => '', 'custom_tracking_link' => '', 'tracking_number' => 'OLD1', 'date_shipped' => 1, 'tracking_id' => 'a' ),
			array( 'tracking_provider' => '', 'custom_tracking_provider' => 'Viettel Post', 'custom_tracking_link' => 'https://viettelpost.example/t/VT9', 'tracking_number' => 'VT9', 'date_shipped' => 2, 'tracking_id' => 'b' ),
		);
		$html = self::box()->content( $order );
		$this->assertStringContainsString( 'Hoodie × <input type="number" name="klarna_om_shipment[items][11]" value="0" min="0" max="2" step="1"', $html );
		$this->assertStringContainsString( '<input type="checkbox" name="klarna_om_shipment[shipping]" value="1" checked>', $html, 'shipping goes with the first shipment' );
		$this->assertStringContainsString( 'name="klarna_om_shipment[shipping_company]" value="Viettel Post"', $html );
		$this->assertStringContainsString( 'name="klarna_om_shipment[tracking_number]" value="VT9"', $html );
		$this->assertStringContainsString( 'name="klarna_om_shipment[tracking_uri]" value="https://viettelpost.example/t/VT9"', $html );
		$this->assertStringContainsString( 'Tracking from WooCommerce Shipment Tracking.', $html );
		$this->assertStringContainsString( '<button type="button" class="button" data-klarna-om-action="klarna_om_capture_shipment">', $html, 'a plain button: Enter elsewhere never submits it' );
		$this->assertStringContainsString( 'data-klarna-om-action="klarna_om_cancel"', $html, 'cancel while nothing is captured' );
		$later = self::box()->content( self::order( 608, self::state() ) );
		$this->assertStringContainsString( '<input type="checkbox" name="klarna_om_shipment[shipping]" value="1">', $later, 'not after the first capture' );
		$this->assertStringNotContainsString( 'klarna_om_cancel', $later );
	}

	public function test_what_klarna_and_notes_hold_is_escaped(): void {
		$order = self::order( 609, self::state( array( 'klarna_order_id' => '<script>x</script>', 'portal_url' => 'javascript:alert(1)' ) ) );
		$order->meta['_klarna_om_outcomes'] = array( 'capture' => array( 'outcome' => 'capture_refused', 'success' => false, 'note' => 'Klarna said "<b>no</b>"', 'at' => 1 ) );
		$html = self::box()->content( $order );
		$this->assertStringNotContainsString( '<script>x', $html );
		$this->assertStringContainsString( '&lt;script&gt;x&lt;/script&gt;', $html );
		$this->assertStringContainsString( 'Klarna said &quot;&lt;b&gt;no&lt;/b&gt;&quot;', $html );
		$this->assertStringNotContainsString( 'javascript:', $html, 'only http(s) portal links' );
	}

	public static function storages(): array {
		return array( 'HPOS: the order itself' => array( true ), 'posts: its WP_Post' => array( false ) );
	}

	/**
	 * @dataProvider storages
	 */
	public function test_the_box_is_added_to_klarna_orders_on_either_storages_screen( bool $hpos ): void {
		$GLOBALS['klarna_om_test_hpos'] = $hpos;
		$order  = self::order( 610, self::state() );
		$screen = wc_get_page_screen_id( 'shop-order' );
		do_action( 'add_meta_boxes', $screen, $hpos ? $order : new WP_Post( 610 ) );
		$this->assertSame( array( 'klarna-om' ), array_keys( $GLOBALS['klarna_om_test_meta_boxes'] ) );
		$box = $GLOBALS['klarna_om_test_meta_boxes']['klarna-om'];
		$this->assertSame( array( 'Klarna', $screen, 'side', 'high' ), array( $box['title'], $box['screen'], $box['context'], $box['priority'] ) );
		ob_start();
		( $box['callback'] )( $hpos ? $order : new WP_Post( 610 ) );
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( 'b0a9e2f6-0c2c-4e5a-9f51-3f6a1d2c7e10', $html );

		$GLOBALS['klarna_om_test_meta_boxes'] = array();
		$other = self::order( 611, self::state(), 'bacs' );
		do_action( 'add_meta_boxes', $screen, $hpos ? $other : new WP_Post( 611 ) );
		do_action( 'add_meta_boxes', 'product', $hpos ? $order : new WP_Post( 610 ) );
		$this->assertSame( array(), $GLOBALS['klarna_om_test_meta_boxes'], 'Klarna orders on the order screen only' );
	}
}
