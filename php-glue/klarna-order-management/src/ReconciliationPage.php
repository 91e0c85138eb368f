<?php
/**
 * WooCommerce → Klarna reconciliation.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * The reconciliation (Reconciliation) as a page under WooCommerce, for users who may manage WooCommerce: the period
 * and statuses, then the orders are checked in chunks over AJAX (`wp_ajax_klarna_om_reconcile`, 25 orders per request:
 * one `om_batch` of reads each), so a long run shows its progress ("Checked 50 of 430 orders") and never meets PHP's
 * time limit; the disagreements appear as they are found, each with its fix, and the list downloads as CSV (the
 * server writes the CSV of each chunk; the page joins them). A listed fix runs only when the merchant clicks it
 * (`wp_ajax_klarna_om_reconcile_fix`, `edit_shop_orders`), through the same paths as the order screen. Both AJAX
 * actions check the page's nonce and the capability, as WooCommerce's own order AJAX does.
 */
final class ReconciliationPage {
	public const SLUG     = 'klarna-om-reconciliation';
	public const NONCE    = 'klarna-om-reconcile';
	public const AJAX     = 'klarna_om_reconcile';
	public const AJAX_FIX = 'klarna_om_reconcile_fix';
	/** Orders per AJAX request. */
	public const CHUNK = 25;

	public function __construct( private readonly Reconciliation $reconciliation, private readonly Logger $logger ) {}

	/** `admin_menu`: the page under WooCommerce. */
	public function register(): void {
		add_submenu_page( 'woocommerce', __( 'Klarna reconciliation', 'klarna-order-management' ), __( 'Klarna reconciliation', 'klarna-order-management' ), 'manage_woocommerce', self::SLUG, array( $this, 'render' ) );
	}

	/** The page: the form, the progress line, the list, and the script that fills them. */
	public function render(): void {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			return;
		}
		$since    = gmdate( 'Y-m-d', time() - Reconciliation::DAYS * 86400 );
		$statuses = '';
		foreach ( Reconciliation::STATUSES as $status ) {
			$statuses .= sprintf( '<label><input type="checkbox" name="status[]" value="%1$s" checked> %2$s</label> ', esc_attr( $status ), esc_html( wc_get_order_status_name( $status ) ) );
		}
		$columns = '';
		foreach ( array( __( 'Order', 'klarna-order-management' ), __( 'WooCommerce', 'klarna-order-management' ), __( 'Klarna', 'klarna-order-management' ), __( 'Disagreement', 'klarna-order-management' ), __( 'What fixes it', 'klarna-order-management' ) ) as $column ) {
			$columns .= '<th scope="col">' . esc_html( $column ) . '</th>';
		}
		printf(
			'<div class="wrap"><h1>%1$s</h1><p>%2$s</p><form id="klarna-om-reconcile" data-nonce="%3$s"><p><label>%4$s <input type="date" name="since" value="%5$s" required></label></p><p>%6$s</p><p><button type="submit" class="button button-primary">%7$s</button> <button type="button" class="button" id="klarna-om-reconcile-csv" disabled>%8$s</button></p></form><p id="klarna-om-reconcile-progress" aria-live="polite"></p><table class="widefat striped"><thead><tr>%9$s</tr></thead><tbody id="klarna-om-reconcile-rows"></tbody></table></div>%10$s',
			esc_html( __( 'Klarna reconciliation', 'klarna-order-management' ) ),
			esc_html( __( "Reads Klarna's side of the shop's Klarna orders and lists where it disagrees with WooCommerce, with what fixes it. Nothing is changed unless you click a fix.", 'klarna-order-management' ) ),
			esc_attr( wp_create_nonce( self::NONCE ) ),
			esc_html( __( 'Orders created since', 'klarna-order-management' ) ),
			esc_attr( $since ),
			$statuses, // phpcs:ignore WordPress.Security.EscapeOutput -- escaped above.
			esc_html( __( 'Check', 'klarna-order-management' ) ),
			esc_html( __( 'Download CSV', 'klarna-order-management' ) ),
			$columns, // phpcs:ignore WordPress.Security.EscapeOutput -- escaped above.
			self::script() // phpcs:ignore WordPress.Security.EscapeOutput -- a constant script with escaped texts.
		);
	}

	/** `wp_ajax_klarna_om_reconcile`: one chunk of orders checked; its rows, its CSV, and how far the run is. */
	public function chunk(): void {
		check_ajax_referer( self::NONCE, 'security' );
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_send_json_error( array( 'message' => __( 'You may not manage WooCommerce.', 'klarna-order-management' ) ), 403 );
			return;
		}
		try {
			// phpcs:disable WordPress.Security.NonceVerification.Missing -- checked above (check_ajax_referer).
			$criteria = Reconciliation::criteria( array( 'since' => sanitize_text_field( (string) wp_unslash( $_POST['since'] ?? '' ) ), 'status' => array_map( 'sanitize_key', (array) wp_unslash( $_POST['status'] ?? array() ) ) ) );
			$offset   = absint( wp_unslash( $_POST['offset'] ?? 0 ) );
			// phpcs:enable
			$page = $this->reconciliation->page( $criteria, $offset, self::CHUNK );
			$rows = $this->reconciliation->check( $page['ids'] );
			$next = $offset + count( $page['ids'] );
			wp_send_json_success(
				array(
					'rows'    => array_map( static fn ( $row ) => $row + array( 'runs' => in_array( $row['fix'], Reconciliation::FIXES, true ) ), $rows ),
					'csv'     => Reconciliation::csv( $rows, 0 === $offset ),
					'offset'  => $next,
					'total'   => $page['total'],
					'done'    => array() === $page['ids'] || $next >= $page['total'],
					/* translators: 1: orders checked so far, 2: all the orders of the period. */
					'message' => sprintf( __( 'Checked %1$d of %2$d orders.', 'klarna-order-management' ), min( $next, $page['total'] ), $page['total'] ),
				)
			);
		} catch ( \InvalidArgumentException $e ) {
			wp_send_json_error( array( 'message' => $e->getMessage() ), 400 );
		} catch ( \Throwable $e ) {
			$this->logger->log( 'error', 'klarna-om reconciliation failed', array( 'error' => get_class( $e ) ) );
			wp_send_json_error( array( 'message' => __( 'The check failed; see the WooCommerce log.', 'klarna-order-management' ) ), 500 );
		}
	}

	/** `wp_ajax_klarna_om_reconcile_fix`: runs one listed fix, as the merchant asked. */
	public function fix(): void {
		$order = OrderActions::ajax_order( self::NONCE );
		if ( null === $order ) {
			return;
		}
		try {
			// phpcs:disable WordPress.Security.NonceVerification.Missing -- checked (OrderActions::ajax_order).
			$fix       = sanitize_key( (string) wp_unslash( $_POST['fix'] ?? '' ) );
			$operation = sanitize_key( (string) wp_unslash( $_POST['operation'] ?? '' ) );
			// phpcs:enable
			$record = $this->reconciliation->fix( $order, $fix, $operation );
			wp_send_json_success( array( 'success' => $record['success'], 'note' => (string) $record['note'], 'status' => (string) $order->get_status() ) );
		} catch ( \InvalidArgumentException $e ) {
			wp_send_json_error( array( 'message' => $e->getMessage() ), 400 );
		} catch ( \Throwable $e ) {
			$this->logger->log( 'error', 'klarna-om reconciliation fix failed', array( 'error' => get_class( $e ) ) );
			wp_send_json_error( array( 'message' => __( 'The fix failed; see the WooCommerce log.', 'klarna-order-management' ) ), 500 );
		}
	}

	/** The page's script: the chunks one after another, the rows added as text, the fixes, the CSV download. */
	private static function script(): string {
		$texts = wp_json_encode(
			array(
				'none'    => __( 'No disagreements found.', 'klarna-order-management' ),
				'fix'     => __( 'Fix', 'klarna-order-management' ),
				'confirm' => __( 'Send this to Klarna now?', 'klarna-order-management' ),
				'failed'  => __( 'The request failed.', 'klarna-order-management' ),
			)
		);
		return <<<HTML
<script>
( function () {
	var texts = {$texts}, form = document.getElementById( 'klarna-om-reconcile' ), rows = document.getElementById( 'klarna-om-reconcile-rows' );
	var progress = document.getElementById( 'klarna-om-reconcile-progress' ), download = document.getElementById( 'klarna-om-reconcile-csv' ), csv = '', found = 0;
	function post( data ) {
		var body = new URLSearchParams( data );
		body.append( 'security', form.dataset.nonce );
		return fetch( window.ajaxurl, { method: 'POST', credentials: 'same-origin', body: body } ).then( function ( r ) { return r.json(); } );
	}
	function cell( tr, text, href ) {
		var td = tr.insertCell(), node = td;
		if ( href ) { node = td.appendChild( document.createElement( 'a' ) ); node.href = href; }
		node.textContent = text;
		return td;
	}
	function add( row ) {
		var tr = rows.insertRow();
		cell( tr, '#' + row.number, row.url );
		cell( tr, row.woocommerce_status );
		cell( tr, row.klarna_status );
		cell( tr, row.detail );
		var td = cell( tr, row.fix );
		if ( row.runs ) {
			var button = td.appendChild( document.createElement( 'button' ) );
			button.type = 'button'; button.className = 'button'; button.textContent = texts.fix;
			button.addEventListener( 'click', function () {
				if ( ! window.confirm( texts.confirm ) ) { return; }
				button.disabled = true;
				post( { action: 'klarna_om_reconcile_fix', order_id: row.order, fix: row.fix, operation: row.operation } ).then( function ( answer ) {
					var note = answer && answer.success ? answer.data.note : ( answer && answer.data && answer.data.message );
					td.appendChild( document.createElement( 'div' ) ).textContent = note || texts.failed;
				} ).catch( function () { button.disabled = false; window.alert( texts.failed ); } );
			} );
		}
	}
	function step( data, offset ) {
		data.set( 'offset', offset );
		post( data ).then( function ( answer ) {
			if ( ! answer || ! answer.success ) { progress.textContent = ( answer && answer.data && answer.data.message ) || texts.failed; form.querySelector( '[type=submit]' ).disabled = false; return; }
			csv += answer.data.csv;
			answer.data.rows.forEach( function ( row ) { found++; add( row ); } );
			progress.textContent = answer.data.message;
			if ( answer.data.done ) {
				if ( ! found ) { progress.textContent += ' ' + texts.none; }
				download.disabled = false; form.querySelector( '[type=submit]' ).disabled = false;
				return;
			}
			step( data, answer.data.offset );
		} ).catch( function () { progress.textContent = texts.failed; form.querySelector( '[type=submit]' ).disabled = false; } );
	}
	form.addEventListener( 'submit', function ( event ) {
		event.preventDefault();
		rows.textContent = ''; csv = ''; found = 0; download.disabled = true;
		form.querySelector( '[type=submit]' ).disabled = true;
		var data = new FormData( form ), params = new URLSearchParams();
		data.forEach( function ( value, key ) { params.append( key, value ); } );
		params.append( 'action', 'klarna_om_reconcile' );
		step( params, 0 );
	} );
	download.addEventListener( 'click', function () {
		var link = document.createElement( 'a' );
		link.href = URL.createObjectURL( new Blob( [ csv ], { type: 'text/csv' } ) );
		link.download = 'klarna-reconciliation.csv';
		link.click();
	} );
} )();
</script>
HTML;
	}
}
