<?php
// The user's four flows (README.md) through the plugin's own PHP classes, as WordPress would call them:
// a WooCommerce status change or the refund button → OrderHooks → NativeBridge (PHP FFI into libklarna_om.so, or
// the klarna-om executable) → libcurl → the local Klarna sandbox, and back to the order's notes, meta and status.
// WooCommerce itself cannot run here, so its orders are the plugin tests' doubles (php-glue/tests/doubles).
// Prints each step, the note the merchant reads, Klarna's state, and the order screen's Klarna box as text (drawn from
// the order's stored meta: the demo checks that drawing it sent Klarna nothing); exits 1 if a flow does not end as
// documented. Then a split shipment from the box: Refresh from Klarna, two shipment captures, then Completed.
//
// usage: php scripts/demo.php DIST SANDBOX_URL ffi|cli
declare(strict_types=1);

[, $dist, $sandbox, $mode] = $argv;
require __DIR__ . '/../php-glue/tests/doubles/wordpress.php';
require __DIR__ . '/../php-glue/tests/doubles/woocommerce.php';
require __DIR__ . '/../php-glue/klarna-order-management/klarna-order-management.php';
require __DIR__ . '/../php-glue/tests/OrderFactory.php';
require __DIR__ . '/../php-glue/tests/Shop.php';

use KlarnaOM\Logger;
use KlarnaOM\NativeBridge;
use KlarnaOM\OrderBox;

const DEMO_USER = 'PK_demo';
const DEMO_SECRET = 'demo-secret';
define( 'KLARNA_OM_SANDBOX_URL', $sandbox );
$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => DEMO_USER, 'test_shared_secret_se' => DEMO_SECRET ) );
$GLOBALS['klarna_om_test_user']    = array( 'id' => 1, 'caps' => array( 'edit_shop_orders' ) );  // a shop manager

$bridge = new NativeBridge( "$dist/lib/libklarna_om.so", "$dist/include/klarna_om.ffi.h", "$dist/bin/klarna-om", $mode );
Shop::wire( $bridge );  // the plugin's own hooks: status changes, and WooCommerce's refund sequence
$failures = 0;

function control( string $method, string $path, ?array $body = null ): array {
	$context = stream_context_create( array( 'http' => array( 'method' => $method, 'header' => "Content-Type: application/json\r\n", 'content' => null === $body ? '' : json_encode( $body ), 'ignore_errors' => true ) ) );
	return json_decode( (string) file_get_contents( KLARNA_OM_SANDBOX_URL . "/_sandbox$path", false, $context ), true ) ?? array();
}

/** A Klarna order as Klarna holds it after the purchase: two hoodies and shipping, EUR 105.00 authorized. */
function klarna_order( array $extra = array() ): string {
	return control( 'POST', '/orders', $extra + array( 'merchant' => DEMO_USER, 'purchase_currency' => 'EUR', 'order_lines' => array(
		array( 'type' => 'physical', 'reference' => 'HOODIE-M', 'name' => 'Hoodie', 'quantity' => 2, 'unit_price' => 5000, 'tax_rate' => 2500, 'total_amount' => 10000, 'total_tax_amount' => 2000 ),
		array( 'type' => 'shipping_fee', 'reference' => 'flat_rate:3', 'name' => 'Flat rate', 'quantity' => 1, 'unit_price' => 500, 'tax_rate' => 2500, 'total_amount' => 500, 'total_tax_amount' => 100 ),
	) ) )['order_id'];
}

/** Prints what the merchant sees and what Klarna holds, and checks the documented end. */
function show( string $title, WC_Order $order, string $klarna_id, bool $ok, int $notes_before = 0 ): void {
	global $failures;
	$klarna = control( 'GET', "/orders/$klarna_id" );
	printf( "  %s %s\n", $ok ? '✔' : '✘', $title );
	foreach ( array_slice( $order->notes, $notes_before ) as $note ) {
		printf( "      order note: %s\n", $note );
	}
	printf( "      WooCommerce status: %s\n", $order->get_status() );
	printf( "      Klarna: %s, authorized %d, captured %d, refunded %d (minor units)\n", $klarna['status'], $klarna['order_amount'], $klarna['captured_amount'], $klarna['refunded_amount'] );
	$failures += $ok ? 0 : 1;
	box( $order, $klarna_id );
}

/** What Klarna got for this order, as "METHOD path" lines. */
function requests( string $klarna_id ): array {
	return array_map( static fn ( $entry ) => $entry['method'] . ' ' . $entry['path'], control( 'GET', "/requests?order_id=$klarna_id" ) );
}

/** The order screen's Klarna box, as text; drawing it must send Klarna nothing. */
function box( WC_Order $order, string $klarna_id ): void {
	global $failures;
	$before = count( requests( $klarna_id ) );
	$text   = ( new OrderBox( new Logger() ) )->text( $order );
	$sent   = count( requests( $klarna_id ) ) - $before;
	printf( "      Klarna box (from stored meta, %d request%s to Klarna):\n", $sent, 1 === $sent ? '' : 's' );
	foreach ( explode( "\n", $text ) as $line ) {
		printf( "      | %s\n", $line );
	}
	$failures += 0 === $sent ? 0 : 1;
}

/** The requests Klarna got since $seen (updated), shortened to what follows the order id. */
function sent_since( string $klarna_id, int &$seen ): string {
	$all  = requests( $klarna_id );
	$new  = array_map( static fn ( $line ) => rtrim( str_replace( "/ordermanagement/v1/orders/$klarna_id", '', $line ) ), array_slice( $all, $seen ) );
	$seen = count( $all );
	return array() === $new ? 'none' : implode( ', ', $new );
}

printf( "\n== the four flows through the plugin, %s ==\n", 'ffi' === $mode ? 'PHP FFI into libklarna_om.so' : 'the klarna-om executable (FFI disabled)' );
printf( "   bridge mode: %s\n", $bridge->mode() );
$id = 1000 + ( 'ffi' === $mode ? 0 : 100 );

echo "\n1. Cancel: order status Processing → Cancelled, Save order\n";
$klarna_id = klarna_order();
$order     = OrderFactory::hoodies( ++$id, $klarna_id );
$GLOBALS['klarna_om_test_locale'] = 'vi_VN';
$order->set_status( 'cancelled' );
$order->save();
$GLOBALS['klarna_om_test_locale'] = 'en_US';
show( 'Klarna order cancelled (note in the shop\'s Vietnamese)', $order, $klarna_id, 'cancelled' === $order->get_status() && 'CANCELLED' === control( 'GET', "/orders/$klarna_id" )['status'] );

echo "\n2. Update: On hold → edit the items (one hoodie instead of two) → Recalculate → Processing, Save order\n";
$klarna_id = klarna_order();
$order     = OrderFactory::hoodies( ++$id, $klarna_id, 2, 'klarna_payments', 'on-hold' );
OrderFactory::set_quantity( $order, 1 );
$order->set_status( 'processing' );
$order->save();
show( 'Klarna order updated to EUR 55.00', $order, $klarna_id, 'processing' === $order->get_status() && 5500 === control( 'GET', "/orders/$klarna_id" )['order_amount'] );

echo "\n3. Capture: Processing → Completed, Save order\n";
$klarna_id = klarna_order();
$order     = OrderFactory::hoodies( ++$id, $klarna_id );
$order->set_status( 'completed' );
$order->save();
show( 'Klarna captured EUR 105.00; the note carries the capture id (invoice number)', $order, $klarna_id,
	'completed' === $order->get_status() && '' !== $order->get_meta( '_wc_klarna_capture_id' ) && 'CAPTURED' === control( 'GET', "/orders/$klarna_id" )['status'] );

echo "\n4. Refund: Refund → one hoodie → Refund EUR 50.00 via Klarna\n";
$before = count( $order->notes );
$result = OrderFactory::refund_one_hoodie_via_klarna( $order );  // wc_create_refund: the refund, then the gateway
show( 'Klarna refunded EUR 50.00; the note carries Klarna\'s refund id', $order, $klarna_id, $result instanceof WC_Order_Refund && 5000 === control( 'GET', "/orders/$klarna_id" )['refunded_amount'], $before );

echo "\nWhen Klarna says no: Completed on an order Klarna has cancelled\n";
$klarna_id = klarna_order( array( 'status' => 'CANCELLED' ) );
$order     = OrderFactory::hoodies( ++$id, $klarna_id );
$order->set_status( 'completed' );
$order->save();
show( 'the save becomes On hold (no "completed" e-mail), with Klarna\'s reason', $order, $klarna_id, 'on-hold' === $order->get_status() && array( array( 'processing', 'on-hold' ) ) === $order->transitions );

echo "\n5. Split shipment from the Klarna box: Refresh from Klarna; one hoodie with shipping (tracked); the other hoodie; Completed\n";
$klarna_id = klarna_order();
$order     = OrderFactory::hoodies( ++$id, $klarna_id );
$order->meta['_wc_shipment_tracking_items'] = array( array( 'tracking_provider' => '', 'custom_tracking_provider' => 'PostNord', 'custom_tracking_link' => 'https://tracking.example/PN1', 'tracking_number' => 'PN1', 'date_shipped' => time(), 'tracking_id' => 'demo' ) );
$seen      = 0;
$_POST     = array( 'action' => 'klarna_om_refresh', 'order_id' => (string) $order->get_id(), 'security' => wp_create_nonce( 'klarna-om-order' ) );
$_REQUEST  = $_POST;
do_action( 'wp_ajax_klarna_om_refresh' );  // the box's Refresh button
$refreshed = sent_since( $klarna_id, $seen );
show( "Refresh from Klarna sent: $refreshed (one read)", $order, $klarna_id, 'GET' === $refreshed && '' !== $order->get_meta( '_klarna_om_state' ) );
$shipments = array(
	array( 'one hoodie, with shipping and PostNord PN1 (Shipment Tracking\'s number)', array( 'items' => array( 11 => '1' ), 'shipping' => '1', 'shipping_company' => 'PostNord', 'tracking_number' => 'PN1', 'tracking_uri' => 'https://tracking.example/PN1' ), 5500 ),
	array( 'the other hoodie', array( 'items' => array( 11 => '1' ), 'shipping' => '' ), 10500 ),
);
foreach ( $shipments as list( $what, $form, $captured ) ) {
	$before = count( $order->notes );
	$_POST  = array( 'klarna_om_shipment' => $form );  // the box's fields, saved with the order form
	do_action( 'woocommerce_order_action_klarna_om_capture_shipment', $order );
	$_POST  = array();
	$klarna = control( 'GET', "/orders/$klarna_id" );
	show( "Captured $what; sent: " . sent_since( $klarna_id, $seen ), $order, $klarna_id, $captured === $klarna['captured_amount'], $before );
}
$before = count( $order->notes );
$order->set_status( 'completed' );
$order->save();
$klarna = control( 'GET', "/orders/$klarna_id" );
show( 'Completed: nothing left to capture, nothing captured twice; sent: ' . sent_since( $klarna_id, $seen ), $order, $klarna_id, 'completed' === $order->get_status() && 'CAPTURED' === $klarna['status'] && 2 === count( $klarna['captures'] ), $before );

exit( 0 === $failures ? 0 : 1 );
