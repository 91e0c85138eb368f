<?php
use KlarnaOM\Reconciliation;
use KlarnaOM\ReconciliationPage;
use PHPUnit\Framework\TestCase;

/**
 * Issue 15, part 4: the reconciliation reads Klarna's side of the shop's Klarna orders in a period (`sync` items of one
 * om_batch) and lists every disagreement with WooCommerce and its fix, changing nothing; the page under WooCommerce
 * runs it in AJAX chunks with its progress and a CSV; a listed fix runs only when asked.
 */
final class ReconciliationTest extends TestCase {
	/** @var array<int, array> Klarna's state per order id, as the core's `sync` answers it. */
	private array $klarna = array();
	private ScriptedCore $core;

	protected function setUp(): void {
		$GLOBALS['klarna_om_test_options']   = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 's' ) );
		$GLOBALS['klarna_om_test_orders']    = array();
		$GLOBALS['klarna_om_test_actions']   = array();
		$GLOBALS['klarna_om_test_user']      = array( 'id' => 7, 'caps' => array( 'manage_woocommerce', 'edit_shop_orders' ) );
		$GLOBALS['klarna_om_test_json']      = null;
		$GLOBALS['klarna_om_test_pages']     = array();
		$_POST                               = array();
		$_REQUEST                            = array();
		$this->klarna                        = array();
		$this->core                          = new ScriptedCore(
			array(
				'sync'    => fn ( array $request ) => $this->klarna[ $request['order']['id'] ] ?? array( 'version' => 1, 'ok' => true, 'operation' => 'sync', 'outcome' => 'sync_failed', 'success' => false, 'note' => array( 'code' => 'sync_failed', 'text' => 'Klarna did not answer (network_timeout).' ) ),
				'capture' => array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'captured', 'success' => true, 'note' => array( 'code' => 'captured', 'text' => 'Klarna captured €105.00.' ), 'ledger' => array( 'answered' => 1 ) ),
			)
		);
		$this->core->batches = array();
		Shop::wire( $this->core );
	}

	/** An order in a WooCommerce status, and Klarna's state of it as a read returns it. */
	private function order( int $id, string $status, array $state, array $extra = array(), string $gateway = 'klarna_payments' ): WC_Order {
		$order = OrderFactory::hoodies( $id, "k-$id", 2, $gateway, $status );
		$this->klarna[ $id ] = $extra + array( 'version' => 1, 'ok' => true, 'operation' => 'sync', 'outcome' => 'synced', 'success' => true, 'state' => $state + array( 'source' => 'read', 'currency' => 'EUR', 'authorized' => 10500, 'captured' => 0, 'refunded' => 0, 'remaining' => 10500, 'status' => 'AUTHORIZED' ) );
		return $order;
	}

	/** The core's `disagreements` member with one entry, as its `sync` writes it (docs/contract.md, "What sync finds"). */
	private static function disagrees( string $code, string $fix, string $text ): array {
		return array( 'disagreements' => array( array( 'code' => $code, 'fix' => $fix, 'text' => $text, 'params' => array() ) ) );
	}

	/**
	 * One order of each disagreement, two that agree, one of another gateway, one from before the period. What
	 * disagrees about money is the core's answer (its rules are tested in Swift, and with the real core in
	 * ManyOrdersCoreTest); expiring, unknown and unread are the plugin's own.
	 */
	private function shop(): void {
		$this->order( 1301, 'completed', array(), self::disagrees( 'completed_not_captured', 'capture', 'WooCommerce says Completed, but Klarna has captured nothing: capture it.' ) );
		$this->order( 1302, 'cancelled', array( 'status' => 'CAPTURED', 'captured' => 10500, 'remaining' => 0 ), self::disagrees( 'money_held', 'refund', 'The order is Cancelled or Refunded in WooCommerce, but Klarna still holds €105.00 of the customer\'s money: refund it in WooCommerce (Refund via Klarna).' ) );
		$this->order( 1303, 'cancelled', array(), self::disagrees( 'authorization_open', 'cancel', 'The order is Cancelled or Refunded in WooCommerce, but Klarna still holds an authorization of €105.00 for it: cancel it at Klarna.' ) );
		$this->order( 1304, 'processing', array( 'expires_at' => gmdate( 'Y-m-d\TH:i:s\Z', time() + 3 * 86400 ) ) );
		$this->order( 1305, 'on-hold', array() )->meta['_klarna_om_ledger'] = '{"capture":{"answered":0,"pending":"fp"}}';
		$this->order( 1306, 'processing', array( 'status' => 'CANCELLED', 'remaining' => 0 ), self::disagrees( 'klarna_order_closed', 'review', 'WooCommerce says the order is still to ship, but Klarna\'s order is CANCELLED: it can no longer be captured. Do not ship it before the customer has paid another way.' ) );
		$this->order( 1307, 'completed', array( 'status' => 'CAPTURED', 'captured' => 10500, 'remaining' => 0 ) );
		$this->order( 1308, 'completed', array(), array(), 'bacs' );
		OrderFactory::hoodies( 1309, 'k-1309', 2, 'klarna_payments', 'completed' );  // Klarna does not answer.
		$this->order( 1310, 'processing', array(), array( 'disagreements' => array( array( 'code' => 'amount_differs', 'fix' => 'update', 'text' => 'WooCommerce\'s total is €105.00, Klarna holds €120.00: send the order\'s lines again.', 'params' => array( 'woocommerce' => 10500, 'klarna' => 12000 ) ) ) ) );
		$old = $this->order( 1311, 'completed', array() );
		$old->set_props( array( 'date_created' => '2020-01-01 10:00:00' ) );
		$old->save();
	}

	private function reconciliation(): Reconciliation {
		return new Reconciliation( Shop::wire( $this->core ), new KlarnaOM\Logger() );
	}

	/** Everything an order holds that the reconciliation must not change. */
	private static function untouched( array $ids ): array {
		return array_map( static fn ( $id ) => array( wc_get_order( $id )->get_status(), wc_get_order( $id )->notes, wc_get_order( $id )->meta, wc_get_order( $id )->saves ), $ids );
	}

	public function test_it_lists_each_kind_of_disagreement_with_its_fix_from_one_batch_of_reads_and_changes_nothing(): void {
		$this->shop();
		$ids            = range( 1301, 1311 );
		$before         = self::untouched( $ids );
		$reconciliation = $this->reconciliation();
		$page           = $reconciliation->page( Reconciliation::criteria( array( 'since' => gmdate( 'Y-m-d', time() - 86400 ) ) ), 0, 100 );
		$this->assertSame( array( array( 1301, 1302, 1303, 1304, 1305, 1306, 1307, 1309, 1310 ), 9 ), array( $page['ids'], $page['total'] ), 'Klarna orders of the period, oldest first' );
		$rows = $reconciliation->check( $page['ids'] );

		$this->assertCount( 1, $this->core->batches, 'one om_batch' );
		$this->assertSame( array_fill( 0, 9, 'sync' ), array_column( $this->core->batches[0], 'operation' ) );
		$this->assertSame( 'cancelled', $this->core->batches[0][1]['request']['order']['status'], 'the core is told WooCommerce\'s status' );
		$this->assertSame( array(), $this->core->calls );
		$this->assertSame(
			array(
				array( 1301, 'completed', 'AUTHORIZED', 'completed_not_captured', 'capture', 'wp klarna-om capture 1301' ),
				array( 1302, 'cancelled', 'CAPTURED', 'money_held', 'refund', 'wp klarna-om refund 1302 --amount=<amount>' ),
				array( 1303, 'cancelled', 'AUTHORIZED', 'authorization_open', 'cancel', 'wp klarna-om cancel 1303' ),
				array( 1304, 'processing', 'AUTHORIZED', 'expiring', 'extend', 'wp klarna-om extend 1304' ),
				array( 1305, 'on-hold', 'AUTHORIZED', 'outcome_unknown', 'retry', 'wp klarna-om retry 1305 --operation=capture' ),
				array( 1306, 'processing', 'CANCELLED', 'klarna_order_closed', 'review', '' ),
				array( 1309, 'completed', '', 'not_read', 'refresh', 'wp klarna-om status 1309 --refresh' ),
				array( 1310, 'processing', 'AUTHORIZED', 'amount_differs', 'update', 'wp klarna-om update 1310' ),
			),
			array_map( static fn ( $row ) => array( $row['order'], $row['woocommerce_status'], $row['klarna_status'], $row['disagreement'], $row['fix'], $row['command'] ), $rows )
		);
		$details = array_column( $rows, 'detail', 'disagreement' );
		$this->assertSame( 'WooCommerce says Completed, but Klarna has captured nothing: capture it.', $details['completed_not_captured'] );
		$this->assertSame( 'The order is Cancelled or Refunded in WooCommerce, but Klarna still holds €105.00 of the customer\'s money: refund it in WooCommerce (Refund via Klarna).', $details['money_held'] );
		$this->assertSame( 'Klarna\'s order could not be read: Klarna did not answer (network_timeout).', $details['not_read'] );
		$this->assertSame( 'WooCommerce\'s total is €105.00, Klarna holds €120.00: send the order\'s lines again.', $details['amount_differs'], 'the core\'s comparison, as the core wrote it' );
		$this->assertSame( $before, self::untouched( $ids ), 'no note, meta, status or save' );
	}

	/**
	 * The comparisons of amounts are the core's: an order whose `sync` answer lists no disagreement is not listed,
	 * whatever its state's integers (the plugin adds nothing up).
	 */
	public function test_money_held_after_refunds_is_left_to_the_core(): void {
		$this->order( 1321, 'cancelled', array( 'status' => 'CAPTURED', 'captured' => 10500, 'refunded' => 5000, 'remaining' => 0 ) );
		$refunded = $this->order( 1322, 'refunded', array( 'status' => 'CAPTURED', 'captured' => 10500, 'remaining' => 0 ) );
		OrderFactory::refund_one_hoodie( $refunded );  // By hand, outside Klarna.
		$this->assertSame( array(), $this->reconciliation()->check( array( 1321, 1322 ) ) );
	}

	public function test_a_listed_fix_runs_only_when_asked_through_the_same_path_as_the_order_screen(): void {
		$this->shop();
		$reconciliation = $this->reconciliation();
		$record         = $reconciliation->fix( wc_get_order( 1301 ), 'capture' );
		$this->assertSame( array( 'capture', 'captured', true, 'Klarna captured €105.00.' ), array( $record['operation'], $record['outcome'], $record['success'], $record['note'] ) );
		$this->assertSame( array( 'capture' ), array_column( $this->core->calls, 0 ) );
		$this->assertArrayNotHasKey( 'transition', $this->core->calls[0][1]['order'] );
		$this->assertSame( array( 'completed', array( 'Klarna captured €105.00.' ) ), array( wc_get_order( 1301 )->get_status(), wc_get_order( 1301 )->notes ) );
		$this->expectException( InvalidArgumentException::class );
		$reconciliation->fix( wc_get_order( 1302 ), 'refund' );
	}

	public function test_criteria_are_checked(): void {
		$this->assertSame( array( 'since' => '2025-02-01', 'statuses' => array( 'completed', 'cancelled' ) ), Reconciliation::criteria( array( 'since' => '2025-02-01', 'status' => 'completed,wc-cancelled' ) ) );
		$this->assertSame( Reconciliation::STATUSES, Reconciliation::criteria( array() )['statuses'] );
		foreach ( array( array( 'since' => '01/02/2025' ), array( 'since' => '2025-02-30' ), array( 'status' => 'shipped' ) ) as $bad ) {
			try {
				Reconciliation::criteria( $bad );
				$this->fail( json_encode( $bad ) );
			} catch ( InvalidArgumentException $e ) {
				$this->assertNotSame( '', $e->getMessage() );
			}
		}
	}

	public function test_the_csv_has_the_listing_columns_and_no_formula_cells(): void {
		$csv = Reconciliation::csv( array( array( 'order' => 1, 'number' => '1', 'woocommerce_status' => 'completed', 'detail' => '=HYPERLINK("x")', 'fix' => 'capture' ) ), true );
		$this->assertSame( "order,number,woocommerce_status,klarna_status,disagreement,fix,detail,command\n1,1,completed,,,capture,\"'=HYPERLINK(\"\"x\"\")\",\n", $csv );
	}

	/** The page's AJAX steps: "POST admin-ajax.php" with the page's nonce. */
	private static function ajax( string $action, array $fields, ?string $nonce = null ): array {
		$_POST    = wp_slash( $fields + array( 'action' => $action, 'security' => $nonce ?? wp_create_nonce( ReconciliationPage::NONCE ) ) );
		$_REQUEST = $_POST;
		$GLOBALS['klarna_om_test_json'] = null;
		do_action( "wp_ajax_$action" );
		return $GLOBALS['klarna_om_test_json'];
	}

	/** The page runs the period in chunks of 25 orders (one batch each), with its progress and the CSV of each chunk. */
	public function test_the_page_checks_in_chunks_with_progress_and_a_csv(): void {
		foreach ( range( 1401, 1430 ) as $id ) {
			$this->order( $id, 'completed', 1415 === $id ? array() : array( 'status' => 'CAPTURED', 'captured' => 10500, 'remaining' => 0 ), 1415 === $id ? self::disagrees( 'completed_not_captured', 'capture', 'WooCommerce says Completed, but Klarna has captured nothing: capture it.' ) : array() );
		}
		do_action( 'admin_menu' );
		$page = $GLOBALS['klarna_om_test_pages'][ ReconciliationPage::SLUG ];
		$this->assertSame( array( 'woocommerce', 'manage_woocommerce' ), array( $page['parent'], $page['capability'] ) );
		ob_start();
		( $page['callback'] )();
		$html = (string) ob_get_clean();
		$this->assertStringContainsString( 'data-nonce="' . wp_create_nonce( ReconciliationPage::NONCE ) . '"', $html );
		$this->assertStringContainsString( 'Download CSV', $html );
		$this->assertSame( array(), $this->core->batches, 'showing the page reads nothing' );

		$form  = array( 'since' => gmdate( 'Y-m-d', time() - 86400 ), 'status' => array( 'completed' ) );
		$first = self::ajax( 'klarna_om_reconcile', $form + array( 'offset' => '0' ) );
		$this->assertTrue( $first['success'] );
		$this->assertSame( array( 25, 30, false, 'Checked 25 of 30 orders.' ), array( $first['data']['offset'], $first['data']['total'], $first['data']['done'], $first['data']['message'] ) );
		$this->assertSame( array( 1415 ), array_column( $first['data']['rows'], 'order' ) );
		$this->assertTrue( $first['data']['rows'][0]['runs'], 'capture is a fix the plugin runs' );
		$this->assertStringStartsWith( "order,number,woocommerce_status,klarna_status,disagreement,fix,detail,command\n1415,1415,completed,AUTHORIZED,completed_not_captured,capture,", $first['data']['csv'] );
		$second = self::ajax( 'klarna_om_reconcile', $form + array( 'offset' => '25' ) );
		$this->assertSame( array( 30, true, 'Checked 30 of 30 orders.', array(), '' ), array( $second['data']['offset'], $second['data']['done'], $second['data']['message'], $second['data']['rows'], $second['data']['csv'] ) );
		$this->assertSame( array( 25, 5 ), array_map( 'count', $this->core->batches ) );

		$fixed = self::ajax( 'klarna_om_reconcile_fix', array( 'order_id' => '1415', 'fix' => 'capture' ) );
		$this->assertSame( array( true, true, 'Klarna captured €105.00.' ), array( $fixed['success'], $fixed['data']['success'], $fixed['data']['note'] ) );
		$this->assertSame( array( 'capture' ), array_column( $this->core->calls, 0 ) );
	}

	public function test_the_page_needs_its_nonce_and_the_capabilities(): void {
		$this->order( 1441, 'completed', array() );
		try {
			self::ajax( 'klarna_om_reconcile', array( 'offset' => '0' ), 'forged' );
			$this->fail( 'a forged nonce' );
		} catch ( Klarna_OM_Test_Die $e ) {
			$this->assertSame( 403, $e->getCode() );
		}
		$GLOBALS['klarna_om_test_user'] = array( 'id' => 9, 'caps' => array( 'read' ) );
		$this->assertSame( array( false, 403 ), array_values( array_intersect_key( self::ajax( 'klarna_om_reconcile', array( 'offset' => '0' ) ), array_flip( array( 'success', 'status' ) ) ) ) );
		$this->assertSame( 403, self::ajax( 'klarna_om_reconcile_fix', array( 'order_id' => '1441', 'fix' => 'capture' ) )['status'] );
		$this->assertSame( array( array(), array() ), array( $this->core->batches, $this->core->calls ) );
		$GLOBALS['klarna_om_test_user'] = array( 'id' => 7, 'caps' => array( 'manage_woocommerce' ) );
		$this->assertSame( 400, self::ajax( 'klarna_om_reconcile', array( 'since' => 'yesterday', 'offset' => '0' ) )['status'] );
	}
}
