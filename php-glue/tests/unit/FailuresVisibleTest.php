<?php
use KlarnaOM\Attention;
use KlarnaOM\Logger;
use KlarnaOM\NativeUnavailable;
use KlarnaOM\ResponseApplier;
use PHPUnit\Framework\TestCase;

/**
 * Issue 14, part 4: failures shown where they happen. After a bulk status change, the next page's notice lists the
 * orders Klarna refused or could not be reached for; a REST update carries the outcome; the orders list has a
 * "Klarna: needs attention" view (HPOS and posts storage).
 */
final class FailuresVisibleTest extends TestCase {
	protected function setUp(): void {
		$GLOBALS['klarna_om_test_options']   = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 's' ) );
		$GLOBALS['klarna_om_test_user']      = array( 'id' => 7, 'caps' => array( 'edit_shop_orders' ) );
		$GLOBALS['klarna_om_test_user_meta'] = array();
		$GLOBALS['klarna_om_test_orders']    = array();
		$GLOBALS['klarna_om_test_hpos']      = true;
		$_GET                                = array();
	}

	/** A core that refuses the capture of order 902, cannot run for 903, and captures the others. */
	private static function core(): ScriptedCore {
		return new ScriptedCore(
			array(
				'capture' => static fn ( array $request ) => match ( $request['order']['id'] ) {
					902 => array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'capture_refused', 'success' => false, 'order_status' => 'on-hold', 'note' => array( 'code' => 'capture_refused_cancelled', 'text' => 'Klarna did not capture: the Klarna order is cancelled.' ) ),
					903 => new NativeUnavailable( 'library missing' ),
					default => array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'captured', 'success' => true, 'note' => array( 'code' => 'captured', 'text' => 'Captured.' ) ),
				},
			)
		);
	}

	/**
	 * WooCommerce's bulk "Change status to completed" (woocommerce-facts §4): the ids through the filter
	 * `woocommerce_bulk_action_ids`, then update_status() per order; then a redirect, and the next page's notices.
	 */
	private static function bulk_complete( array $ids ): string {
		$ids = apply_filters( 'woocommerce_bulk_action_ids', array_reverse( $ids ), 'mark_completed', 'order' );
		foreach ( $ids as $id ) {
			wc_get_order( $id )->update_status( 'completed', 'Order status changed by bulk edit.', true );
		}
		ob_start();
		do_action( 'admin_notices' );  // The next page load.
		return (string) ob_get_clean();
	}

	public static function storages(): array {
		return array( 'HPOS' => array( true, 'admin.php?page=wc-orders&amp;action=edit&amp;id=' ), 'posts' => array( false, 'post.php?post=' ) );
	}

	/** @dataProvider storages */
	public function test_after_a_bulk_status_change_the_next_page_lists_the_orders_klarna_refused_or_could_not_be_reached_for( bool $hpos, string $edit ): void {
		$GLOBALS['klarna_om_test_hpos'] = $hpos;
		Shop::wire( self::core() );
		foreach ( array( 901, 902, 903, 904 ) as $id ) {
			OrderFactory::hoodies( $id, "k-$id" );
		}
		OrderFactory::hoodies( 905, 'k-905', 2, 'bacs' );
		$html = self::bulk_complete( array( 901, 902, 903, 904, 905 ) );
		$this->assertSame( 1, substr_count( $html, '<div class="notice notice-error">' ) );
		$this->assertStringContainsString( 'Klarna refused the status change, or could not be reached, for these orders.', $html );
		$this->assertStringContainsString( '<li><a href="https://shop.example/wp-admin/' . $edit . '902', $html );
		$this->assertStringContainsString( '">Order #902</a> (capture): Klarna did not capture: the Klarna order is cancelled.</li>', $html );
		$this->assertStringContainsString( '">Order #903</a> (capture): Klarna order management could not run (capture): library missing. Nothing was sent to Klarna; the order was put On hold.</li>', $html );
		$this->assertSame( 2, substr_count( $html, '<li>' ), 'only the failures' );
		$this->assertSame( array( 'completed', 'on-hold', 'on-hold', 'completed' ), array_map( static fn ( $id ) => wc_get_order( $id )->get_status(), array( 901, 902, 903, 904 ) ) );
		ob_start();
		do_action( 'admin_notices' );
		$this->assertStringNotContainsString( 'Klarna refused', (string) ob_get_clean(), 'shown once' );
	}

	public function test_a_status_change_outside_a_bulk_action_leaves_no_notice(): void {
		Shop::wire( self::core() );
		wc_get_order( OrderFactory::hoodies( 902, 'k-902' )->get_id() )->update_status( 'completed' );
		ob_start();
		do_action( 'admin_notices' );
		$this->assertStringNotContainsString( 'Klarna refused', (string) ob_get_clean() );
	}

	public function test_a_rest_update_carries_the_outcome_and_the_note(): void {
		Shop::wire( self::core() );
		$refused = OrderFactory::hoodies( 902, 'k-902' );
		$other   = OrderFactory::hoodies( 904, 'k-904' );
		$refused->set_status( 'completed' );  // WC_REST_Orders_Controller::save_object, then prepare_object_for_response.
		$refused->save();
		$response = apply_filters( 'woocommerce_rest_prepare_shop_order_object', new WP_REST_Response( array( 'id' => 902, 'status' => $refused->get_status() ) ), $refused, null );
		$this->assertSame(
			array( 'id' => 902, 'status' => 'on-hold', 'klarna_om' => array( 'operation' => 'capture', 'outcome' => 'capture_refused', 'success' => false, 'note' => 'Klarna did not capture: the Klarna order is cancelled.' ) ),
			$response->get_data()
		);
		$untouched = apply_filters( 'woocommerce_rest_prepare_shop_order_object', new WP_REST_Response( array( 'id' => 904 ) ), $other, null );
		$this->assertSame( array( 'id' => 904 ), $untouched->get_data(), 'no operation ran for it in this request' );
	}

	/** Outcomes, ledger and state → the two meta values the orders list queries. */
	public function test_the_attention_index_follows_the_latest_outcome_the_ledger_and_the_expiry(): void {
		$applier = new ResponseApplier( new Logger() );
		$order   = OrderFactory::hoodies( 906, 'k-906' );
		$applier->apply( $order, array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'capture_refused', 'success' => false ) );
		$this->assertSame( 'yes', $order->get_meta( Attention::FLAG ), 'Klarna refused' );
		$applier->apply( $order, array( 'version' => 1, 'ok' => true, 'operation' => 'sync', 'outcome' => 'synced', 'success' => true ) );
		$this->assertSame( 'yes', $order->get_meta( Attention::FLAG ), 'a read resolves nothing' );
		$applier->apply( $order, array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'captured', 'success' => true ) );
		$this->assertSame( '', $order->get_meta( Attention::FLAG ) );
		$applier->apply( $order, array( 'version' => 1, 'ok' => true, 'operation' => 'extend', 'outcome' => 'extended', 'success' => true, 'ledger' => array( 'answered' => 0, 'pending' => 'x' ) ) );
		$this->assertSame( 'yes', $order->get_meta( Attention::FLAG ), 'an unknown outcome' );

		$soon = time() + 2 * 86400;
		$applier->apply( $order, array( 'version' => 1, 'ok' => true, 'operation' => 'sync', 'outcome' => 'synced', 'success' => true, 'state' => array( 'status' => 'PART_CAPTURED', 'remaining' => 500, 'expires_at' => gmdate( 'Y-m-d\TH:i:s\Z', $soon ) ) ) );
		$this->assertSame( gmdate( 'Y-m-d H:i:s', $soon ), $order->get_meta( Attention::EXPIRES ) );
		$applier->apply( $order, array( 'version' => 1, 'ok' => true, 'operation' => 'release', 'outcome' => 'released', 'success' => true, 'state' => array( 'status' => 'CLOSED', 'remaining' => 0, 'expires_at' => gmdate( 'Y-m-d\TH:i:s\Z', $soon ) ) ) );
		$this->assertSame( '', $order->get_meta( Attention::EXPIRES ), 'nothing authorized is left to expire' );
	}

	/** @dataProvider storages */
	public function test_the_orders_list_has_a_needs_attention_view( bool $hpos ): void {
		$GLOBALS['klarna_om_test_hpos'] = $hpos;
		Shop::wire( new ScriptedCore( array() ) );
		$flagged  = OrderFactory::hoodies( 907, 'k-907' );
		$expiring = OrderFactory::hoodies( 908, 'k-908' );
		$later    = OrderFactory::hoodies( 909, 'k-909' );
		OrderFactory::hoodies( 910, 'k-910' );
		$flagged->meta[ Attention::FLAG ]     = 'yes';
		$expiring->meta[ Attention::EXPIRES ] = gmdate( 'Y-m-d H:i:s', time() + 6 * 86400 );
		$later->meta[ Attention::EXPIRES ]    = gmdate( 'Y-m-d H:i:s', time() + 8 * 86400 );

		$views = apply_filters( $hpos ? 'views_woocommerce_page_wc-orders' : 'views_edit-shop_order', array( 'all' => '<a>All</a>' ) );
		$list  = $hpos ? 'admin.php?page=wc-orders' : 'edit.php?post_type=shop_order';
		$this->assertSame( '<a href="https://shop.example/wp-admin/' . $list . '&amp;klarna_om=attention">Klarna: needs attention <span class="count">(2)</span></a>', $views['klarna_om'] );

		$_GET['klarna_om'] = 'attention';
		$query = $hpos
			? apply_filters( 'woocommerce_shop_order_list_table_prepare_items_query_args', array( 'type' => 'shop_order', 'limit' => 20 ) )
			: apply_filters( 'request', array( 'post_type' => 'shop_order' ) );
		$this->assertSame( Attention::meta_query(), $query['meta_query'] );
		$this->assertSame( array( 907, 908 ), wc_get_orders( array( 'meta_query' => $query['meta_query'], 'return' => 'ids' ) ), 'flagged, or expiring within 7 days' );
		$this->assertSame( array( 'post_type' => 'product' ), apply_filters( 'request', array( 'post_type' => 'product' ) ), 'other lists are left alone' );
	}

	public function test_a_failing_outcome_listener_changes_nothing_of_what_klarna_answered(): void {
		Shop::wire( self::core() );
		add_action(
			'klarna_om_outcome',
			static function () {
				throw new RuntimeException( 'a listener of another plugin' );
			}
		);
		$order = OrderFactory::hoodies( 911, 'k-911' );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( array( 'completed', array( 'Captured.' ) ), array( $order->get_status(), $order->notes ) );
		$this->assertSame( 'a klarna_om_outcome listener failed', end( $GLOBALS['klarna_om_test_log'] )[1] );
	}
}
