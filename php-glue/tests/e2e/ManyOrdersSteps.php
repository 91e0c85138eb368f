<?php
// The steps of issue 15's end-to-end tests: many Klarna orders at once (a bulk action, the REST batch), the background
// retries' queue, WP-CLI. Over the real core in one mode, counted (CountingCore), against the Klarna sandbox.

use KlarnaOM\Retries;

/** Needs SandboxShop in the same class. */
trait ManyOrdersSteps {
	private CountingCore $core;

	/**
	 * The shop over the real core (counted), and `$count` hoodies orders, Processing, each with its own Klarna order;
	 * the Klarna order of the order at `$refused` (a position) is cancelled, so Klarna refuses to capture it.
	 *
	 * @return WC_Order[]
	 */
	private function klarna_orders( string $mode, int $count, int $refused = -1 ): array {
		$this->setUpShop( $mode );
		$this->core = new CountingCore( $this->bridge( $mode ) );
		Shop::wire( $this->core );
		$GLOBALS['klarna_om_test_user']      = array( 'id' => 1, 'caps' => array( 'edit_shop_orders', 'manage_woocommerce' ) );
		$GLOBALS['klarna_om_test_user_meta'] = array();
		$orders                              = array();
		for ( $index = 0; $index < $count; $index++ ) {
			$orders[] = OrderFactory::hoodies( self::next_order_id(), self::seed( $index === $refused ? array( 'status' => 'CANCELLED' ) : array() ) );
		}
		return $orders;
	}

	/** What the Klarna orders hold now: status and captured amount, by WooCommerce order id. */
	private static function at_klarna( array $orders ): array {
		$held = array();
		foreach ( $orders as $order ) {
			$klarna                     = self::control( 'GET', '/orders/' . $order->get_transaction_id() );
			$held[ $order->get_id() ] = array( $klarna['status'], $klarna['captured_amount'] );
		}
		return $held;
	}

	/** The next page's admin notices (the bulk action redirected). */
	private static function next_page(): string {
		ob_start();
		do_action( 'admin_notices' );
		return (string) ob_get_clean();
	}

	/**
	 * Bulk "Change status to completed" over 20 orders, the 7th refused; asserts what WooCommerce, the merchant and
	 * Klarna see afterwards (whatever number of core calls it cost).
	 */
	private function bulk_completion_of_20_with_one_refused( string $mode ): array {
		$orders  = $this->klarna_orders( $mode, 20, 6 );
		$refused = $orders[6];
		klarna_om_test_bulk_action( array_map( static fn ( $order ) => $order->get_id(), $orders ), 'mark_completed' );
		foreach ( $orders as $order ) {
			$this->assertSame( $order === $refused ? array( 'CANCELLED', 0 ) : array( 'CAPTURED', 10500 ), self::at_klarna( array( $order ) )[ $order->get_id() ] );
			$this->assertSame( $order === $refused ? 'on-hold' : 'completed', $order->get_status() );
			$this->assertCount( 1, $order->notes );
		}
		$this->assertStringContainsString( 'is cancelled', $refused->notes[0] );
		$this->assertSame( array( array( 'processing', 'on-hold' ) ), $refused->transitions, 'no Completed transition, so no Completed e-mail' );
		$html = self::next_page();
		$this->assertSame( 1, substr_count( $html, '<li>' ), $html );
		$this->assertStringContainsString( '>Order #' . $refused->get_order_number() . '</a> (capture): ' . esc_html( $refused->notes[0] ) . '</li>', $html );
		return $orders;
	}

	/**
	 * `POST /wc/v3/orders/batch` completing three orders, the second refused: each item's response carries its outcome.
	 *
	 * @return array The update items' response data.
	 */
	private function rest_batch_of_3_with_one_refused( string $mode ): array {
		$orders = $this->klarna_orders( $mode, 3, 1 );
		$data   = klarna_om_test_rest_orders_batch( array( 'update' => array_map( static fn ( $order ) => array( 'id' => $order->get_id(), 'status' => 'completed' ), $orders ) ) );
		$this->assertSame( array( 'completed', 'on-hold', 'completed' ), array_column( $data['update'], 'status' ) );
		$this->assertSame( array( 'captured', 'capture_refused', 'captured' ), array_map( static fn ( $item ) => $item['klarna_om']['outcome'], $data['update'] ) );
		$this->assertSame( array( 'CAPTURED', 'CANCELLED', 'CAPTURED' ), array_column( self::at_klarna( $orders ), 0 ) );
		return $data['update'];
	}

	/** Action Scheduler's queue runs once every retry scheduled so far is due. */
	private static function run_retries(): array {
		return klarna_om_test_run_due_actions( time() + 86400 );
	}

	/** The retries still to run. */
	private static function pending_retries(): array {
		return array_column( klarna_om_test_actions( Retries::HOOK, 'pending' ), 'args' );
	}
}
