<?php
use PHPUnit\Framework\TestCase;

/**
 * The refund button through WooCommerce's own sequence (wc_create_refund of the doubles): which refund the core is
 * told about, what happens to it when Klarna does not refund, and a gateway called directly by code.
 */
final class RefundTest extends TestCase {
	private const REFUNDED = array( 'version' => 1, 'ok' => true, 'operation' => 'refund', 'outcome' => 'refunded', 'success' => true, 'note' => array( 'code' => 'refunded', 'text' => 'Klarna refunded.' ) );
	private const FAILED   = array( 'version' => 1, 'ok' => true, 'operation' => 'refund', 'outcome' => 'refund_failed', 'success' => false, 'ledger' => array( 'answered' => 0, 'pending' => 'r1' ), 'note' => array( 'code' => 'refund_failed', 'text' => 'Klarna could not be reached.' ) );

	/** The plugin's own hook registration, over a scripted core. */
	private function shop( array $answers ): ScriptedCore {
		$GLOBALS['klarna_om_test_hooks']   = array();
		$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 's' ) );
		$core = new ScriptedCore( $answers );
		Shop::wire( $core );
		return $core;
	}

	public function test_the_core_is_told_about_the_refund_woocommerce_is_creating_not_the_first_listed(): void {
		$core  = $this->shop( array( 'refund' => self::REFUNDED ) );
		$order = OrderFactory::hoodies( 301, 'k-301', 2, 'klarna_payments', 'completed' );
		$earlier = OrderFactory::refund_one_hoodie( $order, 77 );
		$refund  = OrderFactory::refund_one_hoodie_via_klarna( $order );
		$this->assertInstanceOf( WC_Order_Refund::class, $refund );
		$this->assertSame( $earlier, $order->get_refunds()[0], 'the double lists same-second refunds oldest first, as WooCommerce may' );
		$sent = $core->calls[0][1]['refund'];
		$this->assertSame( $refund->get_id(), $sent['id'] );
		// As WooCommerce stores them: wc_format_refund_total() negates to a number, which is stored without its zeros.
		$this->assertSame( array( array( 'item_id' => 11, 'quantity' => -1, 'total' => '-40', 'total_tax' => '-10' ) ), $sent['items'] );
		$this->assertTrue( $refund->get_refunded_payment() );
	}

	public function test_a_refund_klarna_did_not_make_is_deleted_and_the_retry_is_a_new_refund_with_the_stored_ledger(): void {
		$core  = $this->shop( array( 'refund' => self::FAILED ) );
		$order = OrderFactory::hoodies( 302, 'k-302', 2, 'klarna_payments', 'completed' );
		$saves = $order->saves;
		$error = OrderFactory::refund_one_hoodie_via_klarna( $order );
		$this->assertInstanceOf( WP_Error::class, $error );
		$this->assertSame( 'Klarna could not be reached.', $error->get_error_message() );
		$this->assertSame( array(), $order->get_refunds(), 'WooCommerce deleted the refund' );
		$this->assertGreaterThan( $saves, $order->saves, 'the note and the ledger were saved before the filter returned' );
		$this->assertSame( '{"refund":{"answered":0,"pending":"r1"}}', $order->get_meta( '_klarna_om_ledger' ) );

		$core->answers['refund'] = self::REFUNDED;
		$retry = OrderFactory::refund_one_hoodie_via_klarna( $order );
		$first = $core->calls[0][1]['refund']['id'];
		$this->assertNotSame( $first, $retry->get_id(), 'WooCommerce gives the retry a new id' );
		$this->assertSame( $retry->get_id(), $core->calls[1][1]['refund']['id'] );
		$this->assertSame( '{"refund":{"answered":0,"pending":"r1"}}', json_encode( $core->calls[1][1]['order']['meta']['ledger'] ), 'the retry carries the unresolved intent' );
		$this->assertSame( array( $retry ), $order->get_refunds() );
	}

	public function test_a_gateway_called_directly_refunds_the_amount_it_was_given(): void {
		$core  = $this->shop( array( 'refund' => self::REFUNDED ) );
		$order = OrderFactory::hoodies( 303, 'k-303', 2, 'klarna_payments', 'completed' );
		OrderFactory::refund_one_hoodie( $order, 78 );
		$this->assertTrue( apply_filters( 'wc_klarna_payments_process_refund', false, 303, '12.50', 'Goodwill' ) );
		$this->assertSame( array( 'amount' => '12.50', 'reason' => 'Goodwill' ), $core->calls[0][1]['refund'], 'no refund id: none is being created' );
		apply_filters( 'wc_klarna_payments_process_refund', false, 303, 12.5, '' );
		$this->assertSame( '12.5', $core->calls[1][1]['refund']['amount'] );
	}

	public function test_a_kept_refund_is_forgotten_once_created_or_refused(): void {
		$core  = $this->shop( array( 'refund' => self::FAILED ) );
		$order = OrderFactory::hoodies( 304, 'k-304', 2, 'klarna_payments', 'completed' );
		$manual = wc_create_refund( array( 'order_id' => 304, 'amount' => '5.00', 'reason' => 'Manual', 'refund_payment' => false ) );
		$this->assertSame( array(), $core->calls, 'a manual refund does not reach the gateway' );
		apply_filters( 'wc_klarna_payments_process_refund', false, 304, '7.00', '' );
		$this->assertArrayNotHasKey( 'id', $core->calls[0][1]['refund'], 'the manual refund was forgotten at woocommerce_refund_created' );

		OrderFactory::refund_one_hoodie_via_klarna( $order );
		apply_filters( 'wc_klarna_payments_process_refund', false, 304, '7.00', '' );
		$this->assertArrayHasKey( 'id', $core->calls[1][1]['refund'] );
		$this->assertArrayNotHasKey( 'id', $core->calls[2][1]['refund'], 'the refused refund was forgotten' );
		$this->assertInstanceOf( WC_Order_Refund::class, $manual );
	}

	public function test_kustom_checkout_orders_refund_through_their_own_filter(): void {
		$core  = $this->shop( array( 'refund' => self::REFUNDED ) );
		$order = OrderFactory::hoodies( 305, 'k-305', 2, 'kco', 'completed' );
		$refund = OrderFactory::refund_one_hoodie_via_klarna( $order );
		$this->assertSame( $refund->get_id(), $core->calls[0][1]['refund']['id'] );
	}
}
