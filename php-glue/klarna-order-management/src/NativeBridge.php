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
 *
 * mode() decides once per request what can run, and a call uses only that. Shared hosts often disable proc_open
 * (disable_functions) as well as FFI; in PHP 8 a disabled function is undefined and calling it throws \Error. So
 * the executable mode needs every function it calls to exist, and any failure to reach the core (an FFI error, an
 * \Error, JSON) leaves call() as NativeUnavailable, which the hooks turn into a note: never a fatal error.
 */
final class NativeBridge implements BatchCore {
	/** The C ABI this plugin was written for; a library with another one is refused. */
	public const ABI_VERSION = 1;

	/** The entry points (`om_<operation>`) and sub-commands this plugin calls. */
	public const OPERATIONS = array( 'cancel', 'capture', 'update', 'refund', 'sync', 'release', 'extend' );

	/** The PHP functions the executable mode calls: hosts disable the proc_* family; the rest is checked alike. */
	private const PROCESS_FUNCTIONS = array( 'proc_open', 'proc_close', 'fwrite', 'fclose', 'stream_get_contents' );

	/** @var \FFI|null|false The loaded library, false once loading failed. */
	private \FFI|null|false $ffi = null;
	private string $ffi_mode = '';
	private ?string $ffi_failure = null;
	private ?string $cli_failure = null;
	private ?string $mode = null;

	/**
	 * @param string      $library    Path of libklarna_om.so.
	 * @param string      $header     Path of klarna_om.ffi.h.
	 * @param string      $executable Path of the klarna-om executable.
	 * @param string|null $only       'ffi' or 'cli' to use one mode only (tests); null tries FFI, then the executable.
	 * @param \Closure|null $function_exists Whether this PHP may call a function: function_exists(), which is false
	 *                                       for a disabled one. Tests pass their own to play a host that disables some.
	 */
	public function __construct(
		private readonly string $library,
		private readonly string $header,
		private readonly string $executable,
		private readonly ?string $only = null,
		private readonly ?\Closure $function_exists = null,
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

	/** 'ffi-preload', 'ffi', 'cli' or 'unavailable': what can run here, decided once. */
	public function mode(): string {
		if ( null === $this->mode ) {
			try {
				$this->mode = match ( true ) {
					'cli' !== $this->only && $this->load_ffi() => $this->ffi_mode,
					'ffi' !== $this->only && $this->executable_ready() => 'cli',
					default => 'unavailable',
				};
			} catch ( \Throwable $e ) {
				$this->mode        = 'unavailable';
				$this->cli_failure = 'checking what can run failed: ' . $e->getMessage();
			}
		}
		return $this->mode;
	}

	/**
	 * Whether the bundled executable can run: the functions it needs exist, and the file may be executed. WordPress
	 * unpacks plugin zips with its own file permissions (0644), so the executable bit is restored here when it was lost.
	 */
	private function executable_ready(): bool {
		foreach ( self::PROCESS_FUNCTIONS as $function ) {
			if ( ! $this->can_call( $function ) ) {
				$this->cli_failure = "PHP's $function function is disabled on this host (disable_functions)";
				return false;
			}
		}
		if ( ! is_file( $this->executable ) ) {
			$this->cli_failure = 'the klarna-om executable is missing from the plugin';
			return false;
		}
		if ( ! is_executable( $this->executable ) && $this->can_call( 'chmod' ) ) {
			@chmod( $this->executable, 0755 );  // phpcs:ignore WordPress.PHP.NoSilencedErrors -- reported by the notice.
			clearstatcache( true, $this->executable );
		}
		if ( ! is_executable( $this->executable ) ) {
			$this->cli_failure = 'the klarna-om executable may not be run (its file permissions, or a noexec mount)';
			return false;
		}
		return true;
	}

	private function can_call( string $function ): bool {
		return null === $this->function_exists ? function_exists( $function ) : (bool) ( $this->function_exists )( $function );
	}

	/** Why FFI is not used, in English for logs and the admin notice; null when it is. */
	public function ffi_unavailable_reason(): ?string {
		return $this->load_ffi() ? null : $this->ffi_failure;
	}

	/** Why nothing can run, in English (each mode tried, and why it cannot); null when something can. */
	public function unavailable_reason(): ?string {
		if ( 'unavailable' !== $this->mode() ) {
			return null;
		}
		$reasons = array(
			'cli' === $this->only ? null : 'PHP FFI: ' . ( $this->ffi_failure ?? 'not available' ),
			'ffi' === $this->only ? null : 'the klarna-om executable: ' . ( $this->cli_failure ?? 'not available' ),
		);
		return implode( '; ', array_filter( $reasons ) );
	}

	/**
	 * Runs one operation of the core.
	 *
	 * @param string $operation One of OPERATIONS: cancel, capture, update, refund, sync, release, extend.
	 * @param array  $request   The request of docs/contract.md.
	 * @return array The response of docs/contract.md.
	 * @throws NativeUnavailable When neither FFI nor the executable can run it, or its answer is lost; never another
	 *                           \Throwable.
	 */
	public function call( string $operation, array $request ): array {
		try {
			return $this->run( $operation, $request );
		} catch ( NativeUnavailable $e ) {
			throw $e;
		} catch ( \Throwable $e ) {
			throw new NativeUnavailable( 'the core could not be reached (' . get_class( $e ) . ': ' . $e->getMessage() . ')', 0, $e );
		}
	}

	private function run( string $operation, array $request ): array {
		if ( ! in_array( $operation, self::OPERATIONS, true ) ) {
			throw new NativeUnavailable( 'unknown operation' );
		}
		return $this->exchange( $operation, $request );
	}

	/**
	 * Runs many operations in one `om_batch` call (`klarna-om batch` where FFI is off): docs/contract.md, "Many orders
	 * at once". A core older than the batch has no `om_batch` function or `batch` command, and refuses before
	 * anything runs; so does a core that refuses the batch as a whole (its one `ok: false` envelope).
	 *
	 * @param array<int, array{operation: string, request: array}> $items  The items.
	 * @param array                                                $limits `concurrency`, `requests_per_second`.
	 * @return array<int, array> One response per item, in the items' order.
	 * @throws NativeUnavailable When the batch could not run, or its answer is lost or not one response per item
	 *                           (may_have_run()); never another \Throwable.
	 */
	public function batch( array $items, array $limits = array() ): array {
		try {
			$response = $this->exchange( 'batch', array( 'version' => 1, 'items' => array_values( $items ) ) + $limits );
		} catch ( NativeUnavailable $e ) {
			throw $e;
		} catch ( \Throwable $e ) {
			throw new NativeUnavailable( 'the core could not be reached (' . get_class( $e ) . ': ' . $e->getMessage() . ')', 0, $e );
		}
		if ( true !== $response['ok'] ) {
			throw new NativeUnavailable( 'the core refused the batch (' . (string) ( ( (array) ( $response['error'] ?? array() ) )['code'] ?? 'no error code' ) . ')' );
		}
		$results = $response['results'] ?? null;
		if ( ! is_array( $results ) || ! array_is_list( $results ) || count( $results ) !== count( $items ) ) {
			throw NativeUnavailable::answer_lost( 'the core answered the batch without one response per item' );
		}
		foreach ( $results as $result ) {
			if ( ! is_array( $result ) || ! array_key_exists( 'ok', $result ) ) {
				throw NativeUnavailable::answer_lost( 'the core answered an item of the batch without an envelope' );
			}
		}
		return $results;
	}

	/** One request to the entry point `om_<entry>` (or the sub-command `<entry>`) and its decoded answer. */
	private function exchange( string $entry, array $request ): array {
		$json = json_encode( $request, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		$text = match ( $this->mode() ) {
			'ffi', 'ffi-preload' => $this->call_ffi( $entry, $json ),
			'cli' => $this->run_executable( $entry, $json ),
			default => throw new NativeUnavailable( (string) $this->unavailable_reason() ),
		};
		try {
			$response = json_decode( $text, true, 64, JSON_THROW_ON_ERROR );
		} catch ( \JsonException $e ) {
			throw NativeUnavailable::answer_lost( 'the core answered with invalid JSON', $e );
		}
		if ( ! is_array( $response ) || ! array_key_exists( 'ok', $response ) ) {
			throw NativeUnavailable::answer_lost( 'the core answered without an envelope' );
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
			throw NativeUnavailable::answer_lost( 'the core could not allocate its answer' );
		}
		try {
			return \FFI::string( $pointer );
		} catch ( \Throwable $e ) {
			throw NativeUnavailable::answer_lost( 'the core\'s answer could not be read (' . $e->getMessage() . ')', $e );
		} finally {
			$this->ffi->om_free( $pointer );
		}
	}

	/**
	 * The library the mode in use runs, for the status report: its release (`om_version()`, or `klarna-om version`)
	 * and its C ABI. Null when nothing can run or it does not say; never throws.
	 *
	 * @return array{version: string, abi: int}|null
	 */
	public function library(): ?array {
		try {
			return match ( $this->mode() ) {
				'ffi', 'ffi-preload' => array( 'version' => self::text( $this->ffi->om_version() ), 'abi' => (int) $this->ffi->om_abi_version() ),
				'cli' => preg_match( '/^klarna-om (\S+) \(abi (\d+)\)/', $this->run_executable( 'version', '' ), $match ) ? array( 'version' => $match[1], 'abi' => (int) $match[2] ) : null,
				default => null,
			};
		} catch ( \Throwable $e ) {
			return null;
		}
	}

	/** A `const char *` PHP FFI returns: PHP already copies it into a string; a pointer is read up to its NUL. */
	private static function text( $value ): string {
		return is_string( $value ) ? $value : \FFI::string( $value );
	}

	/** Runs the executable with one argument and its standard input; its standard output, or NativeUnavailable. */
	private function run_executable( string $argument, string $input ): string {
		$process = proc_open( array( $this->executable, $argument ), array( 0 => array( 'pipe', 'r' ), 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		if ( ! is_resource( $process ) ) {
			throw new NativeUnavailable( 'the klarna-om executable could not be started' );
		}
		try {
			fwrite( $pipes[0], $input );
			fclose( $pipes[0] );
			$out = (string) stream_get_contents( $pipes[1] );
			fclose( $pipes[1] );
			fclose( $pipes[2] );
			$status = proc_close( $process );
		} catch ( \Throwable $e ) {
			throw NativeUnavailable::answer_lost( 'the klarna-om executable could not be read (' . $e->getMessage() . ')', $e );
		}
		if ( 2 === $status && '' === $out ) {
			// Its usage error: the command line was refused before the request was read, so nothing ran.
			throw new NativeUnavailable( "the klarna-om executable does not know the command $argument (a core older than this plugin)" );
		}
		if ( 0 !== $status || '' === $out ) {
			// It writes an answer and exits 0 whenever it read a request: anything else is a crash, perhaps mid-way.
			throw NativeUnavailable::answer_lost( "the klarna-om executable gave no answer (exit status $status)" );
		}
		return $out;
	}
}
