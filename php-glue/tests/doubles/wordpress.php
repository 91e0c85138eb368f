<?php
// Thin WordPress stand-ins for the plugin's tests; see README.md in this folder.

define( 'ABSPATH', __DIR__ . '/' );
// The WooCommerce these doubles model (woocommerce-facts.md): the plugin's "WC tested up to".
define( 'WC_VERSION', '10.0.2' );

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
function has_filter( string $hook ): bool {
	return ! empty( $GLOBALS['klarna_om_test_hooks'][ $hook ] );
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
function delete_option( string $name ): bool {
	$found = array_key_exists( $name, $GLOBALS['klarna_om_test_options'] );
	unset( $GLOBALS['klarna_om_test_options'][ $name ] );
	return $found;
}
/** Single site: uninstall.php's loop over a network's sites runs once. */
function is_multisite(): bool {
	return false;
}
/** delete_metadata( 'user', 0, $key, '', true ): the key removed from every user (the only form the plugin uses). */
function delete_metadata( string $type, int $object_id, string $key, $value = '', bool $all = false ): bool {
	foreach ( 'user' === $type && $all ? array_keys( $GLOBALS['klarna_om_test_user_meta'] ?? array() ) : array() as $user_id ) {
		unset( $GLOBALS['klarna_om_test_user_meta'][ $user_id ][ $key ] );
	}
	return true;
}
function admin_url( string $path = '' ): string {
	return 'https://shop.example/wp-admin/' . ltrim( $path, '/' );
}
function plugins_url( string $path = '', string $plugin = '' ): string {
	return 'https://shop.example/wp-content/plugins/' . ( '' === $plugin ? '' : basename( dirname( $plugin ) ) . '/' ) . ltrim( $path, '/' );
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
/** wc_get_order(): by id, or from a WP_Post (its ID, as WC_Order_Factory reads it) or an order. */
function wc_get_order( $id ) {
	$id = is_object( $id ) ? ( $id instanceof WC_Order ? $id->get_id() : (int) ( $id->ID ?? 0 ) ) : (int) $id;
	return $GLOBALS['klarna_om_test_orders'][ $id ] ?? false;
}

/** A post, as the posts-storage order screen passes its meta boxes one. */
class WP_Post {
	public function __construct( public int $ID = 0 ) {}
}

/** WordPress's REST request, as the REST batch endpoint gets it: method, route, parameters. */
class WP_REST_Request {
	public function __construct( private string $method = 'GET', private string $route = '', private array $params = array() ) {}
	public function get_method(): string {
		return $this->method;
	}
	public function get_route(): string {
		return $this->route;
	}
	public function get_params(): array {
		return $this->params;
	}
	public function get_param( string $key ) {
		return $this->params[ $key ] ?? null;
	}
}

/** WordPress's REST response: the data the controller prepared, which filters may change. */
class WP_REST_Response {
	public function __construct( private $data = null ) {}
	public function get_data() {
		return $this->data;
	}
	public function set_data( $data ): void {
		$this->data = $data;
	}
}

/** wp_die() as check_ajax_referer() calls it: WordPress stops the request; here an exception tests can catch. */
final class Klarna_OM_Test_Die extends RuntimeException {}

/** check_ajax_referer( $action, $arg ): the nonce from `$_REQUEST[$arg]`; a wrong one dies with -1 (403). */
function check_ajax_referer( string $action, string $arg = '_ajax_nonce' ) {
	if ( false === wp_verify_nonce( $_REQUEST[ $arg ] ?? '', $action ) ) {
		throw new Klarna_OM_Test_Die( '-1', 403 );
	}
	return 1;
}

/** wp_send_json_success() / _error(): the answer is kept in `$GLOBALS['klarna_om_test_json']`; WordPress would then exit. */
function wp_send_json_success( $data = null, $status = null ): void {
	$GLOBALS['klarna_om_test_json'] = array( 'success' => true, 'data' => $data, 'status' => $status ?? 200 );
}
function wp_send_json_error( $data = null, $status = null ): void {
	$GLOBALS['klarna_om_test_json'] = array( 'success' => false, 'data' => $data, 'status' => $status ?? 200 );
}

/** add_meta_box(): recorded in `$GLOBALS['klarna_om_test_meta_boxes']` by id. */
function add_meta_box( string $id, string $title, callable $callback, $screen = null, string $context = 'advanced', string $priority = 'default' ): void {
	$GLOBALS['klarna_om_test_meta_boxes'][ $id ] = compact( 'title', 'callback', 'screen', 'context', 'priority' );
}

/** add_submenu_page(): recorded in `$GLOBALS['klarna_om_test_pages']` by slug. */
function add_submenu_page( string $parent, string $title, string $menu_title, string $capability, string $slug, $callback = null ) {
	$GLOBALS['klarna_om_test_pages'][ $slug ] = compact( 'parent', 'title', 'capability', 'callback' );
	return "{$parent}_page_$slug";
}

/** wp_json_encode(): json_encode() (WordPress's checks of the encoding are left out). */
function wp_json_encode( $data, int $flags = 0 ) {
	return json_encode( $data, $flags );
}

/** wp_date(): in UTC here (the site's time zone is UTC). */
function wp_date( string $format, ?int $timestamp = null ): string {
	return gmdate( $format, $timestamp ?? time() );
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
/** The user: `$GLOBALS['klarna_om_test_user']` = ['id' => int, 'caps' => [capability, …]]; nobody by default. */
function get_current_user_id(): int {
	return (int) ( $GLOBALS['klarna_om_test_user']['id'] ?? 0 );
}
function current_user_can( string $capability ): bool {
	return in_array( $capability, $GLOBALS['klarna_om_test_user']['caps'] ?? array(), true );
}
function get_user_meta( int $user_id, string $key, bool $single = false ) {
	return $GLOBALS['klarna_om_test_user_meta'][ $user_id ][ $key ] ?? ( $single ? '' : array() );
}
function update_user_meta( int $user_id, string $key, $value ): bool {
	$GLOBALS['klarna_om_test_user_meta'][ $user_id ][ $key ] = $value;
	return true;
}
function delete_user_meta( int $user_id, string $key ): bool {
	unset( $GLOBALS['klarna_om_test_user_meta'][ $user_id ][ $key ] );
	return true;
}
/** Nonces: one fixed value per action, so a forged one fails and wp_create_nonce() gives the one that passes. */
function wp_create_nonce( string $action ): string {
	return substr( md5( "nonce:$action" ), 0, 10 );
}
function wp_verify_nonce( $nonce, string $action ) {
	return wp_create_nonce( $action ) === $nonce ? 1 : false;
}
function add_query_arg( string $key, string $value, string $url = '' ): string {
	$url = '' !== $url ? $url : ( $_SERVER['REQUEST_URI'] ?? '/wp-admin/' );
	return $url . ( str_contains( $url, '?' ) ? '&' : '?' ) . rawurlencode( $key ) . '=' . rawurlencode( $value );
}
function wp_nonce_url( string $url, string $action ): string {
	return add_query_arg( '_wpnonce', wp_create_nonce( $action ), $url );
}
function esc_url( string $url ): string {
	return htmlspecialchars( $url, ENT_QUOTES );
}
function esc_url_raw( string $url ): string {
	return preg_match( '#^https?://#i', $url ) ? $url : '';
}
function esc_js( string $text ): string {
	return addslashes( htmlspecialchars( $text, ENT_QUOTES ) );
}
function sanitize_key( $key ): string {
	return preg_replace( '/[^a-z0-9_\-]/', '', strtolower( (string) $key ) );
}
/** WordPress adds slashes to $_POST and $_GET (wp_magic_quotes); wp_unslash() takes them off, arrays included. */
function wp_unslash( $value ) {
	return is_array( $value ) ? array_map( 'wp_unslash', $value ) : ( is_string( $value ) ? stripslashes( $value ) : $value );
}
function wp_slash( $value ) {
	return is_array( $value ) ? array_map( 'wp_slash', $value ) : ( is_string( $value ) ? addslashes( $value ) : $value );
}
/**
 * sanitize_text_field() (formatting.php): '' for invalid UTF-8, tags stripped, line breaks, tabs and runs of spaces
 * made one space, trimmed, percent-encoded octets removed. It never shortens text otherwise.
 */
function sanitize_text_field( $text ): string {
	if ( is_array( $text ) || is_object( $text ) || ! mb_check_encoding( (string) $text, 'UTF-8' ) ) {
		return '';
	}
	$text  = (string) $text;
	$text  = str_contains( $text, '<' ) ? strip_tags( $text ) : $text;
	$text  = trim( (string) preg_replace( '/[\r\n\t ]+/', ' ', $text ) );
	$found = false;
	while ( preg_match( '/%[a-f0-9]{2}/i', $text, $match ) ) {
		$text  = str_replace( $match[0], '', $text );
		$found = true;
	}
	return $found ? trim( (string) preg_replace( '/ +/', ' ', $text ) ) : $text;
}
function absint( $value ): int {
	return abs( (int) $value );
}
function register_activation_hook( string $file, callable $callback ): void {
	$GLOBALS['klarna_om_test_activation'] = $callback;
}
function register_deactivation_hook( string $file, callable $callback ): void {
	$GLOBALS['klarna_om_test_deactivation'] = $callback;
}
