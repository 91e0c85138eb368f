<?php
// Thin WooCommerce stand-ins for the plugin's tests; see README.md in this folder.

class WC_Product {
	public function __construct( private string $sku = '', private bool $virtual = false ) {}
	public function get_sku(): string {
		return $this->sku;
	}
	public function is_virtual(): bool {
		return $this->virtual;
	}
	public function is_downloadable(): bool {
		return false;
	}
	public function get_permalink(): string {
		return 'https://shop.example/product/' . $this->sku;
	}
}

/** An order item: stored values keyed like WooCommerce's, read through the getters the plugin uses. */
class WC_Order_Item {
	public array $meta = array();
	public function __construct( public array $props ) {}
	public function __call( string $name, array $args ) {
		$key = str_starts_with( $name, 'get_' ) ? substr( $name, 4 ) : $name;
		return $this->props[ $key ] ?? null;
	}
	public function get_id(): int {
		return (int) ( $this->props['id'] ?? 0 );
	}
	public function get_taxes(): array {
		return $this->props['taxes'] ?? array( 'total' => array(), 'subtotal' => array() );
	}
	public function get_meta( string $key ) {
		return $this->meta[ $key ] ?? '';
	}
	public function get_product() {
		return $this->props['product'] ?? false;
	}
}
class WC_Order_Item_Product extends WC_Order_Item {}
class WC_Order_Item_Shipping extends WC_Order_Item {}
class WC_Order_Item_Fee extends WC_Order_Item {}
class WC_Order_Item_Coupon extends WC_Order_Item {}
class WC_Order_Item_Tax extends WC_Order_Item {}

/**
 * PW WooCommerce Gift Cards' redemption item (type `pw_gift_card`): its getters return the props as stored, the
 * amount as the decimal string set_amount() made with wc_format_decimal().
 */
class WC_Order_Item_PW_Gift_Card extends WC_Order_Item {
	public function get_card_number( string $context = 'view' ): string {
		return (string) ( $this->props['card_number'] ?? '' );
	}
	public function get_amount( string $context = 'view' ) {
		return $this->props['amount'] ?? 0;
	}
}

/** WooCommerce Gift Cards' redemption item (type `gift_card`): get_amount() casts the stored decimal string to a float. */
class WC_GC_Order_Item_Gift_Card extends WC_Order_Item {
	public function get_code( string $context = 'view' ): string {
		return (string) ( $this->props['code'] ?? '' );
	}
	public function get_amount( string $context = 'view' ): float {
		return (float) ( $this->props['amount'] ?? 0 );
	}
}

/**
 * WooCommerce's order with the behaviour the plugin relies on: `get_data()` holds what was saved, `set_*` records a
 * change, `save()` fires `woocommerce_before_order_object_save` and then applies the changes (as WC_Data does).
 */
class WC_Order {
	/** WC_Data's object type: the save hook is `woocommerce_before_{type}_object_save`. */
	protected string $object_type = 'order';
	protected array $data;
	protected array $changes = array();
	public array $meta = array();
	public array $notes = array();
	public array $items = array( 'line_item' => array(), 'shipping' => array(), 'fee' => array(), 'coupon' => array(), 'tax' => array() );
	public array $refunds = array();
	public int $saves = 0;
	/** @var array<int, array{string,string}> Status transitions WooCommerce would announce (and e-mail). */
	public array $transitions = array();
	/** @var string[] WooCommerce's own transition notes ("Order status changed from X to Y."), kept apart from `notes`. */
	public array $status_notes = array();
	/** @var array|false WC_Order's own property (same name): the pending transition, {from, to}. */
	protected $status_transition = false;

	public function __construct( array $data ) {
		$this->data = $data + array( 'status' => 'processing', 'currency' => 'EUR', 'prices_include_tax' => true, 'total_refunded' => 0 );
		$GLOBALS['klarna_om_test_orders'][ $this->get_id() ] = $this;
	}
	public function get_id(): int {
		return (int) $this->data['id'];
	}
	public function get_data(): array {
		return $this->data;
	}
	public function get_changes(): array {
		return $this->changes;
	}
	public function get_status(): string {
		return $this->changes['status'] ?? $this->data['status'];
	}
	/** WC_Order::has_status(): the status (with pending changes) is the one given, or one of those given. */
	public function has_status( $status ): bool {
		return in_array( $this->get_status(), (array) $status, true );
	}
	/**
	 * WC_Order::set_status(): `wc-` taken off; the change is recorded (WC_Data::set_prop: only when it differs from the
	 * stored value or is already a change), and so is the transition WooCommerce announces after saving, keeping the
	 * FIRST `from` of this save's status changes (woocommerce-facts §3), whenever this call's own from and to differ.
	 */
	public function set_status( string $status, string $note = '', bool $manual = false ): array {
		$status = str_starts_with( $status, 'wc-' ) ? substr( $status, 3 ) : $status;  // As WC_Abstract_Order::set_status().
		$from   = $this->get_status();
		if ( $status !== $this->data['status'] || array_key_exists( 'status', $this->changes ) ) {
			$this->changes['status'] = $status;
		}
		if ( $from !== $status ) {
			$this->status_transition = array( 'from' => $this->status_transition['from'] ?? $from, 'to' => $status );
		}
		return array( 'from' => $from, 'to' => $status );
	}
	/** WC_Data::set_props(): each a pending change (the REST controller sets an item's other fields so). */
	public function set_props( array $props ): void {
		foreach ( $props as $key => $value ) {
			$this->changes[ $key ] = $value;
		}
	}
	/** WC_Order::update_status(): set_status() and save(). */
	public function update_status( string $status, string $note = '', bool $manual = false ): bool {
		$this->set_status( $status, $note, $manual );
		$this->save();
		return true;
	}
	/**
	 * WC_Order::save(): `woocommerce_before_{type}_object_save`, the write, then status_transition(): the pending
	 * transition is announced (here: recorded in `transitions`, and its note "Order status changed from X to Y." in
	 * `status_notes`; WooCommerce adds that note to the order's notes) even when from and to are the same.
	 */
	public function save(): int {
		do_action( "woocommerce_before_{$this->object_type}_object_save", $this, null );
		$this->data    = array_merge( $this->data, $this->changes );
		$this->changes = array();
		++$this->saves;
		$transition              = $this->status_transition;
		$this->status_transition = false;
		if ( $transition ) {
			$this->transitions[]  = array( $transition['from'], $transition['to'] );
			$this->status_notes[] = sprintf( 'Order status changed from %s to %s.', wc_get_order_status_name( $transition['from'] ), wc_get_order_status_name( $transition['to'] ) );
		}
		return $this->get_id();
	}
	/** WC_Order::get_edit_order_url(): the edit screen of the storage in use. */
	public function get_edit_order_url(): string {
		return ( $GLOBALS['klarna_om_test_hpos'] ?? true ) ? admin_url( 'admin.php?page=wc-orders&action=edit&id=' . $this->get_id() ) : admin_url( 'post.php?post=' . $this->get_id() . '&action=edit' );
	}
	public function __call( string $name, array $args ) {
		$key = str_starts_with( $name, 'get_' ) ? substr( $name, 4 ) : $name;
		return $this->changes[ $key ] ?? $this->data[ $key ] ?? '';
	}
	public function get_meta( string $key ) {
		return $this->meta[ $key ] ?? '';
	}
	public function update_meta_data( string $key, $value ): void {
		$this->meta[ $key ] = $value;
	}
	public function delete_meta_data( string $key ): void {
		unset( $this->meta[ $key ] );
	}
	public function add_order_note( string $note ): int {
		$this->notes[] = $note;
		return count( $this->notes );
	}
	public function get_items( string $type = 'line_item' ): array {
		return $this->items[ $type ] ?? array();
	}
	public function get_refunds(): array {
		return $this->refunds;
	}
	/** WooCommerce sums the refunds' amounts as floats (its data store's SUM). */
	public function get_total_refunded() {
		return array_sum( array_map( static fn ( $refund ) => (float) $refund->get_amount(), $this->refunds ) );
	}
	public function get_remaining_refund_amount(): string {
		return wc_format_decimal( (float) $this->get_total() - $this->get_total_refunded(), wc_get_price_decimals() );
	}
}

/** A refund: a child order (`parent_id`) with a positive `amount` and `refunded_payment`. */
class WC_Order_Refund extends WC_Order {
	protected string $object_type = 'order_refund';
	public bool $deleted = false;

	public function get_refunded_payment(): bool {
		return (bool) ( $this->changes['refunded_payment'] ?? $this->data['refunded_payment'] ?? false );
	}
	public function set_refunded_payment( bool $refunded ): void {
		$this->changes['refunded_payment'] = $refunded;
	}
	/** Refunds have no trash: WooCommerce deletes them for good, and the parent no longer lists them. */
	public function delete( bool $force = false ): bool {
		$parent = wc_get_order( $this->get_parent_id() );
		if ( $parent ) {
			$parent->refunds = array_values( array_filter( $parent->refunds, fn ( $refund ) => $refund !== $this ) );
		}
		unset( $GLOBALS['klarna_om_test_orders'][ $this->get_id() ] );
		$this->deleted = true;
		return true;
	}
}

/** wc_get_order_statuses(): WooCommerce's registered order statuses, `wc-` slug → label. */
function wc_get_order_statuses(): array {
	$statuses = array( 'pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft' );
	return array_combine( array_map( static fn ( $status ) => "wc-$status", $statuses ), array_map( 'wc_get_order_status_name', $statuses ) );
}

/** wc_get_order_status_name(): the status's label ("on-hold" → "On hold"). */
function wc_get_order_status_name( string $status ): string {
	return ucfirst( str_replace( '-', ' ', $status ) );
}

/**
 * get_woocommerce_currency_symbol(): the symbol WooCommerce shows, as its table stores it (HTML entities, woocommerce-facts
 * §7), for the currencies the tests use; the code otherwise. Filter `woocommerce_currency_symbol` as WooCommerce.
 */
function get_woocommerce_currency_symbol( string $currency = '' ): string {
	$symbols = array( 'EUR' => '&euro;', 'USD' => '&#36;', 'SEK' => '&#107;&#114;', 'GBP' => '&pound;', 'JPY' => '&yen;', 'VND' => '&#8363;', 'KWD' => '&#x62f;.&#x643;' );
	return (string) apply_filters( 'woocommerce_currency_symbol', $symbols[ $currency ] ?? $currency, $currency );
}

/** wc_get_price_decimal_separator(): option `woocommerce_price_decimal_sep`, `.` when empty (facts §7). */
function wc_get_price_decimal_separator(): string {
	$separator = stripslashes( (string) get_option( 'woocommerce_price_decimal_sep', '.' ) );
	return '' === $separator ? '.' : $separator;
}

/** wc_get_price_thousand_separator(): option `woocommerce_price_thousand_sep` (facts §7). */
function wc_get_price_thousand_separator(): string {
	return stripslashes( (string) get_option( 'woocommerce_price_thousand_sep', ',' ) );
}

/** wc_get_page_screen_id( 'shop-order' ): the order edit screen, HPOS unless `$GLOBALS['klarna_om_test_hpos']` is false (facts §6). */
function wc_get_page_screen_id( string $for ): string {
	return ( $GLOBALS['klarna_om_test_hpos'] ?? true ) ? 'woocommerce_page_wc-orders' : 'shop_order';
}

/**
 * wc_get_orders() over the registry, for the queries the plugin makes: `type` shop_order (refunds left out),
 * `meta_query` of clauses {key, value, compare `=` or `<=` (with `type` DATETIME, compared as text, which is exact for
 * `Y-m-d H:i:s`)} joined by `relation` (AND unless OR), `payment_method` (one or a list), `status` (a list, with or
 * without `wc-`), `date_created` `>=Y-m-d` (an order without `date_created` counts as created today), ordered by id,
 * `return` ids, `offset`, `limit`, `paginate` (an object with `orders` and `total`).
 */
function wc_get_orders( array $args ) {
	$matches = static function ( WC_Order $order, array $query ) use ( &$matches ): bool {
		$results = array();
		foreach ( $query as $key => $clause ) {
			if ( 'relation' === $key ) {
				continue;
			}
			if ( ! isset( $clause['key'] ) ) {
				$results[] = $matches( $order, $clause );
				continue;
			}
			$value     = $order->get_meta( $clause['key'] );
			$results[] = '' !== $value && ( '<=' === ( $clause['compare'] ?? '=' ) ? strcmp( (string) $value, (string) $clause['value'] ) <= 0 : (string) $value === (string) $clause['value'] );
		}
		return 'OR' === ( $query['relation'] ?? 'AND' ) ? in_array( true, $results, true ) : ! in_array( false, $results, true );
	};
	$fields = static function ( WC_Order $order ) use ( $args ): bool {
		$statuses = array_map( static fn ( $status ) => preg_replace( '/^wc-/', '', $status ), (array) ( $args['status'] ?? array() ) );
		$since    = isset( $args['date_created'] ) ? substr( (string) $args['date_created'], 2 ) : '';
		return ( ! isset( $args['payment_method'] ) || in_array( $order->get_payment_method(), (array) $args['payment_method'], true ) )
			&& ( array() === $statuses || in_array( $order->get_status(), $statuses, true ) )
			&& ( '' === $since || strcmp( (string) ( $order->get_data()['date_created'] ?? gmdate( 'Y-m-d H:i:s' ) ), $since ) >= 0 );
	};
	$orders = array_values( array_filter( $GLOBALS['klarna_om_test_orders'], static fn ( $order ) => ! $order instanceof WC_Order_Refund && $fields( $order ) && $matches( $order, (array) ( $args['meta_query'] ?? array() ) ) ) );
	usort( $orders, static fn ( $a, $b ) => $a->get_id() <=> $b->get_id() );
	$total  = count( $orders );
	if ( isset( $args['limit'] ) && $args['limit'] >= 0 ) {
		$orders = array_slice( $orders, (int) ( $args['offset'] ?? 0 ), (int) $args['limit'] );
	}
	if ( 'ids' === ( $args['return'] ?? '' ) ) {
		$orders = array_map( static fn ( $order ) => $order->get_id(), $orders );
	}
	return empty( $args['paginate'] ) ? $orders : (object) array( 'orders' => $orders, 'total' => $total, 'max_num_pages' => 1 );
}

/** The shop's price decimals (WooCommerce → Settings → General), 2 unless the option says otherwise. */
function wc_get_price_decimals(): int {
	return absint( get_option( 'woocommerce_price_num_decimals', 2 ) );
}

/**
 * wc_format_decimal() (wc-formatting-functions.php) for a '.' decimal separator: a string is sanitized and kept as
 * typed; a float becomes its 6-decimal text (wc_get_rounding_precision()) without trailing zeros; with $dp, PHP's
 * number_format() of the float. This is WooCommerce's arithmetic, floats and all: the plugin must read what it stores.
 *
 * @param string|float|int|null $number The amount.
 * @param int|string|false      $dp     Decimals to round to ('' = the shop's), or false to keep them.
 */
function wc_format_decimal( $number, $dp = false, bool $trim_zeros = false ): string {
	$number = $number ?? '';
	if ( ! is_float( $number ) ) {
		$number = preg_replace( '/\.(?![^.]+$)|[^0-9.-]/', '', sanitize_text_field( (string) $number ) );
	}
	if ( false !== $dp ) {
		$number = number_format( floatval( $number ), '' === $dp ? wc_get_price_decimals() : (int) $dp, '.', '' );
	} elseif ( is_float( $number ) ) {
		$number     = sprintf( '%.6F', $number );
		$trim_zeros = true;
	}
	if ( $trim_zeros && str_contains( $number, '.' ) ) {
		$number = rtrim( rtrim( $number, '0' ), '.' );
	}
	return $number;
}

/** wc_format_refund_total(): WooCommerce negates a refunded amount by multiplying it by -1 (a float or an int). */
function wc_format_refund_total( $amount ) {
	return $amount * -1;
}

/** wc_round_tax_total(): to the shop's decimals, half down when prices include tax, else half up (WC_TAX_ROUNDING_MODE). */
function wc_round_tax_total( $value ): float {
	$mode = 'yes' === get_option( 'woocommerce_prices_include_tax', 'no' ) ? PHP_ROUND_HALF_DOWN : PHP_ROUND_HALF_UP;
	return round( floatval( $value ), wc_get_price_decimals(), $mode );
}

/**
 * A refunded item as wc_create_refund() makes it (wc-order-functions.php, step 3 of woocommerce-facts §1.1): a copy
 * of the order's item with id 0 and meta `_refunded_item_id`, `set_total( wc_format_refund_total( refund_total ) )`,
 * `set_taxes()` with −refund_tax per rate id as total and subtotal, and for products `set_subtotal()` alike and
 * `set_quantity( qty * -1 )`. The setters store wc_format_decimal() of what they get; set_taxes() sets total_tax to
 * the sum of the rate amounts, each rounded with wc_round_tax_total() unless the shop rounds tax at subtotal
 * (option `woocommerce_tax_round_at_subtotal`); a product's taxes need both total and subtotal, or stay empty.
 */
function klarna_om_test_refunded_item( WC_Order_Item $item, array $line ): WC_Order_Item {
	$product = $item instanceof WC_Order_Item_Product;
	$taxes   = array_map( 'wc_format_decimal', array_map( 'wc_format_refund_total', array_filter( (array) ( $line['refund_tax'] ?? array() ) ) ) );
	$round   = 'yes' === get_option( 'woocommerce_tax_round_at_subtotal' ) ? 'floatval' : 'wc_round_tax_total';
	$props   = array(
		'id'        => 0,
		'total'     => wc_format_decimal( wc_format_refund_total( $line['refund_total'] ?? 0 ) ),
		'taxes'     => $product ? array( 'total' => $taxes, 'subtotal' => $taxes ) : array( 'total' => $taxes ),
		'total_tax' => wc_format_decimal( array_sum( array_map( 'floatval', array_map( $round, $taxes ) ) ) ),
	);
	if ( $product ) {
		$props += array( 'subtotal' => $props['total'], 'subtotal_tax' => $props['total_tax'], 'quantity' => ( $line['qty'] ?? 0 ) * -1 );
	}
	$copy = new ( get_class( $item ) )( $props + $item->props );
	$copy->meta['_refunded_item_id'] = $item->get_id();
	return $copy;
}

/**
 * wc_create_refund() (wc-order-functions.php) in the steps the plugin depends on: the amount checked against what
 * is left (as WooCommerce does, a float compared with wc_format_decimal( total - refunded, decimals )), a refund
 * with a NEW id and the amount as wc_format_decimal() stores it, its items made from `line_items`
 * (klarna_om_test_refunded_item(); a row without qty, refund_total and refund_tax makes none, ids that are no item of
 * the order are ignored), listed by the order, `woocommerce_create_refund`, the gateway (here its refund filter,
 * which Klarna's gateways apply in process_refund), and on a gateway error the refund DELETED and a WP_Error; on
 * success `refunded_payment`, then partially or fully refunded (a full refund sets the status Refunded and saves),
 * `woocommerce_refund_created`.
 *
 * Refunds made in the same second come back from get_refunds() oldest first (WooCommerce sorts by date only), so
 * the new refund is listed last.
 *
 * @param array $args amount, reason, order_id, line_items ({item id: {qty, refund_total, refund_tax: {rate id: amount}}}), refund_payment.
 * @return WC_Order_Refund|WP_Error
 */
function wc_create_refund( array $args ) {
	$args  = $args + array( 'amount' => '0', 'reason' => '', 'order_id' => 0, 'line_items' => array(), 'refund_payment' => false );
	$order = wc_get_order( $args['order_id'] );
	if ( ! $order || 0 > $args['amount'] || $args['amount'] > $order->get_remaining_refund_amount() ) {
		return new WP_Error( 'error', 'Invalid refund amount.' );
	}
	$remaining = (float) $order->get_remaining_refund_amount();
	$GLOBALS['klarna_om_test_next_refund_id'] = ( $GLOBALS['klarna_om_test_next_refund_id'] ?? 90000 ) + 1;
	$refund = new WC_Order_Refund( array( 'id' => $GLOBALS['klarna_om_test_next_refund_id'], 'parent_id' => $order->get_id(), 'amount' => wc_format_decimal( $args['amount'] ), 'reason' => (string) $args['reason'], 'refunded_payment' => false ) );
	foreach ( array( 'line_item', 'fee', 'shipping' ) as $type ) {
		foreach ( $order->get_items( $type ) as $item ) {
			$line = $args['line_items'][ $item->get_id() ] ?? null;
			if ( null === $line || ( empty( $line['qty'] ) && empty( $line['refund_total'] ) && empty( $line['refund_tax'] ) ) ) {
				continue;
			}
			$refund->items[ $type ][] = klarna_om_test_refunded_item( $item, $line );
		}
	}
	$order->refunds[] = $refund;
	do_action( 'woocommerce_create_refund', $refund, $args );
	if ( $args['refund_payment'] ) {
		$filter = 'kco' === $order->get_payment_method() ? 'wc_klarna_checkout_process_refund' : 'wc_klarna_payments_process_refund';
		$result = apply_filters( $filter, false, $order->get_id(), $refund->get_amount(), $refund->get_reason() );
		if ( ! $result || $result instanceof WP_Error ) {
			$refund->delete( true );
			return new WP_Error( 'error', $result instanceof WP_Error ? $result->get_error_message() : 'An error occurred while attempting to create the refund using the payment gateway API.' );
		}
		$refund->set_refunded_payment( true );
		$refund->save();
	}
	if ( $remaining - (float) $args['amount'] > 0 ) {
		do_action( 'woocommerce_order_partially_refunded', $order->get_id(), $refund->get_id() );
	} else {
		do_action( 'woocommerce_order_fully_refunded', $order->get_id(), $refund->get_id() );
		$order->set_status( 'refunded' );
		$order->save();
	}
	$order->save();
	do_action( 'woocommerce_refund_created', $refund->get_id(), $args );
	do_action( 'woocommerce_order_refunded', $order->get_id(), $refund->get_id() );
	return $refund;
}

/**
 * The admin refund button's AJAX handler, `WC_AJAX::refund_line_items()` (class-wc-ajax.php, woocommerce-facts
 * §1.2), from the (slashed) `$_POST` the order screen sends: `refund_amount` and `refunded_amount` formatted to the
 * shop's decimals, `refund_reason` through sanitize_text_field(), the JSON fields `line_item_qtys`,
 * `line_item_totals` and `line_item_tax_totals` (numbers, as the page's JavaScript sends them) made into
 * `line_items` exactly as WooCommerce does, then wc_create_refund(). The nonce and capability checks are left out.
 * Returns what it would send as JSON (`success`, `data`) instead of sending it and exiting.
 */
final class WC_AJAX {
	public static function refund_line_items(): array {
		$post            = wp_unslash( $_POST );
		$order_id        = absint( $post['order_id'] ?? 0 );
		$refund_amount   = isset( $post['refund_amount'] ) ? wc_format_decimal( sanitize_text_field( $post['refund_amount'] ), wc_get_price_decimals() ) : 0;
		$refunded_amount = isset( $post['refunded_amount'] ) ? wc_format_decimal( sanitize_text_field( $post['refunded_amount'] ), wc_get_price_decimals() ) : 0;
		$reason          = isset( $post['refund_reason'] ) ? sanitize_text_field( $post['refund_reason'] ) : '';
		$fields          = array();
		foreach ( array( 'line_item_qtys', 'line_item_totals', 'line_item_tax_totals' ) as $field ) {
			$fields[ $field ] = isset( $post[ $field ] ) ? (array) json_decode( sanitize_text_field( $post[ $field ] ), true ) : array();
		}
		$order      = wc_get_order( $order_id );
		$max_refund = $order ? wc_format_decimal( $order->get_total() - $order->get_total_refunded(), wc_get_price_decimals() ) : '0';
		if ( ! $order || ( ! $refund_amount && wc_format_decimal( 0, wc_get_price_decimals() ) !== $refund_amount ) || $max_refund < $refund_amount || 0 > $refund_amount ) {
			return array( 'success' => false, 'data' => array( 'error' => 'Invalid refund amount' ) );
		}
		if ( wc_format_decimal( $order->get_total_refunded(), wc_get_price_decimals() ) !== $refunded_amount ) {
			return array( 'success' => false, 'data' => array( 'error' => 'Error processing refund. Please try again.' ) );
		}
		$line_items = array();
		foreach ( array_unique( array_merge( array_keys( $fields['line_item_qtys'] ), array_keys( $fields['line_item_totals'] ) ) ) as $item_id ) {
			$line_items[ $item_id ] = array( 'qty' => 0, 'refund_total' => 0, 'refund_tax' => array() );
		}
		foreach ( $fields['line_item_qtys'] as $item_id => $qty ) {
			$line_items[ $item_id ]['qty'] = max( $qty, 0 );
		}
		foreach ( $fields['line_item_totals'] as $item_id => $total ) {
			$line_items[ $item_id ]['refund_total'] = wc_format_decimal( $total );
		}
		foreach ( $fields['line_item_tax_totals'] as $item_id => $tax_totals ) {
			$line_items[ $item_id ]['refund_tax'] = array_filter( array_map( 'wc_format_decimal', (array) $tax_totals ) );
		}
		$refund = wc_create_refund( array( 'amount' => $refund_amount, 'reason' => $reason, 'order_id' => $order_id, 'line_items' => $line_items, 'refund_payment' => 'true' === ( $post['api_refund'] ?? '' ) ) );
		if ( $refund instanceof WP_Error ) {
			return array( 'success' => false, 'data' => array( 'error' => $refund->get_error_message() ) );
		}
		return array( 'success' => true, 'data' => array() );
	}
}

/**
 * The orders list's bulk "Change status to …" (`mark_<status>`), as HPOS's ListTable::handle_bulk_actions() and posts
 * storage's handle_bulk_actions() run it (woocommerce-facts §4): the ids reversed, the filter
 * `woocommerce_bulk_action_ids`, then per order wc_get_order(), update_status( status, 'Order status changed by bulk
 * edit.', true ) and `woocommerce_order_edit_status`. WooCommerce then redirects and exits: the request ends
 * (`shutdown`). Returns WooCommerce's "changed" count: every order handled.
 */
function klarna_om_test_bulk_action( array $ids, string $action ): int {
	$status  = substr( $action, 5 );
	$changed = 0;
	foreach ( apply_filters( 'woocommerce_bulk_action_ids', array_reverse( array_map( 'absint', $ids ) ), $action, 'order' ) as $id ) {
		$order = wc_get_order( $id );
		if ( $order ) {
			$order->update_status( $status, 'Order status changed by bulk edit.', true );
			do_action( 'woocommerce_order_edit_status', $id, $status );
		}
		++$changed;
	}
	do_action( 'shutdown' );
	return $changed;
}

/** wc_rest_check_post_permissions(): here, whether the user may edit shop orders. */
function wc_rest_check_post_permissions( string $post_type, string $context = 'read', int $object_id = 0 ): bool {
	return current_user_can( 'edit_shop_orders' );
}

/**
 * `POST /wc/v3/orders/batch` as WordPress's REST server and WooCommerce's controller run it (woocommerce-facts §4):
 * the endpoint's permission (`wc_rest_check_post_permissions( 'shop_order', 'batch' )`, else 403), the filter
 * `rest_dispatch_request`, then WC_REST_Controller::batch_items(): above the limit (filter
 * `woocommerce_rest_batch_items_limit`, 100) the 413 error; otherwise each `update` item in order: a missing order is
 * an error item (`woocommerce_rest_shop_order_invalid_id`), else its other fields are set (set_props), then
 * set_status( status, '', manual_update ) and save(), and the item's data is filtered by
 * `woocommerce_rest_prepare_shop_order_object`; then `rest_request_after_callbacks`. `create` and `delete` are not
 * modelled. Returns the response's data: `{update: [...]}`, or `{code, status}` for an error.
 */
function klarna_om_test_rest_orders_batch( array $body ): array {
	$route   = '/wc/v3/orders/batch';
	$request = new WP_REST_Request( 'POST', $route, $body );
	if ( ! wc_rest_check_post_permissions( 'shop_order', 'batch' ) ) {
		return array( 'code' => 'woocommerce_rest_cannot_batch', 'status' => 403 );
	}
	$handler = array( 'methods' => 'POST, PUT, PATCH' );
	$result  = apply_filters( 'rest_dispatch_request', null, $request, $route, $handler );
	if ( null === $result ) {
		$items = array_filter( $request->get_params() );
		$count = array_sum( array_map( static fn ( $key ) => count( (array) ( $items[ $key ] ?? array() ) ), array( 'create', 'update', 'delete' ) ) );
		if ( $count > apply_filters( 'woocommerce_rest_batch_items_limit', 100, 'orders' ) ) {
			$result = array( 'code' => 'woocommerce_rest_request_entity_too_large', 'status' => 413 );
		} else {
			$result = array( 'update' => array() );
			foreach ( (array) ( $items['update'] ?? array() ) as $item ) {
				$order = wc_get_order( (int) ( $item['id'] ?? 0 ) );
				if ( ! $order ) {
					$result['update'][] = array( 'id' => (int) ( $item['id'] ?? 0 ), 'error' => array( 'code' => 'woocommerce_rest_shop_order_invalid_id', 'message' => 'Invalid ID.', 'data' => array( 'status' => 400 ) ) );
					continue;
				}
				$order->set_props( array_diff_key( $item, array( 'id' => 1, 'status' => 1, 'manual_update' => 1 ) ) );
				if ( ! empty( $item['status'] ) ) {
					$order->set_status( $item['status'], '', (bool) ( $item['manual_update'] ?? false ) );
				}
				$order->save();
				$result['update'][] = apply_filters( 'woocommerce_rest_prepare_shop_order_object', new WP_REST_Response( array( 'id' => $order->get_id(), 'status' => $order->get_status() ) ), $order, $request )->get_data();
			}
		}
	}
	return apply_filters( 'rest_request_after_callbacks', $result, $handler, $request );
}
