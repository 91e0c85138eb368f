<?php
use KlarnaOM\Logger;
use KlarnaOM\OrderMeta;
use PHPUnit\Framework\TestCase;

/** A response's `record` stored under the established plugin's keys, and read back into the snapshot's `order.meta`. */
final class OrderMetaTest extends TestCase {
	protected function setUp(): void {
		$GLOBALS['klarna_om_test_log'] = array();
	}

	public function test_a_record_is_stored_under_the_established_keys_and_read_back(): void {
		$order = OrderFactory::hoodies( 701, 'k-701' );
		OrderMeta::store( $order, array( 'capture_id' => 'cap-1', 'cancelled' => true, 'lines_fingerprint' => 'f00d', 'refund' => array( 'id' => 77, 'klarna_refund_id' => 'r-1' ) ) );
		$this->assertSame( array( 'cap-1', 'yes', 'f00d', 'r-1' ), array( $order->get_meta( '_wc_klarna_capture_id' ), $order->get_meta( '_wc_klarna_cancelled' ), $order->get_meta( '_klarna_om_lines_fingerprint' ), $order->get_meta( '_klarna_om_refund_id_77' ) ) );
		$this->assertSame( array( 'capture_ids' => array( 'cap-1' ), 'lines_fingerprint' => 'f00d', 'cancelled' => true ), OrderMeta::snapshot( $order, new Logger() ) );
	}

	public function test_absent_members_change_nothing_and_the_merchants_switch_is_read(): void {
		$order = OrderFactory::hoodies( 702, 'k-702' );
		$order->meta['_wc_klarna_capture_id'] = 'cap-0';
		$order->meta['_kom_disconnect']       = 'yes';
		OrderMeta::store( $order, array() );
		$this->assertSame( array( 'capture_ids' => array( 'cap-0' ), 'disconnected' => true ), OrderMeta::snapshot( $order, new Logger() ) );
	}

	public static function malformed(): array {
		return array(
			'a capture id that is no string' => array( array( 'capture_id' => 5 ) ),
			'an empty capture id'            => array( array( 'capture_id' => '' ) ),
			'cancelled as a string'          => array( array( 'cancelled' => 'yes' ) ),
			'a fingerprint that is a list'   => array( array( 'lines_fingerprint' => array( 'f' ) ) ),
			'a refund id that is a string'   => array( array( 'refund' => array( 'id' => '77', 'klarna_refund_id' => 'r-1' ) ) ),
			'a refund without Klarna\'s id'  => array( array( 'refund' => array( 'id' => 77 ) ) ),
		);
	}

	/**
	 * The core never writes these; a guess would record something Klarna may not hold.
	 *
	 * @dataProvider malformed
	 */
	public function test_a_member_of_another_type_is_left_alone( array $record ): void {
		$order  = OrderFactory::hoodies( 703, 'k-703' );
		$before = $order->meta;
		OrderMeta::store( $order, $record );
		$this->assertSame( $before, $order->meta );
	}
}
