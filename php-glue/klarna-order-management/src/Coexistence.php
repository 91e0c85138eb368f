<?php
/**
 * Klarna's own payment plugins can run order management themselves.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Klarna for WooCommerce (Klarna Payments) since 4.3.0 and Kustom Checkout since 2.21.0 carry their own copy of order
 * management. Two plugins on the same refund filter have made WooCommerce drop refunds Klarna had accepted, so for
 * orders of such a gateway this plugin stays out, unless the merchant switched the built-in copy off and chose
 * klarna-om (`klarna_om_settings['take_over'] = 'yes'`). The admin notice says so, once.
 */
final class Coexistence {
	/** The Klarna plugin (name and version) that manages orders of this gateway itself, or null. */
	public static function built_in_for( string $gateway ): ?string {
		if ( 'klarna_payments' === $gateway && defined( 'WC_KLARNA_PAYMENTS_VERSION' ) && version_compare( (string) constant( 'WC_KLARNA_PAYMENTS_VERSION' ), '4.3.0', '>=' ) ) {
			return 'Klarna for WooCommerce ' . constant( 'WC_KLARNA_PAYMENTS_VERSION' );
		}
		if ( 'kco' === $gateway && defined( 'KCO_WC_VERSION' ) && version_compare( (string) constant( 'KCO_WC_VERSION' ), '2.21.0', '>=' ) ) {
			return 'Kustom Checkout ' . constant( 'KCO_WC_VERSION' );
		}
		return null;
	}

	/** Whether the merchant chose this plugin over the built-in copies. */
	public static function taken_over(): bool {
		$settings = (array) get_option( 'klarna_om_settings', array() );
		return 'yes' === ( $settings['take_over'] ?? '' );
	}

	/** Whether another plugin manages this order, so this one must not act on it. */
	public static function handled_elsewhere( \WC_Order $order ): bool {
		$elsewhere = null !== self::built_in_for( (string) $order->get_payment_method() ) && ! self::taken_over();
		/**
		 * Filters whether another plugin runs Klarna order management for this order.
		 *
		 * @param bool      $elsewhere The plugin's own detection.
		 * @param \WC_Order $order     The order.
		 */
		return (bool) apply_filters( 'klarna_om_handled_elsewhere', $elsewhere, $order );
	}

	/** The built-in copies that keep this plugin out, for the admin notice. */
	public static function active_built_ins(): array {
		if ( self::taken_over() ) {
			return array();
		}
		return array_values( array_filter( array( self::built_in_for( 'klarna_payments' ), self::built_in_for( 'kco' ) ) ) );
	}
}
