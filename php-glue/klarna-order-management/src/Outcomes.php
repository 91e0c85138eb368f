<?php
/**
 * What the last operations on an order ended in.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Per operation, the outcome of its last run, in order meta `_klarna_om_outcomes` (an array, which WordPress
 * serializes; the latest run last): `outcome` (the core's outcome code, the error code of an `ok: false` answer, or `unavailable` when the core
 * could not be reached), `success`, `note` (the text added as the order note; never personal data or secrets), `at`
 * (Unix time), and `intent`: what would ask for the same again (`to`, the status a status change was saving;
 * `capture`, the request's shipment). The Klarna box shows the latest; Retry repeats an operation's intent (the core
 * reuses the pending idempotency key); the "needs attention" index reads whether the latest failed.
 *
 * Plugin bookkeeping, not part of the contract: the core never sees it. An array rather than JSON because a note may
 * hold quotes, which JSON escapes with backslashes, and the posts storage's meta API strips backslashes.
 */
final class Outcomes {
	public const META_KEY = '_klarna_om_outcomes';

	/**
	 * Operation → its last outcome, the latest last. Nothing stored, or something unreadable, is empty.
	 *
	 * @return array<string, array{outcome: string, success: bool, note: string, at: int, intent?: array}>
	 */
	public static function all( \WC_Order $order ): array {
		$stored = $order->get_meta( self::META_KEY );
		return is_array( $stored ) ? array_filter( $stored, 'is_array' ) : array();
	}

	/** The latest outcome other than a refresh's (a read changes nothing at Klarna), with its operation; or null. */
	public static function latest( \WC_Order $order ): ?array {
		$all = self::all( $order );
		unset( $all['sync'] );
		$operation = array_key_last( $all );
		return null === $operation ? null : array( 'operation' => $operation ) + $all[ $operation ];
	}

	/**
	 * Records an operation's outcome as the latest.
	 *
	 * @param \WC_Order $order     The order; the caller (or WooCommerce's own save) saves it.
	 * @param string    $operation The operation.
	 * @param array     $record    outcome, success, note, and intent when there is one.
	 */
	public static function record( \WC_Order $order, string $operation, array $record ): void {
		$all = self::all( $order );
		unset( $all[ $operation ] );
		$all[ $operation ] = array_filter( $record + array( 'at' => time() ), static fn ( $value ) => array() !== $value );
		$order->update_meta_data( self::META_KEY, $all );
	}
}
