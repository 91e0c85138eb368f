<?php
/**
 * Where WooCommerce and Klarna disagree, and what fixes it.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * For the shop's Klarna orders in a period, reads Klarna's side of each (`sync` items of `om_batch`, concurrently in
 * the core within its rate limit; single `sync` calls with a core without the batch) and lists every disagreement with
 * WooCommerce, one row each, with the fix. It changes nothing: no note, meta, ledger, state or status is written, and
 * nothing is sent to Klarna but reads, until the merchant asks for a listed fix (fix()).
 *
 * What disagrees about money is the core's to say (docs/contract.md, "What sync finds"): each `sync` answer's
 * `disagreements` (code, fix, text in the order's language) are listed as they are: Completed but not (all)
 * captured, Cancelled or Refunded while Klarna holds money or an authorization, amounts that differ, captured beyond
 * the total, Klarna's order closed under Processing or On hold.
 *
 * And the plugin's own, from what it stores:
 *
 * - `expiring`: the authorization expires within 7 days with money authorized (Attention). Fix: extend.
 * - `outcome_unknown`: an operation's ledger entry is pending. Fix: retry (a refund: refund again in WooCommerce).
 * - `not_read`: Klarna's order could not be read. Fix: refresh.
 */
final class Reconciliation {
	/** The WooCommerce statuses checked by default: those a Klarna order can disagree in. */
	public const STATUSES = array( 'processing', 'on-hold', 'completed', 'cancelled', 'refunded' );
	/** The columns of the listing (table, CSV, JSON). */
	public const FIELDS = array( 'order', 'number', 'woocommerce_status', 'klarna_status', 'disagreement', 'fix', 'detail', 'command' );
	/** Fixes the plugin runs when the merchant asks; `refund` and `review` are the merchant's own. */
	public const FIXES = array( 'capture', 'cancel', 'extend', 'retry', 'update', 'refresh' );
	/** The period when none is given: this many days back. */
	public const DAYS = 30;

	public function __construct( private readonly OrderHooks $hooks, private readonly Logger $logger ) {}

	/**
	 * The period and statuses asked for, checked: `since` a date (Y-m-d; 30 days back by default), `statuses` among
	 * WooCommerce's order statuses (STATUSES by default).
	 *
	 * @param array $input `since` (string), `status` (comma-separated string or array).
	 * @return array{since: string, statuses: string[]}
	 * @throws \InvalidArgumentException With a message for the merchant when a value is not one.
	 */
	public static function criteria( array $input ): array {
		$since = trim( (string) ( $input['since'] ?? '' ) );
		if ( '' === $since ) {
			$since = gmdate( 'Y-m-d', time() - self::DAYS * 86400 );
		}
		$date = \DateTimeImmutable::createFromFormat( '!Y-m-d', $since );
		if ( false === $date || $date->format( 'Y-m-d' ) !== $since ) {
			throw new \InvalidArgumentException( __( 'The date must be written as YYYY-MM-DD.', 'klarna-order-management' ) );
		}
		$statuses = is_array( $input['status'] ?? null ) ? $input['status'] : explode( ',', (string) ( $input['status'] ?? '' ) );
		$statuses = array_values( array_unique( array_filter( array_map( static fn ( $status ) => preg_replace( '/^wc-/', '', sanitize_key( (string) $status ) ), $statuses ) ) ) );
		$known    = function_exists( 'wc_get_order_statuses' ) ? array_map( static fn ( $key ) => substr( (string) $key, 3 ), array_keys( wc_get_order_statuses() ) ) : self::STATUSES;
		foreach ( $statuses as $status ) {
			if ( ! in_array( $status, $known, true ) ) {
				/* translators: %s: the status as given. */
				throw new \InvalidArgumentException( sprintf( __( 'Unknown order status: %s.', 'klarna-order-management' ), $status ) );
			}
		}
		return array( 'since' => $since, 'statuses' => array() === $statuses ? self::STATUSES : $statuses );
	}

	/**
	 * One page of the shop's Klarna orders in the period, oldest first.
	 *
	 * @param array $criteria criteria()'s.
	 * @param int   $offset   How many to skip.
	 * @param int   $limit    How many at most.
	 * @return array{ids: int[], total: int}
	 */
	public function page( array $criteria, int $offset, int $limit ): array {
		$found = wc_get_orders(
			array(
				'type'           => 'shop_order',
				'payment_method' => Gateways::MANAGED,
				'status'         => array_map( static fn ( $status ) => 'wc-' . $status, $criteria['statuses'] ),
				'date_created'   => '>=' . $criteria['since'],
				'orderby'        => 'ID',
				'order'          => 'ASC',
				'limit'          => $limit,
				'offset'         => $offset,
				'paginate'       => true,
				'return'         => 'ids',
			)
		);
		return array( 'ids' => array_map( 'intval', (array) ( $found->orders ?? array() ) ), 'total' => (int) ( $found->total ?? 0 ) );
	}

	/**
	 * Reads Klarna's side of these orders and lists every disagreement, the orders' order kept. Changes nothing.
	 *
	 * @param int[] $ids The orders.
	 * @return array<int, array<string, string|int>> Rows with FIELDS, and `url` (the order's edit screen) and
	 *                                               `operation` (what a retry repeats).
	 */
	public function check( array $ids ): array {
		$orders = array();
		foreach ( $ids as $id ) {
			$order = wc_get_order( (int) $id );
			// The query asked for these gateways; the check keeps out what another plugin's query filter let in.
			if ( $order instanceof \WC_Order && ! $order instanceof \WC_Order_Refund && Gateways::managed_here( $order ) ) {
				$orders[ $order->get_id() ] = $order;
			}
		}
		$answers = array() === $orders ? array() : $this->hooks->read( $orders );
		$rows    = array();
		foreach ( $orders as $id => $order ) {
			foreach ( $this->disagreements( $order, $answers[ $id ] ?? new NativeUnavailable( 'no answer' ) ) as $row ) {
				$rows[] = $row;
			}
		}
		return $rows;
	}

	/**
	 * The rows of one order.
	 *
	 * @param \WC_Order               $order  The order.
	 * @param array|NativeUnavailable $answer The core's answer to its `sync`.
	 */
	private function disagreements( \WC_Order $order, $answer ): array {
		$found  = array();
		$status = (string) $order->get_status();
		$read   = is_array( $answer ) && true === ( $answer['ok'] ?? false ) && true === ( $answer['success'] ?? false );
		$state  = $read && is_array( $answer['state'] ?? null ) ? $answer['state'] : null;
		if ( ! $read ) {
			$reason  = $answer instanceof NativeUnavailable ? $answer->getMessage() : (string) ( $answer['note']['text'] ?? $answer['error']['message'] ?? $answer['outcome'] ?? '' );
			/* translators: %s: why, as the core or Klarna said it. */
			$found[] = array( 'not_read', 'refresh', sprintf( __( "Klarna's order could not be read: %s", 'klarna-order-management' ), $reason ) );
		} else {
			foreach ( (array) ( $answer['disagreements'] ?? array() ) as $entry ) {
				if ( is_array( $entry ) && is_string( $entry['code'] ?? null ) ) {
					$found[] = array( $entry['code'], is_string( $entry['fix'] ?? null ) ? $entry['fix'] : 'review', (string) ( $entry['text'] ?? $entry['code'] ) );
				}
			}
		}
		$until = Attention::authorized_until( $state ?? OrderState::fields( $order ) ?? array() );
		if ( null !== $until && Attention::expires_soon( $until ) ) {
			/* translators: %s: date and time. */
			$found[] = array( 'expiring', 'extend', sprintf( __( "Klarna's authorization expires on %s: capture or extend it before then.", 'klarna-order-management' ), (string) wp_date( 'Y-m-d H:i', $until ) ) );
		}
		foreach ( Ledger::pending( $order, $this->logger ) as $operation ) {
			$found[] = 'refund' === $operation
				? array( 'outcome_unknown', 'refund', __( 'The outcome of the last refund is unknown: refund the same amount again in WooCommerce; Klarna will not refund twice.', 'klarna-order-management' ), 'refund' )
				/* translators: %s: the operation (capture, cancel, update, release, extend). */
				: array( 'outcome_unknown', 'retry', sprintf( __( 'The outcome of the last %s is unknown: retry it; Klarna will not act twice.', 'klarna-order-management' ), $operation ), $operation );
		}
		$rows = array();
		foreach ( $found as $entry ) {
			$rows[] = array(
				'order'              => $order->get_id(),
				'number'             => (string) $order->get_order_number(),
				'woocommerce_status' => $status,
				'klarna_status'      => (string) ( ( $state ?? OrderState::fields( $order ) ?? array() )['status'] ?? '' ),
				'disagreement'       => (string) $entry[0],
				'fix'                => (string) $entry[1],
				'detail'             => (string) $entry[2],
				'command'            => self::command( $order, (string) $entry[1], (string) ( $entry[3] ?? '' ) ),
				'operation'          => (string) ( $entry[3] ?? '' ),
				'url'                => (string) $order->get_edit_order_url(),
			);
		}
		return $rows;
	}

	/** The WP-CLI command that runs a fix, or '' for a fix that is the merchant's own. */
	private static function command( \WC_Order $order, string $fix, string $operation ): string {
		return match ( $fix ) {
			'capture', 'cancel', 'extend', 'update' => "wp klarna-om $fix {$order->get_id()}",
			'retry' => "wp klarna-om retry {$order->get_id()} --operation=$operation",
			'refresh' => "wp klarna-om status {$order->get_id()} --refresh",
			'refund' => "wp klarna-om refund {$order->get_id()} --amount=<amount>",
			default => '',
		};
	}

	/**
	 * Runs a listed fix for an order, as the merchant asked, through the same paths as the order screen (OrderHooks:
	 * the ledger and its keys), then saves the order: capture what remains, cancel (the status Cancelled, or, on an
	 * order already Cancelled or Refunded, the cancel of its Klarna order), extend, retry an unknown outcome, send the
	 * lines again (update), or read Klarna's order (refresh).
	 *
	 * @param \WC_Order $order     The order.
	 * @param string    $fix       One of FIXES.
	 * @param string    $operation For `retry`: the operation whose outcome is unknown.
	 * @return array{operation: string, outcome: string, success: bool, note: string} The outcome recorded.
	 * @throws \InvalidArgumentException For a fix the plugin does not run.
	 */
	public function fix( \WC_Order $order, string $fix, string $operation = '' ): array {
		$status = (string) $order->get_status();
		$ran    = match ( $fix ) {
			'capture', 'extend', 'update' => $fix,
			'refresh' => 'sync',
			'cancel' => 'cancel',
			'retry' => in_array( $operation, Ledger::pending( $order, $this->logger ), true ) ? $operation : throw new \InvalidArgumentException( __( 'No operation of this order has an unknown outcome.', 'klarna-order-management' ) ),
			default => throw new \InvalidArgumentException( __( 'This fix is yours to make in WooCommerce; the plugin does not run it.', 'klarna-order-management' ) ),
		};
		if ( 'retry' === $fix ) {
			$this->hooks->retry( $order, $ran );
		} elseif ( 'cancel' === $fix && ! in_array( $status, array( 'cancelled', 'refunded' ), true ) ) {
			$order->set_status( 'cancelled' );  // The status change: its save runs the cancel (and its refusals).
		} elseif ( 'cancel' === $fix ) {
			$this->hooks->run( $order, 'cancel', array( 'from' => $status, 'to' => $status ), array(), true );
		} else {
			$this->hooks->run( $order, $ran );
		}
		$order->save();
		return array( 'operation' => $ran ) + ( Outcomes::all( $order )[ $ran ] ?? array( 'outcome' => 'none', 'success' => false, 'note' => '' ) );
	}

	/**
	 * Rows as CSV (RFC 4180, the columns FIELDS), a header first when asked. A cell a spreadsheet would read as a
	 * formula (starting with =, +, -, @, a tab or a carriage return) is prefixed with an apostrophe.
	 *
	 * @param array $rows        check()'s rows.
	 * @param bool  $with_header Whether the header line comes first.
	 */
	public static function csv( array $rows, bool $with_header ): string {
		$out = fopen( 'php://temp', 'w+' );
		if ( $with_header ) {
			fputcsv( $out, self::FIELDS, ',', '"', '' );
		}
		foreach ( $rows as $row ) {
			$cells = array();
			foreach ( self::FIELDS as $field ) {
				$cell     = (string) ( $row[ $field ] ?? '' );
				$cells[] = '' !== $cell && str_contains( "=+-@\t\r", $cell[0] ) ? "'" . $cell : $cell;
			}
			fputcsv( $out, $cells, ',', '"', '' );
		}
		rewind( $out );
		$csv = (string) stream_get_contents( $out );
		fclose( $out );
		return $csv;
	}
}
