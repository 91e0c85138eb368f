<?php
use KlarnaOM\OrderMeta;
use KlarnaOM\Settings;
use KlarnaOM\SnapshotBuilder;
use PHPUnit\Framework\TestCase;

/**
 * The core's responses carry `record` (what to store), and, for readers of contract version 1 from before it, the same
 * facts as `order_meta` under the established plugin's keys. The plugin stores `record` through OrderMeta alone; this
 * keeps the two mappings from drifting apart, with answers of the real core (both modes) from the Klarna sandbox.
 */
final class OrderMetaAgreesWithTheCoreTest extends TestCase {
	use SandboxShop;

	/** @dataProvider modes */
	public function test_every_record_the_flows_write_is_stored_under_the_keys_of_the_cores_order_meta( string $mode ): void {
		[ , $klarna_id, $id ] = $this->setUpShop( $mode );
		$dist   = (string) getenv( 'KLARNA_OM_DIST' );
		$bridge = new KlarnaOM\NativeBridge( "$dist/lib/libklarna_om.so", "$dist/include/klarna_om.ffi.h", "$dist/bin/klarna-om", $mode );
		$build  = new SnapshotBuilder( new Settings() );
		$order  = OrderFactory::hoodies( $id, $klarna_id );
		$seen   = array();
		$steps  = array(
			array( 'update', fn () => $build->request( $order, array( 'from' => 'on-hold', 'to' => 'processing' ) ) ),
			array( 'capture', fn () => $build->request( $order, array( 'from' => 'processing', 'to' => 'completed' ) ) ),
			array( 'refund', fn () => $build->refund_request( $order, OrderFactory::refund_one_hoodie( $order, 90001 ), null, '' ) ),
			array( 'cancel', fn () => $build->request( $order, array( 'from' => 'completed', 'to' => 'cancelled' ) ) ),
		);
		foreach ( $steps as [ $operation, $request ] ) {
			$response = $bridge->call( $operation, $request() );
			$this->assertTrue( $response['ok'] ?? false, $operation );
			$fresh = OrderFactory::hoodies( $id + 100000, 'k' );
			OrderMeta::store( $fresh, (array) ( $response['record'] ?? array() ) );
			$stored = array_diff_key( $fresh->meta, OrderFactory::hoodies( $id + 100000, 'k' )->meta );
			ksort( $stored );
			$legacy = (array) ( $response['order_meta'] ?? array() );
			ksort( $legacy );
			$this->assertSame( $legacy, $stored, "$operation: {$response['outcome']}" );
			$seen = array_merge( $seen, array_keys( $stored ) );
		}
		$this->assertGreaterThanOrEqual( 3, count( array_unique( $seen ) ), 'a fingerprint, a capture id, a refund id: ' . implode( ', ', $seen ) );
	}
}
