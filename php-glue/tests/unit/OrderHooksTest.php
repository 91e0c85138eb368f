<?php
use KlarnaOM\Core;
use KlarnaOM\Logger;
use KlarnaOM\NativeUnavailable;
use KlarnaOM\OrderHooks;
use KlarnaOM\ResponseApplier;
use KlarnaOM\Settings;
use KlarnaOM\SnapshotBuilder;
use PHPUnit\Framework\TestCase;

/** Which WooCommerce event runs which operation, and how the answer changes the order. */
final class OrderHooksTest extends TestCase {
	private function hooks( Core $core ): OrderHooks {
		$GLOBALS['klarna_om_test_hooks'] = array();
		$hooks = new OrderHooks( $core, new SnapshotBuilder( new Settings() ), new ResponseApplier( new Logger() ), new Logger() );
		add_action( 'woocommerce_before_order_object_save', array( $hooks, 'before_save' ), 10, 1 );
		return $hooks;
	}

	public static function transitions(): array {
		return array(
			array( 'processing', 'cancelled', 'cancel' ), array( 'on-hold', 'cancelled', 'cancel' ), array( 'pending', 'cancelled', 'cancel' ),
			array( 'processing', 'completed', 'capture' ), array( 'on-hold', 'completed', 'capture' ),
			array( 'on-hold', 'processing', 'update' ),
			array( 'processing', 'on-hold', null ), array( 'completed', 'cancelled', null ), array( 'pending', 'processing', null ),
			array( 'completed', 'refunded', null ),
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
		$core = new ScriptedCore( array( 'capture' => array( 'version' => 1, 'ok' => true, 'outcome' => 'captured', 'success' => true, 'order_meta' => array( '_wc_klarna_capture_id' => 'cap-9' ), 'note' => array( 'code' => 'captured', 'text' => 'Captured.' ) ) ) );
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
}
