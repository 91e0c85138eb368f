<?php
use PHPUnit\Framework\TestCase;

/**
 * Issue 15 end to end with the core of issue 15 (`om_batch`, `klarna-om batch`; `om_sync` and its `state`): a bulk
 * completion of 20 orders and the REST batch cost one om_batch call each and no single call; the reconciliation
 * lists each kind of disagreement seeded in the sandbox, reading Klarna only. Through the plugin's classes → the real
 * core (PHP FFI, and the klarna-om executable) → the Klarna sandbox.
 *
 * The reconciliation's comparisons of amounts (`amount_differs`, `money_held`) are the core's: the `sync` answer's
 * `disagreements` (docs/contract.md, "What sync finds").
 */
final class ManyOrdersCoreTest extends TestCase {
	use SandboxShop;
	use ManyOrdersSteps;

	protected function setUp(): void {
		$GLOBALS['klarna_om_test_actions'] = array();
		if ( ! defined( 'WP_CLI' ) ) {
			define( 'WP_CLI', true );
		}
	}

	/**
	 * The core has `om_batch` (`klarna-om batch`): a batch answers each item as its single call would, here a request of
	 * contract version 0 refused with its own envelope, so nothing reaches Klarna.
	 *
	 * @dataProvider modes
	 */
	public function test_the_core_has_the_batch( string $mode ): void {
		$answers = $this->bridge( $mode )->batch( array( array( 'operation' => 'capture', 'request' => array( 'version' => 0 ) ), array( 'operation' => 'sync', 'request' => array( 'version' => 0 ) ) ) );
		$this->assertSame( array( array( false, 'unsupported_version' ), array( false, 'unsupported_version' ) ), array_map( static fn ( $answer ) => array( $answer['ok'], $answer['error']['code'] ?? null ), $answers ) );
	}

	/** @dataProvider modes */
	public function test_bulk_completion_of_20_orders_is_one_om_batch_call( string $mode ): void {
		$this->bulk_completion_of_20_with_one_refused( $mode );
		$this->assertSame( array( array_fill( 0, 20, 'capture' ) ), $this->core->batches );
		$this->assertSame( array(), $this->core->calls, 'no single call' );
	}

	/** @dataProvider modes */
	public function test_the_rest_batch_is_one_om_batch_call( string $mode ): void {
		$this->rest_batch_of_3_with_one_refused( $mode );
		$this->assertSame( array( array( 'capture', 'capture', 'capture' ) ), $this->core->batches );
		$this->assertSame( array(), $this->core->calls );
	}

	/**
	 * Each kind of disagreement, seeded in the sandbox and in WooCommerce, listed by `wp klarna-om reconcile` with its
	 * fix; an order that agrees is not listed; the run reads Klarna's orders (GETs only) and changes no order.
	 *
	 * @dataProvider modes
	 */
	public function test_reconciliation_lists_each_kind_of_disagreement_seeded_in_the_sandbox( string $mode ): void {
		$this->setUpShop( $mode );
		$GLOBALS['klarna_om_test_orders'] = array();  // Only this test's orders are the shop's.
		$this->core                       = new CountingCore( $this->bridge( $mode ) );
		Shop::wire( $this->core );
		$seed = static fn ( array $klarna = array(), string $status = 'processing' ) => OrderFactory::hoodies( self::next_order_id(), self::seed( $klarna ), 2, 'klarna_payments', $status );

		$not_captured = $seed( array(), 'completed' );                      // Completed, nothing captured.
		$held         = $seed();                                            // Cancelled while Klarna holds money.
		$held->update_status( 'completed' );
		self::force_status( $held, 'cancelled' );
		$differs      = $seed( array( 'order_amount' => 12000 ) );          // Klarna authorized 120.00, WooCommerce says 105.00.
		$expiring     = $seed( array( 'expires_at' => gmdate( 'Y-m-d\TH:i:s+00:00', time() + 3 * 86400 ) ) );
		$unknown      = $seed();                                            // A capture whose answer was lost.
		self::control( 'POST', '/faults', array( 'order_id' => $unknown->get_transaction_id(), 'drop_next_mutating' => 8 ) );
		$unknown->update_status( 'completed' );
		self::control( 'POST', '/faults', array( 'order_id' => $unknown->get_transaction_id(), 'drop_next_mutating' => 0 ) );
		$agrees       = $seed();
		$agrees->update_status( 'completed' );

		$orders = array( $not_captured, $held, $differs, $expiring, $unknown, $agrees );
		$before = array_map( static fn ( $order ) => array( $order->get_status(), $order->notes, $order->meta ), $orders );
		self::control( 'DELETE', '/requests' );
		$this->core->batches = array();
		$this->core->calls   = array();
		WP_CLI::$output      = array();
		WP_CLI::$commands['klarna-om']->reconcile( array(), array( 'format' => 'json' ) );
		$rows = json_decode( WP_CLI::$output[0][1], true );

		$listed = array();
		foreach ( $rows as $row ) {
			$listed[ (int) $row['order'] ][] = array( $row['disagreement'], $row['fix'] );
		}
		$this->assertSame(
			array(
				$not_captured->get_id() => array( array( 'completed_not_captured', 'capture' ) ),
				$held->get_id()         => array( array( 'money_held', 'refund' ) ),
				$differs->get_id()      => array( array( 'amount_differs', 'update' ) ),
				$expiring->get_id()     => array( array( 'expiring', 'extend' ) ),
				$unknown->get_id()      => array( array( 'outcome_unknown', 'retry' ) ),
			),
			$listed,
			json_encode( $rows )
		);
		$this->assertSame( array( array_fill( 0, 6, 'sync' ) ), $this->core->batches, 'one om_batch of reads' );
		$this->assertSame( array(), $this->core->calls );
		$this->assertSame( array( 'GET' ), array_values( array_unique( array_column( self::control( 'GET', '/requests' ), 'method' ) ) ), 'Klarna is only read' );
		$this->assertSame( $before, array_map( static fn ( $order ) => array( $order->get_status(), $order->notes, $order->meta ), $orders ), 'no order changed' );
	}

	/** Sets a status the way a seeded shop has it, without the plugin's hooks (as if set before the plugin ran). */
	private static function force_status( WC_Order $order, string $status ): void {
		$data           = new ReflectionProperty( WC_Order::class, 'data' );
		$values         = $data->getValue( $order );
		$values['status'] = $status;
		$data->setValue( $order, $values );
	}
}
