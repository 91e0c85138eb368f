<?php
use KlarnaOM\Batch;
use KlarnaOM\Logger;
use PHPUnit\Framework\TestCase;

/**
 * A batch's pace by default is half of Klarna's limit for the items' environment (production 200 requests per second,
 * playground 50), so that a bulk action of 100 orders takes seconds, not the core's conservative defaults' ten; the
 * shop's filter `klarna_om_batch_limits` has the last word.
 */
final class BatchPaceTest extends TestCase {
	protected function setUp(): void {
		$GLOBALS['klarna_om_test_hooks'] = array();
	}

	private static function items( string ...$environments ): array {
		return array_map( static fn ( $environment ) => array( 'operation' => 'capture', 'request' => array( 'config' => array( 'environment' => $environment ) ) ), $environments );
	}

	private static function sent_limits( array $items ): array {
		$core          = new ScriptedCore( array( 'capture' => array( 'version' => 1, 'ok' => true, 'outcome' => 'captured', 'success' => true ) ) );
		$core->batches = array();
		( new Batch( $core, new Logger() ) )->responses( $items );
		return $core->limits[0];
	}

	public function test_production_orders_go_at_half_of_klarnas_production_limit(): void {
		$this->assertSame( array( 'concurrency' => 16, 'requests_per_second' => 100 ), self::sent_limits( self::items( 'production', 'production' ) ) );
	}

	public function test_any_playground_order_sets_the_playgrounds_pace(): void {
		$this->assertSame( array( 'concurrency' => 8, 'requests_per_second' => 25 ), self::sent_limits( self::items( 'production', 'playground' ) ) );
	}

	public function test_the_local_sandbox_gets_the_cores_defaults(): void {
		$this->assertSame( array(), self::sent_limits( self::items( 'sandbox' ) ) );
	}

	public function test_the_shops_filter_has_the_last_word(): void {
		add_filter( 'klarna_om_batch_limits', static fn ( $limits ) => array( 'requests_per_second' => 180 ) + $limits );
		$this->assertSame( array( 'requests_per_second' => 180, 'concurrency' => 16 ), self::sent_limits( self::items( 'production' ) ) );
	}
}
