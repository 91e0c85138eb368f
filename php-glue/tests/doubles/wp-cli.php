<?php
// Thin WP-CLI stand-in (woocommerce-facts §10); see README.md in this folder. The constant WP_CLI is not defined
// here: the plugin registers its command only where a test defines it, as WP-CLI does.

namespace {
	/** Thrown by WP_CLI::error(), which in WP-CLI prints the message and exits with status 1. */
	final class Klarna_OM_Test_CLI_Exit extends RuntimeException {}

	/**
	 * WP_CLI's static API as the plugin uses it: add_command() records the command; line(), log(), success(),
	 * warning() and error() append `[kind, text]` to `$output` (error() then throws Klarna_OM_Test_CLI_Exit).
	 */
	class WP_CLI {
		/** @var array<string, mixed> Commands by name. */
		public static array $commands = array();
		/** @var array<int, array{0: string, 1: string}> What was printed: kind (line, log, success, warning, error), text. */
		public static array $output = array();

		public static function add_command( string $name, $callable, array $args = array() ): bool {
			self::$commands[ $name ] = $callable;
			return true;
		}
		public static function line( string $message = '' ): void {
			self::$output[] = array( 'line', $message );
		}
		public static function log( string $message ): void {
			self::$output[] = array( 'log', $message );
		}
		public static function success( string $message ): void {
			self::$output[] = array( 'success', $message );
		}
		public static function warning( string $message ): void {
			self::$output[] = array( 'warning', $message );
		}
		public static function error( $message, $exit = true ): void {
			self::$output[] = array( 'error', (string) $message );
			throw new Klarna_OM_Test_CLI_Exit( (string) $message );
		}
		/** Everything printed, one line each, as a terminal shows it ("Success: …", "Error: …"). */
		public static function text(): string {
			$prefix = array( 'success' => 'Success: ', 'warning' => 'Warning: ', 'error' => 'Error: ' );
			return implode( "\n", array_map( static fn ( $entry ) => ( $prefix[ $entry[0] ] ?? '' ) . $entry[1], self::$output ) );
		}
	}
}

namespace WP_CLI\Utils {
	/**
	 * format_items(): `table` as WP-CLI's ASCII table (+---+ borders, a header row), `csv` with a header line, `json` a
	 * list of objects with the fields given; printed through WP_CLI::line().
	 */
	function format_items( string $format, array $items, $fields ): void {
		$fields = is_array( $fields ) ? $fields : explode( ',', (string) $fields );
		$items  = array_map( static fn ( $item ) => array_map( static fn ( $field ) => (string) ( ( (array) $item )[ $field ] ?? '' ), array_combine( $fields, $fields ) ), $items );
		if ( 'json' === $format ) {
			\WP_CLI::line( (string) json_encode( array_values( $items ), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ) );
			return;
		}
		if ( 'csv' === $format ) {
			$out = fopen( 'php://temp', 'w+' );
			fputcsv( $out, $fields, ',', '"', '' );
			foreach ( $items as $item ) {
				fputcsv( $out, array_values( $item ), ',', '"', '' );
			}
			rewind( $out );
			\WP_CLI::line( rtrim( (string) stream_get_contents( $out ), "\n" ) );
			return;
		}
		$widths = array_map( static fn ( $field ) => max( array_map( 'mb_strlen', array_merge( array( $field ), array_column( $items, $field ) ) ) ), array_combine( $fields, $fields ) );
		$rule   = '+' . implode( '+', array_map( static fn ( $width ) => str_repeat( '-', $width + 2 ), $widths ) ) . '+';
		$row    = static fn ( array $cells ) => '| ' . implode( ' | ', array_map( static fn ( $field ) => $cells[ $field ] . str_repeat( ' ', $widths[ $field ] - mb_strlen( $cells[ $field ] ) ), $fields ) ) . ' |';
		\WP_CLI::line( implode( "\n", array_merge( array( $rule, $row( array_combine( $fields, $fields ) ), $rule ), array_map( $row, $items ), array( $rule ) ) ) );
	}

	/** make_progress_bar(): WP-CLI's bar; here it counts its ticks (`ticks`, `finished`), printing nothing. */
	function make_progress_bar( string $message, int $count, int $interval = 100 ): object {
		return new class( $count ) {
			public int $ticks     = 0;
			public bool $finished = false;
			public function __construct( public int $count ) {
				$GLOBALS['klarna_om_test_progress'][] = $this;
			}
			public function tick( int $increment = 1 ): void {
				$this->ticks += $increment;
			}
			public function finish(): void {
				$this->finished = true;
			}
		};
	}
}
