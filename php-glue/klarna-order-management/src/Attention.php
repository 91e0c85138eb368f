<?php
/**
 * Which Klarna orders need the merchant: the orders list's "Klarna: needs attention" view.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * An order needs attention when the latest operation the plugin ran for it (a refresh aside) did not end as the
 * merchant asked (`success` false: Klarna refused, Klarna disagrees with what WooCommerce shows and the order was held,
 * the core could not run or its answer was lost), when an operation's outcome is unknown (a `pending` ledger entry),
 * or when Klarna's authorization expires within 7 days with money still authorized (the stored state: `remaining`
 * above zero while the order is AUTHORIZED or PART_CAPTURED).
 *
 * Lists cannot ask the core, so every applied answer refreshes two meta values the orders list can query, under HPOS
 * and posts storage alike: `_klarna_om_attention` = `yes` for the first two reasons, and `_klarna_om_expires_at`, the
 * expiry (UTC, `Y-m-d H:i:s`, comparable as DATETIME) while something is authorized. The view is one meta query over
 * both: `woocommerce_shop_order_list_table_prepare_items_query_args` (HPOS) and `request` (posts), with a link among
 * the status views (`views_woocommerce_page_wc-orders`, `views_edit-shop_order`).
 */
final class Attention {
	public const FLAG    = '_klarna_om_attention';
	public const EXPIRES = '_klarna_om_expires_at';
	/** The list's query argument and its value. */
	public const QUERY_VAR = 'klarna_om';
	public const VIEW      = 'attention';
	/** An authorization expiring within this many days needs attention. */
	public const DAYS = 7;

	/**
	 * Refreshes the order's two index values from what is stored: outcomes, ledger, state.
	 *
	 * @param \WC_Order $order  The order; the caller (or WooCommerce's own save) saves it.
	 * @param Logger    $logger Where an unreadable ledger is reported.
	 */
	public static function index( \WC_Order $order, Logger $logger ): void {
		$latest = Outcomes::latest( $order );
		if ( ( null !== $latest && true !== ( $latest['success'] ?? false ) ) || array() !== Ledger::pending( $order, $logger ) ) {
			$order->update_meta_data( self::FLAG, 'yes' );
		} else {
			$order->delete_meta_data( self::FLAG );
		}
		$expires = self::authorized_until( OrderState::fields( $order ) ?? array() );
		if ( null === $expires ) {
			$order->delete_meta_data( self::EXPIRES );
		} else {
			$order->update_meta_data( self::EXPIRES, gmdate( 'Y-m-d H:i:s', $expires ) );
		}
	}

	/**
	 * When the authorization of money still authorized expires (Unix time), from a stored state; null when nothing is
	 * authorized any more, or the state does not say.
	 */
	public static function authorized_until( array $state ): ?int {
		$open = in_array( $state['status'] ?? '', array( 'AUTHORIZED', 'PART_CAPTURED' ), true );
		$time = is_string( $state['expires_at'] ?? null ) ? strtotime( $state['expires_at'] ) : false;
		return $open && is_int( $state['remaining'] ?? null ) && $state['remaining'] > 0 && false !== $time ? $time : null;
	}

	/** Whether an authorization expiring at this time needs attention now. */
	public static function expires_soon( int $expires, ?int $now = null ): bool {
		return $expires <= ( $now ?? time() ) + self::DAYS * 86400;
	}

	/** The meta query of the view: flagged, or authorized until at most 7 days from now. */
	public static function meta_query( ?int $now = null ): array {
		return array(
			'relation' => 'OR',
			array( 'key' => self::FLAG, 'value' => 'yes', 'compare' => '=' ),
			array( 'key' => self::EXPIRES, 'value' => gmdate( 'Y-m-d H:i:s', ( $now ?? time() ) + self::DAYS * 86400 ), 'compare' => '<=', 'type' => 'DATETIME' ),
		);
	}

	/** Whether the list asks for the view. */
	private static function asked(): bool {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a read-only list filter, like WooCommerce's own.
		return self::VIEW === sanitize_key( wp_unslash( $_GET[ self::QUERY_VAR ] ?? '' ) );
	}

	/**
	 * `woocommerce_shop_order_list_table_prepare_items_query_args` (HPOS): wc_get_orders() arguments.
	 *
	 * @param array $args The list's query.
	 */
	public static function hpos_query_args( $args ) {
		if ( is_array( $args ) && self::asked() ) {
			$args['meta_query'] = isset( $args['meta_query'] ) ? array( 'relation' => 'AND', $args['meta_query'], self::meta_query() ) : self::meta_query(); // phpcs:ignore WordPress.DB.SlowDBQuery
		}
		return $args;
	}

	/**
	 * `request` (posts storage): the orders list's WP_Query variables.
	 *
	 * @param array $vars The query variables.
	 */
	public static function posts_request( $vars ) {
		if ( is_array( $vars ) && 'shop_order' === ( $vars['post_type'] ?? '' ) && self::asked() ) {
			$vars['meta_query'] = isset( $vars['meta_query'] ) ? array( 'relation' => 'AND', $vars['meta_query'], self::meta_query() ) : self::meta_query(); // phpcs:ignore WordPress.DB.SlowDBQuery
		}
		return $vars;
	}

	/**
	 * `views_woocommerce_page_wc-orders`: the view's link among the status views (HPOS).
	 *
	 * @param array $views The links.
	 */
	public static function hpos_views( $views ) {
		return self::with_view( (array) $views, admin_url( 'admin.php?page=wc-orders' ) );
	}

	/**
	 * `views_edit-shop_order`: the view's link among the status views (posts storage).
	 *
	 * @param array $views The links.
	 */
	public static function posts_views( $views ) {
		return self::with_view( (array) $views, admin_url( 'edit.php?post_type=shop_order' ) );
	}

	/** Adds the link, with the number of orders in the view, when there are some (or it is the one shown). */
	private static function with_view( array $views, string $list ): array {
		$found = wc_get_orders( array( 'type' => 'shop_order', 'limit' => 1, 'paginate' => true, 'return' => 'ids', 'meta_query' => self::meta_query() ) ); // phpcs:ignore WordPress.DB.SlowDBQuery
		$count = (int) ( is_object( $found ) ? $found->total : 0 );
		if ( 0 === $count && ! self::asked() ) {
			return $views;
		}
		$views[ self::QUERY_VAR ] = sprintf(
			'<a href="%1$s"%2$s>%3$s <span class="count">(%4$d)</span></a>',
			esc_url( add_query_arg( self::QUERY_VAR, self::VIEW, $list ) ),
			self::asked() ? ' class="current" aria-current="page"' : '',
			esc_html( __( 'Klarna: needs attention', 'klarna-order-management' ) ),
			$count
		);
		return $views;
	}
}
