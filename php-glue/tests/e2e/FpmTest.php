<?php
use KlarnaOM\NativeBridge;
use PHPUnit\Framework\TestCase;

/**
 * Under PHP-FPM, where WordPress runs. With PHP's default `ffi.enable=preload`, FFI is refused in request scripts:
 * the bridge must notice and use the bundled executable. With the preload setup the plugin ships (ffi.preload with
 * the activation header, opcache.preload with preload.php), the bridge uses the preloaded library in-process.
 * A real php-fpm is started for each case and spoken to over FastCGI (cgi-fcgi), as a web server would.
 */
final class FpmTest extends TestCase {
	private static string $dir = '';

	public static function setUpBeforeClass(): void {
		if ( '' === (string) getenv( 'KLARNA_OM_DIST' ) || ! is_executable( '/usr/sbin/php-fpm8.2' ) || ! is_executable( '/usr/bin/cgi-fcgi' ) ) {
			return;
		}
		// A plugin folder as WordPress would hold it: sources, library, header, executable.
		self::$dir = sys_get_temp_dir() . '/klarna-om-fpm-' . getmypid();
		$plugin    = self::$dir . '/plugin';
		$dist      = (string) getenv( 'KLARNA_OM_DIST' );
		foreach ( array( 'src', 'lib', 'include', 'bin' ) as $folder ) {
			@mkdir( "$plugin/$folder", 0777, true );
		}
		foreach ( glob( __DIR__ . '/../../klarna-order-management/src/*.php' ) as $file ) {
			copy( $file, "$plugin/src/" . basename( $file ) );
		}
		copy( __DIR__ . '/../../klarna-order-management/preload.php', "$plugin/preload.php" );
		copy( "$dist/lib/libklarna_om.so", "$plugin/lib/libklarna_om.so" );
		copy( "$dist/include/klarna_om.ffi.h", "$plugin/include/klarna_om.ffi.h" );
		copy( "$dist/bin/klarna-om", "$plugin/bin/klarna-om" );
		chmod( "$plugin/bin/klarna-om", 0755 );
		NativeBridge::write_preload_header( $plugin );
		// The request script: what a WordPress request does with the bridge.
		file_put_contents(
			self::$dir . '/request.php',
			'<?php if ( ! class_exists( "KlarnaOM\\\\NativeBridge" ) ) { foreach ( array( "Core", "BatchCore", "NativeUnavailable", "NativeBridge" ) as $c ) { require "' . $plugin . '/src/$c.php"; } }'
			. ' $bridge = KlarnaOM\NativeBridge::bundled( "' . $plugin . '" );'
			. ' $answer = $bridge->call( "refund", array( "version" => 9 ) );'
			. ' echo $bridge->mode(), " ", $answer["error"]["code"];'
		);
	}

	public static function tearDownAfterClass(): void {
		if ( '' !== self::$dir ) {
			shell_exec( 'rm -rf ' . escapeshellarg( self::$dir ) );
		}
	}

	/** Starts php-fpm with these php.ini settings, sends one request, stops it; returns the response body. */
	private function request( array $ini ): string {
		if ( '' === self::$dir ) {
			self::markTestSkipped( 'needs KLARNA_OM_DIST, php8.2-fpm and libfcgi-bin (scripts/test-php installs them)' );
		}
		$socket = self::$dir . '/fpm.sock';
		$conf   = self::$dir . '/fpm.conf';
		$pid    = self::$dir . '/fpm.pid';
		file_put_contents( $conf, "[global]\npid = $pid\nerror_log = " . self::$dir . "/fpm.log\n[www]\nlisten = $socket\npm = static\npm.max_children = 1\nclear_env = no\n" );
		$flags = '';
		foreach ( $ini as $key => $value ) {
			$flags .= ' -d ' . escapeshellarg( "$key=$value" );
		}
		shell_exec( "/usr/sbin/php-fpm8.2 -R -y " . escapeshellarg( $conf ) . $flags . ' 2>&1' );
		for ( $i = 0; $i < 100 && ! file_exists( $socket ); $i++ ) {
			usleep( 50000 );
		}
		$out = (string) shell_exec( 'SCRIPT_FILENAME=' . escapeshellarg( self::$dir . '/request.php' ) . ' REQUEST_METHOD=GET cgi-fcgi -bind -connect ' . escapeshellarg( $socket ) . ' 2>&1' );
		if ( is_file( $pid ) ) {
			posix_kill( (int) file_get_contents( $pid ), SIGTERM );
			for ( $i = 0; $i < 100 && file_exists( $socket ); $i++ ) {
				usleep( 50000 );
			}
		}
		$parts = preg_split( "/\r?\n\r?\n/", $out, 2 );
		return trim( $parts[1] ?? $out );
	}

	public function test_with_the_default_ffi_setting_the_executable_answers(): void {
		$this->assertSame( 'cli unsupported_version', $this->request( array( 'ffi.enable' => 'preload' ) ) );
	}

	public function test_with_the_shipped_preload_setup_the_library_answers_in_process(): void {
		$plugin = self::$dir . '/plugin';
		$answer = $this->request(
			array(
				'ffi.enable'        => 'preload',
				'ffi.preload'       => "$plugin/include/klarna_om.preload.h",
				'opcache.enable'    => '1',
				'opcache.preload'   => "$plugin/preload.php",
				'opcache.preload_user' => 'root',  // required when the master runs as root, as it does here
			)
		);
		$this->assertSame( 'ffi-preload unsupported_version', $answer );
	}
}
