<?php
/**
 * The one class that talks to the Swift core.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

// No ABSPATH guard: this file only declares a class, and preload.php loads it before WordPress exists.

/**
 * Calls libklarna_om.so through PHP FFI, or the bundled klarna-om executable where FFI is off (the default
 * ffi.enable=preload under PHP-FPM). Both speak the same JSON (docs/contract.md).
 *
 * FFI modes, tried in order: the preloaded scope `klarna_om` (ffi.preload + opcache.preload, the fast path on
 * PHP-FPM), then FFI::cdef (ffi.enable=1, or the CLI). Native memory is released in a `finally` on every call.
 */
final class NativeBridge implements Core {
	/** The C ABI this plugin was written for; a library with another one is refused. */
	public const ABI_VERSION = 1;

	/** @var \FFI|null|false The loaded library, false once loading failed. */
	private \FFI|null|false $ffi = null;
	private string $ffi_mode = '';
	private ?string $ffi_failure = null;

	/**
	 * @param string      $library    Path of libklarna_om.so.
	 * @param string      $header     Path of klarna_om.ffi.h.
	 * @param string      $executable Path of the klarna-om executable.
	 * @param string|null $only       'ffi' or 'cli' to use one mode only (tests); null tries FFI, then the executable.
	 */
	public function __construct(
		private readonly string $library,
		private readonly string $header,
		private readonly string $executable,
		private readonly ?string $only = null,
	) {}

	/** The bridge to the files shipped inside the plugin folder. */
	public static function bundled( string $plugin_dir ): self {
		return new self( "$plugin_dir/lib/libklarna_om.so", "$plugin_dir/include/klarna_om.ffi.h", "$plugin_dir/bin/klarna-om" );
	}

	/**
	 * Writes `include/klarna_om.preload.h`: the FFI header with the scope name and the absolute library path that
	 * `ffi.preload` needs (PHP resolves no relative FFI_LIB). Runs on activation; returns the path, or null when the
	 * folder is not writable (the admin notice then shows the lines to add by hand).
	 *
	 * @param string $plugin_dir The plugin folder.
	 */
	public static function write_preload_header( string $plugin_dir ): ?string {
		$header = "$plugin_dir/include/klarna_om.ffi.h";
		$target = "$plugin_dir/include/klarna_om.preload.h";
		if ( ! is_file( $header ) ) {
			return null;
		}
		$text = "#define FFI_SCOPE \"klarna_om\"\n#define FFI_LIB \"$plugin_dir/lib/libklarna_om.so\"\n" . file_get_contents( $header );
		return false === @file_put_contents( $target, $text ) ? null : $target;
	}

	/** 'ffi-preload', 'ffi', 'cli' or 'unavailable'. */
	public function mode(): string {
		if ( 'cli' !== $this->only && $this->load_ffi() ) {
			return $this->ffi_mode;
		}
		if ( 'ffi' !== $this->only && $this->executable_ready() ) {
			return 'cli';
		}
		return 'unavailable';
	}

	/**
	 * Whether the bundled executable can run. WordPress unpacks plugin zips with its own file permissions (0644), so
	 * the executable bit is restored here when it was lost.
	 */
	private function executable_ready(): bool {
		if ( ! is_file( $this->executable ) ) {
			return false;
		}
		if ( ! is_executable( $this->executable ) ) {
			@chmod( $this->executable, 0755 );  // phpcs:ignore WordPress.PHP.NoSilencedErrors -- reported by the notice.
			clearstatcache( true, $this->executable );
		}
		return is_executable( $this->executable );
	}

	/** Why FFI is not used, in English for logs and the admin notice; null when it is. */
	public function ffi_unavailable_reason(): ?string {
		return $this->load_ffi() ? null : $this->ffi_failure;
	}

	/**
	 * Runs one operation of the core.
	 *
	 * @param string $operation cancel, capture, update or refund.
	 * @param array  $request   The request of docs/contract.md.
	 * @return array The response of docs/contract.md.
	 * @throws NativeUnavailable When neither FFI nor the executable can run it.
	 */
	public function call( string $operation, array $request ): array {
		if ( ! in_array( $operation, array( 'cancel', 'capture', 'update', 'refund' ), true ) ) {
			throw new NativeUnavailable( 'unknown operation' );
		}
		$json = json_encode( $request, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		$mode = $this->mode();
		$text = match ( $mode ) {
			'ffi', 'ffi-preload' => $this->call_ffi( $operation, $json ),
			'cli' => $this->call_executable( $operation, $json ),
			default => throw new NativeUnavailable( $this->ffi_failure ?? 'the klarna-om library and executable are missing' ),
		};
		try {
			$response = json_decode( $text, true, 64, JSON_THROW_ON_ERROR );
		} catch ( \JsonException $e ) {
			throw new NativeUnavailable( 'the core answered with invalid JSON', 0, $e );
		}
		if ( ! is_array( $response ) || ! array_key_exists( 'ok', $response ) ) {
			throw new NativeUnavailable( 'the core answered without an envelope' );
		}
		return $response;
	}

	private function load_ffi(): bool {
		if ( null !== $this->ffi ) {
			return false !== $this->ffi;
		}
		$this->ffi = false;
		if ( ! extension_loaded( 'ffi' ) ) {
			$this->ffi_failure = 'the PHP FFI extension is not loaded';
			return false;
		}
		try {
			$ffi            = \FFI::scope( 'klarna_om' );
			$this->ffi_mode = 'ffi-preload';
		} catch ( \Throwable $e ) {
			$ffi = null;
		}
		if ( null === $ffi ) {
			if ( ! is_file( $this->library ) || ! is_file( $this->header ) ) {
				$this->ffi_failure = 'libklarna_om.so or its FFI header is missing from the plugin';
				return false;
			}
			try {
				$ffi            = \FFI::cdef( (string) file_get_contents( $this->header ), $this->library );
				$this->ffi_mode = 'ffi';
			} catch ( \Throwable $e ) {
				$this->ffi_failure = 'PHP FFI is not allowed here (' . ini_get( 'ffi.enable' ) . '): ' . $e->getMessage();
				return false;
			}
		}
		$abi = $ffi->om_abi_version();
		if ( self::ABI_VERSION !== $abi ) {
			$this->ffi_failure = "libklarna_om.so has C ABI $abi, this plugin needs " . self::ABI_VERSION;
			return false;
		}
		$this->ffi = $ffi;
		return true;
	}

	private function call_ffi( string $operation, string $json ): string {
		$pointer = $this->ffi->{"om_$operation"}( $json );
		if ( null === $pointer ) {
			throw new NativeUnavailable( 'the core could not allocate its answer' );
		}
		try {
			return \FFI::string( $pointer );
		} finally {
			$this->ffi->om_free( $pointer );
		}
	}

	private function call_executable( string $operation, string $json ): string {
		$process = proc_open( array( $this->executable, $operation ), array( 0 => array( 'pipe', 'r' ), 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		if ( ! is_resource( $process ) ) {
			throw new NativeUnavailable( 'the klarna-om executable could not be started' );
		}
		fwrite( $pipes[0], $json );
		fclose( $pipes[0] );
		$out = (string) stream_get_contents( $pipes[1] );
		fclose( $pipes[1] );
		fclose( $pipes[2] );
		$status = proc_close( $process );
		if ( 0 !== $status || '' === $out ) {
			throw new NativeUnavailable( "the klarna-om executable failed (exit status $status)" );
		}
		return $out;
	}
}
