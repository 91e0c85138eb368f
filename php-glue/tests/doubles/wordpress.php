<?php
// Thin WordPress stand-ins for the plugin's tests; see README.md in this folder.

define( 'ABSPATH', __DIR__ . '/' );
define( 'WC_VERSION', '9.9.3' );

$GLOBALS['klarna_om_test_hooks']   = array();
$GLOBALS['klarna_om_test_options'] = array();
$GLOBALS['klarna_om_test_orders']  = array();
$GLOBALS['klarna_om_test_log']     = array();

function add_filter( string $hook, callable $callback, int $priority = 10, int $args = 1 ): bool {
	$GLOBALS['klarna_om_test_hooks'][ $hook ][] = array( $callback, $args );
	return true;
}
function add_action( string $hook, callable $callback, int $priority = 10, int $args = 1 ): bool {
	return add_filter( $hook, $callback, $priority, $args );
}
function apply_filters( string $hook, $value, ...$rest ) {
	foreach ( $GLOBALS['klarna_om_test_hooks'][ $hook ] ?? array() as list( $callback, $count ) ) {
		$value = $callback( ...array_slice( array_merge( array( $value ), $rest ), 0, $count ) );
	}
	return $value;
}
function do_action( string $hook, ...$args ): void {
	foreach ( $GLOBALS['klarna_om_test_hooks'][ $hook ] ?? array() as list( $callback, $count ) ) {
		$callback( ...array_slice( $args, 0, $count ) );
	}
}
function get_option( string $name, $default = false ) {
	return $GLOBALS['klarna_om_test_options'][ $name ] ?? $default;
}
function __( string $text, string $domain = 'default' ): string {
	return $text;
}
function esc_html( string $text ): string {
	return htmlspecialchars( $text, ENT_QUOTES );
}
function esc_attr( string $text ): string {
	return htmlspecialchars( $text, ENT_QUOTES );
}
function get_locale(): string {
	return $GLOBALS['klarna_om_test_locale'] ?? 'en_US';
}
function get_bloginfo( string $what ): string {
	return 'version' === $what ? '6.8.1' : '';
}
function load_plugin_textdomain( ...$args ): bool {
	return true;
}
function plugin_basename( string $file ): string {
	return basename( dirname( $file ) ) . '/' . basename( $file );
}
function wc_get_order( $id ) {
	return $GLOBALS['klarna_om_test_orders'][ (int) $id ] ?? false;
}

/** WordPress's error object, as the refund filter returns it. */
class WP_Error {
	public function __construct( public string $code = '', public string $message = '' ) {}
	public function get_error_code(): string {
		return $this->code;
	}
	public function get_error_message(): string {
		return $this->message;
	}
}

/** wc_get_logger(): records entries for assertions. */
final class Klarna_OM_Test_Logger {
	public function log( string $level, string $message, array $context = array() ): void {
		$GLOBALS['klarna_om_test_log'][] = array( $level, $message, $context );
	}
}
function wc_get_logger(): Klarna_OM_Test_Logger {
	return new Klarna_OM_Test_Logger();
}
function register_activation_hook( string $file, callable $callback ): void {
	$GLOBALS['klarna_om_test_activation'] = $callback;
}
