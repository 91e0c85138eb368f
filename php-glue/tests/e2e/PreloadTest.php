<?php
use KlarnaOM\NativeBridge;
use PHPUnit\Framework\TestCase;

/**
 * The fast mode under PHP-FPM: the header written on activation works with `ffi.preload`, and the bridge then uses
 * the preloaded scope. A child PHP is started with that setting, as php.ini would set it.
 */
final class PreloadTest extends TestCase {
	public function test_the_activation_header_enables_the_preloaded_scope(): void {
		$dist = (string) getenv( 'KLARNA_OM_DIST' );
		if ( '' === $dist ) {
			self::markTestSkipped( 'KLARNA_OM_DIST is not set: run through scripts/test-php' );
		}
		$plugin = sys_get_temp_dir() . '/klarna-om-preload-' . getmypid();
		@mkdir( "$plugin/include", 0777, true );
		@mkdir( "$plugin/lib", 0777, true );
		copy( "$dist/include/klarna_om.ffi.h", "$plugin/include/klarna_om.ffi.h" );
		copy( "$dist/lib/libklarna_om.so", "$plugin/lib/libklarna_om.so" );
		$header = NativeBridge::write_preload_header( $plugin );
		$this->assertSame( "$plugin/include/klarna_om.preload.h", $header );
		$this->assertStringStartsWith( "#define FFI_SCOPE \"klarna_om\"\n#define FFI_LIB \"$plugin/lib/libklarna_om.so\"", (string) file_get_contents( $header ) );

		$script = sprintf(
			'require %s; require %s; require %s; require %s; $b = new KlarnaOM\NativeBridge("/none", "/none", "/none", "ffi"); echo $b->mode(), " ", json_encode($b->call("capture", array("version" => 9)));',
			var_export( __DIR__ . '/../../klarna-order-management/src/Core.php', true ),
			var_export( __DIR__ . '/../../klarna-order-management/src/BatchCore.php', true ),
			var_export( __DIR__ . '/../../klarna-order-management/src/NativeUnavailable.php', true ),
			var_export( __DIR__ . '/../../klarna-order-management/src/NativeBridge.php', true )
		);
		$output = shell_exec( sprintf( 'php -d ffi.enable=preload -d ffi.preload=%s -r %s 2>&1', escapeshellarg( $header ), escapeshellarg( $script ) ) );
		$this->assertStringStartsWith( 'ffi-preload {"error":{"code":"unsupported_version"', (string) $output );
		array_map( 'unlink', glob( "$plugin/*/*" ) );
	}
}
