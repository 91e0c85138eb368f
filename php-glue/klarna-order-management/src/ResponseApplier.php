<?php
/**
 * The core's response → the WooCommerce order.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Applies a response: adds the note, stores the meta (under the existing plugin's keys, so orders stay manageable by
 * either plugin) and the operation's intent-ledger entry, sets the status the core asks for, and forwards the log.
 * Takes no decisions of its own.
 */
final class ResponseApplier {
	public function __construct( private readonly Logger $logger ) {}

	/**
	 * Applies a response to an order that is being saved or will be saved by the caller.
	 *
	 * @param \WC_Order $order    The order.
	 * @param array     $response The core's response.
	 * @return bool Whether Klarna now holds what the merchant asked for.
	 */
	public function apply( \WC_Order $order, array $response ): bool {
		foreach ( (array) ( $response['log'] ?? array() ) as $entry ) {
			$this->logger->log( (string) ( $entry['level'] ?? 'info' ), (string) ( $entry['message'] ?? '' ), (array) ( $entry['context'] ?? array() ) + array( 'order_id' => $order->get_id() ) );
		}
		if ( true !== ( $response['ok'] ?? false ) ) {
			$error = (array) ( $response['error'] ?? array() );
			$this->logger->log( 'error', 'core refused the request', array( 'order_id' => $order->get_id(), 'code' => (string) ( $error['code'] ?? '' ), 'field' => (string) ( $error['field'] ?? '' ) ) );
			return false;
		}
		$note = $response['note'] ?? null;
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
		foreach ( (array) ( $response['order_meta'] ?? array() ) as $key => $value ) {
			$order->update_meta_data( (string) $key, (string) $value );
		}
		if ( isset( $response['ledger'], $response['operation'] ) && is_array( $response['ledger'] ) && is_string( $response['operation'] ) ) {
			Ledger::store( $order, $response['operation'], $response['ledger'], $this->logger );
		}
		if ( isset( $response['order_status'] ) && is_string( $response['order_status'] ) ) {
			$order->set_status( $response['order_status'] );
		}
		return true === ( $response['success'] ?? false );
	}

	/**
	 * For a failure before the core could answer (no library, no executable): a note, and On hold for operations
	 * whose WooCommerce status would otherwise claim what Klarna did not do.
	 */
	public function unavailable( \WC_Order $order, string $operation, string $reason ): void {
		$this->logger->log( 'error', 'klarna-om core unavailable', array( 'order_id' => $order->get_id(), 'operation' => $operation, 'reason' => $reason ) );
		/* translators: 1: operation (cancel, capture, update), 2: technical reason in English. */
		$order->add_order_note( sprintf( __( 'Klarna order management could not run (%1$s): %2$s. Nothing was sent to Klarna; the order was put On hold.', 'klarna-order-management' ), $operation, $reason ) );
		if ( 'refund' !== $operation ) {
			$order->set_status( 'on-hold' );
		}
	}
}
