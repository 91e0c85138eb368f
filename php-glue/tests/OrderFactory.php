<?php
// The orders the plugin's tests use, built from the doubles.

final class OrderFactory {
	/** Two hoodies at EUR 50.00 and EUR 5.00 shipping, 25 % VAT included: total EUR 105.00. */
	public static function hoodies( int $id, string $klarna_order_id, int $quantity = 2, string $gateway = 'klarna_payments', string $status = 'processing' ): WC_Order {
		$order = new WC_Order(
			array(
				'id' => $id, 'order_number' => (string) $id, 'status' => $status, 'payment_method' => $gateway,
				'transaction_id' => $klarna_order_id, 'billing_country' => 'SE',
			)
		);
		self::set_quantity( $order, $quantity );
		$order->items['shipping'] = array( new WC_Order_Item_Shipping( array( 'id' => 12, 'name' => 'Flat rate', 'method_id' => 'flat_rate', 'instance_id' => '3', 'total' => '4.00', 'total_tax' => '1.00', 'taxes' => array( 'total' => array( 1 => '1.00' ) ) ) ) );
		$order->items['tax']      = array( new WC_Order_Item_Tax( array( 'id' => 20, 'rate_id' => 1, 'rate_percent' => 25.0 ) ) );
		$order->meta['_wc_klarna_country'] = 'SE';
		return $order;
	}

	/**
	 * A gift card redeemed at checkout, as the gift-card extensions store it: its redemption item under its type
	 * (`pw_gift_card` for PW WooCommerce Gift Cards, `gift_card` for WooCommerce Gift Cards), and the order's total
	 * with the card already deducted, as the extension stored it ($total; nothing is computed here).
	 */
	public static function with_gift_card( WC_Order $order, WC_Order_Item $card, string $total ): WC_Order {
		$order->items[ $card instanceof WC_GC_Order_Item_Gift_Card ? 'gift_card' : 'pw_gift_card' ][] = $card;
		$reflection = new ReflectionProperty( WC_Order::class, 'data' );
		$data       = $reflection->getValue( $order );
		$data['total'] = $total;
		$reflection->setValue( $order, $data );
		return $order;
	}

	/** The merchant edits the hoodie quantity; WooCommerce recalculates the totals. */
	public static function set_quantity( WC_Order $order, int $quantity ): void {
		$net = sprintf( '%.2f', 40 * $quantity );
		$tax = sprintf( '%.2f', 10 * $quantity );
		$order->items['line_item'] = array(
			new WC_Order_Item_Product(
				array( 'id' => 11, 'product_id' => 7, 'variation_id' => 0, 'name' => 'Hoodie', 'quantity' => $quantity,
					'subtotal' => $net, 'subtotal_tax' => $tax, 'total' => $net, 'total_tax' => $tax,
					'taxes' => array( 'total' => array( 1 => $tax ), 'subtotal' => array( 1 => $tax ) ), 'product' => new WC_Product( 'HOODIE-M' ) )
			),
		);
		$reflection = new ReflectionProperty( WC_Order::class, 'data' );
		$data = $reflection->getValue( $order );
		$data['total']          = sprintf( '%.2f', 50 * $quantity + 5 );
		$data['total_tax']      = sprintf( '%.2f', 10 * $quantity + 1 );
		$data['shipping_total'] = '4.00';
		$data['shipping_tax']   = '1.00';
		$reflection->setValue( $order, $data );
	}

	/** The customer's name, e-mail, phone and addresses on the order, as WooCommerce stores them: personal data. */
	public const CUSTOMER = array(
		'first_name' => 'Nguyễn Thị', 'last_name' => 'Minh Khai', 'email' => 'minh.khai@example.vn', 'phone' => '+84 912 345 678',
		'address_1' => '12 Lý Thường Kiệt', 'address_2' => 'Tầng 7', 'city' => 'Hà Nội', 'postcode' => '100000',
	);

	/** Puts CUSTOMER into the order's billing and shipping fields. */
	public static function with_customer( WC_Order $order ): WC_Order {
		$reflection = new ReflectionProperty( WC_Order::class, 'data' );
		$data       = $reflection->getValue( $order );
		foreach ( self::CUSTOMER as $field => $value ) {
			$data[ "billing_$field" ]  = $value;
			$data[ "shipping_$field" ] = $value;
		}
		$reflection->setValue( $order, $data );
		return $order;
	}

	/** A refund of one hoodie, as wc_create_refund() leaves it before calling the gateway. */
	public static function refund_one_hoodie( WC_Order $order, int $refund_id = 77 ): WC_Order_Refund {
		$refund = new WC_Order_Refund( array( 'id' => $refund_id, 'parent_id' => $order->get_id(), 'amount' => '50.00', 'reason' => 'Returned' ) );
		$item   = new WC_Order_Item_Product( array( 'id' => 501, 'quantity' => -1, 'total' => '-40.00', 'total_tax' => '-10.00' ) );
		$item->meta['_refunded_item_id'] = 11;
		$refund->items['line_item'] = array( $item );
		array_unshift( $order->refunds, $refund );
		return $refund;
	}

	/**
	 * The merchant refunds one hoodie (EUR 50.00) with the "Refund via Klarna" button: wc_create_refund() of the doubles,
	 * so the refund gets a new id and is deleted again when the gateway answers with an error.
	 *
	 * @return WC_Order_Refund|WP_Error
	 */
	public static function refund_one_hoodie_via_klarna( WC_Order $order ) {
		return wc_create_refund( array( 'order_id' => $order->get_id(), 'amount' => '50.00', 'reason' => 'Returned', 'refund_payment' => true, 'line_items' => array( 11 => array( 'qty' => 1, 'refund_total' => '40.00', 'refund_tax' => array( 1 => '10.00' ) ) ) ) );
	}

	/**
	 * A Klarna order of products as WooCommerce stores it: `items` ([id, name, quantity, total, tax, rate id]), `rates`
	 * (rate id => percent, a float as WooCommerce stores it), and the order's stored `total` and `total_tax` (what
	 * WooCommerce computed; nothing is added up here).
	 */
	public static function order( int $id, string $klarna_order_id, array $parts ): WC_Order {
		$order = new WC_Order(
			array(
				'id' => $id, 'order_number' => (string) $id, 'status' => 'processing', 'payment_method' => 'klarna_payments',
				'transaction_id' => $klarna_order_id, 'billing_country' => 'SE', 'prices_include_tax' => false,
				'total' => $parts['total'], 'total_tax' => $parts['total_tax'], 'shipping_total' => '0', 'shipping_tax' => '0',
				'discount_total' => '0', 'discount_tax' => '0',
			)
		);
		foreach ( $parts['items'] as [ $item_id, $name, $quantity, $total, $tax, $rate_id ] ) {
			$order->items['line_item'][] = new WC_Order_Item_Product(
				array( 'id' => $item_id, 'product_id' => $item_id + 100, 'variation_id' => 0, 'name' => $name, 'quantity' => $quantity,
					'subtotal' => $total, 'subtotal_tax' => $tax, 'total' => $total, 'total_tax' => $tax,
					'taxes' => array( 'total' => array( $rate_id => $tax ), 'subtotal' => array( $rate_id => $tax ) ), 'product' => new WC_Product( strtoupper( $name ) ) )
			);
		}
		foreach ( $parts['rates'] as $rate_id => $percent ) {
			$order->items['tax'][] = new WC_Order_Item_Tax( array( 'id' => 90 + $rate_id, 'rate_id' => $rate_id, 'rate_percent' => $percent ) );
		}
		$order->meta['_wc_klarna_country'] = 'SE';
		return $order;
	}

	/**
	 * A discount entered as a fee of −10.00, taxed pro rata over the items' rates (25 % and 12 %): Shirt 80.00 + 20.00,
	 * Book 20.00 + 2.40, the fee −10.00 − 2.24 (−2.00 and −0.24). Total 110.16, tax 20.16.
	 */
	public static function with_negative_fee( int $id, string $klarna_order_id ): WC_Order {
		$order = self::order(
			$id,
			$klarna_order_id,
			array(
				'total' => '110.16', 'total_tax' => '20.16', 'rates' => array( 1 => 25.0, 2 => 12.0 ),
				'items' => array( array( 21, 'Shirt', 1, '80.00', '20.00', 1 ), array( 22, 'Book', 1, '20.00', '2.40', 2 ) ),
			)
		);
		$order->items['fee'][] = new WC_Order_Item_Fee( array( 'id' => 23, 'name' => 'Loyalty discount', 'total' => '-10.00', 'total_tax' => '-2.24', 'taxes' => array( 'total' => array( 1 => '-2.00', 2 => '-0.24' ) ) ) );
		return $order;
	}
}
