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
 * `klarna_om_settings` (username, password, environment) overrides the gateway's values.
 */
final class Settings {
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
			'timeout_ms'  => 20000,
		);
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
