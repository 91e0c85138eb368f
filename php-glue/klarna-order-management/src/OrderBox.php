<?php
/**
 * The "Klarna" box of the order edit screen.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * A side box on the order edit screen (HPOS: `woocommerce_page_wc-orders`; posts: `shop_order`), for orders this
 * plugin manages (Gateways, and no Klarna plugin doing it itself). It is drawn from what is stored on the order alone
 * (`_klarna_om_state`, the outcomes, the ledger, the Shipment Tracking items): a page view costs no Klarna call. It
 * shows where the order lives, its amounts as the shop writes money, its captures (with tracking) and refunds, the
 * authorization's expiry (a warning within 7 days), the last operation's outcome, a link to Klarna's Merchant Portal,
 * and the actions (OrderActions). Without a stored state it says so and offers Refresh.
 *
 * view() builds the content once; content() writes it as HTML, text() as plain text (the demo prints it).
 */
final class OrderBox {
	public const ID = 'klarna-om';

	public function __construct( private readonly Logger $logger ) {}

	/**
	 * `add_meta_boxes` (both storages): `( $screen_id, $order )` under HPOS, `( $post_type, $post )` under posts.
	 *
	 * @param string                  $screen The screen id or post type.
	 * @param \WC_Order|\WP_Post|null $object The order, or its post.
	 */
	public function register( $screen = '', $object = null ): void {
		try {
			$order = self::order( $object );
			if ( function_exists( 'wc_get_page_screen_id' ) && wc_get_page_screen_id( 'shop-order' ) === $screen && null !== $order && self::ours( $order ) ) {
				add_meta_box( self::ID, __( 'Klarna', 'klarna-order-management' ), array( $this, 'render' ), $screen, 'side', 'high' );
			}
		} catch ( \Throwable $e ) {
			$this->logger->log( 'error', 'klarna-om could not add its order box', array( 'error' => get_class( $e ) ) );
		}
	}

	/** The order behind the meta box argument: WooCommerce's own idiom (`Edit::maybe_register_order_attribution`). */
	private static function order( $object ): ?\WC_Order {
		$order = $object instanceof \WC_Order ? $object : ( null === $object ? null : wc_get_order( $object ) );
		return $order instanceof \WC_Order && ! $order instanceof \WC_Order_Refund ? $order : null;
	}

	private static function ours( \WC_Order $order ): bool {
		return Gateways::managed_here( $order );
	}

	/**
	 * The meta box callback: the content, and once the script of its buttons.
	 *
	 * @param \WC_Order|\WP_Post $object The order, or its post.
	 */
	public function render( $object ): void {
		try {
			$order = self::order( $object );
			if ( null === $order ) {
				return;
			}
			echo '<div id="klarna-om-box">' . $this->content( $order ) . '</div>' . self::script(); // phpcs:ignore WordPress.Security.EscapeOutput -- escaped where built.
		} catch ( \Throwable $e ) {
			$this->logger->log( 'error', 'klarna-om could not draw its order box', array( 'order_id' => is_object( $object ) && method_exists( $object, 'get_id' ) ? $object->get_id() : 0, 'error' => get_class( $e ) ) );
			echo '<p>' . esc_html( __( 'The Klarna box could not be shown; see the WooCommerce log.', 'klarna-order-management' ) ) . '</p>';
		}
	}

	/**
	 * What the box shows, from stored meta only.
	 *
	 * @return array{rows: array<int, array{0: string, 1: string, 2?: string}>, notices: array<int, array{0: string, 1: string}>, captures: array, refunds: array, last: ?string, portal: ?string, actions: array<string, string>, shipment: ?array, read: bool}
	 */
	public function view( \WC_Order $order ): array {
		$state    = OrderState::fields( $order );
		$view     = array( 'rows' => array(), 'notices' => array(), 'captures' => array(), 'refunds' => array(), 'last' => null, 'portal' => null, 'actions' => array(), 'shipment' => null, 'read' => null !== $state );
		$latest   = Outcomes::latest( $order );
		$actions  = OrderActions::available( $order, $this->logger );
		if ( null !== $latest ) {
			/* translators: 1: operation (capture, cancel, …), 2: the note of its outcome, or its outcome code. */
			$view['last'] = sprintf( __( '%1$s: %2$s', 'klarna-order-management' ), (string) $latest['operation'], '' !== (string) ( $latest['note'] ?? '' ) ? (string) $latest['note'] : (string) ( $latest['outcome'] ?? '' ) );
		}
		foreach ( Ledger::pending( $order, $this->logger ) as $operation ) {
			$view['notices'][] = array(
				'warning',
				'refund' === $operation
					? __( 'The outcome of the last refund is unknown: Klarna may have refunded. Refund again in WooCommerce to retry it; Klarna will not refund twice.', 'klarna-order-management' )
					/* translators: %s: the operation (capture, cancel, update, release, extend). */
					: sprintf( __( 'The outcome of the last %s is unknown: retry it; Klarna will not act twice.', 'klarna-order-management' ), $operation ),
			);
		}
		if ( null === $state ) {
			array_unshift( $view['notices'], array( 'info', __( "Klarna's side of this order has not been read yet. Refresh from Klarna to show it.", 'klarna-order-management' ) ) );
			$view['actions'] = array_intersect_key( $actions, array_flip( array_filter( array_keys( $actions ), static fn ( $key ) => str_contains( $key, '_retry_' ) ) ) );
			return $view;
		}
		$format   = MoneyFormat::shop( (string) ( $state['currency'] ?? $order->get_currency() ) );
		$currency = (string) ( $state['currency'] ?? $order->get_currency() );
		$exponent = is_int( $state['exponent'] ?? null ) ? $state['exponent'] : null;
		$money    = static fn ( $minor ) => is_int( $minor ) ? MoneyFormat::text( $minor, $currency, $format, $exponent ) : null;

		$where = trim( (string) ( $state['environment'] ?? '' ) . ( isset( $state['region'] ) ? ' (' . $state['region'] . ')' : '' ) );
		$rows  = array(
			array( __( 'Environment', 'klarna-order-management' ), $where ),
			array( __( 'Klarna order', 'klarna-order-management' ), (string) ( $state['klarna_order_id'] ?? '' ) ),
			array( __( 'Status at Klarna', 'klarna-order-management' ), trim( (string) ( $state['status'] ?? '' ) . ( isset( $state['fraud_status'] ) ? ' / ' . $state['fraud_status'] : '' ), ' /' ) ),
			array( __( 'Authorized', 'klarna-order-management' ), (string) $money( $state['authorized'] ?? null ) ),
			array( __( 'Captured', 'klarna-order-management' ), (string) $money( $state['captured'] ?? null ) ),
			array( __( 'Refunded', 'klarna-order-management' ), (string) $money( $state['refunded'] ?? null ) ),
			array( __( 'Remaining authorized', 'klarna-order-management' ), (string) $money( $state['remaining'] ?? null ) ),
		);
		$expires = is_string( $state['expires_at'] ?? null ) ? strtotime( $state['expires_at'] ) : false;
		if ( false !== $expires ) {
			$rows[] = array( __( 'Authorization expires', 'klarna-order-management' ), self::date( $expires ) );
		}
		$read_at = is_string( $state['read_at'] ?? null ) ? strtotime( $state['read_at'] ) : false;
		if ( false !== $read_at ) {
			$rows[] = array( __( 'Read from Klarna', 'klarna-order-management' ), self::date( $read_at ) );
		}
		$view['rows'] = array_values( array_filter( $rows, static fn ( $row ) => '' !== $row[1] ) );

		$until = Attention::authorized_until( $state );
		if ( null !== $until && Attention::expires_soon( $until ) ) {
			$view['notices'][] = $until <= time()
				/* translators: %s: date and time. */
				? array( 'error', sprintf( __( 'The authorization expired on %s: Klarna will refuse to capture what remains. Refresh from Klarna to see its state.', 'klarna-order-management' ), self::date( $until ) ) )
				/* translators: %s: date and time. */
				: array( 'warning', sprintf( __( 'The authorization expires on %s: capture or extend it before then.', 'klarna-order-management' ), self::date( $until ) ) );
		}
		if ( 'CAPTURED' === ( $state['status'] ?? '' ) && ! $order->has_status( array( 'completed', 'refunded', 'cancelled' ) ) ) {
			$view['notices'][] = array( 'info', __( 'Klarna has captured the whole order. Set the order to Completed once everything has shipped; Klarna will not capture twice.', 'klarna-order-management' ) );
		}
		foreach ( (array) ( $state['captures'] ?? array() ) as $capture ) {
			$view['captures'][] = array(
				'id'       => (string) ( $capture['id'] ?? '' ),
				'amount'   => (string) $money( $capture['amount'] ?? null ),
				'at'       => is_string( $capture['captured_at'] ?? null ) && false !== strtotime( $capture['captured_at'] ) ? self::date( (int) strtotime( $capture['captured_at'] ) ) : '',
				'tracking' => array_values(
					array_map(
						static fn ( $info ) => array(
							'text' => trim( (string) ( $info['shipping_company'] ?? '' ) . ' ' . (string) ( $info['tracking_number'] ?? '' ) ),
							'url'  => (string) ( $info['tracking_uri'] ?? '' ),
						),
						array_filter( (array) ( $capture['shipping_info'] ?? array() ), 'is_array' )
					)
				),
			);
		}
		foreach ( (array) ( $state['refunds'] ?? array() ) as $refund ) {
			$view['refunds'][] = array(
				'id'     => (string) ( $refund['id'] ?? '' ),
				'amount' => (string) $money( $refund['amount'] ?? null ),
				'at'     => is_string( $refund['refunded_at'] ?? null ) && false !== strtotime( $refund['refunded_at'] ) ? self::date( (int) strtotime( $refund['refunded_at'] ) ) : '',
			);
		}
		$portal         = (string) ( $state['portal_url'] ?? '' );
		$view['portal'] = str_starts_with( $portal, 'https://' ) || str_starts_with( $portal, 'http://' ) ? $portal : null;
		$view['actions'] = $actions;
		if ( isset( $actions[ OrderActions::PREFIX . 'capture_shipment' ] ) ) {
			$view['shipment'] = self::shipment( $order, array() === (array) ( $state['captures'] ?? array() ) );
		}
		return $view;
	}

	/**
	 * The shipment form's content: the order's products with their quantities, shipping along by default only for the
	 * first capture (as the core's default), and the tracking of WooCommerce Shipment Tracking's latest item
	 * (`_wc_shipment_tracking_items`, woocommerce-facts §12) as the default, when that extension left one.
	 */
	private static function shipment( \WC_Order $order, bool $first ): array {
		$items = array();
		foreach ( $order->get_items( 'line_item' ) as $item ) {
			$items[] = array( 'id' => (int) $item->get_id(), 'name' => (string) $item->get_name(), 'quantity' => (int) $item->get_quantity() );
		}
		$tracked  = $order->get_meta( '_wc_shipment_tracking_items' );
		$tracking = array( 'shipping_company' => '', 'tracking_number' => '', 'tracking_uri' => '', 'from_tracking' => false );
		$latest   = is_array( $tracked ) ? end( $tracked ) : false;
		if ( is_array( $latest ) && '' !== (string) ( $latest['tracking_number'] ?? '' ) ) {
			$tracking = array(
				'shipping_company' => (string) ( ( $latest['custom_tracking_provider'] ?? '' ) ?: ( $latest['tracking_provider'] ?? '' ) ),
				'tracking_number'  => (string) $latest['tracking_number'],
				'tracking_uri'     => (string) ( $latest['custom_tracking_link'] ?? '' ),
				'from_tracking'    => true,
			);
		}
		return array( 'items' => $items, 'shipping' => $first, 'tracking' => $tracking );
	}

	/** A time as the site writes dates and times. */
	private static function date( int $time ): string {
		return (string) wp_date( get_option( 'date_format', 'Y-m-d' ) . ' ' . get_option( 'time_format', 'H:i' ), $time );
	}

	/** The box's content as HTML (what the AJAX refresh returns too). */
	public function content( \WC_Order $order ): string {
		$view = $this->view( $order );
		$html = '<div id="klarna-om-box-content">';
		foreach ( $view['notices'] as list( $type, $text ) ) {
			$html .= sprintf( '<p class="klarna-om-notice klarna-om-%1$s">%2$s</p>', esc_attr( $type ), esc_html( $text ) );
		}
		if ( array() !== $view['rows'] ) {
			$html .= '<table class="klarna-om-state">';
			foreach ( $view['rows'] as list( $label, $value ) ) {
				$html .= sprintf( '<tr><th scope="row">%1$s</th><td>%2$s</td></tr>', esc_html( $label ), esc_html( $value ) );
			}
			$html .= '</table>';
		}
		foreach ( array( 'captures' => __( 'Captures', 'klarna-order-management' ), 'refunds' => __( 'Refunds', 'klarna-order-management' ) ) as $key => $title ) {
			if ( array() === $view[ $key ] ) {
				continue;
			}
			$html .= '<h4>' . esc_html( $title ) . '</h4><ul class="klarna-om-' . $key . '">';
			foreach ( $view[ $key ] as $entry ) {
				$tracking = '';
				foreach ( $entry['tracking'] ?? array() as $info ) {
					$tracking .= '<br>' . ( '' === $info['url'] ? esc_html( $info['text'] ) : sprintf( '<a href="%1$s" target="_blank" rel="noopener noreferrer">%2$s</a>', esc_url( $info['url'] ), esc_html( '' === $info['text'] ? $info['url'] : $info['text'] ) ) );
				}
				$html .= sprintf( '<li><code>%1$s</code> %2$s %3$s%4$s</li>', esc_html( $entry['id'] ), esc_html( $entry['amount'] ), esc_html( $entry['at'] ), $tracking );
			}
			$html .= '</ul>';
		}
		if ( null !== $view['last'] ) {
			$html .= '<p class="klarna-om-last"><strong>' . esc_html( __( 'Last operation', 'klarna-order-management' ) ) . ':</strong> ' . esc_html( $view['last'] ) . '</p>';
		}
		if ( null !== $view['portal'] ) {
			$html .= sprintf( '<p><a href="%1$s" target="_blank" rel="noopener noreferrer">%2$s</a></p>', esc_url( $view['portal'] ), esc_html( __( "Open in Klarna's Merchant Portal", 'klarna-order-management' ) ) );
		}
		if ( null !== $view['shipment'] ) {
			$html .= self::shipment_html( $view['shipment'] );
		}
		$html .= '<p class="klarna-om-actions">';
		$html .= sprintf(
			'<button type="button" class="button" data-klarna-om-refresh="%1$d" data-nonce="%2$s">%3$s</button> ',
			$order->get_id(),
			esc_attr( wp_create_nonce( OrderActions::NONCE ) ),
			esc_html( __( 'Refresh from Klarna', 'klarna-order-management' ) )
		);
		foreach ( $view['actions'] as $action => $label ) {
			$html .= sprintf( '<button type="button" class="button" data-klarna-om-action="%1$s">%2$s</button> ', esc_attr( $action ), esc_html( $label ) );
		}
		return $html . '</p></div>';
	}

	/** The shipment form: fields of the order form, read by OrderActions when its dropdown entry is saved. */
	private static function shipment_html( array $shipment ): string {
		$field = OrderActions::SHIPMENT_FIELD;
		$html  = '<fieldset class="klarna-om-shipment"><legend>' . esc_html( __( 'One shipment', 'klarna-order-management' ) ) . '</legend>';
		foreach ( $shipment['items'] as $item ) {
			$html .= sprintf(
				'<label>%1$s × <input type="number" name="%2$s[items][%3$d]" value="0" min="0" max="%4$d" step="1" style="width:4em"> / %4$d</label><br>',
				esc_html( $item['name'] ),
				esc_attr( $field ),
				$item['id'],
				$item['quantity']
			);
		}
		$html .= sprintf( '<label><input type="checkbox" name="%1$s[shipping]" value="1"%2$s> %3$s</label><br>', esc_attr( $field ), $shipment['shipping'] ? ' checked' : '', esc_html( __( 'Shipping goes with this shipment', 'klarna-order-management' ) ) );
		foreach ( array( 'shipping_company' => __( 'Carrier', 'klarna-order-management' ), 'tracking_number' => __( 'Tracking number', 'klarna-order-management' ), 'tracking_uri' => __( 'Tracking URL', 'klarna-order-management' ) ) as $key => $label ) {
			$html .= sprintf( '<label>%1$s <input type="text" name="%2$s[%3$s]" value="%4$s"></label><br>', esc_html( $label ), esc_attr( $field ), $key, esc_attr( $shipment['tracking'][ $key ] ) );
		}
		if ( $shipment['tracking']['from_tracking'] ) {
			$html .= '<small>' . esc_html( __( 'Tracking from WooCommerce Shipment Tracking.', 'klarna-order-management' ) ) . '</small>';
		}
		return $html . '</fieldset>';
	}

	/** The box as plain text, a line each (the demo prints it). */
	public function text( \WC_Order $order ): string {
		$view  = $this->view( $order );
		$lines = array();
		foreach ( $view['notices'] as list( $type, $text ) ) {
			$lines[] = "[$type] $text";
		}
		foreach ( $view['rows'] as list( $label, $value ) ) {
			$lines[] = "$label: $value";
		}
		foreach ( array( 'captures' => __( 'Captures', 'klarna-order-management' ), 'refunds' => __( 'Refunds', 'klarna-order-management' ) ) as $key => $title ) {
			foreach ( $view[ $key ] as $entry ) {
				$tracking = implode( ', ', array_map( static fn ( $info ) => trim( $info['text'] . ( '' === $info['url'] ? '' : " <{$info['url']}>" ) ), $entry['tracking'] ?? array() ) );
				$lines[]  = trim( "$title: {$entry['id']} {$entry['amount']} {$entry['at']}" ) . ( '' === $tracking ? '' : " ($tracking)" );
			}
		}
		if ( null !== $view['last'] ) {
			$lines[] = __( 'Last operation', 'klarna-order-management' ) . ': ' . $view['last'];
		}
		if ( null !== $view['portal'] ) {
			$lines[] = __( "Open in Klarna's Merchant Portal", 'klarna-order-management' ) . ': ' . $view['portal'];
		}
		$lines[] = '[' . implode( '] [', array_merge( array( __( 'Refresh from Klarna', 'klarna-order-management' ) ), array_values( $view['actions'] ) ) ) . ']';
		return implode( "\n", $lines );
	}

	/** The buttons' script, once per page: Refresh over AJAX; the other buttons pick the dropdown entry and save. */
	private static function script(): string {
		static $printed = false;
		if ( $printed ) {
			return '';
		}
		$printed = true;
		$confirm = esc_js( __( 'Send this to Klarna now? The order is saved first.', 'klarna-order-management' ) );
		$failed  = esc_js( __( 'Klarna could not be refreshed.', 'klarna-order-management' ) );
		return <<<HTML
<script>
document.addEventListener( 'click', function ( event ) {
	var refresh = event.target.closest( '[data-klarna-om-refresh]' );
	if ( refresh ) {
		refresh.disabled = true;
		var body = new URLSearchParams( { action: 'klarna_om_refresh', security: refresh.dataset.nonce, order_id: refresh.dataset.klarnaOmRefresh } );
		fetch( window.ajaxurl, { method: 'POST', credentials: 'same-origin', body: body } ).then( function ( r ) { return r.json(); } ).then( function ( answer ) {
			if ( answer && answer.success ) {
				document.getElementById( 'klarna-om-box-content' ).outerHTML = answer.data.html;
				if ( ! answer.data.success ) { window.alert( answer.data.note || '{$failed}' ); }
			} else { refresh.disabled = false; window.alert( ( answer && answer.data && answer.data.message ) || '{$failed}' ); }
		} ).catch( function () { refresh.disabled = false; window.alert( '{$failed}' ); } );
		return;
	}
	var button = event.target.closest( '[data-klarna-om-action]' );
	var select = document.querySelector( 'select[name="wc_order_action"]' );
	if ( ! button || ! select || ! select.form || ! window.confirm( '{$confirm}' ) ) { return; }
	select.value = button.dataset.klarnaOmAction;
	var save = select.form.querySelector( '[name="save"]' );
	if ( select.form.requestSubmit ) { select.form.requestSubmit( save || undefined ); } else { select.form.submit(); }
} );
</script>
HTML;
	}
}
