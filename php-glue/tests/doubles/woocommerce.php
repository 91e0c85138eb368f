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
		do_action( 'woocommerce_before_order_object_save', $this, null );
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

class WC_Order_Refund extends WC_Order {}
