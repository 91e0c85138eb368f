<?php
use PHPUnit\Framework\TestCase;

/**
 * An order paid partly with a gift card, end to end: the hoodies order (EUR 105.00) with a EUR 20.00 card redeemed at
 * checkout, so WooCommerce's total is EUR 85.00 and Klarna authorized 85.00. The card is stored as the extension
 * stores it (PW WooCommerce Gift Cards or WooCommerce Gift Cards), the plugin sends it in `order.gift_cards`, and the
 * real core (PHP FFI or the executable) makes it Klarna's `gift_card` line, so the lines add up to the total.
 */
final class GiftCardFlowsTest extends TestCase {
	use SandboxShop;

	/** Each extension's redemption item, in both modes. */
	public static function extensions_and_modes(): array {
		$cases = array();
		foreach ( array( 'PW WooCommerce Gift Cards' => 'pw', 'WooCommerce Gift Cards' => 'wc' ) as $extension => $key ) {
			foreach ( self::modes() as $mode_name => [ $mode ] ) {
				$cases[ "$extension, $mode_name" ] = array( $mode, $key );
			}
		}
		return $cases;
	}

	/** The EUR 20.00 card as the extension stores its redemption: its code and amount. */
	private static function card( string $extension ): array {
		return 'pw' === $extension
			? array( 'PWGC-ABCD-1234', new WC_Order_Item_PW_Gift_Card( array( 'id' => 30, 'card_number' => 'PWGC-ABCD-1234', 'amount' => '20.00' ) ) )
			: array( 'WCGC-7Q2M-XK4P', new WC_GC_Order_Item_Gift_Card( array( 'id' => 30, 'code' => 'WCGC-7Q2M-XK4P', 'amount' => '20' ) ) );
	}

	/** Klarna's order as checkout placed it: the hoodies, the shipping and the card, EUR 85.00. */
	private static function klarna_order( string $code ): array {
		return array(
			'order_lines' => array(
				array( 'type' => 'physical', 'reference' => 'HOODIE-M', 'name' => 'Hoodie', 'quantity' => 2, 'unit_price' => 5000, 'tax_rate' => 2500, 'total_amount' => 10000, 'total_tax_amount' => 2000 ),
				array( 'type' => 'shipping_fee', 'reference' => 'flat_rate:3', 'name' => 'Flat rate', 'quantity' => 1, 'unit_price' => 500, 'tax_rate' => 2500, 'total_amount' => 500, 'total_tax_amount' => 100 ),
				array( 'type' => 'gift_card', 'reference' => $code, 'name' => 'Gift card', 'quantity' => 1, 'unit_price' => -2000, 'tax_rate' => 0, 'total_amount' => -2000, 'total_tax_amount' => 0 ),
			),
		);
	}

	/**
	 * Completed: Klarna captures 85.00 with lines that add up to exactly 8500, the card's line −2000 among them. Then
	 * one hoodie (50.00) is refunded through Klarna: the card changes nothing about a refund of an item.
	 *
	 * @dataProvider extensions_and_modes
	 */
	public function test_the_capture_carries_the_gift_card_and_adds_up_then_an_item_is_refunded( string $mode, string $extension ): void {
		[ $code, $card ] = self::card( $extension );
		[ , $klarna_id, $id ] = $this->setUpShop( $mode, self::klarna_order( $code ) );
		$order = OrderFactory::with_gift_card( OrderFactory::hoodies( $id, $klarna_id ), $card, '85.00' );
		$order->set_status( 'completed' );
		$order->save();

		$klarna = self::control( 'GET', "/orders/$klarna_id" );
		$this->assertSame( array( 'completed', 'CAPTURED', 8500 ), array( $order->get_status(), $klarna['status'], $klarna['captured_amount'] ), implode( "\n", $order->notes ) );
		$this->assertStringContainsString( '€85.00', $order->notes[0] );
		$lines = $klarna['captures'][0]['order_lines'];
		$this->assertSame( 8500, array_sum( array_column( $lines, 'total_amount' ) ), 'the lines add up to the captured amount exactly' );
		$this->assertSame(
			array( array( 'gift_card', $code, 1, -2000, -2000, 0, 0 ) ),
			array_map(
				static fn ( $line ) => array( $line['type'], $line['reference'], $line['quantity'], $line['unit_price'], $line['total_amount'], $line['tax_rate'], $line['total_tax_amount'] ),
				array_values( array_filter( $lines, static fn ( $line ) => 'gift_card' === $line['type'] ) )
			)
		);

		$refund = OrderFactory::refund_one_hoodie_via_klarna( $order );
		$this->assertInstanceOf( WC_Order_Refund::class, $refund, $refund instanceof WP_Error ? $refund->get_error_message() : '' );
		$klarna = self::control( 'GET', "/orders/$klarna_id" );
		$this->assertSame( array( 8500, 5000 ), array( $klarna['captured_amount'], $klarna['refunded_amount'] ) );
		$this->assertSame( array( 'HOODIE-M' ), array_column( $klarna['refunds'][0]['order_lines'], 'reference' ) );
		$this->assertSame( 5000, array_sum( array_column( $klarna['refunds'][0]['order_lines'], 'total_amount' ) ) );
		$this->assertSame( $klarna['refunds'][0]['refund_id'], $order->get_meta( '_klarna_om_refund_id_' . $refund->get_id() ) );
	}
}
