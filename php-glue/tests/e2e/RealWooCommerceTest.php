<?php
use PHPUnit\Framework\TestCase;

/**
 * Optional: the plugin inside a real WordPress + WooCommerce, driven through WooCommerce's REST API. CI has no
 * WordPress and skips it. To run it, install the plugin (scripts/dist) in a staging shop whose wp-config.php
 * defines KLARNA_OM_SANDBOX_URL, create a Processing order paid with klarna_payments whose Klarna order exists in
 * that sandbox, and set:
 *
 *     KLARNA_OM_WP_URL=https://staging.example  KLARNA_OM_WP_USER=admin  KLARNA_OM_WP_APP_PASSWORD='xxxx xxxx ...'
 *     KLARNA_OM_WP_ORDER_ID=123  php -d ffi.enable=1 /usr/bin/phpunit -c php-glue/phpunit.xml --filter RealWooCommerce
 *
 * It completes the order through the REST API (the same hook path as the order screen) and expects the capture note.
 */
final class RealWooCommerceTest extends TestCase {
	private function rest( string $method, string $path, ?array $body = null ): array {
		$auth    = base64_encode( getenv( 'KLARNA_OM_WP_USER' ) . ':' . getenv( 'KLARNA_OM_WP_APP_PASSWORD' ) );
		$context = stream_context_create( array( 'http' => array( 'method' => $method, 'ignore_errors' => true, 'header' => "Authorization: Basic $auth\r\nContent-Type: application/json\r\n", 'content' => null === $body ? '' : json_encode( $body ) ) ) );
		return json_decode( (string) file_get_contents( rtrim( (string) getenv( 'KLARNA_OM_WP_URL' ), '/' ) . "/wp-json/wc/v3$path", false, $context ), true ) ?? array();
	}

	public function test_completing_an_order_through_the_rest_api_captures_it(): void {
		$order_id = (int) getenv( 'KLARNA_OM_WP_ORDER_ID' );
		if ( '' === (string) getenv( 'KLARNA_OM_WP_URL' ) || 0 === $order_id ) {
			self::markTestSkipped( 'no WooCommerce install configured (KLARNA_OM_WP_URL, KLARNA_OM_WP_ORDER_ID)' );
		}
		$order = $this->rest( 'PUT', "/orders/$order_id", array( 'status' => 'completed' ) );
		$notes = array_column( $this->rest( 'GET', "/orders/$order_id/notes" ), 'note' );
		$this->assertContains( $order['status'] ?? '', array( 'completed', 'on-hold' ) );
		$this->assertNotEmpty( preg_grep( '/Klarna (captured|did not capture)/', $notes ), implode( "\n", $notes ) );
	}
}
