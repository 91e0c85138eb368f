<?php
/**
 * The one admin notice of the plugin.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Says on the WooCommerce screens how the plugin reaches its core (and how to enable the fast way), when neither way
 * works and why, when WooCommerce is missing, and when calls go to a local Klarna sandbox.
 */
final class AdminNotice {
	public bool $woocommerce_missing = false;

	public function __construct( private readonly NativeBridge $bridge ) {}

	/** The notice's messages, in the admin's language. */
	public function messages(): array {
		$messages = array();
		if ( $this->woocommerce_missing ) {
			$messages[] = array( 'error', __( 'Klarna Order Management needs WooCommerce to be installed and active.', 'klarna-order-management' ) );
			return $messages;
		}
		$sandbox = Settings::sandbox_url();
		if ( null !== $sandbox ) {
			/* translators: %s: the sandbox URL from KLARNA_OM_SANDBOX_URL. */
			$messages[] = array( 'warning', sprintf( __( 'Klarna Order Management sends every Klarna call to the local sandbox at %s (KLARNA_OM_SANDBOX_URL). Real Klarna orders are not changed.', 'klarna-order-management' ), $sandbox ) );
		}
		$built_ins = Coexistence::active_built_ins();
		if ( array() !== $built_ins ) {
			/* translators: %s: Klarna payment plugins with their versions, comma-separated. */
			$messages[] = array( 'info', sprintf( __( '%s manages its Klarna orders itself, so Klarna Order Management (klarna-om) leaves those orders alone to avoid acting twice. To use klarna-om instead, switch order management off in that plugin and set take_over to yes in the klarna_om_settings option.', 'klarna-order-management' ), implode( ', ', $built_ins ) ) );
		}
		switch ( $this->bridge->mode() ) {
			case 'cli':
				/* translators: %s: why PHP FFI is not used, in English. */
				$messages[] = array( 'info', sprintf( __( 'Klarna Order Management runs its bundled klarna-om program for each Klarna action, because PHP FFI is not available (%s). It works; for the faster in-process mode, preload the library: see preload.php in the plugin folder.', 'klarna-order-management' ), (string) $this->bridge->ffi_unavailable_reason() ) );
				break;
			case 'unavailable':
				/* translators: %s: why the library cannot be used, in English. */
				$messages[] = array( 'error', sprintf( __( 'Klarna Order Management cannot reach its core (%s). Klarna orders are not managed: each affected order gets a note and is put On hold; no WooCommerce action is blocked.', 'klarna-order-management' ), (string) $this->bridge->ffi_unavailable_reason() ) );
				break;
		}
		return $messages;
	}

	/** `admin_notices`. */
	public function render(): void {
		foreach ( $this->messages() as list( $type, $text ) ) {
			printf( '<div class="notice notice-%1$s"><p>%2$s</p></div>', esc_attr( $type ), esc_html( $text ) );
		}
	}
}
