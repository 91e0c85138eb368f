<?php
/**
 * Status changes of many orders at once: one call of the core for all of them.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Finds out which orders WooCommerce is about to change together, before it saves the first one, and has OrderHooks
 * ask Klarna for all of them in one `om_batch` call (OrderHooks::prepare()); each order's own save then applies its
 * kept answer (OrderHooks::before_save()), with the same refusal handling as a single save: a refused order is held
 * On hold with its note, and RequestOutcomes lists the failures afterwards.
 *
 * - **Bulk actions** of the orders list, HPOS and posts storage alike: "Change status to …" (`mark_<status>`) passes
 *   its ids through `woocommerce_bulk_action_ids` and then calls update_status() on each (woocommerce-facts §4).
 * - **The REST batch endpoint** (`POST /wc/v3/orders/batch`): `rest_dispatch_request` fires after WordPress checked the
 *   endpoint's permission and before WooCommerce runs the items (update_item() per item: set_status() and save()).
 *   Only `update` items that change nothing but the status are prepared: an item that also changes lines, addresses
 *   or meta is saved by WooCommerce before its status, so its request can only be built at its own save (which calls
 *   the core itself). Each item needs the user's permission to edit that order (WooCommerce's own check), and a batch
 *   over WooCommerce's limit (`woocommerce_rest_batch_items_limit`, 100), which WooCommerce refuses, is not prepared.
 *
 * Answers whose save never came (the loop stopped, an item failed) are recorded on their orders at the end of the
 * REST request (`rest_request_after_callbacks`) or of any request (`shutdown`): OrderHooks::flush().
 */
final class BulkChanges {
	/** The REST batch routes of orders (`/wc/v3/orders/batch`, `/wc/v2/…`). */
	private const REST_BATCH = '#^/wc/v[0-9]+/orders/batch$#';

	public function __construct( private readonly OrderHooks $hooks, private readonly Logger $logger ) {}

	/**
	 * `woocommerce_bulk_action_ids` (at a late priority, so the ids are the ones WooCommerce will change).
	 *
	 * @param array  $ids    The orders' ids.
	 * @param string $action The bulk action (`mark_completed`, …).
	 * @param string $type   The object type (`order`).
	 * @return array The ids, unchanged.
	 */
	public function bulk_ids( $ids, $action = '', $type = 'order' ) {
		try {
			if ( 'order' === $type && is_array( $ids ) && str_starts_with( (string) $action, 'mark_' ) ) {
				$this->hooks->prepare( array_fill_keys( array_map( 'absint', $ids ), substr( (string) $action, 5 ) ) );
			}
		} catch ( \Throwable $e ) {
			$this->logger->log( 'error', 'klarna-om could not prepare a bulk action', array( 'error' => get_class( $e ) ) );
		}
		return $ids;
	}

	/**
	 * `rest_dispatch_request`: the REST batch of orders is about to run.
	 *
	 * @param mixed            $result  Another plugin's answer instead of the endpoint's, or null.
	 * @param \WP_REST_Request $request The request.
	 * @param string           $route   The route matched.
	 * @return mixed The result, unchanged.
	 */
	public function rest_dispatch( $result, $request = null, $route = '' ) {
		try {
			if ( null === $result && is_object( $request ) && 1 === preg_match( self::REST_BATCH, (string) $route ) && 'GET' !== strtoupper( (string) $request->get_method() ) ) {
				$this->hooks->prepare( self::rest_changes( (array) $request->get_params() ) );
			}
		} catch ( \Throwable $e ) {
			$this->logger->log( 'error', 'klarna-om could not prepare a REST batch', array( 'error' => get_class( $e ) ) );
		}
		return $result;
	}

	/**
	 * The status changes of a REST batch's `update` items that change nothing else and that the user may make.
	 *
	 * @param array $params The batch's parameters: `create`, `update`, `delete`.
	 * @return array<int, string> Order id → status.
	 */
	private static function rest_changes( array $params ): array {
		$params = array_filter( $params );  // As WooCommerce reads them (WC_REST_Controller::batch_items).
		$total  = array_sum( array_map( static fn ( $key ) => is_array( $params[ $key ] ?? null ) ? count( $params[ $key ] ) : 0, array( 'create', 'update', 'delete' ) ) );
		if ( $total > (int) apply_filters( 'woocommerce_rest_batch_items_limit', 100, 'orders' ) ) {
			return array();  // WooCommerce refuses the whole batch (413).
		}
		$changes = array();
		foreach ( (array) ( $params['update'] ?? array() ) as $item ) {
			$id = is_array( $item ) ? absint( $item['id'] ?? 0 ) : 0;
			if ( 0 === $id || ! is_string( $item['status'] ?? null ) || array() !== array_diff( array_keys( $item ), array( 'id', 'status' ) ) ) {
				continue;
			}
			$allowed = function_exists( 'wc_rest_check_post_permissions' ) ? wc_rest_check_post_permissions( 'shop_order', 'edit', $id ) : current_user_can( 'edit_shop_orders' );
			if ( $allowed ) {
				$changes[ $id ] = $item['status'];
			}
		}
		return $changes;
	}

	/**
	 * `rest_request_after_callbacks`: the end of a REST batch of orders.
	 *
	 * @param mixed            $response The response.
	 * @param array            $handler  The route's handler.
	 * @param \WP_REST_Request $request  The request.
	 * @return mixed The response, unchanged.
	 */
	public function rest_done( $response, $handler = array(), $request = null ) {
		if ( is_object( $request ) && method_exists( $request, 'get_route' ) && 1 === preg_match( self::REST_BATCH, (string) $request->get_route() ) ) {
			$this->hooks->flush();
		}
		return $response;
	}
}
