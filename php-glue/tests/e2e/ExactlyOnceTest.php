<?php
use KlarnaOM\Settings;
use PHPUnit\Framework\TestCase;

/**
 * Issue 10 end to end, against the core that implements docs/contract.md "Exactly once": the intent ledger the plugin
 * stores, the refunds it lists, and the statuses that say nothing is held. The plugin's classes → the real core
 * (PHP FFI or the executable) → the Klarna sandbox; WooCommerce's refund button is the doubles' wc_create_refund,
 * which gives a retried refund a new id, as WooCommerce does.
 */
final class ExactlyOnceTest extends TestCase {
	use SandboxShop;

	private static function ledger( WC_Order $order ): array {
		return (array) json_decode( (string) $order->get_meta( '_klarna_om_ledger' ), true );
	}

	/** The idempotency keys of Klarna's refund requests on this order, in order. */
	private static function refund_keys( string $klarna_id ): array {
		$posts = array_filter( self::control( 'GET', "/requests?order_id=$klarna_id" ), static fn ( $entry ) => 'POST' === $entry['method'] && str_ends_with( $entry['path'], '/refunds' ) );
		return array_values( array_column( $posts, 'idempotency_key' ) );
	}

	/**
	 * Runs work with an operation budget of 5 s: PHP's max_execution_time at 11 s with 1 s of the request gone
	 * (Settings::timeout_ms: 11 - 1 - 5 s margin = 5 s, the floor). Both are restored afterwards.
	 */
	private function with_a_five_second_budget( callable $work ) {
		$this->assertSame( 5000, Settings::timeout_ms( 11, 1.0 ) );
		$limit   = (string) ini_get( 'max_execution_time' );
		$started = $_SERVER['REQUEST_TIME_FLOAT'];
		ini_set( 'max_execution_time', '11' );
		$_SERVER['REQUEST_TIME_FLOAT'] = microtime( true ) - 1;
		try {
			return $work();
		} finally {
			ini_set( 'max_execution_time', $limit );
			$_SERVER['REQUEST_TIME_FLOAT'] = $started;
		}
	}

	/** Waits (at most 5 s) until the sandbox's order satisfies the condition: a slow request committing late. */
	private static function wait_for( string $klarna_id, callable $condition ): void {
		for ( $i = 0; $i < 50 && ! $condition( self::control( 'GET', "/orders/$klarna_id" ) ); $i++ ) {
			usleep( 100000 );
		}
	}

	/** @dataProvider modes */
	public function test_the_ledger_records_each_operations_definite_answers( string $mode ): void {
		[ , $klarna_id, $id ] = $this->shop( $mode );
		$order = $this->captured_order( $id, $klarna_id );
		$this->assertSame( array( 'capture' => array( 'answered' => 1 ) ), self::ledger( $order ) );
		$this->assertInstanceOf( WC_Order_Refund::class, OrderFactory::refund_one_hoodie_via_klarna( $order ) );
		$this->assertSame( array( 'capture' => array( 'answered' => 1 ), 'refund' => array( 'answered' => 1 ) ), self::ledger( $order ) );
	}

	/** @dataProvider modes */
	public function test_a_full_refund_with_the_button_leaves_the_order_refunded( string $mode ): void {
		[ , $klarna_id, $id ] = $this->shop( $mode );
		$order  = $this->captured_order( $id, $klarna_id );
		$refund = wc_create_refund(
			array(
				'order_id'       => $id,
				'amount'         => '105.00',
				'reason'         => 'Returned',
				'refund_payment' => true,
				'line_items'     => array(
					11 => array( 'qty' => 2, 'refund_total' => '80.00', 'refund_tax' => array( 1 => '20.00' ) ),
					12 => array( 'qty' => 0, 'refund_total' => '4.00', 'refund_tax' => array( 1 => '1.00' ) ),
				),
			)
		);
		$this->assertInstanceOf( WC_Order_Refund::class, $refund );
		$this->assertSame( 'refunded', $order->get_status(), 'WooCommerce refunded everything Klarna captured' );
		$this->assertSame( array( 'completed', 'refunded' ), end( $order->transitions ) );
		$this->assertSame( array( 'captured', 'refunded' ), array_slice( $this->codes, 0, 2 ) );
		$this->assertSame( array(), array_diff( $this->codes, array( 'captured', 'refunded', 'nothing_held' ) ), 'accepted: no refusal' );
		$klarna = self::control( 'GET', "/orders/$klarna_id" );
		$this->assertSame( array( 'CAPTURED', 10500 ), array( $klarna['status'], $klarna['refunded_amount'] ) );
		$this->assertNotContains( "POST /ordermanagement/v1/orders/$klarna_id/cancel", self::requests( $klarna_id ) );
	}

	public static function refusals(): array {
		return array(
			'Cancelled, PHP FFI'           => array( 'ffi', 'cancelled', 'cancel_refused_captured' ),
			'Refunded by hand, executable' => array( 'cli', 'refunded', 'refunded_status_refused' ),
		);
	}

	/** @dataProvider refusals */
	public function test_a_status_that_says_nothing_is_held_is_refused_while_klarna_holds_the_capture( string $mode, string $status, string $code ): void {
		[ , $klarna_id, $id ] = $this->shop( $mode );
		$order = $this->captured_order( $id, $klarna_id );
		$order->set_status( $status );
		$order->save();
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertSame( array( 'captured', $code ), $this->codes );
		$this->assertStringContainsString( '€105.00', end( $order->notes ), 'the note names the amount still to refund' );
	}

	/** @dataProvider modes */
	public function test_a_refund_retried_after_klarna_was_down_goes_out_under_the_same_key_once( string $mode ): void {
		[ , $klarna_id, $id ] = $this->shop( $mode );
		$order = $this->captured_order( $id, $klarna_id );
		self::control( 'POST', '/faults', array( 'order_id' => $klarna_id, 'fail_next' => array( 'count' => 3, 'status' => 503 ) ) );
		$error = OrderFactory::refund_one_hoodie_via_klarna( $order );
		$this->assertInstanceOf( WP_Error::class, $error );
		$this->assertSame( array(), $order->get_refunds(), 'WooCommerce deleted the refund' );
		$this->assertNotEmpty( self::ledger( $order )['refund']['pending'] ?? null, 'the intent is pending' );

		$retry = OrderFactory::refund_one_hoodie_via_klarna( $order );
		$this->assertInstanceOf( WC_Order_Refund::class, $retry, 'the merchant retried: a new refund, a new id' );
		$keys = self::refund_keys( $klarna_id );
		$this->assertGreaterThan( 1, count( $keys ) );
		$this->assertCount( 1, array_unique( $keys ), 'the retry went out under the unresolved intent\'s key' );
		$klarna = self::control( 'GET', "/orders/$klarna_id" );
		$this->assertCount( 1, $klarna['refunds'] );
		$this->assertSame( 5000, $klarna['refunded_amount'] );
		$this->assertSame( $klarna['refunds'][0]['refund_id'], $order->get_meta( '_klarna_om_refund_id_' . $retry->get_id() ) );
		$this->assertSame( array( 'answered' => 1 ), self::ledger( $order )['refund'] );
	}

	public static function lost_answers(): array {
		return array(
			'the same refund again, PHP FFI'  => array( 'ffi', '50.00' ),
			'another amount, executable'      => array( 'cli', '30.00' ),
		);
	}

	/**
	 * Klarna refunded, but its answer came after the operation's budget: WooCommerce shows an error and deletes its
	 * refund. The merchant's retry is never a second refund at Klarna: the same refund is recognised as made; another
	 * amount is refused, naming the refund Klarna made (which WooCommerce has not recorded).
	 *
	 * @dataProvider lost_answers
	 */
	public function test_a_refund_whose_answer_was_lost_is_never_made_twice( string $mode, string $retried_amount ): void {
		[ , $klarna_id, $id ] = $this->shop( $mode );
		$order = $this->captured_order( $id, $klarna_id );
		self::control( 'POST', '/faults', array( 'order_id' => $klarna_id, 'latency_ms' => 5500 ) );
		$error = $this->with_a_five_second_budget( static fn () => OrderFactory::refund_one_hoodie_via_klarna( $order ) );
		self::control( 'POST', '/faults', array( 'order_id' => $klarna_id, 'latency_ms' => 0 ) );
		$this->assertInstanceOf( WP_Error::class, $error );
		self::wait_for( $klarna_id, static fn ( $klarna ) => 5000 === $klarna['refunded_amount'] );
		$this->assertSame( 5000, self::control( 'GET', "/orders/$klarna_id" )['refunded_amount'], 'Klarna did refund' );

		$retry = '50.00' === $retried_amount
			? OrderFactory::refund_one_hoodie_via_klarna( $order )  // the same intent: amount and lines
			: wc_create_refund( array( 'order_id' => $id, 'amount' => $retried_amount, 'reason' => 'Returned', 'refund_payment' => true ) );
		$klarna = self::control( 'GET', "/orders/$klarna_id" );
		$this->assertCount( 1, $klarna['refunds'], 'one refund at Klarna, whatever the retry' );
		if ( '50.00' === $retried_amount ) {
			$this->assertInstanceOf( WC_Order_Refund::class, $retry );
			$this->assertSame( 'refunded', end( $this->codes ) );
		} else {
			$this->assertInstanceOf( WP_Error::class, $retry );
			$this->assertSame( 'refund_refused_earlier_attempt', end( $this->codes ) );
			$this->assertStringContainsString( $klarna['refunds'][0]['refund_id'], $retry->get_error_message(), 'names the refund Klarna made' );
			$this->assertStringContainsString( '€50.00', $retry->get_error_message() );
		}
		$this->assertArrayNotHasKey( 'pending', self::ledger( $order )['refund'] );
	}

	/** @dataProvider modes */
	public function test_a_capture_whose_answer_was_lost_is_completed_again_without_a_second_capture( string $mode ): void {
		[ , $klarna_id, $id ] = $this->shop( $mode );
		$order = OrderFactory::hoodies( $id, $klarna_id );
		// Klarna holds the capture past the operation's budget, then commits it (the read before it is answered at once).
		self::control( 'POST', '/faults', array( 'order_id' => $klarna_id, 'slow_next_mutating' => array( 'count' => 1, 'latency_ms' => 5500 ) ) );
		$this->with_a_five_second_budget(
			static function () use ( $order ) {
				$order->set_status( 'completed' );
				$order->save();
			}
		);
		$this->assertSame( 'on-hold', $order->get_status(), 'outcome unknown: On hold' );
		$this->assertNotEmpty( self::ledger( $order )['capture']['pending'] ?? null );
		self::wait_for( $klarna_id, static fn ( $klarna ) => 10500 === $klarna['captured_amount'] );

		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( 'completed', $order->get_status() );
		$this->assertCount( 1, self::control( 'GET', "/orders/$klarna_id" )['captures'] );
		$this->assertArrayNotHasKey( 'pending', self::ledger( $order )['capture'] );
	}

	/** @dataProvider modes */
	public function test_a_gateway_called_directly_refunds_the_amount_it_was_given( string $mode ): void {
		[ , $klarna_id, $id ] = $this->shop( $mode );
		$this->captured_order( $id, $klarna_id );
		$this->assertTrue( apply_filters( 'wc_klarna_payments_process_refund', false, $id, '12.50', 'Goodwill' ) );
		$this->assertSame( 1250, self::control( 'GET', "/orders/$klarna_id" )['refunded_amount'] );
	}
}
