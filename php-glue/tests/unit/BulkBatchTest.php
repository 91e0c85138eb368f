<?php
use KlarnaOM\Attention;
use KlarnaOM\NativeUnavailable;
use PHPUnit\Framework\TestCase;

/**
 * Issue 15, part 1: WooCommerce's bulk status changes (HPOS and posts storage) and the REST batch endpoint ask Klarna
 * for all their Klarna orders in one `om_batch` call before WooCommerce saves each status; each save applies its own
 * answer exactly as a single call's (a refused order held On hold with its note, the failures listed afterwards).
 * A core without `om_batch` gets the single calls of before.
 */
final class BulkBatchTest extends TestCase {
	/** The order Klarna refuses in every test: its Klarna order is cancelled. */
	private const REFUSED = 1107;

	protected function setUp(): void {
		$GLOBALS['klarna_om_test_options']   = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 's' ) );
		$GLOBALS['klarna_om_test_user']      = array( 'id' => 7, 'caps' => array( 'edit_shop_orders' ) );
		$GLOBALS['klarna_om_test_user_meta'] = array();
		$GLOBALS['klarna_om_test_orders']    = array();
		$GLOBALS['klarna_om_test_actions']   = array();
		$GLOBALS['klarna_om_test_hpos']      = true;
	}

	/** Klarna captures every order but REFUSED; cancels every order. */
	private static function core( bool $batches = true ): ScriptedCore {
		$core          = new ScriptedCore(
			array(
				'capture' => static fn ( array $request ) => self::REFUSED === $request['order']['id']
					? array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'capture_refused', 'success' => false, 'order_status' => 'on-hold', 'note' => array( 'code' => 'capture_refused_cancelled', 'text' => 'Klarna did not capture: the Klarna order is cancelled.' ), 'ledger' => array( 'answered' => 1 ) )
					: array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'captured', 'success' => true, 'note' => array( 'code' => 'captured', 'text' => "Captured k-{$request['order']['id']}." ), 'record' => array( 'capture_id' => "cap-{$request['order']['id']}" ), 'ledger' => array( 'answered' => 1 ) ),
				'cancel'  => static fn ( array $request ) => array( 'version' => 1, 'ok' => true, 'operation' => 'cancel', 'outcome' => 'cancelled', 'success' => true, 'note' => array( 'code' => 'cancelled', 'text' => 'Cancelled.' ), 'record' => array( 'cancelled' => true ) ),
			)
		);
		$core->batches = $batches ? array() : null;
		return $core;
	}

	/** 20 Klarna orders (1101 … 1120) and two of another gateway (1121, 1122). */
	private static function orders(): array {
		$ids = range( 1101, 1122 );
		foreach ( $ids as $id ) {
			OrderFactory::hoodies( $id, "k-$id", 2, $id > 1120 ? 'bacs' : 'klarna_payments' );
		}
		return $ids;
	}

	private static function next_page(): string {
		ob_start();
		do_action( 'admin_notices' );
		return (string) ob_get_clean();
	}

	/** What WooCommerce and the merchant see of every order afterwards. */
	private static function seen( array $ids ): array {
		return array_map( static fn ( $id ) => array( wc_get_order( $id )->get_status(), wc_get_order( $id )->notes, wc_get_order( $id )->transitions, wc_get_order( $id )->meta ), array_combine( $ids, $ids ) );
	}

	public static function storages(): array {
		return array( 'HPOS' => array( true ), 'posts' => array( false ) );
	}

	/**
	 * Bulk "Change status to completed" over 20 Klarna orders, one of which Klarna refuses, and two of another gateway:
	 * one om_batch call with the 20 captures, no single call; the refused order is On hold with its note (no
	 * Completed transition) and is listed on the next page; the others are Completed with their capture.
	 *
	 * @dataProvider storages
	 */
	public function test_bulk_completion_of_20_orders_with_one_refused_is_one_batch_call( bool $hpos ): void {
		$GLOBALS['klarna_om_test_hpos'] = $hpos;
		$core                           = self::core();
		Shop::wire( $core );
		$ids = self::orders();
		$this->assertSame( 22, klarna_om_test_bulk_action( $ids, 'mark_completed' ) );

		$this->assertCount( 1, $core->batches, 'one om_batch call for the whole bulk action' );
		$this->assertSame( array(), $core->calls, 'no single call' );
		$batched = array_map( static fn ( $item ) => array( $item['operation'], $item['request']['order']['id'], $item['request']['order']['transition'] ), $core->batches[0] );
		$this->assertSame( array_map( static fn ( $id ) => array( 'capture', $id, array( 'from' => 'processing', 'to' => 'completed' ) ), range( 1120, 1101 ) ), $batched, 'the Klarna orders, in WooCommerce\'s order' );

		$refused = wc_get_order( self::REFUSED );
		$this->assertSame( 'on-hold', $refused->get_status() );
		$this->assertSame( array( 'Klarna did not capture: the Klarna order is cancelled.' ), $refused->notes );
		$this->assertSame( array( array( 'processing', 'on-hold' ) ), $refused->transitions, 'no Completed transition, so no Completed e-mail' );
		$this->assertSame( 'yes', $refused->get_meta( Attention::FLAG ) );
		foreach ( array_diff( $ids, array( self::REFUSED ) ) as $id ) {
			$order = wc_get_order( $id );
			$this->assertSame( 'completed', $order->get_status(), (string) $id );
			$this->assertSame( $id > 1120 ? array() : array( "Captured k-$id." ), $order->notes );
			$this->assertSame( $id > 1120 ? '' : "cap-$id", $order->get_meta( '_wc_klarna_capture_id' ) );
			$this->assertSame( $id > 1120 ? '' : '{"capture":{"answered":1}}', $order->get_meta( '_klarna_om_ledger' ) );
		}

		$html = self::next_page();
		$this->assertSame( 1, substr_count( $html, '<li>' ), $html );
		$this->assertStringContainsString( '">Order #1107</a> (capture): Klarna did not capture: the Klarna order is cancelled.</li>', $html );
		$this->assertStringContainsString( $hpos ? 'admin.php?page=wc-orders&amp;action=edit&amp;id=1107' : 'post.php?post=1107', $html );
	}

	/**
	 * The same bulk action with a core without om_batch (an older library): 20 single calls, and everything the
	 * merchant and WooCommerce see is the same as with the batch; the batch's items were the very requests the
	 * single calls send (so the core gives them the same keys).
	 */
	public function test_without_om_batch_the_same_bulk_action_makes_single_calls_with_the_same_requests_and_outcomes(): void {
		$batched = self::core();
		Shop::wire( $batched );
		$ids = self::orders();
		klarna_om_test_bulk_action( $ids, 'mark_completed' );
		$with_batch = self::seen( $ids );

		$GLOBALS['klarna_om_test_orders']    = array();
		$GLOBALS['klarna_om_test_user_meta'] = array();
		$single                              = self::core( false );
		Shop::wire( $single );
		self::orders();
		klarna_om_test_bulk_action( $ids, 'mark_completed' );

		$this->assertCount( 20, $single->calls );
		$this->assertSame( $with_batch, self::seen( $ids ) );
		$this->assertSame(
			array_map( static fn ( $item ) => array( $item['operation'], $item['request'] ), $batched->batches[0] ),
			$single->calls,
			'each batch item is the request its own save sends'
		);
	}

	/** A batch whose answer is lost may have run: each save sends its own request, the same one, under the same key. */
	public function test_a_batch_whose_answer_is_lost_falls_back_to_the_same_requests_one_by_one(): void {
		$core                = self::core();
		$core->batch_failure = NativeUnavailable::answer_lost( 'the klarna-om executable gave no answer (exit status 139)' );
		Shop::wire( $core );
		$ids = self::orders();
		klarna_om_test_bulk_action( $ids, 'mark_completed' );
		$this->assertCount( 1, $core->batches );
		$this->assertSame( array_map( static fn ( $item ) => array( $item['operation'], $item['request'] ), $core->batches[0] ), $core->calls );
		$this->assertSame( array( 'on-hold', 'completed' ), array( wc_get_order( self::REFUSED )->get_status(), wc_get_order( 1101 )->get_status() ) );
	}

	/** Bulk Cancelled is the cancel of every Klarna order in one batch; bulk On hold asks Klarna nothing. */
	public function test_bulk_cancelled_and_bulk_on_hold(): void {
		$core = self::core();
		Shop::wire( $core );
		$ids = self::orders();
		klarna_om_test_bulk_action( $ids, 'mark_on-hold' );
		$this->assertSame( array( array(), array() ), array( $core->batches, $core->calls ), 'On hold asks Klarna for nothing' );
		klarna_om_test_bulk_action( $ids, 'mark_cancelled' );
		$this->assertCount( 1, $core->batches );
		$this->assertSame( array_fill( 0, 20, 'cancel' ), array_column( $core->batches[0], 'operation' ) );
		$this->assertSame( array( 'from' => 'on-hold', 'to' => 'cancelled' ), $core->batches[0][0]['request']['order']['transition'] );
		$this->assertSame( array( 'cancelled' ), array_values( array_unique( array_map( static fn ( $id ) => wc_get_order( $id )->get_status(), $ids ) ) ) );
		$this->assertSame( array(), $core->calls );
	}

	public function test_bulk_actions_over_other_gateways_never_call_the_core(): void {
		$core = self::core();
		Shop::wire( $core );
		OrderFactory::hoodies( 1131, 'x', 2, 'bacs' );
		OrderFactory::hoodies( 1132, 'y', 2, 'stripe' );
		klarna_om_test_bulk_action( array( 1131, 1132 ), 'mark_completed' );
		$this->assertSame( array( array(), array() ), array( $core->batches, $core->calls ) );
		$this->assertSame( 'completed', wc_get_order( 1131 )->get_status() );
	}

	/**
	 * Klarna answered for an order whose save never came (another plugin took its id out after the batch): at the end
	 * of the request the answer is recorded on it (note, meta, ledger), without the status it was for.
	 */
	public function test_an_answer_whose_save_never_came_is_recorded_at_the_end_of_the_request(): void {
		$core = self::core();
		Shop::wire( $core );
		OrderFactory::hoodies( 1141, 'k-1141' );
		OrderFactory::hoodies( 1142, 'k-1142' );
		add_filter( 'woocommerce_bulk_action_ids', static fn ( $ids ) => array_values( array_diff( $ids, array( 1142 ) ) ), 1000 );
		klarna_om_test_bulk_action( array( 1141, 1142 ), 'mark_completed' );
		$this->assertCount( 2, $core->batches[0] );
		$skipped = wc_get_order( 1142 );
		$this->assertSame( array( 'processing', array( 'Captured k-1142.' ), 'cap-1142' ), array( $skipped->get_status(), $skipped->notes, $skipped->get_meta( '_wc_klarna_capture_id' ) ) );
		$this->assertSame( '{"capture":{"answered":1}}', $skipped->get_meta( '_klarna_om_ledger' ), 'the ledger moved on: the next capture gets a new key' );
		$this->assertSame( 1, $skipped->saves );
		$this->assertSame( array(), $core->calls );
	}

	/**
	 * `POST /wc/v3/orders/batch`: the items that change only the status of a Klarna order go to Klarna in one batch;
	 * an item that changes more is saved (and asks the core) on its own; a missing order and another gateway's
	 * order cost nothing. Each item's response carries its outcome; the refused one is On hold.
	 */
	public function test_the_rest_batch_endpoint_asks_klarna_once_for_its_status_changes(): void {
		$core = self::core();
		Shop::wire( $core );
		self::orders();
		$data = klarna_om_test_rest_orders_batch(
			array(
				'update' => array(
					array( 'id' => 1101, 'status' => 'completed' ),
					array( 'id' => self::REFUSED, 'status' => 'completed' ),
					array( 'id' => 1103, 'status' => 'wc-completed' ),
					array( 'id' => 1104, 'status' => 'completed', 'customer_note' => 'Leave at the door' ),
					array( 'id' => 1121, 'status' => 'completed' ),
					array( 'id' => 9999, 'status' => 'completed' ),
				),
			)
		);
		$this->assertCount( 1, $core->batches );
		$this->assertSame( array( 1101, self::REFUSED, 1103 ), array_map( static fn ( $item ) => $item['request']['order']['id'], $core->batches[0] ) );
		$this->assertSame( array( array( 'capture', 1104 ) ), array_map( static fn ( $call ) => array( $call[0], $call[1]['order']['id'] ), $core->calls ), 'the item that changes more calls the core at its own save' );
		$update = $data['update'];
		$this->assertSame( array( 1101, 'completed', 'captured', true ), array( $update[0]['id'], $update[0]['status'], $update[0]['klarna_om']['outcome'], $update[0]['klarna_om']['success'] ) );
		$this->assertSame( array( 'on-hold', 'capture_refused', 'Klarna did not capture: the Klarna order is cancelled.' ), array( $update[1]['status'], $update[1]['klarna_om']['outcome'], $update[1]['klarna_om']['note'] ) );
		$this->assertSame( array( 'completed', 'completed', 'completed' ), array( $update[2]['status'], $update[3]['status'], $update[4]['status'] ) );
		$this->assertArrayNotHasKey( 'klarna_om', $update[4], 'another gateway' );
		$this->assertSame( 'woocommerce_rest_shop_order_invalid_id', $update[5]['error']['code'] );
	}

	/** The REST batch is prepared only for a user WordPress lets through, and only when WooCommerce will run it. */
	public function test_the_rest_batch_is_prepared_only_when_it_will_run(): void {
		$core = self::core();
		Shop::wire( $core );
		self::orders();
		$GLOBALS['klarna_om_test_user'] = array( 'id' => 8, 'caps' => array( 'read' ) );
		$this->assertSame( 403, klarna_om_test_rest_orders_batch( array( 'update' => array( array( 'id' => 1101, 'status' => 'completed' ) ) ) )['status'] );
		$GLOBALS['klarna_om_test_user'] = array( 'id' => 7, 'caps' => array( 'edit_shop_orders' ) );
		add_filter( 'woocommerce_rest_batch_items_limit', static fn () => 2 );
		$over = klarna_om_test_rest_orders_batch( array( 'update' => array( array( 'id' => 1101, 'status' => 'completed' ), array( 'id' => 1102, 'status' => 'completed' ), array( 'id' => 1103, 'status' => 'completed' ) ) ) );
		$this->assertSame( 413, $over['status'] );
		$this->assertSame( array( array(), array() ), array( $core->batches, $core->calls ) );
		$this->assertSame( 'processing', wc_get_order( 1101 )->get_status() );
	}
}
