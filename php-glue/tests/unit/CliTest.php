<?php
use KlarnaOM\NativeBridge;
use KlarnaOM\Plugin;
use PHPUnit\Framework\TestCase;

/**
 * Issue 15, part 3: `wp klarna-om status|capture|cancel|refund|retry|extend|reconcile`, on a thin WP_CLI double
 * (tests/doubles/wp-cli.php): what each prints, that none prints personal data, and that the command exists only
 * where WP-CLI runs.
 */
final class CliTest extends TestCase {
	private ScriptedCore $core;

	protected function setUp(): void {
		if ( ! defined( 'WP_CLI' ) && 'test_the_command_is_registered_only_where_wp_cli_runs' !== $this->getName( false ) ) {
			define( 'WP_CLI', true );  // WP-CLI is running (this process; the last test runs in its own).
		}
		$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 's' ) );
		$GLOBALS['klarna_om_test_orders']  = array();
		$GLOBALS['klarna_om_test_actions'] = array();
		$GLOBALS['klarna_om_test_user']    = array();
		$GLOBALS['klarna_om_test_progress'] = array();
		WP_CLI::$commands                  = array();
		WP_CLI::$output                    = array();
		$this->core                        = new ScriptedCore(
			array(
				'capture' => static fn ( array $request ) => 1502 === $request['order']['id']
					? array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'capture_refused', 'success' => false, 'order_status' => 'on-hold', 'note' => array( 'code' => 'capture_refused_cancelled', 'text' => 'Klarna did not capture: the Klarna order is cancelled.' ) )
					: array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'captured', 'success' => true, 'note' => array( 'code' => 'captured', 'text' => 'Klarna captured €105.00 (capture id cap-1).' ), 'state' => array( 'source' => 'derived', 'status' => 'CAPTURED', 'currency' => 'EUR', 'authorized' => 10500, 'captured' => 10500, 'refunded' => 0, 'remaining' => 0, 'klarna_order_id' => "k-{$request['order']['id']}", 'captures' => array( array( 'id' => 'cap-1', 'amount' => 10500 ) ) ) ),
				'cancel'  => array( 'version' => 1, 'ok' => true, 'operation' => 'cancel', 'outcome' => 'cancelled', 'success' => true, 'note' => array( 'code' => 'cancelled', 'text' => 'Klarna order cancelled.' ) ),
				'refund'  => array( 'version' => 1, 'ok' => true, 'operation' => 'refund', 'outcome' => 'refunded', 'success' => true, 'note' => array( 'code' => 'refunded', 'text' => 'Klarna refunded €12.50.' ) ),
				// Nothing captured: a Completed order disagrees, as the core's sync says when told the status.
				'sync'    => static fn ( array $request ) => array( 'version' => 1, 'ok' => true, 'operation' => 'sync', 'outcome' => 'synced', 'success' => true, 'state' => array( 'source' => 'read', 'status' => 'AUTHORIZED', 'currency' => 'EUR', 'authorized' => 10500, 'captured' => 0, 'refunded' => 0, 'remaining' => 10500, 'klarna_order_id' => "k-{$request['order']['id']}" ) )
					+ ( 'completed' === ( $request['order']['status'] ?? '' ) ? array( 'disagreements' => array( array( 'code' => 'completed_not_captured', 'fix' => 'capture', 'text' => 'WooCommerce says Completed, but Klarna has captured nothing: capture it.', 'params' => array() ) ) ) : array() ),
			)
		);
		$this->core->batches = array();
		Shop::wire( $this->core );
	}

	/**
	 * Runs `wp klarna-om <command> <args> <--options>`: its output as a terminal shows it, and its exit status.
	 *
	 * @return array{0: int, 1: string}
	 */
	private static function wp( string $command, array $args = array(), array $options = array() ): array {
		WP_CLI::$output = array();
		try {
			WP_CLI::$commands['klarna-om']->$command( $args, $options );
			$status = 0;
		} catch ( Klarna_OM_Test_CLI_Exit $e ) {
			$status = 1;
		}
		return array( $status, WP_CLI::text() );
	}

	private static function customer_order( int $id, string $status = 'processing' ): WC_Order {
		return OrderFactory::with_customer( OrderFactory::hoodies( $id, "k-$id", 2, 'klarna_payments', $status ) );
	}

	/** No name, address, e-mail or phone of the customer in what a command printed. */
	private function assertNoPersonalData( string $output ): void {
		foreach ( OrderFactory::CUSTOMER as $value ) {
			$this->assertStringNotContainsString( $value, $output );
		}
		$this->assertStringNotContainsString( 'PK_se', $output, 'nor the API username' );
	}

	public function test_status_shows_the_stored_klarna_side_and_refresh_reads_it_once(): void {
		self::customer_order( 1501 );
		[ $status, $output ] = self::wp( 'status', array( '1501' ) );
		$this->assertSame( 0, $status );
		$this->assertStringContainsString( '| woocommerce_status ', $output );
		$this->assertStringContainsString( "Klarna's side of this order has not been read yet.", $output );
		$this->assertSame( array( array(), array() ), array( $this->core->calls, $this->core->batches ), 'from what is stored: no call' );

		[ , $output ] = self::wp( 'status', array( '1501' ), array( 'refresh' => true, 'format' => 'json' ) );
		$this->assertSame( array( 'sync' ), array_column( $this->core->calls, 0 ) );
		$fields = json_decode( $output, true );
		$this->assertSame( array( '1501', 'processing', 'k-1501', 'AUTHORIZED', '€105.00', '€0.00', '' ), array( $fields['order'], $fields['woocommerce_status'], $fields['klarna_order'], $fields['klarna_status'], $fields['authorized'], $fields['captured'], $fields['outcome_unknown'] ) );
		$this->assertNoPersonalData( $output );
	}

	public function test_capture_prints_the_note_and_fails_with_klarnas_refusal(): void {
		$order = self::customer_order( 1501 );
		self::customer_order( 1502 );
		$this->assertSame( array( 0, 'Success: capture: captured. Klarna captured €105.00 (capture id cap-1).' ), self::wp( 'capture', array( '1501' ) ) );
		$this->assertSame( 'processing', $order->get_status(), 'as the Klarna box: the status stays the merchant\'s' );
		$this->assertSame( array( 1, 'Error: capture: capture_refused. Klarna did not capture: the Klarna order is cancelled.' ), self::wp( 'capture', array( '1502' ) ) );
		$this->assertSame( 'on-hold', wc_get_order( 1502 )->get_status() );
		$this->assertSame( array( 1, 'Error: --amount and --reason are for refunds: a capture takes what the order says.' ), self::wp( 'capture', array( '1501' ), array( 'amount' => '10.00' ) ) );
		$this->assertCount( 2, $this->core->calls );
	}

	public function test_cancel_sets_cancelled_through_woocommerce(): void {
		$order = self::customer_order( 1503 );
		$this->assertSame( array( 0, 'Success: cancel: cancelled. Klarna order cancelled.' ), self::wp( 'cancel', array( '1503' ) ) );
		$this->assertSame( array( 'cancelled', array( array( 'processing', 'cancelled' ) ) ), array( $order->get_status(), $order->transitions ) );
		$this->assertSame( array( 'from' => 'processing', 'to' => 'cancelled' ), $this->core->calls[0][1]['order']['transition'] );
	}

	/** A refund goes through WooCommerce's wc_create_refund() with refund_payment, so WooCommerce records it. */
	public function test_refund_is_recorded_by_woocommerce_through_the_gateway(): void {
		$order = self::customer_order( 1504, 'completed' );
		[ $status, $output ] = self::wp( 'refund', array( '1504' ), array( 'amount' => '12.50', 'reason' => 'Damaged' ) );
		$this->assertSame( 0, $status, $output );
		$this->assertMatchesRegularExpression( '/^Success: Refund \d+ of 12\.50 recorded\. Klarna refunded €12\.50\.$/', $output );
		$refunds = $order->get_refunds();
		$this->assertSame( array( '12.50', 'Damaged', true ), array( $refunds[0]->get_amount(), $refunds[0]->get_reason(), $refunds[0]->get_refunded_payment() ) );
		$this->assertSame( array( 'amount' => '12.50', 'reason' => 'Damaged' ), array_intersect_key( $this->core->calls[0][1]['refund'], array( 'amount' => 1, 'reason' => 1 ) ) );
		foreach ( array( array(), array( 'amount' => '12,50' ), array( 'amount' => '-1' ), array( 'amount' => '1e3' ) ) as $options ) {
			$this->assertSame( array( 1, 'Error: Give the amount to refund with --amount, as WooCommerce writes amounts (12.50).' ), self::wp( 'refund', array( '1504' ), $options ) );
		}
		$this->assertSame( 1, self::wp( 'refund', array( '1504' ), array( 'amount' => '500.00' ) )[0], 'more than is left: WooCommerce refuses' );
		$this->assertCount( 1, $this->core->calls );
		$this->assertCount( 1, $order->get_refunds() );
	}

	public function test_an_order_this_plugin_does_not_manage_is_refused(): void {
		OrderFactory::hoodies( 1505, 'x', 2, 'bacs' );
		$this->assertSame( array( 1, 'Error: This order is not managed by Klarna order management (another gateway, or a Klarna plugin manages it).' ), self::wp( 'capture', array( '1505' ) ) );
		$this->assertSame( array( 1, 'Error: No such order.' ), self::wp( 'status', array( '999999' ) ) );
		$this->assertSame( array(), $this->core->calls );
	}

	public function test_retry_repeats_the_unknown_operation(): void {
		$order = self::customer_order( 1506, 'on-hold' );
		$this->assertSame( array( 1, 'Error: No operation of this order has an unknown outcome.' ), self::wp( 'retry', array( '1506' ) ) );
		$order->meta['_klarna_om_ledger']   = '{"capture":{"answered":0,"pending":"fp"}}';
		$order->meta['_klarna_om_outcomes'] = array( 'capture' => array( 'outcome' => 'capture_failed', 'success' => false, 'note' => '', 'intent' => array( 'to' => 'completed' ) ) );
		$this->assertSame( array( 0, 'Success: capture: captured. Klarna captured €105.00 (capture id cap-1).' ), self::wp( 'retry', array( '1506' ) ) );
		$this->assertSame( 'completed', $order->get_status() );
		$this->assertSame( 'fp', $this->core->calls[0][1]['order']['meta']['ledger']->capture->pending );
	}

	/** `wp klarna-om reconcile` in its three formats, with a progress bar over every order read. */
	public function test_reconcile_lists_the_disagreements_as_a_table_csv_or_json(): void {
		foreach ( range( 1511, 1514 ) as $id ) {
			self::customer_order( $id, 1512 === $id ? 'completed' : 'processing' );
		}
		[ $status, $table ] = self::wp( 'reconcile', array(), array( 'since' => gmdate( 'Y-m-d' ) ) );
		$this->assertSame( 0, $status );
		$this->assertStringContainsString( '| order | number | woocommerce_status | klarna_status | disagreement           | fix     | detail', $table );
		$this->assertStringContainsString( '| 1512  | 1512   | completed          | AUTHORIZED    | completed_not_captured | capture | WooCommerce says Completed, but Klarna has captured nothing: capture it. | wp klarna-om capture 1512 |', $table );
		$this->assertSame( array( 4, 4, true ), array( $GLOBALS['klarna_om_test_progress'][0]->count, $GLOBALS['klarna_om_test_progress'][0]->ticks, $GLOBALS['klarna_om_test_progress'][0]->finished ) );
		$this->assertCount( 1, $this->core->batches, 'the four orders in one om_batch' );
		$this->assertNoPersonalData( $table );

		[ , $csv ] = self::wp( 'reconcile', array(), array( 'format' => 'csv', 'status' => 'completed' ) );
		$this->assertSame( "order,number,woocommerce_status,klarna_status,disagreement,fix,detail,command\n1512,1512,completed,AUTHORIZED,completed_not_captured,capture,\"WooCommerce says Completed, but Klarna has captured nothing: capture it.\",\"wp klarna-om capture 1512\"", $csv );
		[ , $json ] = self::wp( 'reconcile', array(), array( 'format' => 'json' ) );
		$this->assertSame( array( array( 'order' => '1512', 'number' => '1512', 'woocommerce_status' => 'completed', 'klarna_status' => 'AUTHORIZED', 'disagreement' => 'completed_not_captured', 'fix' => 'capture', 'detail' => 'WooCommerce says Completed, but Klarna has captured nothing: capture it.', 'command' => 'wp klarna-om capture 1512' ) ), json_decode( $json, true ) );
		$this->assertSame( array( 1, 'Error: The date must be written as YYYY-MM-DD.' ), self::wp( 'reconcile', array(), array( 'since' => 'last week' ) ) );
		$this->assertSame( array(), $this->core->calls, 'reads only' );
	}

	public function test_reconcile_says_when_all_agree(): void {
		self::customer_order( 1521 );
		$this->assertSame( array( 0, 'Success: No disagreements in 1 Klarna orders.' ), self::wp( 'reconcile' ) );
	}

	/**
	 * Without WP-CLI (the constant WP_CLI undefined, as in every web request) the command is not registered.
	 *
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_the_command_is_registered_only_where_wp_cli_runs(): void {
		WP_CLI::$commands = array();
		Plugin::start( new NativeBridge( '/none', '/none', '/none' ), WC_VERSION );
		$this->assertFalse( defined( 'WP_CLI' ) );
		$this->assertSame( array(), WP_CLI::$commands );
		define( 'WP_CLI', true );
		Plugin::start( new NativeBridge( '/none', '/none', '/none' ), WC_VERSION );
		$this->assertSame( array( 'klarna-om' ), array_keys( WP_CLI::$commands ) );
		$this->assertSame( array( 'status', 'capture', 'cancel', 'extend', 'retry', 'refund', 'reconcile' ), array_values( array_filter( get_class_methods( WP_CLI::$commands['klarna-om'] ), static fn ( $method ) => '__construct' !== $method ) ) );
	}
}
