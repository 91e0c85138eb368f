<?php
use KlarnaOM\Logger;
use KlarnaOM\OrderHooks;
use KlarnaOM\ResponseApplier;
use KlarnaOM\Settings;
use KlarnaOM\SnapshotBuilder;
use PHPUnit\Framework\TestCase;

/** The intent ledger: sent as stored in `_klarna_om_ledger`, and the entry a response returns stored back. */
final class LedgerTest extends TestCase {
	protected function setUp(): void {
		$GLOBALS['klarna_om_test_hooks']   = array();
		$GLOBALS['klarna_om_test_log']     = array();
		$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 's' ) );
	}

	private static function snapshot( WC_Order $order ): array {
		return ( new SnapshotBuilder( new Settings() ) )->order( $order );
	}

	public function test_the_stored_ledger_is_sent_as_the_json_object_it_is(): void {
		$order = OrderFactory::hoodies( 401, 'k-401' );
		$order->meta['_klarna_om_ledger'] = '{"capture":{"answered":2,"pending":"f00d"},"refund":{"answered":1},"update":{}}';
		$snapshot = self::snapshot( $order );
		$this->assertSame( '{"capture":{"answered":2,"pending":"f00d"},"refund":{"answered":1},"update":{}}', json_encode( $snapshot['meta']['ledger'] ), 'objects stay objects, an empty entry too' );
		$this->assertSame( array(), $GLOBALS['klarna_om_test_log'] );
	}

	public function test_no_ledger_or_an_empty_one_is_left_out(): void {
		$order = OrderFactory::hoodies( 402, 'k-402' );
		$this->assertArrayNotHasKey( 'meta', self::snapshot( $order ) );
		$order->meta['_klarna_om_ledger'] = '{}';
		$this->assertArrayNotHasKey( 'meta', self::snapshot( $order ) );
	}

	public static function corrupt(): array {
		return array( 'cut off' => array( '{"capture":{"answ' ), 'a list' => array( '[1,2]' ), 'an entry that is no object' => array( '{"capture":5}' ), 'not json' => array( 'yes' ), 'an array meta' => array( array( 'capture' => array( 'answered' => 1 ) ) ) );
	}

	/** @dataProvider corrupt */
	public function test_a_corrupt_ledger_is_sent_as_empty_and_logged( $stored ): void {
		$order = OrderFactory::hoodies( 403, 'k-403' );
		$order->meta['_klarna_om_ledger'] = $stored;
		$this->assertArrayNotHasKey( 'meta', self::snapshot( $order ) );
		$this->assertSame( array( array( 'error', 'stored intent ledger is unreadable; sent as empty', array( 'source' => 'klarna-order-management', 'order_id' => 403, 'meta_key' => '_klarna_om_ledger' ) ) ), $GLOBALS['klarna_om_test_log'] );
	}

	public function test_the_responses_entry_replaces_that_operations_entry_only(): void {
		$order = OrderFactory::hoodies( 404, 'k-404' );
		$order->meta['_klarna_om_ledger'] = '{"refund":{"answered":2},"capture":{"answered":0,"pending":"f00d"}}';
		( new ResponseApplier( new Logger() ) )->apply( $order, array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'captured', 'success' => true, 'ledger' => array( 'answered' => 1 ) ) );
		$this->assertSame( '{"refund":{"answered":2},"capture":{"answered":1}}', $order->get_meta( '_klarna_om_ledger' ) );
		( new ResponseApplier( new Logger() ) )->apply( $order, array( 'version' => 1, 'ok' => true, 'operation' => 'cancel', 'outcome' => 'cancel_failed', 'success' => false, 'ledger' => array() ) );
		$this->assertSame( '{"refund":{"answered":2},"capture":{"answered":1},"cancel":{}}', $order->get_meta( '_klarna_om_ledger' ), 'an empty entry is stored as an object' );
	}

	public function test_a_response_without_a_ledger_leaves_it_alone_and_a_corrupt_one_is_replaced(): void {
		$order = OrderFactory::hoodies( 405, 'k-405' );
		$order->meta['_klarna_om_ledger'] = '{"refund":{"answered":2}}';
		( new ResponseApplier( new Logger() ) )->apply( $order, array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'nothing_to_capture', 'success' => true ) );
		$this->assertSame( '{"refund":{"answered":2}}', $order->get_meta( '_klarna_om_ledger' ) );
		$order->meta['_klarna_om_ledger'] = '{"refund":';
		( new ResponseApplier( new Logger() ) )->apply( $order, array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'captured', 'success' => true, 'ledger' => array( 'answered' => 1, 'pending' => 'a/b' ) ) );
		$this->assertSame( '{"capture":{"answered":1,"pending":"a/b"}}', $order->get_meta( '_klarna_om_ledger' ), 'no escaped slash: WordPress unslashes post meta' );
	}

	public function test_a_status_change_sends_the_ledger_and_stores_the_new_entry(): void {
		$core  = new ScriptedCore( array( 'capture' => array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'capture_failed', 'success' => false, 'order_status' => 'on-hold', 'ledger' => array( 'answered' => 3, 'pending' => 'beef' ), 'note' => array( 'code' => 'capture_failed', 'text' => 'Klarna could not be reached.' ) ) ) );
		$hooks = new OrderHooks( $core, new SnapshotBuilder( new Settings() ), new ResponseApplier( new Logger() ), new Logger() );
		add_action( 'woocommerce_before_order_object_save', array( $hooks, 'before_save' ), 10, 1 );
		$order = OrderFactory::hoodies( 406, 'k-406' );
		$order->meta['_klarna_om_ledger'] = '{"capture":{"answered":3}}';
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( '{"capture":{"answered":3}}', json_encode( $core->calls[0][1]['order']['meta']['ledger'] ) );
		$this->assertSame( '{"capture":{"answered":3,"pending":"beef"}}', $order->get_meta( '_klarna_om_ledger' ) );
		$this->assertSame( 'on-hold', $order->get_status() );
	}
}
