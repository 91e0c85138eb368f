<?php
/**
 * The core's response → the WooCommerce order.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Applies a response: adds the note, stores its `record` (OrderMeta: under the established plugin's keys, so orders stay
 * manageable by either plugin), the operation's intent-ledger entry and Klarna's `state`, sets the status the core asks for, and
 * forwards the log. Records the outcome (Outcomes), refreshes the order's "needs attention" index (Attention) and
 * announces it (action `klarna_om_outcome`). Takes no decisions of its own.
 */
final class ResponseApplier {
	public function __construct( private readonly Logger $logger ) {}

	/**
	 * Applies a response to an order that is being saved or will be saved by the caller. Logs the core's entries and
	 * one line for the outcome: a warning when Klarna does not hold what the merchant asked for (written without the
	 * debug switch), info otherwise. An `ok: false` answer is left to the caller, which reports it (unavailable()).
	 *
	 * @param \WC_Order $order     The order.
	 * @param array     $response  The core's response.
	 * @param string    $operation The operation asked for (cancel, capture, update, refund, sync, release, extend).
	 * @param array     $intent    What would ask for the same again (Outcomes): `to`, `capture`.
	 * @return bool Whether Klarna now holds what the merchant asked for.
	 */
	public function apply( \WC_Order $order, array $response, string $operation = '', array $intent = array() ): bool {
		$operation = (string) ( $response['operation'] ?? $operation );
		foreach ( (array) ( $response['log'] ?? array() ) as $entry ) {
			$this->logger->log( (string) ( $entry['level'] ?? 'info' ), (string) ( $entry['message'] ?? '' ), (array) ( $entry['context'] ?? array() ) + self::order_context( $order, $operation ) );
		}
		if ( true !== ( $response['ok'] ?? false ) ) {
			return false;
		}
		$success = true === ( $response['success'] ?? false );
		$klarna  = (array) ( $response['klarna'] ?? array() );
		$outcome = (string) ( $response['outcome'] ?? '' );
		$context = self::order_context( $order, $operation ) + array_filter(
			array(
				'outcome'           => $outcome,
				'klarna_error_code' => (string) ( $klarna['error_code'] ?? '' ),
				'correlation_id'    => (string) ( $klarna['correlation_id'] ?? '' ),
				'http_status'       => (string) ( $klarna['http_status'] ?? '' ),
			),
			'strlen'
		);
		$this->logger->log( $success ? 'info' : 'warning', "klarna-om $operation: $outcome", $context );
		$note = $response['note'] ?? null;
		$text = '';
		if ( is_array( $note ) && isset( $note['text'] ) ) {
			/**
			 * Filters an order note by its stable code, so a shop can reword it.
			 *
			 * @param string    $text   The note in the order's language.
			 * @param string    $code   The note code (docs/contract.md).
			 * @param array     $params The note's parameters.
			 * @param \WC_Order $order  The order.
			 */
			$text = (string) apply_filters( 'klarna_om_order_note', (string) $note['text'], (string) ( $note['code'] ?? '' ), (array) ( $note['params'] ?? array() ), $order );
			$order->add_order_note( $text );
		}
		if ( isset( $response['record'] ) && is_array( $response['record'] ) ) {
			OrderMeta::store( $order, $response['record'] );
		}
		if ( isset( $response['ledger'], $response['operation'] ) && is_array( $response['ledger'] ) && is_string( $response['operation'] ) ) {
			Ledger::store( $order, $response['operation'], $response['ledger'], $this->logger );
		}
		if ( isset( $response['state'] ) && is_array( $response['state'] ) ) {
			OrderState::store( $order, $response['state'] );
		}
		if ( isset( $response['order_status'] ) && is_string( $response['order_status'] ) ) {
			self::set_status( $order, $response['order_status'] );
		}
		$this->record( $order, $operation, array( 'outcome' => $outcome, 'success' => $success, 'note' => $text, 'intent' => $intent ) );
		return $success;
	}

	/**
	 * Sets the status the answer asks for. When that is the status already stored (On hold → Processing refused, back
	 * to On hold), the save must not announce a change: WooCommerce keeps the first `from` of a save's status changes
	 * (WC_Order::$status_transition) and, after saving, announces from → to even when both are the same, with the note
	 * "Order status changed from On hold to On hold." and the On hold hooks and e-mail (woocommerce-facts §3). No API
	 * forgets a pending transition, so its property is reset; a WooCommerce without it keeps its note, nothing worse.
	 */
	private static function set_status( \WC_Order $order, string $status ): void {
		$order->set_status( $status );
		if ( $status !== (string) ( $order->get_data()['status'] ?? '' ) || ! property_exists( $order, 'status_transition' ) ) {
			return;
		}
		try {
			( new \ReflectionProperty( $order, 'status_transition' ) )->setValue( $order, false );
		} catch ( \ReflectionException $e ) {
			return;  // Only WooCommerce's spurious note remains.
		}
	}

	/**
	 * Records an outcome (Outcomes), refreshes the "needs attention" index and announces it.
	 *
	 * @param \WC_Order $order     The order.
	 * @param string    $operation The operation.
	 * @param array     $record    outcome, success, note, intent.
	 */
	private function record( \WC_Order $order, string $operation, array $record ): void {
		Outcomes::record( $order, $operation, $record );
		Attention::index( $order, $this->logger );
		/**
		 * Fires after every operation the plugin ran for an order, with its outcome: what the bulk-action notice and
		 * the REST response report.
		 *
		 * @param \WC_Order $order     The order (not saved yet when a status change triggered the operation).
		 * @param string    $operation cancel, capture, update, refund, sync, release or extend.
		 * @param array     $record    `outcome`, `success`, `note` (the note's text, or '' when there is none).
		 */
		try {
			do_action( 'klarna_om_outcome', $order, $operation, array( 'outcome' => (string) $record['outcome'], 'success' => (bool) $record['success'], 'note' => (string) $record['note'] ) );
		} catch ( \Throwable $e ) {
			// A listener's failure is not the operation's: what Klarna answered is applied all the same.
			$this->logger->log( 'error', 'a klarna_om_outcome listener failed', self::order_context( $order, $operation ) + array( 'error' => get_class( $e ) ) );
		}
	}

	/** What every log line about an order carries: the operation, and the order's id and number. */
	private static function order_context( \WC_Order $order, string $operation ): array {
		return array( 'operation' => $operation, 'order_id' => $order->get_id(), 'order_number' => (string) $order->get_order_number() );
	}

	/**
	 * For a failure around the core (no library, no executable, an `ok: false` answer, an error while applying one):
	 * a note and a log line, and On hold for a status change (`$hold`), whose WooCommerce status would otherwise claim
	 * what Klarna did not do. A refund is not held: the filter returns a WP_Error, and WooCommerce deletes its refund.
	 * Nor is an action of the Klarna box (a refresh, release, extend or capture), which claims nothing in WooCommerce.
	 *
	 * @param \WC_Order $order        The order.
	 * @param string    $operation    cancel, capture, update, refund, sync, release or extend.
	 * @param string    $reason       Why, in English, without request data.
	 * @param bool      $may_have_run Whether Klarna may have acted (the core ran, and then something failed).
	 * @param array     $context      More for the log line.
	 * @param array     $intent       What would ask for the same again (Outcomes).
	 * @param bool      $hold         Whether a status change triggered it (cancel, capture and update are then held).
	 * @param string    $outcome      The outcome recorded: `unavailable`, or the error code of an `ok: false` answer.
	 */
	public function unavailable( \WC_Order $order, string $operation, string $reason, bool $may_have_run = false, array $context = array(), array $intent = array(), bool $hold = true, string $outcome = 'unavailable' ): void {
		$this->logger->log( 'error', $may_have_run ? "klarna-om $operation did not finish" : "klarna-om $operation could not run", self::order_context( $order, $operation ) + array( 'reason' => $reason ) + $context );
		$hold = $hold && in_array( $operation, array( 'cancel', 'capture', 'update' ), true );
		if ( 'refund' === $operation ) {
			$note = $may_have_run
				/* translators: %s: technical reason in English. */
				? sprintf( __( 'Klarna order management did not finish (refund): %s. Klarna may have refunded: check the order at Klarna before refunding again.', 'klarna-order-management' ), $reason )
				/* translators: %s: technical reason in English. */
				: sprintf( __( 'Klarna order management could not run (refund): %s. Nothing was sent to Klarna, so WooCommerce did not record the refund.', 'klarna-order-management' ), $reason );
		} elseif ( $hold ) {
			$note = $may_have_run
				/* translators: 1: operation (cancel, capture, update), 2: technical reason in English. */
				? sprintf( __( 'Klarna order management did not finish (%1$s): %2$s. Klarna may have acted: check the order at Klarna. The order was put On hold.', 'klarna-order-management' ), $operation, $reason )
				/* translators: 1: operation (cancel, capture, update), 2: technical reason in English. */
				: sprintf( __( 'Klarna order management could not run (%1$s): %2$s. Nothing was sent to Klarna; the order was put On hold.', 'klarna-order-management' ), $operation, $reason );
		} else {
			$note = $may_have_run
				/* translators: 1: operation (capture, sync, release, extend), 2: technical reason in English. */
				? sprintf( __( 'Klarna order management did not finish (%1$s): %2$s. Klarna may have acted: check the order at Klarna.', 'klarna-order-management' ), $operation, $reason )
				/* translators: 1: operation (capture, sync, release, extend), 2: technical reason in English. */
				: sprintf( __( 'Klarna order management could not run (%1$s): %2$s. Nothing was sent to Klarna.', 'klarna-order-management' ), $operation, $reason );
		}
		$order->add_order_note( $note );
		if ( $hold ) {
			self::set_status( $order, 'on-hold' );
		}
		$this->record( $order, $operation, array( 'outcome' => $outcome, 'success' => false, 'note' => $note, 'intent' => $intent ) );
	}
}
