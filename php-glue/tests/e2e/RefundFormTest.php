<?php
use PHPUnit\Framework\TestCase;

/**
 * Issue 11 through the plugin's classes: refunds made the way WooCommerce's admin refund form makes them. The form's
 * fields (`line_item_qtys`, `line_item_totals`, `line_item_tax_totals` per item and tax rate, as the page's
 * JavaScript posts them) and the typed `refund_amount` go through the doubles' `WC_AJAX::refund_line_items()` and
 * `wc_create_refund()`, which store the refund items as WooCommerce does (negated, as numbers without their zeros),
 * then the plugin's refund filter → the real core (PHP FFI or the executable) → the Klarna sandbox. Every test runs
 * once per mode.
 *
 * At the sandbox: each refund's amount is WooCommerce's refund amount, its lines add up to it, and Klarna's refunded
 * total is WooCommerce's; the order note says how the refund went out (`refunded`, `refunded_with_rest`,
 * `refunded_amount_only`).
 */
final class RefundFormTest extends TestCase {
	use SandboxShop;

	/** Completed in WooCommerce: captured at Klarna through the plugin. */
	private function complete( WC_Order $order, string $klarna_id ): void {
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( array( 'completed', 'CAPTURED' ), array( $order->get_status(), self::control( 'GET', "/orders/$klarna_id" )['status'] ), implode( "\n", $order->notes ) );
		$this->codes = array();
	}

	/**
	 * The merchant fills the refund form and clicks "Refund … via Klarna": the POST the order screen sends (slashed, as
	 * WordPress hands it to WC_AJAX), through WooCommerce's handler.
	 *
	 * @param array  $rows   Item id => what the merchant typed: `qty` (product rows only), `total`, `taxes` (rate id =>
	 *                       amount). Rows and fields not given are the form's empty inputs.
	 * @param string $amount The refund amount field.
	 */
	private static function refund_form( WC_Order $order, array $rows, string $amount, string $reason = '' ): array {
		$qtys   = array();
		$totals = array();
		$taxes  = array();
		$rates  = array_map( static fn ( $tax ) => $tax->get_rate_id(), $order->get_items( 'tax' ) );
		foreach ( array( 'line_item', 'fee', 'shipping' ) as $type ) {
			foreach ( $order->get_items( $type ) as $item ) {
				$row = $rows[ $item->get_id() ] ?? array();
				if ( '' !== ( $row['qty'] ?? '' ) ) {
					$qtys[] = sprintf( '"%d":"%s"', $item->get_id(), $row['qty'] );  // the input's value, a string
				}
				$totals[] = sprintf( '"%d":%s', $item->get_id(), self::js_number( $row['total'] ?? '' ) );
				$fields   = array_map( static fn ( $rate ) => sprintf( '"%d":%s', $rate, self::js_number( $row['taxes'][ $rate ] ?? '' ) ), $rates );
				$taxes[]  = sprintf( '"%d":{%s}', $item->get_id(), implode( ',', $fields ) );
			}
		}
		$_POST = wp_slash(
			array(
				'order_id'               => (string) $order->get_id(),
				'refund_amount'          => $amount,
				'refunded_amount'        => (string) $order->get_total_refunded(),  // the page's hidden field
				'refund_reason'          => $reason,
				'line_item_qtys'         => '{' . implode( ',', $qtys ) . '}',
				'line_item_totals'       => '{' . implode( ',', $totals ) . '}',
				'line_item_tax_totals'   => '{' . implode( ',', $taxes ) . '}',
				'api_refund'             => 'true',
				'restock_refunded_items' => 'false',
			)
		);
		try {
			return WC_AJAX::refund_line_items();
		} finally {
			$_POST = array();
		}
	}

	/**
	 * A typed amount as the page's JavaScript posts it: accounting.unformat() makes it a number, JSON.stringify()
	 * writes its shortest form ("2.40" → 2.4, "80.00" → 80, an empty input → 0). Done on the text, without a float.
	 */
	private static function js_number( string $typed ): string {
		$text = str_contains( $typed, '.' ) ? rtrim( rtrim( $typed, '0' ), '.' ) : $typed;
		return in_array( $text, array( '', '-', '-0' ), true ) ? '0' : $text;
	}

	/** A decimal string with at most two decimals in minor units, by its digits. */
	private static function minor( string $amount ): int {
		[ $units, $cents ] = array_pad( explode( '.', ltrim( $amount, '-' ) ), 2, '' );
		return ( str_starts_with( $amount, '-' ) ? -1 : 1 ) * (int) ( $units . str_pad( $cents, 2, '0' ) );
	}

	/**
	 * Klarna and WooCommerce agree: one Klarna refund per WooCommerce refund, of WooCommerce's amount, its lines (when
	 * it has any) adding up to it, its id stored on the order; Klarna's refunded total is WooCommerce's.
	 *
	 * @return array Klarna's order.
	 */
	private function assert_klarna_matches_woocommerce( WC_Order $order, string $klarna_id ): array {
		$klarna  = self::control( 'GET', "/orders/$klarna_id" );
		$refunds = $order->get_refunds();
		$this->assertCount( count( $refunds ), $klarna['refunds'], implode( "\n", $order->notes ) );
		foreach ( array_values( $refunds ) as $index => $refund ) {
			$sent = $klarna['refunds'][ $index ];
			$this->assertSame( self::minor( $refund->get_amount() ), $sent['refunded_amount'], 'Klarna refunded WooCommerce\'s amount' );
			if ( array() !== $sent['order_lines'] ) {
				$this->assertSame( $sent['refunded_amount'], array_sum( array_column( $sent['order_lines'], 'total_amount' ) ), 'the lines add up' );
			}
			$this->assertSame( $sent['refund_id'], $order->get_meta( '_klarna_om_refund_id_' . $refund->get_id() ) );
			$this->assertTrue( $refund->get_refunded_payment() );
		}
		$this->assertSame( self::minor( wc_format_decimal( $order->get_total_refunded(), 2 ) ), $klarna['refunded_amount'], 'Klarna\'s refunded total is WooCommerce\'s' );
		return $klarna;
	}

	/** @dataProvider modes */
	public function test_an_order_with_a_negative_fee_refunded_in_full_through_its_lines( string $mode ): void {
		[ , $klarna_id, $id ] = $this->shop( $mode, array( 'order_amount' => 11016, 'order_lines' => array() ) );
		$order = OrderFactory::with_negative_fee( $id, $klarna_id );
		$this->complete( $order, $klarna_id );

		$answer = self::refund_form(
			$order,
			array(
				21 => array( 'qty' => '1', 'total' => '80.00', 'taxes' => array( 1 => '20.00' ) ),
				22 => array( 'qty' => '1', 'total' => '20.00', 'taxes' => array( 2 => '2.40' ) ),
				23 => array( 'total' => '-10.00', 'taxes' => array( 1 => '-2.00', 2 => '-0.24' ) ),
			),
			'110.16',
			'Returned'
		);
		$this->assertSame( array( 'success' => true, 'data' => array() ), $answer );
		$refund = $order->get_refunds()[0];
		$this->assertSame( array( '10', '2.24' ), array( $refund->get_items( 'fee' )[0]->get_total(), $refund->get_items( 'fee' )[0]->get_total_tax() ), 'WooCommerce stores the refunded discount negated' );
		$klarna = $this->assert_klarna_matches_woocommerce( $order, $klarna_id );
		$lines  = $klarna['refunds'][0]['order_lines'];
		$this->assertSame( array( 10000, 2240, -1224 ), array_column( $lines, 'total_amount' ) );
		$this->assertSame( 'discount', $lines[2]['type'], 'the fee comes back as a negative discount line' );
		$this->assertSame( 11016, $klarna['refunded_amount'] );
		$this->assertSame( 'refunded', $this->codes[0] );
		$this->assertNotEmpty( preg_grep( '/^Klarna refunded €110\.16 for order /', $order->notes ) );
		$this->assertSame( 'refunded', $order->get_status(), 'WooCommerce refunded all of it' );
	}

	/** @dataProvider modes */
	public function test_the_rest_with_every_line_filled_after_an_amount_only_refund( string $mode ): void {
		[ , $klarna_id, $id ] = $this->shop( $mode );
		$order = OrderFactory::hoodies( $id, $klarna_id );
		$this->complete( $order, $klarna_id );

		$this->assertTrue( self::refund_form( $order, array(), '30.00', 'Goodwill' )['success'] );
		$this->assertSame( array(), $order->get_refunds()[0]->get_items( 'line_item' ), 'an amount alone: no refund items' );
		$this->assertSame( array( 'refunded' ), $this->codes );
		$this->assertStringContainsString( 'Klarna refunded €30.00', end( $order->notes ) );

		$rest = self::refund_form(
			$order,
			array(
				11 => array( 'qty' => '2', 'total' => '80.00', 'taxes' => array( 1 => '20.00' ) ),
				12 => array( 'total' => '4.00', 'taxes' => array( 1 => '1.00' ) ),
			),
			'75.00',
			'Returned'
		);
		$this->assertTrue( $rest['success'], (string) ( $rest['data']['error'] ?? '' ) );
		$this->assertSame( 'refunded_amount_only', $this->codes[1] );
		$this->assertNotEmpty( preg_grep( '/^Klarna refunded €75\.00 .* without item lines, because the refunded items add up to €105\.00/', $order->notes ), implode( "\n", $order->notes ) );
		$klarna = $this->assert_klarna_matches_woocommerce( $order, $klarna_id );
		$this->assertSame( array( 3000, 7500 ), array_column( $klarna['refunds'], 'refunded_amount' ) );
		$this->assertSame( array( array(), array() ), array_column( $klarna['refunds'], 'order_lines' ), 'both went out as their amount alone' );
		$this->assertSame( 10500, $klarna['refunded_amount'] );
		$this->assertSame( 'refunded', $order->get_status() );
	}

	/**
	 * Two products at 4-decimal prices in a shop that rounds tax at subtotal: each line is 10.004 + 2.501 = 12.505,
	 * so the form's fields, filled by quantity, round line by line to 25.02 while the amount is 25.01. Then the other
	 * direction: one hoodie (50.00 in its fields) with 50.01 typed. Each goes out as WooCommerce's amount with its
	 * lines, one of them moved one cent.
	 *
	 * @dataProvider modes
	 */
	public function test_a_refund_whose_amount_differs_from_its_fields_by_a_rounding_cent( string $mode ): void {
		[ , $klarna_id, $id ] = $this->shop( $mode, array( 'order_amount' => 2501, 'order_lines' => array() ) );
		$GLOBALS['klarna_om_test_options']['woocommerce_tax_round_at_subtotal'] = 'yes';
		$order = OrderFactory::order(
			$id,
			$klarna_id,
			array(
				'total' => '25.01', 'total_tax' => '5.00', 'rates' => array( 1 => 25.0 ),
				'items' => array( array( 31, 'Tea', 1, '10.004', '2.501', 1 ), array( 32, 'Coffee', 1, '10.004', '2.501', 1 ) ),
			)
		);
		$this->complete( $order, $klarna_id );
		$both = array( 'qty' => '1', 'total' => '10.004', 'taxes' => array( 1 => '2.501' ) );
		$this->assertTrue( self::refund_form( $order, array( 31 => $both, 32 => $both ), '25.01' )['success'] );
		$this->assertSame( '-2.501', $order->get_refunds()[0]->get_items()[0]->get_total_tax(), 'taxes kept to 6 decimals' );
		$klarna = $this->assert_klarna_matches_woocommerce( $order, $klarna_id );
		$this->assertSame( array( 1251, 1250 ), array_column( $klarna['refunds'][0]['order_lines'], 'total_amount' ) );
		$this->assertSame( array( 'refunded' ), $this->codes );

		[ , $hoodies_id, $id ] = $this->shop( $mode );
		$hoodies = OrderFactory::hoodies( $id, $hoodies_id );
		$this->complete( $hoodies, $hoodies_id );
		$this->assertTrue( self::refund_form( $hoodies, array( 11 => array( 'qty' => '1', 'total' => '40.00', 'taxes' => array( 1 => '10.00' ) ) ), '50.01' )['success'] );
		$klarna = $this->assert_klarna_matches_woocommerce( $hoodies, $hoodies_id );
		$this->assertSame( array( 5001 ), array_column( $klarna['refunds'][0]['order_lines'], 'total_amount' ) );
		$this->assertSame( array( 'refunded' ), $this->codes );
		$this->assertStringContainsString( 'Klarna refunded €50.01', end( $hoodies->notes ) );
	}

	/**
	 * One hoodie returned (50.00 in its fields) and 5.00 more typed as goodwill: the rest goes as one "Refund" line.
	 *
	 * @dataProvider modes
	 */
	public function test_an_amount_above_the_fields_goes_out_with_a_line_for_the_rest( string $mode ): void {
		[ , $klarna_id, $id ] = $this->shop( $mode );
		$order = OrderFactory::hoodies( $id, $klarna_id );
		$this->complete( $order, $klarna_id );
		$this->assertTrue( self::refund_form( $order, array( 11 => array( 'qty' => '1', 'total' => '40.00', 'taxes' => array( 1 => '10.00' ) ) ), '55.00', 'Returned, with our apologies' )['success'] );
		$this->assertSame( array( 'refunded_with_rest' ), $this->codes );
		$this->assertStringContainsString( 'Klarna refunded €55.00', end( $order->notes ) );
		$this->assertStringContainsString( 'and €5.00 beyond them', end( $order->notes ) );
		$lines = $this->assert_klarna_matches_woocommerce( $order, $klarna_id )['refunds'][0]['order_lines'];
		$this->assertSame( array( 5000, 500 ), array_column( $lines, 'total_amount' ) );
		$this->assertSame( 'Refund: Returned, with our apologies', $lines[1]['name'] );
	}

	/**
	 * A 300-character reason (pasted with a line break and double spaces, which sanitize_text_field() makes single
	 * spaces): WooCommerce keeps all 300 characters on its refund; Klarna's description gets the first 255.
	 *
	 * @dataProvider modes
	 */
	public function test_a_300_character_reason_reaches_klarna_cut_to_255( string $mode ): void {
		[ , $klarna_id, $id ] = $this->shop( $mode );
		$order = OrderFactory::hoodies( $id, $klarna_id );
		$this->complete( $order, $klarna_id );
		$sentence = 'Khách trả hàng vì sai kích cỡ, the customer\'s parcel came back unopened.';
		$reason   = mb_substr( str_repeat( "$sentence ", 5 ), 0, 300 );
		$this->assertSame( 300, mb_strlen( $reason ) );
		$this->assertNotSame( ' ', mb_substr( $reason, -1 ) );
		$typed = str_replace( ' the customer', "\n the  customer", $reason );  // as pasted into the form

		$this->assertTrue( self::refund_form( $order, array( 11 => array( 'qty' => '1', 'total' => '40.00', 'taxes' => array( 1 => '10.00' ) ) ), '50.00', $typed )['success'] );
		$this->assertSame( $reason, $order->get_refunds()[0]->get_reason(), 'WooCommerce keeps the whole reason' );
		$klarna = $this->assert_klarna_matches_woocommerce( $order, $klarna_id );
		$this->assertSame( mb_substr( $reason, 0, 255 ), $klarna['refunds'][0]['description'] );
		$this->assertSame( array( 'refunded' ), $this->codes );
	}
}
