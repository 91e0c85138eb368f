<?php
/**
 * Logging through WooCommerce.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Writes to `wc_get_logger()` with the source `klarna-order-management`: warnings and errors always, so support can
 * follow what went wrong without anyone having switched anything on; info and debug entries (every Klarna request,
 * every outcome) only with the debug switch (option `klarna_om_debug` = `yes`). Entries are English, one line, data
 * in the context: operation, order id and number, outcome, Klarna's error code and correlation id. Never personal
 * data or secrets: the plugin logs none, and the core keeps them out of what it returns.
 */
final class Logger {
	public const SOURCE = 'klarna-order-management';

	/** The levels written without the debug switch. */
	private const ALWAYS = array( 'emergency', 'alert', 'critical', 'error', 'warning' );

	/** WooCommerce → Status → Logs, showing this plugin's entries. */
	public static function viewer_url(): string {
		return admin_url( 'admin.php?page=wc-status&tab=logs&source=' . self::SOURCE );
	}

	public function log( string $level, string $message, array $context = array() ): void {
		if ( ! in_array( $level, self::ALWAYS, true ) && 'yes' !== get_option( 'klarna_om_debug', 'no' ) ) {
			return;
		}
		if ( function_exists( 'wc_get_logger' ) ) {
			wc_get_logger()->log( $level, $message, array( 'source' => self::SOURCE ) + $context );
		}
	}
}
