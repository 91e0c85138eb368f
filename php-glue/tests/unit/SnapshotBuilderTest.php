<?php
use KlarnaOM\Settings;
use KlarnaOM\SnapshotBuilder;
use PHPUnit\Framework\TestCase;

/** The order snapshot: WooCommerce's own decimal strings and tax data, through CRUD getters only. */
final class SnapshotBuilderTest extends TestCase {
	protected function setUp(): void {
		$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 'secret&amp;1' ) );
	}

	public function test_the_snapshot_carries_woocommerces_amounts_and_tax_rates(): void {
		$order    = OrderFactory::hoodies( 1, 'klarna-1' );
		$snapshot = ( new SnapshotBuilder( new Settings() ) )->order( $order, array( 'from' => 'processing', 'to' => 'completed' ) );
		$this->assertSame( '105.00', $snapshot['totals']['total'] );
		$this->assertSame( '21.00', $snapshot['totals']['total_tax'] );
		$this->assertSame( 'HOODIE-M', $snapshot['items'][0]['sku'] );
		$this->assertSame( array( array( 'rate_id' => 1, 'percent' => '25', 'amount' => '20.00', 'subtotal_amount' => '20.00' ) ), $snapshot['items'][0]['taxes'] );
		$this->assertSame( 'flat_rate', $snapshot['shipping_lines'][0]['method_id'] );
		$this->assertSame( array( 'order_id' => 'klarna-1', 'purchase_country' => 'SE' ), $snapshot['klarna'] );
		$this->assertSame( array( 'from' => 'processing', 'to' => 'completed' ), $snapshot['transition'] );
		$this->assertArrayNotHasKey( 'meta', $snapshot, 'an empty object is left out, never sent as []' );
	}

	public function test_stored_meta_under_the_existing_plugins_keys(): void {
		$order = OrderFactory::hoodies( 2, 'klarna-2' );
		$order->meta['_wc_klarna_capture_id'] = 'cap-1';
		$order->meta['_kom_disconnect']       = 'yes';
		$snapshot = ( new SnapshotBuilder( new Settings() ) )->order( $order );
		$this->assertSame( array( 'capture_ids' => array( 'cap-1' ), 'disconnected' => true ), $snapshot['meta'] );
	}

	public function test_amounts_never_pass_through_a_float_when_stored_as_strings(): void {
		$this->assertSame( '0.1', SnapshotBuilder::amount( '0.1' ) );
		$this->assertSame( '19.995', SnapshotBuilder::amount( '19.995' ) );
		$this->assertSame( '-4.00', SnapshotBuilder::amount( '-4.00' ) );
		$this->assertSame( '9007199254740993.01', SnapshotBuilder::amount( '9007199254740993.01' ), 'beyond what a float holds' );
		$this->assertSame( '1,234.50', SnapshotBuilder::amount( '1,234.50' ), 'not a decimal: the core refuses it by its field, the plugin does not guess 1' );
		$this->assertSame( '0', SnapshotBuilder::amount( '' ) );
		$this->assertSame( '0', SnapshotBuilder::amount( null ) );
	}

	public function test_a_float_or_int_is_written_with_the_digits_it_holds(): void {
		$this->assertSame( '12.5', SnapshotBuilder::amount( 12.5 ) );
		$this->assertSame( '25', SnapshotBuilder::amount( 25.0 ), 'tax rate percents are stored as floats' );
		$this->assertSame( '0.07', SnapshotBuilder::amount( (float) '0.07' ), 'a float read from a decimal string gives that decimal back' );
		$this->assertSame( '1234567.891', SnapshotBuilder::amount( (float) '1234567.891' ) );
		$this->assertSame( '0.30000000000000004', SnapshotBuilder::amount( 0.1 + 0.2 ), 'arithmetic shows, and the core refuses it, instead of a rounded amount nobody entered' );
		$this->assertSame( '100000000000000000000', SnapshotBuilder::amount( 1e20 ) );
		$this->assertSame( '0', SnapshotBuilder::amount( -0.0 ) );
		$this->assertSame( '105', SnapshotBuilder::amount( 105 ) );
	}

	public function test_the_refund_being_made_is_matched_to_the_original_item(): void {
		$order  = OrderFactory::hoodies( 3, 'klarna-3' );
		$refund = OrderFactory::refund_one_hoodie( $order );
		$data   = ( new SnapshotBuilder( new Settings() ) )->refund( $refund );
		$this->assertSame( 77, $data['id'] );
		$this->assertSame( '50.00', $data['amount'] );
		$this->assertSame( array( array( 'item_id' => 11, 'quantity' => -1, 'total' => '-40.00', 'total_tax' => '-10.00' ) ), $data['items'] );
		$this->assertArrayNotHasKey( 'previously_refunded', $data, 'superseded by order.refunds: the plugin adds up nothing' );
	}

	public function test_every_refund_of_the_order_is_listed_as_stored_made_positive_by_its_sign(): void {
		$order = OrderFactory::hoodies( 5, 'klarna-5' );
		$this->assertSame( array(), ( new SnapshotBuilder( new Settings() ) )->order( $order )['refunds'] );
		$paid = new WC_Order_Refund( array( 'id' => 81, 'parent_id' => 5, 'amount' => '9007199254740993.01', 'refunded_payment' => true ) );
		$by_hand = new WC_Order_Refund( array( 'id' => 82, 'parent_id' => 5, 'amount' => '-0.80' ) );
		$order->refunds = array( $paid, $by_hand );
		$this->assertSame(
			array(
				array( 'id' => 81, 'amount' => '9007199254740993.01', 'refunded_payment' => true ),
				array( 'id' => 82, 'amount' => '0.80', 'refunded_payment' => false ),
			),
			( new SnapshotBuilder( new Settings() ) )->order( $order )['refunds']
		);
	}

	/**
	 * Both gift-card extensions' redemptions become `gift_cards` entries with the amounts they stored: PW WooCommerce
	 * Gift Cards' decimal string as it is, WooCommerce Gift Cards' float as WooCommerce writes money (the shop's
	 * decimals).
	 */
	public function test_gift_cards_of_both_extensions_are_sent_with_their_exact_amounts(): void {
		$order = OrderFactory::hoodies( 6, 'klarna-6' );
		OrderFactory::with_gift_card( $order, new WC_Order_Item_PW_Gift_Card( array( 'id' => 30, 'card_number' => 'PWGC-ABCD-1234', 'amount' => '20.00' ) ), '85.00' );
		OrderFactory::with_gift_card( $order, new WC_GC_Order_Item_Gift_Card( array( 'id' => 31, 'code' => 'WCGC-7Q2M-XK4P', 'amount' => '15.5' ) ), '69.50' );
		$this->assertSame(
			array(
				array( 'kind' => 'gift_card', 'code' => 'PWGC-ABCD-1234', 'amount' => '20.00' ),
				array( 'kind' => 'gift_card', 'code' => 'WCGC-7Q2M-XK4P', 'amount' => '15.50' ),
			),
			( new SnapshotBuilder( new Settings() ) )->order( $order )['gift_cards']
		);
		$this->assertSame( '69.50', ( new SnapshotBuilder( new Settings() ) )->order( $order )['totals']['total'], 'the total as stored, the cards already deducted' );
	}

	/** The existing plugin's filter `klarna_pw_gift_card_sku` still names a PW gift card's line (and only PW's). */
	public function test_a_shop_that_hooks_klarna_pw_gift_card_sku_keeps_its_reference(): void {
		$GLOBALS['klarna_om_test_hooks'] = array();
		$order = OrderFactory::hoodies( 9, 'klarna-9' );
		OrderFactory::with_gift_card( $order, new WC_Order_Item_PW_Gift_Card( array( 'id' => 34, 'card_number' => 'PWGC-1', 'amount' => '20.00' ) ), '85.00' );
		OrderFactory::with_gift_card( $order, new WC_GC_Order_Item_Gift_Card( array( 'id' => 35, 'code' => 'WCGC-1', 'amount' => '5.00' ) ), '80.00' );
		add_filter( 'klarna_pw_gift_card_sku', static fn ( $default, $code ) => "$default:$code", 10, 2 );
		$cards = ( new SnapshotBuilder( new Settings() ) )->order( $order )['gift_cards'];
		$GLOBALS['klarna_om_test_hooks'] = array();
		$this->assertSame( array( 'gift_card:PWGC-1', null ), array( $cards[0]['reference'] ?? null, $cards[1]['reference'] ?? null ) );
	}

	public function test_a_gift_card_float_is_written_as_woocommerce_rounds_money_never_with_float_residue(): void {
		$order = OrderFactory::hoodies( 7, 'klarna-7' );
		// A float left by arithmetic (a prop set without the extension's wc_format_decimal() setter): 0.30000000000000004.
		OrderFactory::with_gift_card( $order, new WC_GC_Order_Item_Gift_Card( array( 'id' => 32, 'code' => 'WCGC-1', 'amount' => 0.1 + 0.2 ) ), '104.70' );
		$this->assertSame( '0.30', ( new SnapshotBuilder( new Settings() ) )->order( $order )['gift_cards'][0]['amount'] );
		$GLOBALS['klarna_om_test_options']['woocommerce_price_num_decimals'] = 3;
		$this->assertSame( '0.300', ( new SnapshotBuilder( new Settings() ) )->order( $order )['gift_cards'][0]['amount'], 'to the shop\'s price decimals' );
	}

	public function test_no_gift_card_extension_no_gift_cards_and_a_foreign_item_of_the_type_is_left_out(): void {
		$order = OrderFactory::hoodies( 8, 'klarna-8' );
		$this->assertSame( array(), ( new SnapshotBuilder( new Settings() ) )->order( $order )['gift_cards'] );
		// Another plugin's item under the type `gift_card`, without WooCommerce Gift Cards' getters: never guessed at.
		$order->items['gift_card'][] = new WC_Order_Item( array( 'id' => 33, 'name' => 'Voucher', 'amount' => '5.00' ) );
		$this->assertSame( array(), ( new SnapshotBuilder( new Settings() ) )->order( $order )['gift_cards'] );
	}

	public function test_the_request_is_valid_json_for_the_core(): void {
		$request = ( new SnapshotBuilder( new Settings() ) )->request( OrderFactory::hoodies( 4, 'klarna-4' ) );
		$json    = json_encode( $request, JSON_THROW_ON_ERROR );
		$this->assertStringContainsString( '"version":1', $json );
		$this->assertSame( 'secret&1', $request['config']['password'], 'WooCommerce stores the secret HTML-escaped' );
	}
}
