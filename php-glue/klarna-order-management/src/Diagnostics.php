<?php
/**
 * What support needs to know: the mode, the library, and whether the core answers.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * The plugin explains itself where WooCommerce and WordPress look: a section of WooCommerce → Status (the system
 * status report, `woocommerce_system_status_report`) and a Site Health test (`site_status_tests`, direct). Both say
 * how the core runs (PHP FFI preloaded, PHP FFI, the klarna-om executable, or not at all), the library's release
 * (`om_version`) and C ABI, and the result of a self-check that never calls Klarna: the core is given a request of
 * contract version 0, which every release refuses with its `ok: false` envelope (`unsupported_version`) before
 * reading anything else.
 */
final class Diagnostics {
	/** The Site Health test's id. */
	public const TEST = 'klarna_order_management';

	/** @var array|null The findings, once per request. */
	private ?array $findings = null;

	public function __construct( private readonly NativeBridge $bridge ) {}

	/**
	 * What runs here, and whether it answers.
	 *
	 * @return array{mode: string, library: ?array{version: string, abi: int}, works: bool, detail: string}
	 */
	public function findings(): array {
		if ( null === $this->findings ) {
			$mode           = $this->bridge->mode();
			$this->findings = array( 'mode' => $mode, 'library' => $this->bridge->library() ) + $this->self_check( $mode );
		}
		return $this->findings;
	}

	/** @return array{works: bool, detail: string} The self-check: a request the core must refuse, sent nowhere. */
	private function self_check( string $mode ): array {
		if ( 'unavailable' === $mode ) {
			return array( 'works' => false, 'detail' => (string) $this->bridge->unavailable_reason() );
		}
		try {
			$answer = $this->bridge->call( 'capture', array( 'version' => 0 ) );
		} catch ( NativeUnavailable $e ) {
			return array( 'works' => false, 'detail' => $e->getMessage() );
		}
		$code = (string) ( ( (array) ( $answer['error'] ?? array() ) )['code'] ?? '' );
		return false === ( $answer['ok'] ?? null ) && 'unsupported_version' === $code
			? array( 'works' => true, 'detail' => 'the core refused a test request as it should (unsupported_version); Klarna was not called' )
			: array( 'works' => false, 'detail' => 'the core answered a test request unexpectedly (' . ( '' === $code ? 'no error code' : $code ) . ')' );
	}

	/** The mode in the admin's words. */
	public static function mode_label( string $mode ): string {
		return match ( $mode ) {
			'ffi-preload' => __( 'PHP FFI, preloaded', 'klarna-order-management' ),
			'ffi' => __( 'PHP FFI', 'klarna-order-management' ),
			'cli' => __( 'the bundled klarna-om program', 'klarna-order-management' ),
			default => __( 'unavailable', 'klarna-order-management' ),
		};
	}

	/** `woocommerce_system_status_report`: a section of WooCommerce → Status, in WooCommerce's own table markup. */
	public function status_report(): void {
		$found   = $this->findings();
		$library = $found['library'];
		$mark    = static fn ( bool $good, string $text ) => $good
			? '<mark class="yes"><span class="dashicons dashicons-yes"></span> ' . esc_html( $text ) . '</mark>'
			: '<mark class="error"><span class="dashicons dashicons-warning"></span> ' . esc_html( $text ) . '</mark>';
		$rows    = array(
			'Mode'            => array( __( 'Mode', 'klarna-order-management' ), $mark( 'unavailable' !== $found['mode'], self::mode_label( $found['mode'] ) ) ),
			'Library version' => array( __( 'Library version', 'klarna-order-management' ), esc_html( $library['version'] ?? '–' ) ),
			'C ABI'           => array( __( 'C ABI', 'klarna-order-management' ), null === $library ? '–' : $mark( NativeBridge::ABI_VERSION === $library['abi'], (string) $library['abi'] ) ),
			'Self-check'      => array( __( 'Self-check', 'klarna-order-management' ), $mark( $found['works'], $found['detail'] ) ),
		);
		echo '<table class="wc_status_table widefat" cellspacing="0"><thead><tr><th colspan="3" data-export-label="Klarna Order Management"><h2>'
			. esc_html( __( 'Klarna Order Management', 'klarna-order-management' ) ) . '</h2></th></tr></thead><tbody>';
		foreach ( $rows as $key => list( $label, $value ) ) {
			printf( '<tr><td data-export-label="%1$s">%2$s:</td><td class="help">&nbsp;</td><td>%3$s</td></tr>', esc_attr( $key ), esc_html( $label ), $value ); // phpcs:ignore WordPress.Security.EscapeOutput -- escaped above.
		}
		echo '</tbody></table>';
	}

	/**
	 * `site_status_tests`: the direct test.
	 *
	 * @param array $tests Site Health's tests.
	 */
	public function site_status_tests( array $tests ): array {
		$tests['direct'][ self::TEST ] = array(
			'label' => __( 'Klarna Order Management', 'klarna-order-management' ),
			'test'  => array( $this, 'site_health_test' ),
		);
		return $tests;
	}

	/** The Site Health result: good while the core answers, critical (with what to do) when it cannot. */
	public function site_health_test(): array {
		$found   = $this->findings();
		$version = $found['library']['version'] ?? '–';
		$badge   = array( 'label' => __( 'Klarna Order Management', 'klarna-order-management' ) );
		if ( $found['works'] ) {
			/* translators: 1: how the core runs, e.g. "PHP FFI", 2: the library version. */
			$text = sprintf( __( 'Cancelling, completing, editing and refunding a Klarna order in WooCommerce does the same at Klarna. The core runs through %1$s (library %2$s).', 'klarna-order-management' ), self::mode_label( $found['mode'] ), $version );
			return array(
				'label'       => __( 'Klarna Order Management works', 'klarna-order-management' ),
				'status'      => 'good',
				'badge'       => $badge + array( 'color' => 'blue' ),
				'description' => '<p>' . esc_html( $text ) . '</p>',
				'actions'     => '',
				'test'        => self::TEST,
			);
		}
		$effect = __( 'Klarna is not told when you cancel, complete, edit or refund a Klarna order: each such order gets a note, and a changed status is put On hold.', 'klarna-order-management' );
		/* translators: %s: why the core cannot run, in English, for the hosting provider. */
		$details = sprintf( __( 'Details for your host: %s.', 'klarna-order-management' ), $found['detail'] );
		return array(
			'label'       => __( 'Klarna Order Management cannot work on this server', 'klarna-order-management' ),
			'status'      => 'critical',
			'badge'       => $badge + array( 'color' => 'red' ),
			'description' => '<p>' . esc_html( $effect ) . '</p><p>' . esc_html( $details ) . '</p>',
			'actions'     => '<p>' . esc_html( __( 'Ask your hosting provider to enable PHP FFI or the proc_open function. If both are enabled, reinstall the plugin: its files are incomplete.', 'klarna-order-management' ) ) . '</p>',
			'test'        => self::TEST,
		);
	}
}
