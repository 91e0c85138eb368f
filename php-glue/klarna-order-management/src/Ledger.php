<?php
/**
 * The order's intent ledger.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * The intent ledger of docs/contract.md ("Exactly once"): per operation one entry `{answered, pending}`, kept by the
 * core and stored by the plugin as one JSON object in the order meta `_klarna_om_ledger`. The plugin sends the object
 * as stored (`order.meta.ledger`) and replaces the one entry a response returns. The only thing it reads inside an
 * entry is whether `pending` is set: the Klarna box offers Retry for such an operation (its outcome is unknown, and
 * the core sends it again under the same key), and the order counts as needing attention.
 *
 * Entries are decoded as objects, not PHP arrays, so an empty entry is sent back as `{}` and never as `[]`.
 */
final class Ledger {
	public const META_KEY = '_klarna_om_ledger';

	/**
	 * Operation → entry as stored. Nothing stored is empty; so is anything that is not a JSON object of objects,
	 * which is logged (the core then starts the ledger afresh, and the next response stores a readable one).
	 *
	 * @param \WC_Order $order  The order.
	 * @param Logger    $logger Where an unreadable ledger is reported.
	 * @return array<string, \stdClass>
	 */
	public static function read( \WC_Order $order, Logger $logger ): array {
		$stored = $order->get_meta( self::META_KEY );
		if ( '' === $stored || null === $stored ) {
			return array();
		}
		$decoded = is_string( $stored ) ? json_decode( $stored, false, 16 ) : null;
		$entries = $decoded instanceof \stdClass ? get_object_vars( $decoded ) : null;
		foreach ( $entries ?? array() as $entry ) {
			if ( ! $entry instanceof \stdClass ) {
				$entries = null;
				break;
			}
		}
		if ( null === $entries ) {
			$logger->log( 'error', 'stored intent ledger is unreadable; sent as empty', array( 'order_id' => $order->get_id(), 'meta_key' => self::META_KEY ) );
			return array();
		}
		return $entries;
	}

	/**
	 * Replaces one operation's entry with the one a response returned, keeping the others.
	 *
	 * @param \WC_Order $order     The order; the caller (or WooCommerce's own save) saves it.
	 * @param string    $operation cancel, capture, update or refund.
	 * @param array     $entry     The response's `ledger`.
	 * @param Logger    $logger    Where an unreadable stored ledger is reported.
	 */
	public static function store( \WC_Order $order, string $operation, array $entry, Logger $logger ): void {
		$entries               = self::read( $order, $logger );
		$entries[ $operation ] = (object) $entry;
		// No escaped slashes or Unicode: WordPress's post-meta API unslashes what it stores (HPOS does not), so the
		// JSON must not depend on backslashes to read back alike under both storages.
		$order->update_meta_data( self::META_KEY, (string) json_encode( (object) $entries, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ) );
	}

	/**
	 * The operations whose last intent has an unknown outcome (a `pending` fingerprint), in the ledger's order.
	 *
	 * @param \WC_Order $order  The order.
	 * @param Logger    $logger Where an unreadable ledger is reported.
	 * @return string[]
	 */
	public static function pending( \WC_Order $order, Logger $logger ): array {
		$pending = array();
		foreach ( self::read( $order, $logger ) as $operation => $entry ) {
			if ( isset( $entry->pending ) && '' !== (string) $entry->pending ) {
				$pending[] = (string) $operation;
			}
		}
		return $pending;
	}
}
