<?php
use PHPUnit\Framework\TestCase;

/** The Vietnamese .mo translates every string of the .pot, and the .pot holds every string of the source. */
final class TranslationTest extends TestCase {
	private const DIR = __DIR__ . '/../../klarna-order-management';

	/** msgids of a .pot/.po file (multi-line strings joined). */
	private static function pot_ids( string $file ): array {
		preg_match_all( '/^msgid ((?:"(?:[^"\\\\]|\\\\.)*"\s*)+)/m', (string) file_get_contents( $file ), $matches );
		$ids = array();
		foreach ( $matches[1] as $raw ) {
			preg_match_all( '/"((?:[^"\\\\]|\\\\.)*)"/', $raw, $parts );
			$id = stripcslashes( implode( '', $parts[1] ) );
			if ( '' !== $id ) {
				$ids[] = $id;
			}
		}
		return $ids;
	}

	/** msgid → msgstr of a compiled .mo file (GNU gettext's binary format). */
	private static function mo_entries( string $file ): array {
		$data  = (string) file_get_contents( $file );
		$magic = unpack( 'V', substr( $data, 0, 4 ) )[1];
		self::assertSame( 0x950412de, $magic, 'little-endian .mo file' );
		[ , $count, $originals, $translations ] = array_values( unpack( 'V4', substr( $data, 4, 16 ) ) );
		$entries = array();
		for ( $i = 0; $i < $count; $i++ ) {
			[ $olen, $ooff ] = array_values( unpack( 'V2', substr( $data, $originals + 8 * $i, 8 ) ) );
			[ $tlen, $toff ] = array_values( unpack( 'V2', substr( $data, $translations + 8 * $i, 8 ) ) );
			$entries[ substr( $data, $ooff, $olen ) ] = substr( $data, $toff, $tlen );
		}
		return $entries;
	}

	public function test_the_vietnamese_mo_covers_every_string_of_the_pot(): void {
		$pot = self::pot_ids( self::DIR . '/languages/klarna-order-management.pot' );
		$mo  = self::mo_entries( self::DIR . '/languages/klarna-order-management-vi.mo' );
		$this->assertNotEmpty( $pot );
		foreach ( $pot as $id ) {
			$this->assertArrayHasKey( $id, $mo, "not translated: $id" );
			$this->assertNotSame( '', $mo[ $id ] );
			$this->assertSame( substr_count( $id, '%' ), substr_count( $mo[ $id ], '%' ), "placeholders differ: $id" );
		}
	}

	public function test_the_pot_holds_every_string_of_the_source(): void {
		$pot = self::pot_ids( self::DIR . '/languages/klarna-order-management.pot' );
		foreach ( glob( self::DIR . '/src/*.php' ) as $file ) {
			preg_match_all( "/__\\(\\s*'((?:[^'\\\\]|\\\\.)*)'\\s*,\\s*'klarna-order-management'/", (string) file_get_contents( $file ), $matches );
			foreach ( $matches[1] as $text ) {
				$this->assertContains( stripslashes( $text ), $pot, "missing from the .pot (run scripts/gen-translations): $text" );
			}
		}
	}
}
