<?php
/**
 * Plugin Name:          Klarna Order Management
 * Plugin URI:           https://wordpress.org/plugins/klarna-order-management/
 * Description:          Cancelling, completing, editing and refunding a Klarna order in WooCommerce does the same at Klarna, with an order note for every outcome.
 * Version:              0.1.0
 * Author:               klarna-om maintainers
 * Requires at least:    6.4
 * Requires PHP:         8.1
 * Requires Plugins:     woocommerce
 * WC requires at least: 8.2
 * WC tested up to:      10.0.2
 * Text Domain:          klarna-order-management
 * Domain Path:          /languages
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 *
 * @package KlarnaOM
 */

defined( 'ABSPATH' ) || exit;

define( 'KLARNA_OM_VERSION', '0.1.0' );
// The header's "WC requires at least": older WooCommerce gets the admin notice instead of the plugin's hooks.
define( 'KLARNA_OM_WC_REQUIRES', '8.2' );
define( 'KLARNA_OM_FILE', __FILE__ );
define( 'KLARNA_OM_DIR', __DIR__ );

spl_autoload_register(
	static function ( string $class ): void {
		if ( str_starts_with( $class, 'KlarnaOM\\' ) ) {
			$file = __DIR__ . '/src/' . str_replace( '\\', '/', substr( $class, 9 ) ) . '.php';
			if ( is_file( $file ) ) {
				require $file;
			}
		}
	}
);

// HPOS: the plugin reads and writes orders only through WooCommerce CRUD.
add_action(
	'before_woocommerce_init',
	static function (): void {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', KLARNA_OM_FILE, true );
		}
	}
);

add_action( 'plugins_loaded', array( \KlarnaOM\Plugin::class, 'boot' ), 20 );

// The header ffi.preload needs has to name the library by its absolute path, known only once installed.
register_activation_hook( __FILE__, static fn () => \KlarnaOM\NativeBridge::write_preload_header( KLARNA_OM_DIR ) );

// Retries scheduled in the background would fail without the plugin that runs them.
register_deactivation_hook( __FILE__, array( \KlarnaOM\Retries::class, 'unschedule_all' ) );
