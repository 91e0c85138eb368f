<?php
/**
 * Where and as whom to reach Klarna for an order.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Resolves the request's `config` as the existing plugin does, so nothing needs configuring: credentials from the
 * Klarna Payments or Klarna Checkout gateway settings (per-order meta first), the order's own stored environment
 * before the current test-mode setting, the region from the order's country. `KLARNA_OM_SANDBOX_URL` (a loopback
 * URL, in wp-config.php) sends every call to a local Klarna sandbox instead. The optional option
 * `klarna_om_settings` (username, password, environment) overrides the gateway's values. WordPress's proxy
 * (WP_PROXY_HOST and WP_PROXY_PORT, with WP_PROXY_USERNAME and WP_PROXY_PASSWORD) becomes `config.proxy`, and the
 * operation's time budget stays within what PHP's max_execution_time leaves (timeout_ms()).
 */
final class Settings {
	/** The operation's time budget when PHP sets no limit: the contract's default. */
	public const TIMEOUT_MS = 20000;
	/** Time kept after the call for saving the answer: the order, its note and meta, and WooCommerce's e-mails. */
	public const TIMEOUT_MARGIN_MS = 5000;
	/** Below this a healthy Klarna (a TLS handshake and one request, with a retry) would already time out. */
	public const TIMEOUT_FLOOR_MS = 5000;
	/**
	 * The config for one order, or null when no credentials can be found.
	 *
	 * @param \WC_Order $order The order.
	 */
	public function config( \WC_Order $order ): ?array {
		$gateway  = $order->get_payment_method();
		$options  = (array) get_option( 'klarna_payments' === $gateway ? 'woocommerce_klarna_payments_settings' : 'woocommerce_kco_settings', array() );
		$override = (array) get_option( 'klarna_om_settings', array() );
		$country  = strtoupper( (string) $order->get_meta( '_wc_klarna_country' ) );
		if ( '' === $country ) {
			$country = strtoupper( (string) $order->get_billing_country() );
		}
		$playground = $this->playground( $order, $options, $override );
		$suffix     = 'klarna_payments' === $gateway ? strtolower( '' !== $country ? $country : 'eu' ) : ( 'US' === $country ? 'us' : 'eu' );
		$prefix     = $playground ? 'test_' : '';

		$username = (string) ( ( $override['username'] ?? '' ) ?: $order->get_meta( '_wc_klarna_merchant_id' ) );
		$password = (string) ( ( $override['password'] ?? '' ) ?: $order->get_meta( '_wc_klarna_shared_secret' ) );
		if ( '' === $username || '' === $password ) {
			$username = (string) ( $options[ "{$prefix}merchant_id_{$suffix}" ] ?? $options[ "{$prefix}merchant_id_eu" ] ?? '' );
			$password = (string) ( $options[ "{$prefix}shared_secret_{$suffix}" ] ?? $options[ "{$prefix}shared_secret_eu" ] ?? '' );
		}
		if ( '' === $username || '' === $password ) {
			return null;
		}
		$config = array(
			'environment' => $playground ? 'playground' : 'production',
			'region'      => $this->region( $country ),
			'username'    => $username,
			'password'    => html_entity_decode( $password, ENT_QUOTES ),
			'timeout_ms'  => self::timeout_ms( (int) ini_get( 'max_execution_time' ), microtime( true ) - (float) ( $_SERVER['REQUEST_TIME_FLOAT'] ?? microtime( true ) ) ),
		);
		$proxy = self::wordpress_proxy();
		if ( null !== $proxy ) {
			$config['proxy'] = $proxy;  // A secret when it carries credentials: never logged (the core never echoes config).
		}
		if ( 'kco' === $gateway && ( str_starts_with( $password, 'kco_' ) || preg_match( '/^P?M/', $username ) ) ) {
			$config['domain'] = 'kustom.co';
		}
		$sandbox = self::sandbox_url();
		if ( null !== $sandbox ) {
			$config['environment'] = 'sandbox';
			$config['base_url']    = $sandbox;
			unset( $config['domain'] );
		}
		return $config;
	}

	/**
	 * `config.timeout_ms`, the whole operation's budget (every request, retry and read): 20 s, but never more than
	 * PHP's max_execution_time leaves of this request, less a margin, and never below a floor.
	 *
	 * Why: when PHP stops a request in the middle of the call, Klarna may have captured or refunded and WooCommerce
	 * records nothing: no note, no meta, no ledger entry, a status that claims the opposite. A budget that ends first
	 * lets the core answer "outcome unknown" (the ledger keeps the intent pending, so a retry reuses its key) with
	 * time left to save that answer. The elapsed time is wall-clock since the request started: on Linux PHP counts
	 * only CPU time against max_execution_time, but web servers and PHP-FPM's request_terminate_timeout count wall
	 * time, so this is the cautious reading. The floor wins over the limit: below it even a healthy Klarna would
	 * time out on every call, and what little time is left then is the host's choice, not the plugin's.
	 *
	 * @param int   $max_execution_seconds PHP's max_execution_time (0: no limit).
	 * @param float $elapsed_seconds       Time since the request started.
	 */
	public static function timeout_ms( int $max_execution_seconds, float $elapsed_seconds ): int {
		if ( $max_execution_seconds <= 0 ) {
			return self::TIMEOUT_MS;
		}
		$left = (int) floor( ( $max_execution_seconds - $elapsed_seconds ) * 1000 ) - self::TIMEOUT_MARGIN_MS;
		return max( self::TIMEOUT_FLOOR_MS, min( self::TIMEOUT_MS, $left ) );
	}

	/** WordPress's proxy (wp-config.php), as WordPress itself uses it: host and port both defined, or none. */
	private static function wordpress_proxy(): ?string {
		if ( ! defined( 'WP_PROXY_HOST' ) || ! defined( 'WP_PROXY_PORT' ) ) {
			return null;
		}
		return self::proxy_url(
			(string) constant( 'WP_PROXY_HOST' ),
			(string) constant( 'WP_PROXY_PORT' ),
			defined( 'WP_PROXY_USERNAME' ) ? (string) constant( 'WP_PROXY_USERNAME' ) : null,
			defined( 'WP_PROXY_PASSWORD' ) ? (string) constant( 'WP_PROXY_PASSWORD' ) : null
		);
	}

	/**
	 * The proxy URL of `config.proxy`: `http://` unless the host names its scheme, credentials percent-encoded and
	 * only as a pair (as WordPress uses them), an IPv6 address in brackets.
	 */
	public static function proxy_url( string $host, string $port, ?string $username, ?string $password ): string {
		$scheme = 'http://';
		if ( preg_match( '#^(https?://)(.*)$#i', $host, $match ) ) {
			$scheme = strtolower( $match[1] );
			$host   = $match[2];
		}
		if ( str_contains( $host, ':' ) && ! str_starts_with( $host, '[' ) ) {
			$host = "[$host]";
		}
		$credentials = null !== $username && null !== $password ? rawurlencode( $username ) . ':' . rawurlencode( $password ) . '@' : '';
		return $scheme . $credentials . $host . ':' . $port;
	}

	/** The sandbox URL from wp-config.php, or null. The core refuses anything but a loopback http URL. */
	public static function sandbox_url(): ?string {
		return defined( 'KLARNA_OM_SANDBOX_URL' ) && '' !== (string) constant( 'KLARNA_OM_SANDBOX_URL' ) ? (string) constant( 'KLARNA_OM_SANDBOX_URL' ) : null;
	}

	private function playground( \WC_Order $order, array $options, array $override ): bool {
		if ( ! empty( $override['environment'] ) ) {
			return 'production' !== $override['environment'];
		}
		$stored = strtolower( (string) $order->get_meta( '_wc_klarna_environment' ) );
		if ( '' !== $stored ) {
			return ! in_array( $stored, array( 'live', 'production' ), true );
		}
		return ! isset( $options['testmode'] ) || 'yes' === $options['testmode'];
	}

	private function region( string $country ): string {
		return match ( true ) {
			in_array( $country, array( 'US', 'CA', 'MX' ), true ) => 'na',
			in_array( $country, array( 'AU', 'NZ' ), true ) => 'oc',
			default => 'eu',
		};
	}
}
