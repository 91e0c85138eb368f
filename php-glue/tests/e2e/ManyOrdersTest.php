<?php
use KlarnaOM\Attention;
use KlarnaOM\Retries;
use PHPUnit\Framework\TestCase;

/**
 * Issue 15 end to end with any core, today's included: a bulk completion of 20 orders with one refused, the REST batch
 * endpoint, a background retry that succeeds on its third attempt, and WP-CLI's commands, through the plugin's classes
 * → the real core (PHP FFI, and the klarna-om executable) → the Klarna sandbox. The bulk steps cost one batch
 * (ManyOrdersCoreTest asserts the batch; a core without `om_batch` gets one call per order). WooCommerce, Action
 * Scheduler and WP-CLI are the doubles.
 */
final class ManyOrdersTest extends TestCase {
	use SandboxShop;
	use ManyOrdersSteps;

	protected function setUp(): void {
		$GLOBALS['klarna_om_test_actions'] = array();
		if ( ! defined( 'WP_CLI' ) ) {
			define( 'WP_CLI', true );
		}
	}

	/** @dataProvider modes */
	public function test_bulk_completion_of_20_orders_with_one_refused( string $mode ): void {
		$orders = $this->bulk_completion_of_20_with_one_refused( $mode );
		$this->assertSame( 'yes', $orders[6]->get_meta( Attention::FLAG ) );
		$this->assertTrue( array( array( 'capture' ) ) === array_map( 'array_unique', $this->core->batches ) || array( 20, 1 ) === array( count( $this->core->calls ), count( $this->core->batches ) ), 'one batch, or (a core without om_batch) one call per order' );
	}

	/** @dataProvider modes */
	public function test_the_rest_batch_endpoint( string $mode ): void {
		$items = $this->rest_batch_of_3_with_one_refused( $mode );
		$this->assertStringContainsString( 'is cancelled', $items[1]['klarna_om']['note'] );
	}

	/**
	 * Completed, and Klarna commits the capture but every answer is lost: outcome unknown, On hold, a retry scheduled.
	 * Klarna is then down for the first two background attempts (each reads Klarna's order first and gets a 500: still
	 * unknown); the third finds the capture: the order is Completed, as asked, and Klarna captured once, under one key.
	 *
	 * @dataProvider modes
	 */
	public function test_a_background_retry_succeeds_on_its_third_attempt_and_completes_the_order( string $mode ): void {
		$order     = $this->klarna_orders( $mode, 1 )[0];
		$klarna_id = $order->get_transaction_id();
		self::control( 'POST', '/faults', array( 'order_id' => $klarna_id, 'drop_next_mutating' => 8 ) );
		$order->set_status( 'completed' );
		$order->save();
		self::control( 'POST', '/faults', array( 'order_id' => $klarna_id, 'drop_next_mutating' => 0, 'fail_next' => array( 'count' => 1000, 'status' => 500 ) ) );
		$this->assertSame( array( 'on-hold', array( array( $order->get_id(), 'capture', 1 ) ) ), array( $order->get_status(), self::pending_retries() ) );

		foreach ( array( 2, 3 ) as $next ) {
			$this->assertSame( array( 'complete' ), array_column( self::run_retries(), 'status' ) );
			$this->assertSame( array( 'on-hold', array( array( $order->get_id(), 'capture', $next ) ) ), array( $order->get_status(), self::pending_retries() ), "attempt $next scheduled" );
		}
		self::control( 'POST', '/faults', array( 'order_id' => $klarna_id, 'fail_next' => array( 'count' => 0 ) ) );
		self::run_retries();

		$this->assertSame( 'completed', $order->get_status() );
		$this->assertStringContainsString( 'retried the capture in the background (attempt 3), and Klarna has done it: the order is Completed', (string) end( $order->notes ) );
		$this->assertSame( array(), self::pending_retries() );
		$klarna = self::control( 'GET', "/orders/$klarna_id" );
		$this->assertSame( array( 'CAPTURED', 10500, 1 ), array( $klarna['status'], $klarna['captured_amount'], count( $klarna['captures'] ) ) );
		$posts = array_filter( self::control( 'GET', "/requests?order_id=$klarna_id" ), static fn ( $entry ) => 'POST' === $entry['method'] );
		$this->assertCount( 1, array_unique( array_column( $posts, 'idempotency_key' ) ), 'every capture request under one key' );
		$this->assertSame( '', $order->get_meta( Attention::FLAG ) );
		$this->assertSame( array(), klarna_om_test_actions( Retries::HOOK, 'failed' ) );
	}

	/**
	 * WP-CLI over the real core: `capture` (Klarna captures), `refund --amount` (WooCommerce records the refund, Klarna
	 * refunds that amount), `status`; none of it prints the customer's personal data.
	 *
	 * @dataProvider modes
	 */
	public function test_wp_cli_capture_refund_and_status( string $mode ): void {
		$order = OrderFactory::with_customer( $this->klarna_orders( $mode, 1 )[0] );
		$cli   = WP_CLI::$commands['klarna-om'];
		$said  = array();
		foreach ( array( array( 'capture', array() ), array( 'refund', array( 'amount' => '10.00', 'reason' => 'Scratched' ) ), array( 'status', array() ) ) as list( $command, $options ) ) {
			WP_CLI::$output = array();
			$cli->$command( array( (string) $order->get_id() ), $options );
			$said[ $command ] = WP_CLI::text();
		}
		$this->assertStringStartsWith( 'Success: capture: captured. ', $said['capture'] );
		$this->assertMatchesRegularExpression( '/^Success: Refund \d+ of 10\.00 recorded\. /', $said['refund'] );
		$this->assertStringContainsString( '| woocommerce_status | processing', $said['status'] );
		$klarna = self::control( 'GET', '/orders/' . $order->get_transaction_id() );
		$this->assertSame( array( 10500, 1000 ), array( $klarna['captured_amount'], $klarna['refunded_amount'] ) );
		$this->assertSame( array( '10.00', true ), array( $order->get_refunds()[0]->get_amount(), $order->get_refunds()[0]->get_refunded_payment() ) );
		foreach ( OrderFactory::CUSTOMER as $value ) {
			$this->assertStringNotContainsString( $value, implode( "\n", $said ) );
		}
	}
}
