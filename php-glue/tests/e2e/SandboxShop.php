<?php
// The end-to-end suites' shop: the Klarna sandbox (started by scripts/test-php), a Klarna order like the hoodies
// order, and the plugin's own hooks over the real core (PHP FFI or the klarna-om executable).

use KlarnaOM\NativeBridge;

trait SandboxShop {
	private static function sandbox(): string {
		$url = (string) getenv( 'KLARNA_OM_SANDBOX' );
		if ( '' === $url ) {
			self::markTestSkipped( 'KLARNA_OM_SANDBOX is not set: run through scripts/test-php' );
		}
		return $url;
	}

	/** The sandbox's control API (scripts/sandbox/klarna_sandbox.py). */
	private static function control( string $method, string $path, ?array $body = null ): array {
		$context = stream_context_create( array( 'http' => array( 'method' => $method, 'header' => "Content-Type: application/json\r\n", 'content' => null === $body ? '' : json_encode( $body ), 'ignore_errors' => true ) ) );
		return json_decode( (string) file_get_contents( self::sandbox() . "/_sandbox$path", false, $context ), true ) ?? array();
	}

	public static function modes(): array {
		return array( 'PHP FFI' => array( 'ffi' ), 'klarna-om executable' => array( 'cli' ) );
	}

	/**
	 * A Klarna order like the hoodies order, and the plugin wired to the real core in one mode.
	 *
	 * @return array{0: \KlarnaOM\OrderHooks, 1: string, 2: int} The hooks, the Klarna order id, a new WooCommerce order id.
	 */
	private function setUpShop( string $mode, array $klarna = array() ): array {
		$user   = 'PK_plugin_e2e';
		$secret = 'plugin-e2e-secret';
		if ( ! defined( 'KLARNA_OM_SANDBOX_URL' ) ) {
			define( 'KLARNA_OM_SANDBOX_URL', self::sandbox() );
		}
		self::control( 'POST', '/credentials', array( 'username' => $user, 'password' => $secret ) );
		$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => $user, 'test_shared_secret_se' => $secret ) );
		$klarna_id = self::seed( $klarna );
		$bridge = $this->bridge( $mode );
		return array( Shop::wire( $bridge ), $klarna_id, self::next_order_id() );
	}

	/** The real core of dist/ (or of the unpacked zip: KLARNA_OM_DIST) in one mode: PHP FFI, or the executable. */
	private function bridge( string $mode ): NativeBridge {
		$dist   = (string) getenv( 'KLARNA_OM_DIST' );
		$bridge = new NativeBridge( "$dist/lib/libklarna_om.so", "$dist/include/klarna_om.ffi.h", "$dist/bin/klarna-om", $mode );
		$this->assertSame( $mode, $bridge->mode(), (string) $bridge->unavailable_reason() );
		return $bridge;
	}

	/** A Klarna order like the hoodies order (two hoodies and shipping, EUR 105.00), of the shop's merchant; its id. */
	private static function seed( array $klarna = array() ): string {
		$lines = array(
			array( 'type' => 'physical', 'reference' => 'HOODIE-M', 'name' => 'Hoodie', 'quantity' => 2, 'unit_price' => 5000, 'tax_rate' => 2500, 'total_amount' => 10000, 'total_tax_amount' => 2000 ),
			array( 'type' => 'shipping_fee', 'reference' => 'flat_rate:3', 'name' => 'Flat rate', 'quantity' => 1, 'unit_price' => 500, 'tax_rate' => 2500, 'total_amount' => 500, 'total_tax_amount' => 100 ),
		);
		return self::control( 'POST', '/orders', $klarna + array( 'merchant' => 'PK_plugin_e2e', 'order_lines' => $lines ) )['order_id'];
	}

	/** A new WooCommerce order id (one counter for every suite: orders live in one registry of the doubles). */
	private static function next_order_id(): int {
		$GLOBALS['klarna_om_test_next_order_id'] = ( $GLOBALS['klarna_om_test_next_order_id'] ?? 5000 ) + 1;
		return $GLOBALS['klarna_om_test_next_order_id'];
	}

	/** @var string[] The note codes of the answers applied since shop(), in order (filter klarna_om_order_note). */
	private array $codes = array();

	/** setUpShop(), with the note codes of the answers recorded in $this->codes. */
	private function shop( string $mode, array $klarna = array() ): array {
		$shop        = $this->setUpShop( $mode, $klarna );
		$this->codes = array();
		add_filter(
			'klarna_om_order_note',
			function ( $text, $code ) {
				$this->codes[] = $code;
				return $text;
			},
			10,
			2
		);
		return $shop;
	}

	/** What reached Klarna for this order, as "METHOD path" lines. */
	private static function requests( string $klarna_id ): array {
		return array_map( static fn ( $entry ) => $entry['method'] . ' ' . $entry['path'], self::control( 'GET', "/requests?order_id=$klarna_id" ) );
	}

	/** Captured at Klarna and Completed in WooCommerce. */
	private function captured_order( int $id, string $klarna_id ): WC_Order {
		$order = OrderFactory::hoodies( $id, $klarna_id );
		$order->set_status( 'completed' );
		$order->save();
		$this->assertSame( 'CAPTURED', self::control( 'GET', "/orders/$klarna_id" )['status'] );
		return $order;
	}
}
