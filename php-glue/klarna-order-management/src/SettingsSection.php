<?php
/**
 * The optional settings section.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce → Settings → Advanced → Klarna order management. Nothing here is needed: empty fields mean "as the
 * Klarna payment gateway is set up". Filled in, they override the gateway's credentials and environment, choose
 * klarna-om over a built-in copy of order management, and switch debug logging on. The section says how the core
 * runs and links to the plugin's entries in WooCommerce's log viewer.
 */
final class SettingsSection {
	public const ID = 'klarna_om';

	/** `woocommerce_get_sections_advanced`. */
	public static function sections( array $sections ): array {
		$sections[ self::ID ] = __( 'Klarna order management', 'klarna-order-management' );
		return $sections;
	}

	/** `woocommerce_get_settings_advanced`: the fields of this section. */
	public static function fields( array $settings, string $section = '' ): array {
		if ( self::ID !== $section ) {
			return $settings;
		}
		$mode = Plugin::instance()?->bridge->mode() ?? 'unavailable';
		$runs = __( 'The core cannot run on this server (see the notice above).', 'klarna-order-management' );
		if ( 'unavailable' !== $mode ) {
			/* translators: %s: how the plugin reaches its core, e.g. "PHP FFI". */
			$runs = sprintf( __( 'The core runs through %s.', 'klarna-order-management' ), Diagnostics::mode_label( $mode ) );
		}
		/* translators: %s: the address of WooCommerce's log viewer, filtered to this plugin. */
		$log = sprintf( __( 'Warnings and errors are always written to the <a href="%s">WooCommerce log</a> (source klarna-order-management).', 'klarna-order-management' ), esc_url( Logger::viewer_url() ) );
		return array(
			array(
				'type'  => 'title',
				'id'    => 'klarna_om_title',
				'title' => __( 'Klarna order management', 'klarna-order-management' ),
				'desc'  => __( 'Optional. Leave the fields empty to use the credentials and environment of the Klarna payment gateway that took each order.', 'klarna-order-management' ) . ' ' . $runs . ' ' . $log,
			),
			array( 'type' => 'text', 'id' => 'klarna_om_settings[username]', 'title' => __( 'API username', 'klarna-order-management' ), 'default' => '' ),
			array( 'type' => 'password', 'id' => 'klarna_om_settings[password]', 'title' => __( 'API password', 'klarna-order-management' ), 'default' => '' ),
			array(
				'type'    => 'select',
				'id'      => 'klarna_om_settings[environment]',
				'title'   => __( 'Environment', 'klarna-order-management' ),
				'default' => '',
				'options' => array(
					''           => __( 'As stored on each order', 'klarna-order-management' ),
					'playground' => __( 'Playground (test)', 'klarna-order-management' ),
					'production' => __( 'Production (live)', 'klarna-order-management' ),
				),
			),
			array( 'type' => 'checkbox', 'id' => 'klarna_om_settings[take_over]', 'title' => __( 'Manage orders of Klarna plugins with built-in order management', 'klarna-order-management' ), 'desc' => __( 'Only after switching order management off in that plugin.', 'klarna-order-management' ), 'default' => 'no' ),
			array( 'type' => 'checkbox', 'id' => 'klarna_om_debug', 'title' => __( 'Debug log', 'klarna-order-management' ), 'desc' => __( 'Also log every Klarna request and every outcome (never credentials or personal data).', 'klarna-order-management' ), 'default' => 'no' ),
			array( 'type' => 'sectionend', 'id' => 'klarna_om_title' ),
		);
	}
}
