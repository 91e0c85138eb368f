<?php
/**
 * Klarna's side of an order, as the last response described it.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * The response's `state` (docs/contract.md, "The Klarna side of an order"), stored as one JSON object in the order
 * meta `_klarna_om_state` and sent back as `order.meta.state`. The order screen's Klarna box is drawn from it alone,
 * so a page view costs no Klarna call. The plugin stores and sends it as the core wrote it; it reads fields only to
 * show them.
 *
 * Decoded as objects for the request, so what the core wrote as an object goes back as an object (an empty one as
 * `{}`, never `[]`), and as arrays for the box.
 */
final class OrderState {
	public const META_KEY = '_klarna_om_state';

	/**
	 * The stored state for the request's `order.meta.state`; null when none is stored or it is unreadable (logged:
	 * the core then reads Klarna's order or derives nothing, and the next response stores a readable state).
	 *
	 * @param \WC_Order $order  The order.
	 * @param Logger    $logger Where an unreadable state is reported.
	 */
	public static function read( \WC_Order $order, Logger $logger ): ?\stdClass {
		$state = self::decode( $order, false );
		if ( false === $state ) {
			$logger->log( 'error', 'stored Klarna state is unreadable; not sent', array( 'order_id' => $order->get_id(), 'meta_key' => self::META_KEY ) );
			return null;
		}
		return $state;
	}

	/** The stored state as an array for display, or null when none is stored or it is unreadable. */
	public static function fields( \WC_Order $order ): ?array {
		$state = self::decode( $order, true );
		return is_array( $state ) ? $state : null;
	}

	/**
	 * Stores a response's `state`, replacing the one stored.
	 *
	 * @param \WC_Order $order The order; the caller (or WooCommerce's own save) saves it.
	 * @param array     $state The response's `state`, as decoded from its JSON.
	 */
	public static function store( \WC_Order $order, array $state ): void {
		// An object even when empty; no escaped slashes or Unicode, as the ledger (see Ledger::store).
		$order->update_meta_data( self::META_KEY, (string) json_encode( (object) $state, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ) );
	}

	/**
	 * The stored JSON object: null when nothing is stored, false when it is not a JSON object.
	 *
	 * @return \stdClass|array|null|false
	 */
	private static function decode( \WC_Order $order, bool $as_array ) {
		$stored = $order->get_meta( self::META_KEY );
		if ( '' === $stored || null === $stored ) {
			return null;
		}
		$decoded = is_string( $stored ) ? json_decode( $stored, false, 32 ) : null;
		if ( ! $decoded instanceof \stdClass ) {
			return false;
		}
		return $as_array ? (array) json_decode( $stored, true, 32 ) : $decoded;
	}
}
