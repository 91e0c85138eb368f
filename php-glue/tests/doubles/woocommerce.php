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
	public function set_status( string $status ): void {
		$this->changes['status'] = $status;
	}
	public function save(): int {
		do_action( "woocommerce_before_{$this->object_type}_object_save", $this, null );
		if ( isset( $this->changes['status'] ) && $this->changes['status'] !== $this->data['status'] ) {
			$this->transitions[] = array( $this->data['status'], $this->changes['status'] );
		}
		$this->data    = array_merge( $this->data, $this->changes );
		$this->changes = array();
		++$this->saves;
		return $this->get_id();
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
	public function get_total_refunded() {
		return array_sum( array_map( static fn ( $refund ) => (float) $refund->get_amount(), $this->refunds ) );
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

/**
 * wc_create_refund() (wc-order-functions.php) in the steps the plugin depends on: a refund with a NEW id, listed by
 * the order, `woocommerce_create_refund`, the gateway (here its refund filter, which Klarna's gateways apply in
 * process_refund), and on a gateway error the refund DELETED and a WP_Error; on success `refunded_payment`, then
 * partially or fully refunded (a full refund sets the status Refunded and saves), `woocommerce_refund_created`.
 *
 * Refunds made in the same second come back from get_refunds() oldest first (WooCommerce sorts by date only), so
 * the new refund is listed last. Like WooCommerce, the remaining amount is compared as floats here.
 *
 * @param array $args amount, reason, order_id, line_items ({item id: {qty, refund_total, refund_tax: {rate id: amount}}}), refund_payment.
 * @return WC_Order_Refund|WP_Error
 */
function wc_create_refund( array $args ) {
	$args  = $args + array( 'amount' => '0', 'reason' => '', 'order_id' => 0, 'line_items' => array(), 'refund_payment' => false );
	$order = wc_get_order( $args['order_id'] );
	$remaining = $order ? (float) $order->get_total() - $order->get_total_refunded() : 0.0;
	if ( ! $order || 0 > (float) $args['amount'] || (float) $args['amount'] > $remaining ) {
		return new WP_Error( 'error', 'Invalid refund amount.' );
	}
	$GLOBALS['klarna_om_test_next_refund_id'] = ( $GLOBALS['klarna_om_test_next_refund_id'] ?? 90000 ) + 1;
	$refund = new WC_Order_Refund( array( 'id' => $GLOBALS['klarna_om_test_next_refund_id'], 'parent_id' => $order->get_id(), 'amount' => (string) $args['amount'], 'reason' => (string) $args['reason'], 'refunded_payment' => false ) );
	$negate = static fn ( $amount ) => str_starts_with( (string) $amount, '-' ) ? substr( (string) $amount, 1 ) : '-' . $amount;
	foreach ( array( 'line_item', 'shipping', 'fee' ) as $type ) {
		foreach ( $order->get_items( $type ) as $item ) {
			$line = $args['line_items'][ $item->get_id() ] ?? null;
			if ( null === $line ) {
				continue;
			}
			$taxes = array_map( $negate, (array) ( $line['refund_tax'] ?? array() ) );
			$copy  = new ( get_class( $item ) )( array( 'id' => 0, 'quantity' => -(int) ( $line['qty'] ?? 0 ), 'total' => $negate( $line['refund_total'] ?? '0' ), 'subtotal' => $negate( $line['refund_total'] ?? '0' ), 'total_tax' => 1 === count( $taxes ) ? reset( $taxes ) : (string) array_sum( $taxes ), 'taxes' => array( 'total' => $taxes, 'subtotal' => $taxes ) ) + $item->props );
			$copy->meta['_refunded_item_id'] = $item->get_id();
			$refund->items[ $type ][] = $copy;
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
