<?php
/**
 * `wp klarna-om`: Klarna order management from WP-CLI.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Klarna's side of WooCommerce orders from the command line.
 *
 * Every command goes the way the order screen goes (OrderHooks: the same snapshot, ledger and idempotency keys; the
 * same notes), and prints no personal data: order ids and numbers, statuses, amounts, Klarna's ids and the notes,
 * which never hold any (the core keeps them out). Registered only when WP-CLI runs (Plugin::register_hooks()).
 */
final class Cli {
	public function __construct( private readonly OrderHooks $hooks, private readonly OrderBox $box, private readonly Reconciliation $reconciliation, private readonly Logger $logger ) {}

	/**
	 * Shows Klarna's side of an order, as the order screen's Klarna box shows it (from what is stored: no Klarna call):
	 * its amounts as the shop writes money, captures, refunds, the authorization's expiry, the last operation, the
	 * operations whose outcome is unknown.
	 *
	 * ## OPTIONS
	 *
	 * <order>
	 * : The order id.
	 *
	 * [--refresh]
	 * : Read Klarna's order first (one read; the state is stored, as the box's Refresh does).
	 *
	 * [--format=<format>]
	 * : How to print it.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     wp klarna-om status 123 --refresh
	 *
	 * @param array $args       The order id.
	 * @param array $assoc_args `refresh`, `format`.
	 */
	public function status( $args, $assoc_args ): void {
		$order = $this->order( $args );
		if ( ! empty( $assoc_args['refresh'] ) ) {
			$this->hooks->run( $order, 'sync' );
			$order->save();
		}
		$view     = $this->box->view( $order );
		$state    = OrderState::fields( $order ) ?? array();
		$currency = (string) ( $state['currency'] ?? $order->get_currency() );
		$money    = static fn ( $minor ) => is_int( $minor ) ? MoneyFormat::text( $minor, $currency, MoneyFormat::shop( $currency ), is_int( $state['exponent'] ?? null ) ? $state['exponent'] : null ) : '';
		$entries  = static fn ( array $list ) => implode( ', ', array_map( static fn ( $entry ) => trim( "{$entry['id']} {$entry['amount']} {$entry['at']}" ), $list ) );
		$fields   = array(
			'order'              => (string) $order->get_id(),
			'number'             => (string) $order->get_order_number(),
			'woocommerce_status' => (string) $order->get_status(),
			'environment'        => (string) ( $state['environment'] ?? '' ),
			'klarna_order'       => (string) ( $state['klarna_order_id'] ?? '' ),
			'klarna_status'      => (string) ( $state['status'] ?? '' ),
			'authorized'         => $money( $state['authorized'] ?? null ),
			'captured'           => $money( $state['captured'] ?? null ),
			'refunded'           => $money( $state['refunded'] ?? null ),
			'remaining'          => $money( $state['remaining'] ?? null ),
			'expires_at'         => (string) ( $state['expires_at'] ?? '' ),
			'read_at'            => (string) ( $state['read_at'] ?? '' ),
			'captures'           => $entries( $view['captures'] ),
			'refunds'            => $entries( $view['refunds'] ),
			'outcome_unknown'    => implode( ', ', Ledger::pending( $order, $this->logger ) ),
			'last_operation'     => (string) $view['last'],
			'notices'            => implode( ' ', array_column( $view['notices'], 1 ) ),
		);
		if ( 'json' === ( $assoc_args['format'] ?? 'table' ) ) {
			\WP_CLI::line( (string) json_encode( $fields, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ) );
			return;
		}
		$rows = array();
		foreach ( array_filter( $fields, 'strlen' ) as $field => $value ) {
			$rows[] = array( 'field' => $field, 'value' => $value );
		}
		\WP_CLI\Utils\format_items( 'table', $rows, array( 'field', 'value' ) );
	}

	/**
	 * Captures what WooCommerce still expects of an order at Klarna, as the Klarna box's "capture what remains" (the
	 * WooCommerce status stays; On hold when Klarna refuses).
	 *
	 * ## OPTIONS
	 *
	 * <order>
	 * : The order id.
	 *
	 * @param array $args       The order id.
	 * @param array $assoc_args None.
	 */
	public function capture( $args, $assoc_args ): void {
		$this->fixed( $args, $assoc_args, 'capture' );
	}

	/**
	 * Cancels an order: sets it Cancelled (Klarna cancels its order, or refuses while it holds captured money: the
	 * order is then put On hold, with a note). On an order already Cancelled or Refunded, cancels its Klarna order.
	 *
	 * ## OPTIONS
	 *
	 * <order>
	 * : The order id.
	 *
	 * @param array $args       The order id.
	 * @param array $assoc_args None.
	 */
	public function cancel( $args, $assoc_args ): void {
		$this->fixed( $args, $assoc_args, 'cancel' );
	}

	/**
	 * Extends the time of an order's authorization at Klarna.
	 *
	 * ## OPTIONS
	 *
	 * <order>
	 * : The order id.
	 *
	 * @param array $args       The order id.
	 * @param array $assoc_args None.
	 */
	public function extend( $args, $assoc_args ): void {
		$this->fixed( $args, $assoc_args, 'extend' );
	}

	/**
	 * Retries an operation whose outcome is unknown, with the same request (Klarna acts at most once).
	 *
	 * ## OPTIONS
	 *
	 * <order>
	 * : The order id.
	 *
	 * [--operation=<operation>]
	 * : Which one, when several are unknown (capture, cancel, update, release, extend).
	 *
	 * @param array $args       The order id.
	 * @param array $assoc_args `operation`.
	 */
	public function retry( $args, $assoc_args ): void {
		$order   = $this->order( $args );
		$pending = array_values( array_diff( Ledger::pending( $order, $this->logger ), array( 'refund' ) ) );
		$asked   = (string) ( $assoc_args['operation'] ?? ( 1 === count( $pending ) ? $pending[0] : '' ) );
		if ( ! in_array( $asked, $pending, true ) ) {
			\WP_CLI::error( array() === $pending ? 'No operation of this order has an unknown outcome.' : 'Name the operation to retry with --operation: ' . implode( ', ', $pending ) . '.' );
			return;
		}
		$this->report( $this->reconciliation->fix( $order, 'retry', $asked ) );
	}

	/**
	 * Refunds an amount of an order through Klarna, as WooCommerce's "Refund via Klarna" button does: WooCommerce
	 * records the refund (wc_create_refund with refund_payment), Klarna refunds exactly that amount, and a refund
	 * Klarna does not make is not recorded.
	 *
	 * ## OPTIONS
	 *
	 * <order>
	 * : The order id.
	 *
	 * --amount=<decimal>
	 * : The amount to refund, as WooCommerce writes amounts (12.50).
	 *
	 * [--reason=<text>]
	 * : The reason, kept with the refund and sent to Klarna.
	 *
	 * @param array $args       The order id.
	 * @param array $assoc_args `amount`, `reason`.
	 */
	public function refund( $args, $assoc_args ): void {
		$order  = $this->order( $args );
		$amount = trim( (string) ( $assoc_args['amount'] ?? '' ) );
		if ( 1 !== preg_match( '/^[0-9]+(\.[0-9]+)?$/', $amount ) ) {
			\WP_CLI::error( 'Give the amount to refund with --amount, as WooCommerce writes amounts (12.50).' );
			return;
		}
		$refund = wc_create_refund(
			array(
				'order_id'       => $order->get_id(),
				'amount'         => $amount,
				'reason'         => sanitize_text_field( (string) ( $assoc_args['reason'] ?? '' ) ),
				'refund_payment' => true,
			)
		);
		$record = Outcomes::all( wc_get_order( $order->get_id() ) ?: $order )['refund'] ?? array();
		if ( $refund instanceof \WP_Error ) {
			\WP_CLI::error( 'WooCommerce recorded no refund: ' . $refund->get_error_message() );
			return;
		}
		\WP_CLI::success( sprintf( 'Refund %d of %s recorded. %s', $refund->get_id(), $amount, (string) ( $record['note'] ?? '' ) ) );
	}

	/**
	 * Lists every disagreement between WooCommerce and Klarna for the shop's Klarna orders in a period, with the fix.
	 * Reads Klarna's orders (many at once, within Klarna's rate limit) and changes nothing.
	 *
	 * ## OPTIONS
	 *
	 * [--since=<date>]
	 * : Orders created on or after this day (YYYY-MM-DD). Default: 30 days ago.
	 *
	 * [--status=<status>]
	 * : WooCommerce statuses to check, comma-separated. Default: processing,on-hold,completed,cancelled,refunded.
	 *
	 * [--format=<format>]
	 * : How to print the list.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - csv
	 *   - json
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     wp klarna-om reconcile --since=2025-01-01 --status=completed,cancelled --format=csv > klarna.csv
	 *
	 * @param array $args       None.
	 * @param array $assoc_args `since`, `status`, `format`.
	 */
	public function reconcile( $args, $assoc_args ): void {
		try {
			$criteria = Reconciliation::criteria( (array) $assoc_args );
		} catch ( \InvalidArgumentException $e ) {
			\WP_CLI::error( $e->getMessage() );
			return;
		}
		$format   = (string) ( $assoc_args['format'] ?? 'table' );
		$first    = $this->reconciliation->page( $criteria, 0, 100 );
		$progress = \WP_CLI\Utils\make_progress_bar( 'Reading Klarna\'s orders', $first['total'] );
		$rows     = array();
		for ( $offset = 0, $page = $first; array() !== $page['ids']; $page = $this->reconciliation->page( $criteria, $offset, 100 ) ) {
			$rows    = array_merge( $rows, $this->reconciliation->check( $page['ids'] ) );
			$offset += count( $page['ids'] );
			foreach ( $page['ids'] as $id ) {
				$progress->tick();
			}
		}
		$progress->finish();
		$rows = array_map( static fn ( $row ) => array_intersect_key( $row, array_flip( Reconciliation::FIELDS ) ), $rows );
		if ( 'csv' === $format ) {
			\WP_CLI::line( rtrim( Reconciliation::csv( $rows, true ), "\n" ) );
			return;
		}
		if ( 'table' === $format && array() === $rows ) {
			\WP_CLI::success( sprintf( 'No disagreements in %d Klarna orders.', $first['total'] ) );
			return;
		}
		\WP_CLI\Utils\format_items( $format, $rows, Reconciliation::FIELDS );
	}

	/** The order named by the first argument, managed by this plugin; otherwise WP_CLI::error() (which exits). */
	private function order( array $args ): \WC_Order {
		$order = wc_get_order( absint( $args[0] ?? 0 ) );
		if ( ! $order instanceof \WC_Order || $order instanceof \WC_Order_Refund ) {
			\WP_CLI::error( 'No such order.' );
		}
		if ( ! Gateways::managed_here( $order ) ) {
			\WP_CLI::error( 'This order is not managed by Klarna order management (another gateway, or a Klarna plugin manages it).' );
		}
		return $order;
	}

	/** Runs a fix of the reconciliation for the order named, and says how it ended. */
	private function fixed( array $args, array $assoc_args, string $fix ): void {
		if ( isset( $assoc_args['amount'] ) || isset( $assoc_args['reason'] ) ) {
			\WP_CLI::error( "--amount and --reason are for refunds: a $fix takes what the order says." );
			return;
		}
		$this->report( $this->reconciliation->fix( $this->order( $args ), $fix ) );
	}

	/** Success with the note when Klarna did what was asked; an error with it (exit status 1) otherwise. */
	private function report( array $record ): void {
		$text = sprintf( '%s: %s. %s', $record['operation'], $record['outcome'], (string) $record['note'] );
		if ( true === $record['success'] ) {
			\WP_CLI::success( $text );
		} else {
			\WP_CLI::error( $text );
		}
	}
}
