<?php
/**
 * The WooCommerce actions that trigger the four flows.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Maps WooCommerce events to core operations: status → Cancelled or → Refunded is cancel, → Completed is capture,
 * On hold → Processing is update (after item edits), and the gateways' refund filters are refund. Status changes are
 * caught in `woocommerce_before_order_object_save`, so they work the same from the order screen, the REST API, bulk
 * actions and code, and a refusal changes the status being saved to On hold before WooCommerce commits it: then no
 * Cancelled or Refunded transition, e-mail, or manual refund (`wc_order_fully_refunded`) happens.
 *
 * Many status changes at once (a bulk action, the REST batch endpoint) are asked of Klarna ahead of WooCommerce's
 * saves in one `om_batch` call (prepare()); each order's save then applies its own kept answer exactly as a single
 * call's, without calling the core again.
 */
final class OrderHooks {
	/** Set while a response is applied, so our own status change does not trigger us again. */
	private bool $applying = false;

	/**
	 * The refund WooCommerce is creating, per order id: kept from `woocommerce_create_refund`, which fires once per
	 * wc_create_refund() with the refund saved, just before the gateway's process_refund. process_refund is told only
	 * the order id and amount, and get_refunds()[0] may be another refund (same-second refunds have no defined order).
	 *
	 * @var array<int, \WC_Order_Refund>
	 */
	private array $refunds_in_progress = array();

	/**
	 * Klarna's answers got ahead of WooCommerce's saves (prepare()), per order id: the operation, the status about to
	 * be saved, and the core's response. Each is taken by the order's next status change; flush() records the rest.
	 *
	 * @var array<int, array{operation: string, to: string, response: array}>
	 */
	private array $prepared = array();

	private readonly Batch $batch;

	public function __construct(
		private readonly Core $bridge,
		private readonly SnapshotBuilder $snapshots,
		private readonly ResponseApplier $applier,
		private readonly Logger $logger,
	) {
		$this->batch = new Batch( $bridge, $logger );
	}

	/**
	 * The operation a status change asks for, or null. Cancelled and Refunded both say the customer holds nothing
	 * more, from any status: the snapshot's `transition.to` tells the core which, and the core decides (cancel at
	 * Klarna when nothing was captured; accept when WooCommerce has refunded what Klarna captured; otherwise refuse,
	 * and the order is put On hold). Processing says Klarna holds the order total: after On hold (items edited),
	 * Cancelled or Refunded the lines are sent again, and Klarna's answer says whether it can (a cancelled Klarna
	 * order cannot: the order is held). Pending → Processing is the payment itself, not ours.
	 */
	public static function operation_for( string $from, string $to ): ?string {
		return match ( true ) {
			$from === $to => null,
			'cancelled' === $to, 'refunded' === $to => 'cancel',
			'completed' === $to => 'capture',
			'processing' === $to && in_array( $from, array( 'on-hold', 'cancelled', 'refunded' ), true ) => 'update',
			default => null,
		};
	}

	/**
	 * `woocommerce_before_order_object_save`: runs the operation a status change asks for (run()). Nothing escapes it:
	 * any failure becomes a note and On hold (ResponseApplier::unavailable), and WooCommerce's save goes on.
	 *
	 * @param \WC_Order $order The order being saved.
	 */
	public function before_save( $order ): void {
		if ( $this->applying || ! $order instanceof \WC_Order || $order instanceof \WC_Order_Refund ) {
			return;
		}
		$changes = $order->get_changes();
		if ( ! isset( $changes['status'] ) ) {
			return;
		}
		$from      = (string) ( $order->get_data()['status'] ?? '' );
		$to        = (string) $changes['status'];
		$operation = self::operation_for( $from, $to );
		if ( null === $operation || ! Gateways::manages( $order ) ) {
			return;
		}
		try {
			$elsewhere = Coexistence::handled_elsewhere( $order );
		} catch ( \Throwable $e ) {
			$this->failed( $order, $operation, $e, null, array( 'to' => $to ) );
			return;
		}
		if ( ! $elsewhere ) {
			$this->run( $order, $operation, array( 'from' => $from, 'to' => $to ), array(), true, $this->take_prepared( $order, $operation, $to ) );
		}
	}

	/**
	 * Asks Klarna for many status changes WooCommerce is about to save (a bulk action, the REST batch endpoint) in one
	 * `om_batch` call, and keeps each order's answer for its save (before_save()), which applies it as the answer of a
	 * single call: the same note, meta, ledger, state and status, the refused ones On hold. Only changes that ask
	 * Klarna for something (operation_for()) of orders this plugin manages (Gateways, Coexistence) are sent; the
	 * request is the one the save would send (the same snapshot and transition), so the core gives it the same key.
	 * Where the core has no `om_batch` (an older library), or the batch fails, nothing is kept and every save calls the
	 * core itself, as without this. Nothing escapes.
	 *
	 * @param array<int, string> $changes Order id → the status about to be saved (with or without `wc-`).
	 * @return int How many answers are kept.
	 */
	public function prepare( array $changes ): int {
		$items = array();
		$to    = array();
		foreach ( $changes as $id => $status ) {
			try {
				$order = wc_get_order( (int) $id );
				if ( ! $order instanceof \WC_Order || $order instanceof \WC_Order_Refund || isset( $this->prepared[ $order->get_id() ] ) ) {
					continue;
				}
				$status    = str_starts_with( (string) $status, 'wc-' ) ? substr( (string) $status, 3 ) : (string) $status;
				$from      = (string) ( $order->get_data()['status'] ?? '' );
				$operation = self::operation_for( $from, $status );
				if ( null === $operation || ! Gateways::managed_here( $order ) ) {
					continue;
				}
				$items[ $order->get_id() ] = array( 'operation' => $operation, 'request' => $this->snapshots->request( $order, array( 'from' => $from, 'to' => $status ) ) );
				$to[ $order->get_id() ]    = $status;
			} catch ( \Throwable $e ) {
				// Its own save calls the core, as without a batch.
				$this->quietly( 'log', fn () => $this->logger->log( 'error', 'klarna-om could not prepare an order for the batch', array( 'order_id' => (int) $id, 'error' => get_class( $e ) ) ) );
			}
		}
		try {
			$answers = $this->batch->responses( $items );
		} catch ( \Throwable $e ) {
			$answers = array();
			$this->quietly( 'log', fn () => $this->logger->log( 'error', 'klarna-om batch failed', array( 'error' => get_class( $e ) ) ) );
		}
		foreach ( $answers as $id => $response ) {
			$this->prepared[ $id ] = array( 'operation' => $items[ $id ]['operation'], 'to' => $to[ $id ], 'response' => $response );
		}
		return count( $answers );
	}

	/**
	 * The answer prepare() kept for this status change, taken once. One kept for another change (a listener changed
	 * the status being saved in between) is still what Klarna did: it is recorded on the order (note, meta, ledger,
	 * state) without its status, and this change calls the core itself.
	 */
	private function take_prepared( \WC_Order $order, string $operation, string $to ): ?array {
		$prepared = $this->prepared[ $order->get_id() ] ?? null;
		unset( $this->prepared[ $order->get_id() ] );
		if ( null === $prepared || ( $prepared['operation'] === $operation && $prepared['to'] === $to ) ) {
			return null === $prepared ? null : $prepared['response'];
		}
		$this->record_unsaved( $order, $prepared );
		return null;
	}

	/**
	 * `shutdown`, and the end of a REST batch: answers prepare() kept for saves WooCommerce never made (the bulk loop
	 * stopped, another plugin took an id out, an item of the REST batch failed) are what Klarna did, so each is
	 * recorded on its order and the order saved; the status stays the one WooCommerce has. Nothing escapes.
	 */
	public function flush(): void {
		$prepared       = $this->prepared;
		$this->prepared = array();
		foreach ( $prepared as $id => $entry ) {
			try {
				$order = wc_get_order( $id );
				if ( $order instanceof \WC_Order ) {
					$this->record_unsaved( $order, $entry );
					$order->save();
				}
			} catch ( \Throwable $e ) {
				$this->quietly( 'log', fn () => $this->logger->log( 'error', 'klarna-om could not record an answer of the batch', array( 'order_id' => (int) $id, 'error' => get_class( $e ) ) ) );
			}
		}
	}

	/** Records a kept answer whose status change WooCommerce did not save: all of it but the status it asks for. */
	private function record_unsaved( \WC_Order $order, array $prepared ): void {
		$response = $prepared['response'];
		$context  = array( 'order_id' => $order->get_id(), 'operation' => $prepared['operation'], 'to' => $prepared['to'] );
		if ( true !== ( $response['ok'] ?? false ) ) {
			$this->logger->log( 'warning', 'klarna-om: a status change asked of Klarna in a batch was not saved; Klarna was not called for it', $context );
			return;
		}
		$this->logger->log( 'warning', 'klarna-om: a status change asked of Klarna in a batch was not saved; Klarna\'s answer is recorded without it', $context );
		unset( $response['order_status'] );
		$was_applying   = $this->applying;
		$this->applying = true;
		try {
			$this->applier->apply( $order, $response, $prepared['operation'], array( 'to' => $prepared['to'] ) );
		} finally {
			$this->applying = $was_applying;
		}
	}

	/**
	 * Reads Klarna's side of many orders (`sync`) in as few `om_batch` calls as the limits allow, single calls where the
	 * core has no batch, and returns the answers without applying anything: no note, meta, ledger or state is
	 * stored (the reconciliation changes nothing unless asked). Each request carries the order's WooCommerce status
	 * (`order.status`), which the core compares with Klarna's order.
	 *
	 * @param \WC_Order[] $orders The orders, by id.
	 * @return array<int, array|NativeUnavailable> The answers, by order id.
	 */
	public function read( array $orders ): array {
		$items = array();
		foreach ( $orders as $order ) {
			$request                    = $this->snapshots->request( $order );
			$request['order']['status'] = (string) $order->get_status();
			$items[ $order->get_id() ]  = array( 'operation' => 'sync', 'request' => $request );
		}
		return $this->batch->each( $items );
	}

	/**
	 * Repeats the recorded intent of an operation whose outcome is unknown (the Klarna box's Retry, the background
	 * retries, WP-CLI): a status change by setting that status again (its save, by the caller, runs the operation), an
	 * action of the box by sending the same request members. The core sends it under the pending idempotency key.
	 *
	 * @param \WC_Order $order     The order; the caller saves it.
	 * @param string    $operation The operation whose outcome is unknown.
	 */
	public function retry( \WC_Order $order, string $operation ): void {
		$intent = (array) ( Outcomes::all( $order )[ $operation ]['intent'] ?? array() );
		$to     = (string) ( $intent['to'] ?? '' );
		if ( '' !== $to && ! $order->has_status( $to ) ) {
			$order->set_status( $to );  // The status change again: its save runs the operation (before_save()).
			return;
		}
		$transition = '' === $to ? array() : array( 'from' => (string) $order->get_status(), 'to' => $to );
		$members    = isset( $intent['capture'] ) && is_array( $intent['capture'] ) ? array( 'capture' => $intent['capture'] ) : array();
		$this->run( $order, $operation, $transition, $members );
	}

	/**
	 * Runs one operation for an order and applies the answer (note, meta, ledger, state, status); the caller saves the
	 * order. Nothing escapes it: any failure becomes a note (and On hold for a status change) and the outcome record.
	 * A status change calls it from before_save(); the Klarna box's actions call it directly (OrderActions).
	 *
	 * @param \WC_Order $order      The order.
	 * @param string    $operation  cancel, capture, update, sync, release or extend.
	 * @param array     $transition The status change being saved, when it is one (`from`, `to`).
	 * @param array     $members    Request members besides the snapshot: `capture` (one shipment).
	 * @param bool      $hold       Whether a failure to run puts the order On hold (a status change claims what
	 *                              Klarna has not done; an action of the box claims nothing).
	 * @param array|null $answer    The core's answer when it was got ahead (prepare()): applied instead of a call.
	 * @return array{operation: string, outcome: string, success: bool, note: string} The outcome recorded.
	 */
	public function run( \WC_Order $order, string $operation, array $transition = array(), array $members = array(), bool $hold = false, ?array $answer = null ): array {
		$intent         = array_filter( array( 'to' => $transition['to'] ?? null, 'capture' => $members['capture'] ?? null ) );
		$was_applying   = $this->applying;
		$this->applying = true;
		$response       = null;
		try {
			$response = $answer ?? $this->bridge->call( $operation, $members + $this->snapshots->request( $order, $transition ) );
			$this->applier->apply( $order, $response, $operation, $intent );
			if ( true !== ( $response['ok'] ?? false ) ) {
				$this->applier->unavailable( $order, $operation, self::error_message( $response ), false, self::error_context( $response ), $intent, $hold, self::error_code( $response ) );
			}
		} catch ( \Throwable $e ) {
			$this->failed( $order, $operation, $e, $response, $intent, $hold );
		} finally {
			$this->applying = $was_applying;
		}
		return array( 'operation' => $operation ) + ( Outcomes::all( $order )[ $operation ] ?? array( 'outcome' => 'unavailable', 'success' => false, 'note' => '' ) );
	}

	/**
	 * The gateways' refund filters: `($result, $order_id, $amount, $reason)`. The order, with the note, meta and
	 * ledger the answer brought, is saved before it returns, whatever happened.
	 *
	 * @return bool|\WP_Error True when Klarna refunded; a WP_Error with Klarna's reason (or why it could not be
	 *                        asked) otherwise, on which WooCommerce deletes its refund.
	 */
	public function refund( $result, $order_id, $amount = null, $reason = '' ) {
		$order    = null;
		$response = null;
		try {
			$order = wc_get_order( $order_id );
			if ( ! $order instanceof \WC_Order || Coexistence::handled_elsewhere( $order ) ) {
				return $result;  // Leave the answer to the plugin that manages this order.
			}
			$refund   = $this->take_refund_in_progress( $order );
			$response = $this->bridge->call( 'refund', $this->snapshots->refund_request( $order, $refund, $amount, (string) $reason ) );
			$success  = $this->applier->apply( $order, $response, 'refund' );
			if ( true !== ( $response['ok'] ?? false ) ) {
				$this->applier->unavailable( $order, 'refund', self::error_message( $response ), false, self::error_context( $response ), array(), false, self::error_code( $response ) );
			}
			$order->save();
		} catch ( \Throwable $e ) {
			if ( $order instanceof \WC_Order ) {
				$this->failed( $order, 'refund', $e, $response );
				$this->quietly( 'save', static fn () => $order->save() );
			} else {
				$this->quietly( 'log', fn () => $this->logger->log( 'error', 'klarna-om refund failed before the order was read', array( 'order_id' => (int) $order_id, 'error' => get_class( $e ) ) ) );
			}
			if ( true === ( $response['ok'] ?? false ) && true === ( $response['success'] ?? false ) ) {
				return true;  // Klarna refunded: WooCommerce must keep its refund, whatever failed afterwards.
			}
			return new \WP_Error( 'klarna_om_unavailable', self::reason( $e ) );
		}
		if ( $success ) {
			return true;
		}
		$message = (string) ( $response['note']['text'] ?? $response['error']['message'] ?? __( 'Klarna did not refund this amount.', 'klarna-order-management' ) );
		return new \WP_Error( (string) ( $response['outcome'] ?? $response['error']['code'] ?? 'klarna_om_refund_failed' ), $message );
	}

	/** The message of an `ok: false` response. */
	private static function error_message( array $response ): string {
		return (string) ( ( (array) ( $response['error'] ?? array() ) )['message'] ?? 'invalid request' );
	}

	/** The error code of an `ok: false` response, recorded as its outcome. */
	private static function error_code( array $response ): string {
		return (string) ( ( (array) ( $response['error'] ?? array() ) )['code'] ?? 'invalid_response' );
	}

	/** The log context of an `ok: false` response: the error code and the request field it names. */
	private static function error_context( array $response ): array {
		$error = (array) ( $response['error'] ?? array() );
		return array_filter( array( 'code' => (string) ( $error['code'] ?? '' ), 'field' => (string) ( $error['field'] ?? '' ) ), 'strlen' );
	}

	/** A failure's reason for a note: the bridge's own words, or only the kind of an unexpected error. */
	private static function reason( \Throwable $e ): string {
		return $e instanceof NativeUnavailable ? $e->getMessage() : 'unexpected ' . get_class( $e );
	}

	/**
	 * Anything that went wrong around a call becomes the note (On hold for a status change) and a log line with the
	 * details. Whether Klarna may have acted (the core answered, or was started and its answer lost) picks the words.
	 */
	private function failed( \WC_Order $order, string $operation, \Throwable $e, ?array $response, array $intent = array(), bool $hold = true ): void {
		$may_have_run = true === ( $response['ok'] ?? false ) || ( $e instanceof NativeUnavailable && $e->may_have_run() );
		$this->quietly(
			'note',
			fn () => $this->applier->unavailable( $order, $operation, self::reason( $e ), $may_have_run, array( 'error' => get_class( $e ) . ': ' . $e->getMessage(), 'at' => basename( $e->getFile() ) . ':' . $e->getLine() ), $intent, $hold )
		);
	}

	/** Runs work whose own failure must not escape a WooCommerce hook either; PHP's error log is the last resort. */
	private function quietly( string $what, callable $work ): void {
		try {
			$work();
		} catch ( \Throwable $e ) {
			error_log( "klarna-om: the $what after a failure failed too (" . get_class( $e ) . ')' );  // phpcs:ignore WordPress.PHP.DevelopmentFunctions -- nothing else is left.
		}
	}

	/**
	 * `woocommerce_create_refund`: keeps the refund WooCommerce is about to send to the gateway.
	 *
	 * @param \WC_Order_Refund $refund The refund, saved, with its id.
	 * @param array            $args   wc_create_refund's arguments.
	 */
	public function refund_being_created( $refund, $args = array() ): void {
		if ( $refund instanceof \WC_Order_Refund ) {
			$this->refunds_in_progress[ (int) $refund->get_parent_id() ] = $refund;
		}
	}

	/**
	 * `woocommerce_refund_created`: the refund is made (or was never for the gateway); it is no longer in progress.
	 *
	 * @param int   $refund_id The refund's id.
	 * @param array $args      wc_create_refund's arguments.
	 */
	public function refund_created( $refund_id, $args = array() ): void {
		foreach ( $this->refunds_in_progress as $order_id => $refund ) {
			if ( $refund->get_id() === (int) $refund_id ) {
				unset( $this->refunds_in_progress[ $order_id ] );
			}
		}
	}

	/**
	 * The refund in progress for this order, taken once: the refund filter runs once per refund, and a refund that
	 * failed is deleted by WooCommerce (its retry is a new refund). One the order no longer lists was deleted after
	 * `woocommerce_create_refund` (a listener vetoed it), so it is not the one being paid out.
	 */
	private function take_refund_in_progress( \WC_Order $order ): ?\WC_Order_Refund {
		$refund = $this->refunds_in_progress[ $order->get_id() ] ?? null;
		unset( $this->refunds_in_progress[ $order->get_id() ] );
		foreach ( null === $refund ? array() : $order->get_refunds() as $listed ) {
			if ( $listed->get_id() === $refund->get_id() ) {
				return $refund;
			}
		}
		return null;
	}
}
