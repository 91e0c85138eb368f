<?php
/**
 * Bootstrap and the one place where hooks are registered.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Wires the plugin into WordPress and WooCommerce. Holds no business rules: those live in the Swift core.
 */
final class Plugin {
	/** @var Plugin|null The running instance. */
	private static ?Plugin $instance = null;

	public function __construct(
		public readonly NativeBridge $bridge,
		public readonly OrderHooks $hooks,
		public readonly AdminNotice $notice,
	) {}

	/** The running instance, once booted with WooCommerce active. */
	public static function instance(): ?Plugin {
		return self::$instance;
	}

	/** Runs on plugins_loaded: translations, then the hooks if WooCommerce is active. */
	public static function boot(): void {
		load_plugin_textdomain( 'klarna-order-management', false, dirname( plugin_basename( KLARNA_OM_FILE ) ) . '/languages' );
		$bridge = NativeBridge::bundled( KLARNA_OM_DIR );
		$notice = new AdminNotice( $bridge );
		add_action( 'admin_notices', array( $notice, 'render' ) );
		add_action( 'admin_init', array( $notice, 'dismiss' ) );
		if ( ! class_exists( 'WooCommerce' ) ) {
			$notice->woocommerce_missing = true;
			return;
		}
		$logger         = new Logger();
		$settings       = new Settings();
		$hooks          = new OrderHooks( $bridge, new SnapshotBuilder( $settings ), new ResponseApplier( $logger ), $logger );
		self::$instance = new self( $bridge, $hooks, $notice );
		self::$instance->register_hooks();
	}

	/** Every hook of the plugin, following the existing plugin's hook map. */
	public function register_hooks(): void {
		// Capture, cancel and update run before WooCommerce commits the new status, so a refusal turns the save
		// into On hold: no "completed" e-mail for money Klarna did not take, no Cancelled order with a capture.
		add_action( 'woocommerce_before_order_object_save', array( $this->hooks, 'before_save' ), 10, 1 );
		// The refund being created is kept from woocommerce_create_refund: process_refund is told only order and amount.
		add_action( 'woocommerce_create_refund', array( $this->hooks, 'refund_being_created' ), 10, 2 );
		add_action( 'woocommerce_refund_created', array( $this->hooks, 'refund_created' ), 10, 2 );
		add_filter( 'wc_klarna_payments_process_refund', array( $this->hooks, 'refund' ), 10, 4 );
		add_filter( 'wc_klarna_checkout_process_refund', array( $this->hooks, 'refund' ), 10, 4 );
		add_filter( 'wc_klarna_payments_supports', array( self::class, 'supports_refunds' ) );
		add_filter( 'kco_wc_supports', array( self::class, 'supports_refunds' ) );
		add_filter( 'woocommerce_get_sections_advanced', array( SettingsSection::class, 'sections' ) );
		add_filter( 'woocommerce_get_settings_advanced', array( SettingsSection::class, 'fields' ), 10, 2 );
		// What support needs: WooCommerce → Status and Tools → Site Health say how the core runs and whether it answers.
		$diagnostics = new Diagnostics( $this->bridge );
		add_action( 'woocommerce_system_status_report', array( $diagnostics, 'status_report' ) );
		add_filter( 'site_status_tests', array( $diagnostics, 'site_status_tests' ) );
	}

	/**
	 * Makes WooCommerce offer "Refund via Klarna".
	 *
	 * @param array $supports Features the gateway supports.
	 */
	public static function supports_refunds( array $supports ): array {
		if ( ! in_array( 'refunds', $supports, true ) ) {
			$supports[] = 'refunds';
		}
		return $supports;
	}
}
