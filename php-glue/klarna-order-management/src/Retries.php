<?php
/**
 * Background retries of operations whose outcome is unknown.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * A capture, cancel or update whose outcome is unknown (`capture_failed`, `cancel_failed`, `update_failed` with a
 * `pending` ledger entry: a timeout, a lost answer, a 5xx) is retried in the background through Action Scheduler
 * (bundled with WooCommerce), 1, 5, 30 and 120 minutes after the failure before it, with the same request: the order
 * as it is, the same intent, so the core sends it under the pending idempotency key and Klarna acts at most once. The
 * actions are `klarna_om_retry` in the group `klarna-order-management`, visible in WooCommerce → Status → Scheduled
 * Actions, with the arguments order id, operation, attempt.
 *
 * - **Success**: a status change moves the order to the status the merchant asked for (its save runs the operation:
 *   the status is set again, as the Klarna box's Retry does), and a note says it was a background retry.
 * - **A definite answer that refuses** (Klarna declined; the core put the order On hold with its note): never retried.
 * - **Unknown again**: the next attempt is scheduled; after the fourth, a note asks the merchant to check Klarna and use
 *   Retry in the Klarna box.
 * - **The merchant acted in between**: a retry runs only while its attempt is the one recorded on the order, the
 *   outcome is still pending in the ledger, and (for a status change) the order is still On hold, where the failure
 *   put it; otherwise it ends without calling the core (another status is a newer decision), with a note.
 * - **Refunds are never retried in the background.** WooCommerce deleted the refund whose outcome is unknown (the
 *   gateway returned an error), so there is no refund left to retry, and recreating it would move money the merchant
 *   has not asked for again. A note says so: refund the same amount again in WooCommerce; the core finds Klarna's
 *   refund of the first attempt by its reference if there is one, and then sends nothing.
 *
 * Action Scheduler's `unique` is not used: it ignores the arguments (one pending action per hook and group for the
 * whole shop) and refuses an action scheduled from a running one of the same hook (woocommerce-facts §5). Duplicates
 * are avoided per order and operation instead: `as_has_scheduled_action()` with the exact arguments of the attempt
 * recorded in the order meta `_klarna_om_retries`. Without Action Scheduler nothing is scheduled; the Klarna box's
 * Retry remains.
 */
final class Retries {
	public const HOOK  = 'klarna_om_retry';
	public const GROUP = 'klarna-order-management';
	/** Seconds from a failure to the next attempt: attempt 1 after 1 minute, then 5, 30 and 120 minutes. */
	public const DELAYS = array( 60, 300, 1800, 7200 );
	/** Order meta: operation → the attempt scheduled (1-based). */
	public const META = '_klarna_om_retries';
	/** The operations retried in the background. */
	public const OPERATIONS = array( 'capture', 'cancel', 'update' );

	/** @var array{0: int, 1: string, 2: int}|null Order id, operation and attempt of the retry running now. */
	private ?array $running = null;

	/**
	 * @param OrderHooks    $hooks           Runs the operations.
	 * @param Logger        $logger          The log.
	 * @param \Closure|null $function_exists Whether a function exists (function_exists()); tests play a WooCommerce
	 *                                       without Action Scheduler with their own.
	 */
	public function __construct( private readonly OrderHooks $hooks, private readonly Logger $logger, private readonly ?\Closure $function_exists = null ) {}

	/** Whether Action Scheduler is there. */
	private function scheduler(): bool {
		foreach ( array( 'as_schedule_single_action', 'as_has_scheduled_action', 'as_unschedule_action' ) as $function ) {
			if ( ! ( null === $this->function_exists ? function_exists( $function ) : ( $this->function_exists )( $function ) ) ) {
				return false;
			}
		}
		return true;
	}

	/**
	 * `klarna_om_outcome`: after every answer applied to an order. Schedules a retry of an unknown outcome, or forgets
	 * the one scheduled when the outcome is known now. Nothing escapes.
	 *
	 * @param \WC_Order $order     The order (the caller saves it).
	 * @param string    $operation The operation.
	 * @param array     $record    `outcome`, `success`, `note`.
	 */
	public function outcome( $order, $operation = '', $record = array() ): void {
		try {
			if ( ! $order instanceof \WC_Order ) {
				return;
			}
			$unknown = in_array( $operation, Ledger::pending( $order, $this->logger ), true );
			if ( 'refund' === $operation && $unknown ) {
				$order->add_order_note( __( 'The outcome of this refund is unknown, and WooCommerce removed the refund it had recorded. It is not retried automatically, because WooCommerce no longer holds it: refund the same amount again in WooCommerce. If Klarna did refund the first time, Klarna is not asked again and WooCommerce records that refund.', 'klarna-order-management' ) );
				return;
			}
			if ( ! in_array( $operation, self::OPERATIONS, true ) ) {
				return;
			}
			$running = null !== $this->running && $this->running[0] === $order->get_id() && $this->running[1] === $operation;
			if ( ! $unknown ) {
				$this->forget( $order, $operation, ! $running );
				return;
			}
			if ( $running ) {
				$this->schedule( $order, $operation, $this->running[2] + 1 );
				return;
			}
			$attempt = $this->attempt( $order, $operation );
			if ( $attempt > 0 && $this->scheduler() && as_has_scheduled_action( self::HOOK, self::args( $order, $operation, $attempt ), self::GROUP ) ) {
				return;  // Its retry is on its way already (the merchant failed again meanwhile).
			}
			$this->schedule( $order, $operation, 1 );
		} catch ( \Throwable $e ) {
			$this->logger->log( 'error', 'klarna-om could not schedule a retry', array( 'order_id' => $order instanceof \WC_Order ? $order->get_id() : 0, 'operation' => (string) $operation, 'error' => get_class( $e ) ) );
		}
	}

	/** The attempt recorded for an operation of the order, 0 when none. */
	private function attempt( \WC_Order $order, string $operation ): int {
		$stored = $order->get_meta( self::META );
		return is_array( $stored ) ? (int) ( $stored[ $operation ] ?? 0 ) : 0;
	}

	private static function args( \WC_Order $order, string $operation, int $attempt ): array {
		return array( $order->get_id(), $operation, $attempt );
	}

	/** Schedules an attempt (or, after the last one, says so), and records it on the order. */
	private function schedule( \WC_Order $order, string $operation, int $attempt ): void {
		$context = array( 'order_id' => $order->get_id(), 'operation' => $operation, 'attempt' => $attempt );
		if ( $attempt > count( self::DELAYS ) ) {
			$this->forget( $order, $operation, false );
			/* translators: 1: the operation (capture, cancel, update), 2: how many background retries were made. */
			$order->add_order_note( sprintf( __( 'Klarna order management retried the %1$s in the background %2$d times, and its outcome is still unknown. Check the order at Klarna, then use Retry in the Klarna box; Klarna will not act twice.', 'klarna-order-management' ), $operation, count( self::DELAYS ) ) );
			$this->logger->log( 'warning', 'klarna-om gave up retrying in the background', $context );
			return;
		}
		if ( ! $this->scheduler() ) {
			$this->logger->log( 'warning', 'klarna-om cannot retry in the background: Action Scheduler is not loaded', $context );
			return;
		}
		$delay = self::DELAYS[ $attempt - 1 ];
		$at    = time() + $delay;
		$id    = as_schedule_single_action( $at, self::HOOK, self::args( $order, $operation, $attempt ), self::GROUP );
		if ( ! $id ) {
			$this->logger->log( 'error', 'klarna-om could not schedule a retry (Action Scheduler refused it)', $context );
			return;
		}
		$stored               = $order->get_meta( self::META );
		$stored               = is_array( $stored ) ? $stored : array();
		$stored[ $operation ] = $attempt;
		$order->update_meta_data( self::META, $stored );
		/* translators: 1: the operation (capture, cancel, update), 2: a time, 3: the attempt's number, 4: the last one's. */
		$order->add_order_note( sprintf( __( 'Klarna order management will retry the %1$s in the background at %2$s (attempt %3$d of %4$d), with the same request: Klarna will not act twice.', 'klarna-order-management' ), $operation, (string) wp_date( (string) get_option( 'time_format', 'H:i' ), $at ), $attempt, count( self::DELAYS ) ) );
		$this->logger->log( 'info', 'klarna-om scheduled a retry', $context + array( 'delay_s' => $delay ) );
	}

	/** Forgets an operation's recorded attempt, and its scheduled action unless it is the one running. */
	private function forget( \WC_Order $order, string $operation, bool $unschedule ): void {
		$attempt = $this->attempt( $order, $operation );
		if ( 0 === $attempt ) {
			return;
		}
		if ( $unschedule && $this->scheduler() ) {
			as_unschedule_action( self::HOOK, self::args( $order, $operation, $attempt ), self::GROUP );
		}
		$stored = (array) $order->get_meta( self::META );
		unset( $stored[ $operation ] );
		if ( array() === $stored ) {
			$order->delete_meta_data( self::META );
		} else {
			$order->update_meta_data( self::META, $stored );
		}
	}

	/**
	 * `klarna_om_retry`: Action Scheduler runs an attempt. Nothing escapes (a failure is logged; Action Scheduler
	 * would mark the action failed and retry nothing).
	 *
	 * @param int    $order_id  The order.
	 * @param string $operation capture, cancel or update.
	 * @param int    $attempt   The attempt (1-based).
	 */
	public function run( $order_id, $operation = '', $attempt = 0 ): void {
		$order = null;
		try {
			$order = wc_get_order( absint( $order_id ) );
			if ( ! $order instanceof \WC_Order || ! in_array( $operation, self::OPERATIONS, true ) || (int) $attempt !== $this->attempt( $order, (string) $operation ) ) {
				return;  // Not this plugin's to run, or stale: another attempt, or none, is recorded now.
			}
			$intent = (array) ( Outcomes::all( $order )[ $operation ]['intent'] ?? array() );
			$to     = (string) ( $intent['to'] ?? '' );
			$stop   = match ( true ) {
				! Gateways::managed_here( $order ) => 'the order is not managed by this plugin any more',
				! in_array( $operation, Ledger::pending( $order, $this->logger ), true ) => 'its outcome is known now',
				'' !== $to && ! $order->has_status( 'on-hold' ) => 'the order is not On hold',
				default => null,
			};
			if ( null !== $stop ) {
				$this->forget( $order, (string) $operation, false );
				if ( 'the order is not On hold' === $stop ) {
					/* translators: %s: the operation (capture, cancel, update). */
					$order->add_order_note( sprintf( __( 'Klarna order management did not retry the %s in the background: the order is not On hold, where a failed status change leaves it, so a retry could overrule a newer decision. Its outcome is still unknown: check the order at Klarna, or use Retry in the Klarna box.', 'klarna-order-management' ), $operation ) );
				}
				$this->logger->log( 'info', 'klarna-om retry ended without a call: ' . $stop, array( 'order_id' => $order->get_id(), 'operation' => $operation, 'attempt' => (int) $attempt ) );
				$order->save();
				return;
			}
			$this->running = array( $order->get_id(), (string) $operation, (int) $attempt );
			$this->hooks->retry( $order, (string) $operation );
			$order->save();
			$this->running = null;
			$latest        = Outcomes::all( $order )[ $operation ] ?? array();
			if ( true === ( $latest['success'] ?? false ) ) {
				$order->add_order_note(
					'' === $to
						/* translators: 1: the operation (capture), 2: the attempt's number. */
						? sprintf( __( 'Klarna order management retried the %1$s in the background (attempt %2$d), and Klarna has done it.', 'klarna-order-management' ), $operation, (int) $attempt )
						/* translators: 1: the operation (capture, cancel, update), 2: the attempt's number, 3: the order status. */
						: sprintf( __( 'Klarna order management retried the %1$s in the background (attempt %2$d), and Klarna has done it: the order is %3$s, as was asked.', 'klarna-order-management' ), $operation, (int) $attempt, wc_get_order_status_name( $order->get_status() ) )
				);
				$order->save();
			}
		} catch ( \Throwable $e ) {
			$this->logger->log( 'error', 'klarna-om background retry failed', array( 'order_id' => (int) $order_id, 'operation' => (string) $operation, 'error' => get_class( $e ) ) );
		} finally {
			$this->running = null;
		}
	}

	/** Plugin deactivation and uninstall: every retry still scheduled is cancelled (by hook: any arguments). */
	public static function unschedule_all(): void {
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( self::HOOK );
		}
	}
}
