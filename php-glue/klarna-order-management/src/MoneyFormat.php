<?php
/**
 * Money as the shop writes it.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * The shop's money format, sent to the core as the request's `format` (the core writes the amounts of notes with
 * it), and the same rules for the amounts the Klarna box shows from the stored state: integer minor units, written
 * as wc_price() writes them without its HTML (woocommerce-facts §7), but without a float: the minor units are placed
 * by the currency's exponent and rounded to the shop's decimals (half away from zero, as number_format()), grouped
 * with the shop's separators, the symbol placed by `position` with a no-break space where WooCommerce puts `&nbsp;`,
 * the minus sign before the symbol.
 */
final class MoneyFormat {
	/** The `woocommerce_currency_pos` values and wc_price()'s formats for them (%1$s symbol, %2$s number). */
	private const POSITIONS = array(
		'left'        => "%1\$s%2\$s",
		'right'       => "%2\$s%1\$s",
		'left_space'  => "%1\$s\u{a0}%2\$s",
		'right_space' => "%2\$s\u{a0}%1\$s",
	);

	/**
	 * ISO 4217 currencies whose minor unit is not the hundredth (data/iso4217.tsv, where the core's table comes from;
	 * tests/unit/MoneyFormatTest.php keeps them equal). Used only when the stored state does not say (`exponent`).
	 */
	private const EXPONENTS = array(
		'BHD' => 3, 'BIF' => 0, 'CLF' => 4, 'CLP' => 0, 'DJF' => 0, 'GNF' => 0, 'IQD' => 3, 'ISK' => 0, 'JOD' => 3,
		'JPY' => 0, 'KMF' => 0, 'KRW' => 0, 'KWD' => 3, 'LYD' => 3, 'OMR' => 3, 'PYG' => 0, 'RWF' => 0, 'TND' => 3,
		'UGX' => 0, 'UYI' => 0, 'UYW' => 4, 'VND' => 0, 'VUV' => 0, 'XAF' => 0, 'XOF' => 0, 'XPF' => 0,
	);

	/**
	 * The request's `format`: the shop's currency symbol for this currency as WooCommerce shows it (entities decoded),
	 * `woocommerce_currency_pos` (WooCommerce writes any other value as `left`, and so does this), the separators and
	 * the shop's price decimals.
	 *
	 * @param string $currency The order's currency.
	 * @return array{symbol: string, position: string, decimal_separator: string, thousand_separator: string, decimals: int}
	 */
	public static function shop( string $currency ): array {
		$position = (string) get_option( 'woocommerce_currency_pos', 'left' );
		return array(
			'symbol'             => html_entity_decode( (string) get_woocommerce_currency_symbol( $currency ), ENT_QUOTES | ENT_HTML5, 'UTF-8' ),
			'position'           => isset( self::POSITIONS[ $position ] ) ? $position : 'left',
			'decimal_separator'  => (string) wc_get_price_decimal_separator(),
			'thousand_separator' => (string) wc_get_price_thousand_separator(),
			'decimals'           => (int) wc_get_price_decimals(),
		);
	}

	/** A currency's ISO 4217 exponent: 2 unless the table says otherwise. */
	public static function exponent( string $currency ): int {
		return self::EXPONENTS[ strtoupper( $currency ) ] ?? 2;
	}

	/** The exception table itself, for its test. */
	public static function exponents(): array {
		return self::EXPONENTS;
	}

	/**
	 * An amount in minor units, written as the shop writes money.
	 *
	 * @param int      $minor    The amount in minor units of the currency.
	 * @param string   $currency ISO 4217 code.
	 * @param array    $format   shop()'s format.
	 * @param int|null $exponent The currency's exponent when known (the stored state's `exponent`); the table otherwise.
	 */
	public static function text( int $minor, string $currency, array $format, ?int $exponent = null ): string {
		$exponent = $exponent ?? self::exponent( $currency );
		$decimals = max( 0, (int) $format['decimals'] );
		$digits   = ltrim( (string) $minor, '-' );
		if ( $decimals >= $exponent ) {
			$units = $digits . str_repeat( '0', $decimals - $exponent );
		} else {
			$divisor = 10 ** ( $exponent - $decimals );
			$whole   = intdiv( (int) $digits, $divisor );
			$units   = (string) ( 2 * ( (int) $digits % $divisor ) >= $divisor ? $whole + 1 : $whole );
		}
		$units  = str_pad( $units, $decimals + 1, '0', STR_PAD_LEFT );
		$number = self::group( substr( $units, 0, strlen( $units ) - $decimals ), (string) $format['thousand_separator'] );
		if ( $decimals > 0 ) {
			$number .= (string) $format['decimal_separator'] . substr( $units, -$decimals );
		}
		$pattern = self::POSITIONS[ $format['position'] ] ?? self::POSITIONS['left'];
		return ( $minor < 0 ? '-' : '' ) . sprintf( $pattern, (string) $format['symbol'], $number );
	}

	/** Digits in groups of three from the right, joined by the separator (which may be several bytes long). */
	private static function group( string $digits, string $separator ): string {
		$groups = array();
		for ( $end = strlen( $digits ); $end > 0; $end -= 3 ) {
			array_unshift( $groups, substr( $digits, max( 0, $end - 3 ), $end - max( 0, $end - 3 ) ) );
		}
		return implode( $separator, $groups );
	}
}
