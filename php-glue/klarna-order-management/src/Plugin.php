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

	/** Runs on plugins_loaded: translations, then the plugin over the bundled core and the WooCommerce that runs. */
	public static function boot(): void {
		load_plugin_textdomain( 'klarna-order-management', false, dirname( plugin_basename( KLARNA_OM_FILE ) ) . '/languages' );
		self::start( NativeBridge::bundled( KLARNA_OM_DIR ), class_exists( 'WooCommerce' ) ? ( defined( 'WC_VERSION' ) ? (string) WC_VERSION : '0' ) : null );
	}

	/**
	 * The admin notice and the Plugins screen's links always; the hooks only with a WooCommerce the plugin supports
	 * (its `WC requires at least`, KLARNA_OM_WC_REQUIRES). Otherwise the notice says what is missing.
	 *
	 * @param NativeBridge $bridge      The core.
	 * @param string|null  $woocommerce The WooCommerce version running, or null when WooCommerce is not active.
	 */
	public static function start( NativeBridge $bridge, ?string $woocommerce ): void {
		$notice = new AdminNotice( $bridge );
		add_action( 'admin_notices', array( $notice, 'render' ) );
		add_action( 'admin_init', array( $notice, 'dismiss' ) );
		$supported = null !== $woocommerce && version_compare( $woocommerce, KLARNA_OM_WC_REQUIRES, '>=' );
		add_filter( 'plugin_action_links_' . plugin_basename( KLARNA_OM_FILE ), static fn ( $actions ) => self::action_links( (array) $actions, $supported ) );
		if ( null === $woocommerce ) {
			$notice->woocommerce_missing = true;
			return;
		}
		if ( ! $supported ) {
			$notice->woocommerce_outdated = $woocommerce;
			return;
		}
		$logger         = new Logger();
		$settings       = new Settings();
		$hooks          = new OrderHooks( $bridge, new SnapshotBuilder( $settings ), new ResponseApplier( $logger ), $logger );
		self::$instance = new self( $bridge, $hooks, $notice );
		self::$instance->register_hooks();
	}

	/**
	 * `plugin_action_links_{basename}`: Settings (when the WooCommerce section exists) and Docs (the readme.txt shipped
	 * with the plugin) before WordPress's own links.
	 *
	 * @param array $actions       The row's links.
	 * @param bool  $with_settings Whether WooCommerce, and so the settings section, is there.
	 */
	public static function action_links( array $actions, bool $with_settings = true ): array {
		$links = array();
		if ( $with_settings ) {
			$links['settings'] = sprintf( '<a href="%s">%s</a>', esc_url( admin_url( 'admin.php?page=wc-settings&tab=advanced&section=' . SettingsSection::ID ) ), esc_html( __( 'Settings', 'klarna-order-management' ) ) );
		}
		$links['docs'] = sprintf( '<a href="%s">%s</a>', esc_url( plugins_url( 'readme.txt', KLARNA_OM_FILE ) ), esc_html( __( 'Docs', 'klarna-order-management' ) ) );
		return $links + $actions;
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
		// The order screen's Klarna box (drawn from stored meta: no Klarna call per view) and its actions: the order
		// actions dropdown for what changes Klarna (after WooCommerce saved the form), AJAX for Refresh (a read).
		$logger  = new Logger();
		$box     = new OrderBox( $logger );
		$actions = new OrderActions( $this->hooks, $box, $logger );
		add_action( 'add_meta_boxes', array( $box, 'register' ), 10, 2 );
		add_filter( 'woocommerce_order_actions', array( $actions, 'dropdown' ), 10, 2 );
		foreach ( $actions->handlers() as $action => $handler ) {
			add_action( "woocommerce_order_action_$action", $handler );
		}
		add_action( 'wp_ajax_' . OrderActions::AJAX, array( $actions, 'refresh' ) );
		// Failures shown where the change was made: after a bulk status change, and in the order's REST response.
		$outcomes = new RequestOutcomes();
		add_action( 'klarna_om_outcome', array( $outcomes, 'outcome' ), 10, 3 );
		add_filter( 'woocommerce_bulk_action_ids', array( $outcomes, 'bulk_started' ), 10, 3 );
		add_action( 'admin_notices', array( $outcomes, 'bulk_notice' ) );
		add_filter( 'woocommerce_rest_prepare_shop_order_object', array( $outcomes, 'rest_response' ), 10, 2 );
		// Many orders at once (bulk status changes, the REST batch endpoint): Klarna is asked for all of them in one
		// om_batch call before WooCommerce saves the first; each save applies its own answer. At a late priority, so
		// the ids are those WooCommerce will change; answers whose save never came are recorded at the end.
		$bulk = new BulkChanges( $this->hooks, $logger );
		add_filter( 'woocommerce_bulk_action_ids', array( $bulk, 'bulk_ids' ), 999, 3 );
		add_filter( 'rest_dispatch_request', array( $bulk, 'rest_dispatch' ), 10, 3 );
		add_filter( 'rest_request_after_callbacks', array( $bulk, 'rest_done' ), 10, 3 );
		add_action( 'shutdown', array( $this->hooks, 'flush' ) );
		// An outcome that is unknown is retried in the background (Action Scheduler), with the same request.
		$retries = new Retries( $this->hooks, $logger );
		add_action( 'klarna_om_outcome', array( $retries, 'outcome' ), 10, 3 );
		add_action( Retries::HOOK, array( $retries, 'run' ), 10, 3 );
		// Where WooCommerce and Klarna disagree: a page under WooCommerce (checked in chunks over AJAX) and WP-CLI.
		$reconciliation = new Reconciliation( $this->hooks, $logger );
		$page           = new ReconciliationPage( $reconciliation, $logger );
		add_action( 'admin_menu', array( $page, 'register' ), 60 );
		add_action( 'wp_ajax_' . ReconciliationPage::AJAX, array( $page, 'chunk' ) );
		add_action( 'wp_ajax_' . ReconciliationPage::AJAX_FIX, array( $page, 'fix' ) );
		if ( defined( 'WP_CLI' ) && WP_CLI && class_exists( \WP_CLI::class ) ) {
			\WP_CLI::add_command( 'klarna-om', new Cli( $this->hooks, $box, $reconciliation, $logger ) );
		}
		// The orders list's "Klarna: needs attention" view, HPOS and posts storage.
		add_filter( 'woocommerce_shop_order_list_table_prepare_items_query_args', array( Attention::class, 'hpos_query_args' ) );
		add_filter( 'request', array( Attention::class, 'posts_request' ) );
		add_filter( 'views_woocommerce_page_wc-orders', array( Attention::class, 'hpos_views' ) );
		add_filter( 'views_edit-shop_order', array( Attention::class, 'posts_views' ) );
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
