<?php
/**
 * What the core records on an order, and where.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * The one place that names the order meta keys of what the core records (a response's `record`) and reads back
 * (the snapshot's `order.meta`; docs/contract.md). The keys are the established plugin's where it has one, so an order
 * stays manageable by either plugin; the intent ledger and Klarna's state keep their own classes (Ledger, OrderState).
 */
final class OrderMeta {
	/** Klarna's capture id (the established plugin's key). */
	public const CAPTURE_ID = '_wc_klarna_capture_id';
	/** `yes` once Klarna's order is cancelled (the established plugin's key). */
	public const CANCELLED = '_wc_klarna_cancelled';
	/** The merchant switched order management off for this order (the established plugin's key). */
	public const DISCONNECTED = '_kom_disconnect';
	/** The fingerprint of the lines Klarna holds, which an update sent. */
	public const LINES_FINGERPRINT = '_klarna_om_lines_fingerprint';
	/** Followed by a WooCommerce refund id: Klarna's refund id of that refund. */
	public const REFUND_ID_PREFIX = '_klarna_om_refund_id_';

	/**
	 * The snapshot's `order.meta`: what earlier responses recorded, the ledger, Klarna's state and the merchant's
	 * switch. Empty members are left out.
	 *
	 * @param \WC_Order $order  The order.
	 * @param Logger    $logger Where an unreadable ledger or state is reported.
	 */
	public static function snapshot( \WC_Order $order, Logger $logger ): array {
		$ledger = Ledger::read( $order, $logger );
		return array_filter(
			array(
				'capture_ids'       => array_values( array_filter( array( (string) $order->get_meta( self::CAPTURE_ID ) ) ) ),
				'lines_fingerprint' => (string) $order->get_meta( self::LINES_FINGERPRINT ),
				'cancelled'         => 'yes' === $order->get_meta( self::CANCELLED ),
				'disconnected'      => '' !== (string) $order->get_meta( self::DISCONNECTED ),
				'ledger'            => array() === $ledger ? null : (object) $ledger,
				'state'             => OrderState::read( $order, $logger ),
			)
		);
	}

	/**
	 * Stores a response's `record` (absent members change nothing). A member of another type than the contract's is
	 * left alone: the core never writes one, and a guess would store something Klarna may not hold.
	 *
	 * @param \WC_Order $order  The order, saved by the caller.
	 * @param array     $record `capture_id`, `cancelled`, `lines_fingerprint`, `refund` {`id`, `klarna_refund_id`}.
	 */
	public static function store( \WC_Order $order, array $record ): void {
		if ( is_string( $record['capture_id'] ?? null ) && '' !== $record['capture_id'] ) {
			$order->update_meta_data( self::CAPTURE_ID, $record['capture_id'] );
		}
		if ( true === ( $record['cancelled'] ?? null ) ) {
			$order->update_meta_data( self::CANCELLED, 'yes' );
		}
		if ( is_string( $record['lines_fingerprint'] ?? null ) && '' !== $record['lines_fingerprint'] ) {
			$order->update_meta_data( self::LINES_FINGERPRINT, $record['lines_fingerprint'] );
		}
		$refund = $record['refund'] ?? null;
		if ( is_array( $refund ) && is_int( $refund['id'] ?? null ) && is_string( $refund['klarna_refund_id'] ?? null ) ) {
			$order->update_meta_data( self::REFUND_ID_PREFIX . $refund['id'], $refund['klarna_refund_id'] );
		}
	}
}
