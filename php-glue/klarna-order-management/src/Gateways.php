<?php
/**
 * Which orders are Klarna's.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * The one place that decides which WooCommerce orders this plugin manages: those paid through Klarna Payments or
 * Klarna Checkout (Kustom). The core is called only for them, so an order of another gateway never costs a call, and
 * never goes On hold because the core could not run.
 */
final class Gateways {
	/** The payment gateway ids whose orders live at Klarna. */
	public const MANAGED = array( 'klarna_payments', 'kco' );

	/**
	 * Whether the order was paid through a Klarna gateway.
	 *
	 * @param \WC_Order $order The order.
	 */
	public static function manages( \WC_Order $order ): bool {
		return in_array( (string) $order->get_payment_method(), self::MANAGED, true );
	}

	/**
	 * Whether this plugin manages the order's Klarna side: a Klarna gateway, and no Klarna plugin managing it itself
	 * (Coexistence).
	 *
	 * @param \WC_Order $order The order.
	 */
	public static function managed_here( \WC_Order $order ): bool {
		return self::manages( $order ) && ! Coexistence::handled_elsewhere( $order );
	}
}
