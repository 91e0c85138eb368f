<?php
/**
 * Outcomes reported where the merchant looks: after a bulk action, and in the REST response.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Listens to every outcome of this request (action `klarna_om_outcome`) and reports it where the change was made:
 *
 * - **Bulk status changes** (the orders list's "Change status to …", HPOS and posts storage alike): WooCommerce runs
 *   its loop after the filter `woocommerce_bulk_action_ids` (both storages, woocommerce-facts §4) and then
 *   redirects, announcing only "N order statuses changed.". From that filter on, every outcome that is not a success
 *   is kept in the user meta `klarna_om_bulk_outcomes` at once (the redirect exits), and the next page load's admin
 *   notice lists those orders with the note's reason and a link to each, then forgets them.
 * - **REST** (`woocommerce_rest_prepare_shop_order_object`, the order's response, the batch endpoint's items
 *   included): an order an operation ran for in this request carries `klarna_om`: `operation`, `outcome`, `success`
 *   and `note` (the note's text), so an API client sees a refusal even though WooCommerce reports the update as done.
 */
final class RequestOutcomes {
	/** User meta: the failed outcomes of this user's last bulk action, until the notice shows them. */
	public const BULK_META = 'klarna_om_bulk_outcomes';

	/** @var array<int, array> The last outcome per order id in this request. */
	private array $by_order = array();
	private bool $bulk      = false;

	/**
	 * `woocommerce_bulk_action_ids`: a bulk status change is about to run; its outcomes are collected from here on.
	 *
	 * @param array  $ids    The orders.
	 * @param string $action The bulk action (`mark_completed`, …).
	 * @param string $type   The object type (`order`).
	 */
	public function bulk_started( $ids, $action = '', $type = 'order' ) {
		if ( 'order' === $type && str_starts_with( (string) $action, 'mark_' ) ) {
			$this->bulk = true;
			if ( get_current_user_id() > 0 ) {
				delete_user_meta( get_current_user_id(), self::BULK_META );  // Only this action's outcomes are reported.
			}
		}
		return $ids;
	}

	/**
	 * `klarna_om_outcome`: one operation's outcome.
	 *
	 * @param \WC_Order $order     The order.
	 * @param string    $operation The operation.
	 * @param array     $record    `outcome`, `success`, `note`.
	 */
	public function outcome( $order, $operation = '', $record = array() ): void {
		if ( ! $order instanceof \WC_Order ) {
			return;
		}
		$entry                             = array( 'operation' => (string) $operation ) + (array) $record;
		$this->by_order[ $order->get_id() ] = $entry;
		if ( $this->bulk && true !== ( $entry['success'] ?? false ) && get_current_user_id() > 0 ) {
			$kept   = (array) get_user_meta( get_current_user_id(), self::BULK_META, true );
			$kept[] = array( 'order_id' => $order->get_id(), 'number' => (string) $order->get_order_number() ) + $entry;
			update_user_meta( get_current_user_id(), self::BULK_META, array_values( array_filter( $kept, 'is_array' ) ) );
		}
	}

	/** The last outcome of an order in this request, or null. */
	public function for_order( int $order_id ): ?array {
		return $this->by_order[ $order_id ] ?? null;
	}

	/**
	 * `woocommerce_rest_prepare_shop_order_object`: adds `klarna_om` to the order's REST response when an operation
	 * ran for it in this request.
	 *
	 * @param \WP_REST_Response $response The response.
	 * @param \WC_Order         $order    The order.
	 */
	public function rest_response( $response, $order = null ) {
		$entry = $order instanceof \WC_Order ? $this->for_order( $order->get_id() ) : null;
		if ( null !== $entry && is_object( $response ) && method_exists( $response, 'get_data' ) ) {
			$data              = (array) $response->get_data();
			$data['klarna_om'] = array(
				'operation' => (string) $entry['operation'],
				'outcome'   => (string) ( $entry['outcome'] ?? '' ),
				'success'   => true === ( $entry['success'] ?? false ),
				'note'      => (string) ( $entry['note'] ?? '' ),
			);
			$response->set_data( $data );
		}
		return $response;
	}

	/** `admin_notices`: the orders of the last bulk action Klarna refused or could not be reached for, once. */
	public function bulk_notice(): void {
		$user = get_current_user_id();
		$kept = $user > 0 ? get_user_meta( $user, self::BULK_META, true ) : array();
		if ( ! is_array( $kept ) || array() === $kept || ! current_user_can( 'edit_shop_orders' ) ) {
			return;
		}
		delete_user_meta( $user, self::BULK_META );
		$items = '';
		foreach ( $kept as $entry ) {
			$order = wc_get_order( (int) ( $entry['order_id'] ?? 0 ) );
			/* translators: %s: order number. */
			$label  = esc_html( sprintf( __( 'Order #%s', 'klarna-order-management' ), (string) ( $entry['number'] ?? '' ) ) );
			$link   = $order instanceof \WC_Order ? sprintf( '<a href="%1$s">%2$s</a>', esc_url( $order->get_edit_order_url() ), $label ) : $label;
			$items .= sprintf( '<li>%1$s (%2$s): %3$s</li>', $link, esc_html( (string) ( $entry['operation'] ?? '' ) ), esc_html( (string) ( $entry['note'] ?? $entry['outcome'] ?? '' ) ) );
		}
		printf(
			'<div class="notice notice-error"><p>%1$s</p><ul>%2$s</ul></div>',
			esc_html( __( 'Klarna refused the status change, or could not be reached, for these orders. Each has a note saying why; a refused change left the order On hold.', 'klarna-order-management' ) ),
			$items // phpcs:ignore WordPress.Security.EscapeOutput -- escaped above.
		);
	}
}
