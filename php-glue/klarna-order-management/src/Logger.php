<?php
/**
 * Logging through WooCommerce.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Writes to `wc_get_logger()` with the source `klarna-order-management`: errors always, everything else only with
 * the debug switch (option `klarna_om_debug` = `yes`). Entries are English, one line, data in the context; the core
 * already keeps secrets and personal data out of what it returns.
 */
final class Logger {
	public const SOURCE = 'klarna-order-management';

	public function log( string $level, string $message, array $context = array() ): void {
		if ( 'error' !== $level && 'yes' !== get_option( 'klarna_om_debug', 'no' ) ) {
			return;
		}
		if ( function_exists( 'wc_get_logger' ) ) {
			wc_get_logger()->log( $level, $message, array( 'source' => self::SOURCE ) + $context );
		}
	}
}
