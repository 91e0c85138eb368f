<?php
use KlarnaOM\Attention;
use KlarnaOM\Logger;
use KlarnaOM\Retries;
use PHPUnit\Framework\TestCase;

/**
 * Issue 15, part 2: an operation whose outcome is unknown (a `pending` ledger entry) is retried in the background
 * through Action Scheduler, 1, 5, 30 and 120 minutes after each failure, with the same request, and the order moves to
 * the status the merchant asked for once Klarna has done it. Action Scheduler is the doubles' (tests/doubles), whose
 * queue the tests run by hand.
 */
final class BackgroundRetryTest extends TestCase {
	protected function setUp(): void {
		$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 's' ) );
		$GLOBALS['klarna_om_test_orders']  = array();
		$GLOBALS['klarna_om_test_actions'] = array();
		$GLOBALS['klarna_om_test_user']    = array();
		$GLOBALS['klarna_om_test_log']     = array();
	}

	private static function failed( string $operation, string $pending = 'fp-1' ): array {
		return array( 'version' => 1, 'ok' => true, 'operation' => $operation, 'outcome' => "{$operation}_failed", 'success' => false, 'order_status' => 'refund' === $operation ? null : 'on-hold', 'note' => array( 'code' => "{$operation}_failed", 'text' => "Klarna did not answer the $operation." ), 'ledger' => array( 'answered' => 0, 'pending' => $pending ) );
	}

	private static function done( string $operation, string $outcome ): array {
		return array( 'version' => 1, 'ok' => true, 'operation' => $operation, 'outcome' => $outcome, 'success' => true, 'note' => array( 'code' => $outcome, 'text' => "Klarna: $outcome." ), 'ledger' => array( 'answered' => 1 ) );
	}

	/** A core whose answers to `$operation` are `$answers`, one per call, in order. */
	private static function core( string $operation, array $answers ): ScriptedCore {
		$next = static function () use ( &$answers ) {
			return array_shift( $answers );
		};
		return new ScriptedCore( array( $operation => $next ) );
	}

	/** Action Scheduler's queue runs, as time has passed far enough for every action scheduled so far. */
	private static function run_queue(): array {
		return klarna_om_test_run_due_actions( time() + 86400 );
	}

	/**
	 * Completed → capture_failed (outcome unknown): On hold, and a retry in 1 minute. Attempts 1 and 2 are unknown
	 * again (retried after 5, then 30 minutes); attempt 3 captures: the order is Completed, as the merchant asked, with
	 * a note; nothing more is scheduled. Every retry sends the request the order makes now, with the pending ledger
	 * entry (so the core reuses the key).
	 */
	public function test_a_capture_whose_outcome_is_unknown_is_retried_and_completes_the_order_on_its_third_attempt(): void {
		$core = self::core( 'capture', array( self::failed( 'capture' ), self::failed( 'capture' ), self::failed( 'capture' ), self::done( 'capture', 'captured' ) ) );
		Shop::wire( $core );
		$order = OrderFactory::hoodies( 1201, 'k-1201' );
		$at    = array( time() );
		$order->set_status( 'completed' );
		$order->save();
		$at[] = time();
		$this->assertSame( 'on-hold', $order->get_status() );
		$this->assertMatchesRegularExpression( '/^Klarna order management will retry the capture in the background at \d\d:\d\d \(attempt 1 of 4\), with the same request: Klarna will not act twice\.$/', end( $order->notes ) );
		$actions = klarna_om_test_actions( Retries::HOOK );
		$this->assertCount( 1, $actions );
		$this->assertSame( array( array( 1201, 'capture', 1 ), Retries::GROUP, 'pending' ), array( $actions[0]['args'], $actions[0]['group'], $actions[0]['status'] ) );
		$this->assertTrue( $actions[0]['timestamp'] >= $at[0] + 60 && $actions[0]['timestamp'] <= $at[1] + 60, 'in 1 minute' );

		foreach ( array( 2 => 300, 3 => 1800 ) as $next => $delay ) {
			$before = time();
			$ran    = self::run_queue();
			$after  = time();
			$this->assertSame( array( 'complete' ), array_column( $ran, 'status' ) );
			$this->assertSame( 'on-hold', $order->get_status() );
			$pending = klarna_om_test_actions( Retries::HOOK, 'pending' );
			$this->assertSame( array( 1201, 'capture', $next ), $pending[0]['args'] );
			$this->assertTrue( $pending[0]['timestamp'] >= $before + $delay && $pending[0]['timestamp'] <= $after + $delay, "attempt $next after $delay s" );
		}
		self::run_queue();

		$this->assertSame( 'completed', $order->get_status() );
		$this->assertSame( 'Klarna order management retried the capture in the background (attempt 3), and Klarna has done it: the order is Completed, as was asked.', end( $order->notes ) );
		$this->assertSame( array(), klarna_om_test_actions( Retries::HOOK, 'pending' ) );
		$this->assertSame( '', $order->get_meta( Retries::META ) );
		$this->assertSame( '', $order->get_meta( Attention::FLAG ) );
		$this->assertSame( array( array( 'processing', 'on-hold' ), array( 'on-hold', 'completed' ) ), $order->transitions, 'On hold once, then Completed: no On hold to On hold' );

		$this->assertCount( 4, $core->calls );
		$first = $core->calls[0][1]['order'];
		foreach ( array_slice( $core->calls, 1 ) as $call ) {
			$this->assertSame( array( 'from' => 'on-hold', 'to' => 'completed' ), $call[1]['order']['transition'] );
			$this->assertSame( 'fp-1', $call[1]['order']['meta']['ledger']->capture->pending, 'the pending entry: the core reuses its key' );
			$this->assertSame( array_diff_key( $first, array( 'transition' => 1, 'meta' => 1 ) ), array_diff_key( $call[1]['order'], array( 'transition' => 1, 'meta' => 1 ) ), 'the same order' );
		}
	}

	/** A definite answer that refuses is never retried. */
	public function test_a_definite_refusal_is_never_retried(): void {
		$refused = array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'capture_refused', 'success' => false, 'order_status' => 'on-hold', 'note' => array( 'code' => 'capture_refused_cancelled', 'text' => 'Klarna did not capture.' ), 'ledger' => array( 'answered' => 1 ) );
		Shop::wire( self::core( 'capture', array( $refused ) ) );
		$order = OrderFactory::hoodies( 1202, 'k-1202' );
		$order->update_status( 'completed' );
		$this->assertSame( array( 'on-hold', array( 'Klarna did not capture.' ) ), array( $order->get_status(), $order->notes ) );
		$this->assertSame( array(), klarna_om_test_actions( Retries::HOOK ) );
	}

	/** Four background attempts, all unknown: no fifth; a note asks the merchant to check Klarna and use Retry. */
	public function test_after_four_unknown_attempts_it_stops_and_says_so(): void {
		$core = self::core( 'cancel', array_fill( 0, 5, self::failed( 'cancel' ) ) );
		Shop::wire( $core );
		$order = OrderFactory::hoodies( 1203, 'k-1203' );
		$order->update_status( 'cancelled' );
		for ( $attempt = 1; $attempt <= 4; $attempt++ ) {
			self::run_queue();
		}
		$this->assertSame( array( array( 1203, 'cancel', 1 ), array( 1203, 'cancel', 2 ), array( 1203, 'cancel', 3 ), array( 1203, 'cancel', 4 ) ), array_column( klarna_om_test_actions( Retries::HOOK ), 'args' ) );
		$this->assertSame( array(), klarna_om_test_actions( Retries::HOOK, 'pending' ) );
		$this->assertCount( 5, $core->calls );
		$this->assertSame( 'Klarna order management retried the cancel in the background 4 times, and its outcome is still unknown. Check the order at Klarna, then use Retry in the Klarna box; Klarna will not act twice.', end( $order->notes ) );
		$this->assertSame( array( 'on-hold', 'yes' ), array( $order->get_status(), $order->get_meta( Attention::FLAG ) ) );
	}

	/**
	 * Action Scheduler's `unique` would allow one pending action per hook and group in the whole shop: two orders
	 * failing at once both get their retry, and one order failing twice gets one.
	 */
	public function test_each_order_gets_its_own_retry_and_only_one(): void {
		Shop::wire( new ScriptedCore( array( 'update' => self::failed( 'update' ) ) ) );
		foreach ( array( 1204, 1205 ) as $id ) {
			OrderFactory::hoodies( $id, "k-$id", 2, 'klarna_payments', 'on-hold' )->update_status( 'processing' );
		}
		wc_get_order( 1204 )->update_status( 'processing' );  // The merchant tries again at once: unknown again.
		$this->assertSame( array( array( 1204, 'update', 1 ), array( 1205, 'update', 1 ) ), array_column( klarna_om_test_actions( Retries::HOOK, 'pending' ), 'args' ) );
	}

	/** The merchant changed the status before the retry ran: it ends without calling the core, and says why. */
	public function test_a_retry_does_not_overrule_a_newer_status(): void {
		$core = self::core( 'capture', array( self::failed( 'capture' ) ) );
		Shop::wire( $core );
		$order = OrderFactory::hoodies( 1206, 'k-1206' );
		$order->update_status( 'completed' );
		$order->update_status( 'pending' );  // The merchant's newer word (asks Klarna nothing).
		self::run_queue();
		$this->assertCount( 1, $core->calls );
		$this->assertSame( 'pending', $order->get_status() );
		$this->assertStringContainsString( 'did not retry the capture in the background: the order is not On hold, where a failed status change leaves it', end( $order->notes ) );
		$this->assertSame( '', $order->get_meta( Retries::META ) );
	}

	/** The merchant's own Retry (the Klarna box) resolved the outcome: the scheduled retry is cancelled. */
	public function test_a_retry_made_by_hand_cancels_the_scheduled_one(): void {
		$core = self::core( 'capture', array( self::failed( 'capture' ), self::done( 'capture', 'already_captured' ) ) );
		Shop::wire( $core );
		$GLOBALS['klarna_om_test_user'] = array( 'id' => 7, 'caps' => array( 'edit_shop_orders' ) );
		$order                          = OrderFactory::hoodies( 1207, 'k-1207' );
		$order->update_status( 'completed' );
		do_action( 'woocommerce_order_action_klarna_om_retry_capture', $order );
		$this->assertSame( 'completed', $order->get_status() );
		$this->assertSame( array( 'canceled' ), array_column( klarna_om_test_actions( Retries::HOOK ), 'status' ) );
		$this->assertSame( array(), self::run_queue() );
		$this->assertCount( 2, $core->calls );
	}

	/**
	 * A refund whose outcome is unknown is not retried: WooCommerce deleted its refund, and recreating one would move
	 * money the merchant has not asked for again. The note says to refund the same amount again.
	 */
	public function test_a_refund_whose_outcome_is_unknown_is_not_retried(): void {
		Shop::wire( new ScriptedCore( array( 'refund' => self::failed( 'refund' ) ) ) );
		$order  = OrderFactory::hoodies( 1208, 'k-1208', 2, 'klarna_payments', 'completed' );
		$result = OrderFactory::refund_one_hoodie_via_klarna( $order );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( array(), $order->get_refunds(), 'WooCommerce deleted its refund' );
		$this->assertSame( array(), klarna_om_test_actions( Retries::HOOK ) );
		$this->assertSame( 'The outcome of this refund is unknown, and WooCommerce removed the refund it had recorded. It is not retried automatically, because WooCommerce no longer holds it: refund the same amount again in WooCommerce. If Klarna did refund the first time, Klarna is not asked again and WooCommerce records that refund.', end( $order->notes ) );
		$this->assertSame( 'completed', $order->get_status() );
	}

	/** Without Action Scheduler (function_exists false) nothing is scheduled, and the log says why. */
	public function test_without_action_scheduler_nothing_is_scheduled(): void {
		$hooks   = Shop::wire( new ScriptedCore( array() ) );
		$retries = new Retries( $hooks, new Logger(), static fn ( $function ) => ! str_starts_with( $function, 'as_' ) );
		$order   = OrderFactory::hoodies( 1209, 'k-1209', 2, 'klarna_payments', 'on-hold' );
		$order->meta['_klarna_om_ledger'] = '{"capture":{"answered":0,"pending":"fp"}}';
		$retries->outcome( $order, 'capture', array( 'outcome' => 'capture_failed', 'success' => false ) );
		$this->assertSame( array(), klarna_om_test_actions( Retries::HOOK ) );
		$this->assertSame( array( 'warning', 'klarna-om cannot retry in the background: Action Scheduler is not loaded' ), array_slice( end( $GLOBALS['klarna_om_test_log'] ), 0, 2 ) );
	}

	/** Deactivating the plugin cancels every retry still scheduled, whatever its arguments. */
	public function test_deactivation_cancels_the_scheduled_retries(): void {
		Shop::wire( new ScriptedCore( array( 'capture' => self::failed( 'capture' ) ) ) );
		OrderFactory::hoodies( 1210, 'k-1210' )->update_status( 'completed' );
		OrderFactory::hoodies( 1211, 'k-1211' )->update_status( 'completed' );
		as_schedule_single_action( time(), 'another_plugins_hook', array( 1 ) );
		( $GLOBALS['klarna_om_test_deactivation'] )();
		$this->assertSame( array( 'canceled', 'canceled' ), array_column( klarna_om_test_actions( Retries::HOOK ), 'status' ) );
		$this->assertSame( array( 'pending' ), array_column( klarna_om_test_actions( 'another_plugins_hook' ), 'status' ) );
	}
}
