<?php
use KlarnaOM\Diagnostics;
use KlarnaOM\NativeBridge;
use PHPUnit\Framework\TestCase;

/**
 * WooCommerce → Status and Tools → Site Health say how the core runs, which library, and whether it answers a
 * self-check that never calls Klarna. The working cases use the release artifacts in dist/ (scripts/test-php sets
 * KLARNA_OM_DIST), in both modes; the failing ones a host without FFI or proc_open, and an executable that crashes.
 */
final class DiagnosticsTest extends TestCase {
	/** The real core in one mode. */
	private static function released( string $mode ): NativeBridge {
		$dist = (string) getenv( 'KLARNA_OM_DIST' );
		if ( '' === $dist || ( 'ffi' === $mode && ! extension_loaded( 'ffi' ) ) ) {
			self::markTestSkipped( 'needs dist/ (KLARNA_OM_DIST) and PHP FFI: run through scripts/test-php' );
		}
		return new NativeBridge( "$dist/lib/libklarna_om.so", "$dist/include/klarna_om.ffi.h", "$dist/bin/klarna-om", $mode );
	}

	/** A host that disables proc_open and has no library: nothing can run. */
	private static function unavailable(): NativeBridge {
		return new NativeBridge( '/none/lib.so', '/none/h.h', '/bin/true', null, static fn ( string $name ) => 'proc_open' !== $name );
	}

	/** The status report section, and what WooCommerce's "Get system report" makes of it (system-status.js). */
	private static function report( NativeBridge $bridge ): array {
		ob_start();
		( new Diagnostics( $bridge ) )->status_report();
		$html = (string) ob_get_clean();
		$dom  = new DOMDocument();
		$dom->loadHTML( '<?xml encoding="UTF-8">' . $html, LIBXML_NOERROR );
		$export = '### ' . $dom->getElementsByTagName( 'th' )->item( 0 )->getAttribute( 'data-export-label' ) . " ###\n";
		foreach ( $dom->getElementsByTagName( 'tbody' )->item( 0 )->getElementsByTagName( 'tr' ) as $row ) {
			$cells = $row->getElementsByTagName( 'td' );
			TestCase::assertSame( 3, $cells->length, 'a label, a help tip and a value' );
			$value = $cells->item( 2 );
			foreach ( iterator_to_array( $value->getElementsByTagName( 'span' ) ) as $icon ) {
				$icon->textContent = str_contains( $icon->getAttribute( 'class' ), 'dashicons-yes' ) ? '✔' : '❌';
			}
			$export .= $cells->item( 0 )->getAttribute( 'data-export-label' ) . ': ' . trim( $value->textContent ) . "\n";
		}
		return array( $html, $export );
	}

	public static function modes(): array {
		return array( 'PHP FFI' => array( 'ffi', 'PHP FFI' ), 'klarna-om executable' => array( 'cli', 'the bundled klarna-om program' ) );
	}

	/** @dataProvider modes */
	public function test_the_status_report_says_how_the_core_runs_and_that_it_answers( string $mode, string $label ): void {
		$bridge = self::released( $mode );
		preg_match( '/#define OM_VERSION "([^"]+)"/', (string) file_get_contents( getenv( 'KLARNA_OM_DIST' ) . '/include/klarna_om.h' ), $version );
		[ $html, $export ] = self::report( $bridge );
		$this->assertStringStartsWith( '<table class="wc_status_table widefat" cellspacing="0"><thead><tr><th colspan="3" data-export-label="Klarna Order Management"><h2>Klarna Order Management</h2></th></tr></thead><tbody>', $html );
		$this->assertSame(
			"### Klarna Order Management ###\nMode: ✔ $label\nLibrary version: $version[1]\nC ABI: ✔ 1\nSelf-check: ✔ the core refused a test request as it should (unsupported_version); Klarna was not called\n",
			$export
		);
	}

	public function test_the_status_report_says_why_nothing_runs(): void {
		[ $html, $export ] = self::report( self::unavailable() );
		$this->assertStringContainsString( 'dashicons-warning', $html );
		$this->assertStringStartsWith( "### Klarna Order Management ###\nMode: ❌ unavailable\nLibrary version: –\nC ABI: –\nSelf-check: ❌ PHP FFI: ", $export );
		$this->assertStringContainsString( "the klarna-om executable: PHP's proc_open function is disabled on this host", $export );
	}

	/** @dataProvider modes */
	public function test_site_health_is_good_while_the_core_answers( string $mode, string $label ): void {
		$tests = ( new Diagnostics( self::released( $mode ) ) )->site_status_tests( array( 'direct' => array( 'other' => array() ), 'async' => array() ) );
		$this->assertArrayHasKey( 'other', $tests['direct'] );
		$this->assertSame( 'Klarna Order Management', $tests['direct']['klarna_order_management']['label'] );
		$result = call_user_func( $tests['direct']['klarna_order_management']['test'] );
		$this->assertSame( array( 'good', 'blue', 'klarna_order_management', '' ), array( $result['status'], $result['badge']['color'], $result['test'], $result['actions'] ) );
		$this->assertSame( 'Klarna Order Management works', $result['label'] );
		$this->assertStringContainsString( "The core runs through $label (library ", $result['description'] );
	}

	public function test_site_health_is_critical_with_what_to_do_when_the_core_cannot_run(): void {
		$result = ( new Diagnostics( self::unavailable() ) )->site_health_test();
		$this->assertSame( array( 'critical', 'red' ), array( $result['status'], $result['badge']['color'] ) );
		$this->assertSame( 'Klarna Order Management cannot work on this server', $result['label'] );
		$this->assertStringContainsString( 'Klarna is not told when you cancel, complete, edit or refund a Klarna order', $result['description'] );
		$this->assertStringContainsString( 'proc_open function is disabled', $result['description'], 'the details, for the host' );
		$this->assertSame( '<p>Ask your hosting provider to enable PHP FFI or the proc_open function. If both are enabled, reinstall the plugin: its files are incomplete.</p>', $result['actions'] );
	}

	public function test_an_executable_that_runs_but_does_not_answer_is_critical_too(): void {
		$crashing = new NativeBridge( '/none/lib.so', '/none/h.h', '/bin/false', 'cli' );
		$this->assertSame( 'cli', $crashing->mode() );
		$found = ( new Diagnostics( $crashing ) )->findings();
		$this->assertSame( array( 'cli', null, false ), array( $found['mode'], $found['library'], $found['works'] ) );
		$this->assertStringContainsString( 'gave no answer', $found['detail'] );
		$this->assertSame( 'critical', ( new Diagnostics( $crashing ) )->site_health_test()['status'] );
	}

	public function test_the_plugin_registers_both_where_woocommerce_and_wordpress_look_for_them(): void {
		Shop::wire( new ScriptedCore( array() ), self::unavailable() );
		$tests = apply_filters( 'site_status_tests', array( 'direct' => array(), 'async' => array() ) );
		$this->assertSame( 'critical', call_user_func( $tests['direct']['klarna_order_management']['test'] )['status'] );
		ob_start();
		do_action( 'woocommerce_system_status_report', array() );
		$this->assertStringContainsString( 'data-export-label="Klarna Order Management"', (string) ob_get_clean() );
	}
}
