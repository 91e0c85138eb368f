<?php
/**
 * The one admin notice of the plugin.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Speaks only when something needs the merchant: the plugin cannot run here (and what the host must enable),
 * WooCommerce is missing or older than the plugin needs, calls go to a local Klarna sandbox, or Klarna's own plugin
 * manages the orders. While the plugin works, in-process (FFI) or through its executable, there is no notice at all.
 *
 * Shown to users who can manage WooCommerce (activate plugins, when WooCommerce is missing), each message with a
 * Dismiss link that hides it for that user from then on (user meta `klarna_om_dismissed_notices`).
 */
final class AdminNotice {
	/** The query argument (and nonce action) of the Dismiss link. */
	public const DISMISS = 'klarna_om_dismiss';
	/** User meta: the ids of the messages this user dismissed. */
	public const DISMISSED = 'klarna_om_dismissed_notices';

	public bool $woocommerce_missing = false;
	/** The WooCommerce version running, when it is older than KLARNA_OM_WC_REQUIRES (the plugin then does nothing). */
	public ?string $woocommerce_outdated = null;

	public function __construct( private readonly NativeBridge $bridge ) {}

	/**
	 * The messages, in the admin's language.
	 *
	 * @return array<int, array{0: string, 1: string, 2: string}> Type (error, warning, info), text, id.
	 */
	public function messages(): array {
		if ( $this->woocommerce_missing ) {
			return array( array( 'error', __( 'Klarna Order Management needs WooCommerce to be installed and active.', 'klarna-order-management' ), 'woocommerce_missing' ) );
		}
		if ( null !== $this->woocommerce_outdated ) {
			/* translators: 1: the WooCommerce version the plugin needs at least, 2: the WooCommerce version running. */
			return array( array( 'error', sprintf( __( 'Klarna Order Management needs WooCommerce %1$s or later, and this site runs WooCommerce %2$s. Until WooCommerce is updated, Klarna Order Management does nothing: Klarna is not told when you cancel, complete, edit or refund a Klarna order.', 'klarna-order-management' ), KLARNA_OM_WC_REQUIRES, $this->woocommerce_outdated ), 'woocommerce_outdated' ) );
		}
		$messages = array();
		if ( 'unavailable' === $this->bridge->mode() ) {
			/* translators: %s: why each way of running the core fails, in English, for the hosting provider. */
			$messages[] = array( 'error', sprintf( __( 'Klarna Order Management cannot work on this server. It needs PHP FFI or the PHP function proc_open, and neither can be used here. Ask your hosting provider to enable PHP FFI or the proc_open function (if both are enabled, reinstall the plugin: its files are incomplete). Until then Klarna is not told when you cancel, complete, edit or refund a Klarna order: each such order gets a note, and a changed status is put On hold. Details for your host: %s.', 'klarna-order-management' ), (string) $this->bridge->unavailable_reason() ), 'unavailable' );
		}
		$sandbox = Settings::sandbox_url();
		if ( null !== $sandbox ) {
			/* translators: %s: the sandbox URL from KLARNA_OM_SANDBOX_URL. */
			$messages[] = array( 'warning', sprintf( __( 'Klarna Order Management sends every Klarna call to the local sandbox at %s (KLARNA_OM_SANDBOX_URL). Real Klarna orders are not changed.', 'klarna-order-management' ), $sandbox ), 'sandbox' );
		}
		$built_ins = Coexistence::active_built_ins();
		if ( array() !== $built_ins ) {
			/* translators: %s: Klarna payment plugins with their versions, comma-separated. */
			$messages[] = array( 'info', sprintf( __( '%s manages its Klarna orders itself, so Klarna Order Management leaves those orders alone to avoid acting twice. To use Klarna Order Management instead, switch order management off in that plugin, then tick "Manage orders of Klarna plugins with built-in order management" in WooCommerce → Settings → Advanced → Klarna order management.', 'klarna-order-management' ), implode( ', ', $built_ins ) ), 'coexistence' );
		}
		return $messages;
	}

	/** `admin_notices`: the messages this user may see and has not dismissed. */
	public function render(): void {
		$dismissed = $this->dismissed();
		foreach ( $this->messages() as list( $type, $text, $id ) ) {
			if ( ! current_user_can( self::capability( $id ) ) || in_array( $id, $dismissed, true ) ) {
				continue;
			}
			$url = wp_nonce_url( add_query_arg( self::DISMISS, $id ), self::DISMISS );
			printf( '<div class="notice notice-%1$s"><p>%2$s <a href="%3$s">%4$s</a></p></div>', esc_attr( $type ), esc_html( $text ), esc_url( $url ), esc_html( __( 'Dismiss', 'klarna-order-management' ) ) );
		}
	}

	/** `admin_init`: a Dismiss link (with its nonce) hides that message for the current user. */
	public function dismiss(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- the nonce is verified here.
		$id    = sanitize_key( wp_unslash( $_GET[ self::DISMISS ] ?? '' ) );
		$nonce = sanitize_key( wp_unslash( $_GET['_wpnonce'] ?? '' ) );
		// phpcs:enable
		if ( '' === $id || ! current_user_can( self::capability( $id ) ) || false === wp_verify_nonce( $nonce, self::DISMISS ) ) {
			return;
		}
		update_user_meta( get_current_user_id(), self::DISMISSED, array_values( array_unique( array_merge( $this->dismissed(), array( $id ) ) ) ) );
	}

	/** @return string[] The ids this user dismissed. */
	private function dismissed(): array {
		return array_values( array_filter( (array) get_user_meta( get_current_user_id(), self::DISMISSED, true ), 'is_string' ) );
	}

	/** Who may see a message: shop managers; site admins when WooCommerce (and its capability) is missing. */
	private static function capability( string $id ): string {
		return 'woocommerce_missing' === $id ? 'activate_plugins' : 'manage_woocommerce';
	}
}
