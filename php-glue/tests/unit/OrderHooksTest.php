<?php
use KlarnaOM\Core;
use KlarnaOM\NativeUnavailable;
use KlarnaOM\OrderHooks;
use PHPUnit\Framework\TestCase;

/** Which WooCommerce event runs which operation, and how the answer changes the order. */
final class OrderHooksTest extends TestCase {
	private function hooks( Core $core ): OrderHooks {
		return Shop::wire( $core );
	}

	public static function transitions(): array {
		return array(
			array( 'processing', 'cancelled', 'cancel' ), array( 'on-hold', 'cancelled', 'cancel' ), array( 'pending', 'cancelled', 'cancel' ),
			array( 'processing', 'completed', 'capture' ), array( 'on-hold', 'completed', 'capture' ),
			array( 'on-hold', 'processing', 'update' ), array( 'cancelled', 'processing', 'update' ), array( 'refunded', 'processing', 'update' ),
			array( 'processing', 'on-hold', null ), array( 'pending', 'processing', null ),
			array( 'completed', 'cancelled', 'cancel' ), array( 'refunded', 'cancelled', 'cancel' ), array( 'failed', 'cancelled', 'cancel' ),
			array( 'completed', 'refunded', 'cancel' ), array( 'processing', 'refunded', 'cancel' ), array( 'cancelled', 'refunded', 'cancel' ),
			array( 'cancelled', 'cancelled', null ), array( 'refunded', 'refunded', null ), array( 'completed', 'completed', null ),
		);
	}

	/** @dataProvider transitions */
	public function test_status_changes_map_to_operations( string $from, string $to, ?string $operation ): void {
		$this->assertSame( $operation, OrderHooks::operation_for( $from, $to ) );
	}

	public function test_a_refused_capture_saves_on_hold_instead_of_completed(): void {
		$core = new ScriptedCore( array( 'capture' => array( 'version' => 1, 'ok' => true, 'outcome' => 'capture_refused', 'success' => false, 'order_status' => 'on-hold', 'note' => array( 'code' => 'capture_refused', 'text' => 'Klarna did not capture.' ) ) ) );
		$this->hooks( $core );
		$order = OrderFactory::hoodies( 10, 'k-10' );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertSame( array( array( 'processing', 'on-hold' ) ), $order->transitions, 'no completed transition, so no completed e-mail' );
		$this->assertSame( array( 'Klarna did not capture.' ), $order->notes );
		$this->assertSame( array( 'from' => 'processing', 'to' => 'completed' ), $core->calls[0][1]['order']['transition'] );
	}

	public function test_a_capture_stores_the_capture_id_under_the_existing_key(): void {
		$core = new ScriptedCore( array( 'capture' => array( 'version' => 1, 'ok' => true, 'outcome' => 'captured', 'success' => true, 'record' => array( 'capture_id' => 'cap-9' ), 'note' => array( 'code' => 'captured', 'text' => 'Captured.' ) ) ) );
		$this->hooks( $core );
		$order = OrderFactory::hoodies( 11, 'k-11' );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( 'completed', $order->get_status() );
		$this->assertSame( 'cap-9', $order->get_meta( '_wc_klarna_capture_id' ) );
	}

	public function test_other_gateways_and_plain_saves_call_nothing(): void {
		$core = new ScriptedCore( array() );
		$this->hooks( $core );
		$order = OrderFactory::hoodies( 12, 'k-12', 2, 'bacs' );
		$order->set_status( 'completed' );
		$order->save();
		$other = OrderFactory::hoodies( 13, 'k-13' );
		$other->save();
		$this->assertSame( array(), $core->calls );
	}

	public function test_when_the_core_is_unreachable_the_order_gets_a_note_and_is_held_but_the_save_goes_on(): void {
		$this->hooks( new ScriptedCore( array( 'capture' => new NativeUnavailable( 'library missing' ) ) ) );
		$order = OrderFactory::hoodies( 14, 'k-14' );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertStringContainsString( 'library missing', $order->notes[0] );
		$this->assertSame( 1, $order->saves );
	}

	public function test_refunds_return_true_or_a_wp_error_with_klarnas_reason(): void {
		$order = OrderFactory::hoodies( 15, 'k-15', 2, 'klarna_payments', 'completed' );
		OrderFactory::refund_one_hoodie( $order );
		$ok = $this->hooks( new ScriptedCore( array( 'refund' => array( 'version' => 1, 'ok' => true, 'outcome' => 'refunded', 'success' => true, 'note' => array( 'code' => 'refunded', 'text' => 'Refunded.' ) ) ) ) );
		$this->assertTrue( $ok->refund( false, 15, 50.0, 'Returned' ) );
		$refused = $this->hooks( new ScriptedCore( array( 'refund' => array( 'version' => 1, 'ok' => true, 'outcome' => 'refund_refused', 'success' => false, 'note' => array( 'code' => 'refund_refused', 'text' => 'Klarna did not refund EUR 50.00 (REFUND_NOT_ALLOWED).' ) ) ) ) );
		$error = $refused->refund( false, 15, 50.0, 'Returned' );
		$this->assertInstanceOf( WP_Error::class, $error );
		$this->assertSame( 'refund_refused', $error->get_error_code() );
		$this->assertStringContainsString( 'REFUND_NOT_ALLOWED', $error->get_error_message() );
	}

	/** A captured order: Completed, with the capture id the capture stored. */
	private static function captured( int $id ): WC_Order {
		$order = OrderFactory::hoodies( $id, "k-$id", 2, 'klarna_payments', 'completed' );
		$order->meta['_wc_klarna_capture_id'] = "cap-$id";
		return $order;
	}

	public static function nothing_held_statuses(): array {
		return array(
			'Cancelled'          => array( 'cancelled', 'cancel_refused_captured', 'Klarna holds EUR 105.00 captured: refund it instead.' ),
			'Refunded, by hand' => array( 'refunded', 'refunded_status_refused', 'WooCommerce has not refunded EUR 105.00 that Klarna holds.' ),
		);
	}

	/**
	 * Cancelled, or Refunded set by hand, on a captured order: the core is asked (a cancel, the status in the
	 * transition), and its refusal is saved as On hold before WooCommerce commits the status. Without the Refunded
	 * transition wc_order_fully_refunded never runs, so no manual refund is recorded either.
	 *
	 * @dataProvider nothing_held_statuses
	 */
	public function test_a_captured_order_set_to_a_status_that_says_nothing_is_held_saves_on_hold_when_refused( string $status, string $code, string $text ): void {
		$core = new ScriptedCore( array( 'cancel' => array( 'version' => 1, 'ok' => true, 'operation' => 'cancel', 'outcome' => $code, 'success' => false, 'order_status' => 'on-hold', 'note' => array( 'code' => $code, 'text' => $text ) ) ) );
		$this->hooks( $core );
		$order = self::captured( 'cancelled' === $status ? 16 : 17 );
		$order->set_status( $status );
		$order->save();
		$this->assertSame( 'cancel', $core->calls[0][0] );
		$this->assertSame( array( 'from' => 'completed', 'to' => $status ), $core->calls[0][1]['order']['transition'] );
		$this->assertSame( array( 'cap-' . $order->get_id() ), $core->calls[0][1]['order']['meta']['capture_ids'] );
		$this->assertSame( array(), $core->calls[0][1]['order']['refunds'] );
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertSame( array( array( 'completed', 'on-hold' ) ), $order->transitions, "no $status transition, so no e-mail for it" );
		$this->assertSame( array( $text ), $order->notes );
	}

	public function test_a_full_refund_with_the_button_sends_the_new_refund_when_woocommerce_sets_refunded(): void {
		$nothing_held = array( 'version' => 1, 'ok' => true, 'operation' => 'cancel', 'outcome' => 'nothing_held', 'success' => true, 'note' => array( 'code' => 'nothing_held', 'text' => 'WooCommerce has refunded everything Klarna captured.' ) );
		$refunded     = array( 'version' => 1, 'ok' => true, 'operation' => 'refund', 'outcome' => 'refunded', 'success' => true, 'note' => array( 'code' => 'refunded', 'text' => 'Klarna refunded EUR 105.00.' ) );
		$core = new ScriptedCore( array( 'refund' => $refunded, 'cancel' => $nothing_held ) );
		$this->hooks( $core );
		$order  = self::captured( 18 );
		$refund = wc_create_refund( array( 'order_id' => 18, 'amount' => '105.00', 'reason' => 'Returned', 'refund_payment' => true ) );
		$this->assertSame( array( 'refund', 'cancel' ), array_column( $core->calls, 0 ) );
		$this->assertSame( array( 'from' => 'completed', 'to' => 'refunded' ), $core->calls[1][1]['order']['transition'] );
		$this->assertSame( array( array( 'id' => $refund->get_id(), 'amount' => '105.00', 'refunded_payment' => true ) ), $core->calls[1][1]['order']['refunds'], 'the core sees the total refunded through Klarna' );
		$this->assertSame( 'refunded', $order->get_status() );
		$this->assertSame( array( array( 'completed', 'refunded' ) ), $order->transitions );
	}

	public function test_a_cancel_the_core_cannot_run_holds_the_order_too(): void {
		$this->hooks( new ScriptedCore( array( 'cancel' => array( 'version' => 1, 'ok' => false, 'error' => array( 'code' => 'missing_field', 'field' => 'config.username', 'message' => 'field `config.username` is missing' ) ) ) ) );
		$order = self::captured( 19 );
		$order->set_status( 'cancelled' );
		$order->save();
		$this->assertSame( 'on-hold', $order->get_status(), 'Cancelled would claim Klarna released the money' );
		$this->assertStringContainsString( 'config.username', $order->notes[0] );
	}

	/**
	 * On hold → Processing after editing items, refused by Klarna: the order stays On hold, and WooCommerce announces
	 * no change. Without the plugin's care WooCommerce would keep the first `from` (On hold) and announce On hold → On
	 * hold after saving: its note "Order status changed from On hold to On hold.", the On hold hooks and e-mail
	 * (woocommerce-facts §3).
	 */
	public function test_a_refused_update_leaves_on_hold_without_woocommerce_announcing_on_hold_to_on_hold(): void {
		$this->hooks( new ScriptedCore( array( 'update' => array( 'version' => 1, 'ok' => true, 'operation' => 'update', 'outcome' => 'update_refused', 'success' => false, 'order_status' => 'on-hold', 'note' => array( 'code' => 'update_refused', 'text' => 'Klarna refused the new amount.' ) ) ) ) );
		$order = OrderFactory::hoodies( 20, 'k-20', 2, 'klarna_payments', 'on-hold' );
		OrderFactory::set_quantity( $order, 3 );
		$order->set_status( 'processing' );
		$order->save();
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertSame( array(), $order->transitions, 'no transition, no On hold e-mail' );
		$this->assertSame( array(), $order->status_notes, 'no "Order status changed from On hold to On hold."' );
		$this->assertSame( array( 'Klarna refused the new amount.' ), $order->notes );

		$order->set_status( 'cancelled' );  // Cancelled from On hold, refused (captured): the same.
		$this->hooks( new ScriptedCore( array( 'cancel' => array( 'version' => 1, 'ok' => true, 'operation' => 'cancel', 'outcome' => 'cancel_refused_captured', 'success' => false, 'order_status' => 'on-hold', 'note' => array( 'code' => 'cancel_refused_captured', 'text' => 'Refund instead.' ) ) ) ) );
		$order->save();
		$this->assertSame( array( array(), array() ), array( $order->transitions, $order->status_notes ) );

		$this->hooks( new ScriptedCore( array( 'update' => new NativeUnavailable( 'library missing' ) ) ) );
		$order->set_status( 'processing' );  // And when the core cannot run at all.
		$order->save();
		$this->assertSame( array( 'on-hold', array(), array() ), array( $order->get_status(), $order->transitions, $order->status_notes ) );
	}

	public function test_a_real_change_to_on_hold_is_still_announced_once(): void {
		$this->hooks( new ScriptedCore( array( 'capture' => array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'capture_refused', 'success' => false, 'order_status' => 'on-hold', 'note' => array( 'code' => 'capture_refused', 'text' => 'No.' ) ) ) ) );
		$order = OrderFactory::hoodies( 21, 'k-21' );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( array( 'Order status changed from Processing to On hold.' ), $order->status_notes );
	}
}
