<?php
// Run by NoFfiNoProcOpenTest under `php -d ffi.enable=0 -d disable_functions=proc_open`: what a WordPress request on
// such a host does with the plugin. Prints one JSON line; a fatal error prints PHP's message instead.

require __DIR__ . '/../bootstrap.php';

$dist   = $argv[1];
$bridge = new KlarnaOM\NativeBridge( "$dist/lib/libklarna_om.so", "$dist/include/klarna_om.ffi.h", "$dist/bin/klarna-om" );
Shop::wire( $bridge );
$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => 's' ) );

$order = OrderFactory::hoodies( 701, 'k-701' );
$order->set_status( 'completed' );
$order->save();

$paid   = OrderFactory::hoodies( 702, 'k-702', 2, 'klarna_payments', 'completed' );
$refund = OrderFactory::refund_one_hoodie_via_klarna( $paid );

echo json_encode(
	array(
		'proc_open'   => function_exists( 'proc_open' ),
		'mode'        => $bridge->mode(),
		'status'      => $order->get_status(),
		'transitions' => $order->transitions,
		'saves'       => $order->saves,
		'notes'       => $order->notes,
		'refund'      => $refund instanceof WP_Error ? $refund->get_error_message() : get_class( $refund ),
		'refunds'     => count( $paid->get_refunds() ),
		'refund_note' => $paid->notes[0] ?? '',
		'notices'     => array_column( ( new KlarnaOM\AdminNotice( $bridge ) )->messages(), 2 ),
	)
), "\n";
