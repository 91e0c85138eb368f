<?php
// The four flows of the user's documentation (../shared/mission.md), end to end: a WooCommerce order snapshot goes
// through the real library (PHP FFI, or the klarna-om executable as on hosts without FFI) and libcurl to the local
// Klarna sandbox; the order note the merchant would read and Klarna's final state are printed. Exits 1 when a flow
// does not end as documented.
//
// usage: php scripts/demo.php DIST SANDBOX_URL ffi|cli
declare(strict_types=1);

[, $dist, $sandbox, $mode] = $argv;
$user = 'PK_demo';
$secret = 'demo-secret';
$failures = 0;

/** One call into the core: FFI with copy-then-free, or the executable with the same JSON. */
function core(string $operation, array $request): array {
    global $dist, $mode;
    $json = json_encode($request, JSON_THROW_ON_ERROR);
    if ($mode === 'ffi') {
        static $ffi = null;
        $ffi ??= FFI::cdef(file_get_contents("$dist/include/klarna_om.ffi.h"), "$dist/lib/libklarna_om.so");
        $pointer = $ffi->{"om_$operation"}($json);
        try {
            $out = FFI::string($pointer);
        } finally {
            $ffi->om_free($pointer);
        }
    } else {
        $process = proc_open([$dist . '/bin/klarna-om', $operation], [0 => ['pipe', 'r'], 1 => ['pipe', 'w']], $pipes);
        fwrite($pipes[0], $json);
        fclose($pipes[0]);
        $out = stream_get_contents($pipes[1]);
        fclose($pipes[1]);
        proc_close($process);
    }
    return json_decode($out, true, 64, JSON_THROW_ON_ERROR);
}

/** The sandbox's control API: seed orders and read Klarna's state. */
function control(string $method, string $path, ?array $body = null): array {
    global $sandbox;
    $context = stream_context_create(['http' => ['method' => $method, 'header' => "Content-Type: application/json\r\n",
        'content' => $body === null ? '' : json_encode($body), 'ignore_errors' => true]]);
    return json_decode((string) file_get_contents("$sandbox/_sandbox$path", false, $context), true) ?? [];
}

/** A WooCommerce order as the plugin snapshots it: two hoodies at EUR 50.00 and EUR 5.00 shipping, 25 % VAT. */
function snapshot(string $klarnaId, int $hoodies, array $meta = [], array $transition = []): array {
    $net = sprintf('%.2f', 40 * $hoodies);
    $tax = sprintf('%.2f', 10 * $hoodies);
    // An empty PHP array encodes as JSON [], not {}: optional objects are left out when empty.
    return array_filter([
        'id' => 1042, 'number' => '1042', 'currency' => 'EUR', 'prices_include_tax' => true, 'transition' => $transition,
        'totals' => ['total' => sprintf('%.2f', 50 * $hoodies + 5), 'total_tax' => sprintf('%.2f', 10 * $hoodies + 1)],
        'items' => [['item_id' => 11, 'product_id' => 7, 'sku' => 'HOODIE-M', 'name' => 'Hoodie', 'quantity' => $hoodies,
            'subtotal' => $net, 'subtotal_tax' => $tax, 'total' => $net, 'total_tax' => $tax,
            'taxes' => [['rate_id' => 1, 'percent' => '25.0000', 'amount' => $tax]]]],
        'shipping_lines' => [['item_id' => 12, 'method_id' => 'flat_rate', 'instance_id' => '3', 'name' => 'Flat rate',
            'total' => '4.00', 'total_tax' => '1.00', 'taxes' => [['rate_id' => 1, 'percent' => '25.0000', 'amount' => '1.00']]]],
        'payment_method' => 'klarna_payments',
        'klarna' => ['order_id' => $klarnaId, 'environment' => 'playground', 'purchase_country' => 'SE'],
        'meta' => $meta,
    ], fn ($value) => $value !== []);
}

function request(array $order, string $locale = 'en_US', ?array $refund = null): array {
    global $sandbox, $user, $secret;
    $request = ['version' => 1, 'locale' => $locale,
        'config' => ['environment' => 'sandbox', 'base_url' => $sandbox, 'username' => $user, 'password' => $secret],
        'platform' => ['wordpress' => '6.8.1', 'woocommerce' => '9.9.3', 'php' => PHP_VERSION, 'plugin' => '0.1.0'],
        'order' => $order];
    if ($refund !== null) {
        $request['refund'] = $refund;
    }
    return $request;
}

function seed(): string {
    global $user;
    return control('POST', '/orders', ['merchant' => $user, 'purchase_currency' => 'EUR', 'order_lines' => [
        ['type' => 'physical', 'reference' => 'HOODIE-M', 'name' => 'Hoodie', 'quantity' => 2, 'unit_price' => 5000,
         'tax_rate' => 2500, 'total_amount' => 10000, 'total_tax_amount' => 2000],
        ['type' => 'shipping_fee', 'reference' => 'flat_rate:3', 'name' => 'Flat rate', 'quantity' => 1, 'unit_price' => 500,
         'tax_rate' => 2500, 'total_amount' => 500, 'total_tax_amount' => 100]]])['order_id'];
}

function step(string $title, string $operation, array $request, string $expectedOutcome, ?string $expectedStatus, string $klarnaId, callable $klarnaCheck): array {
    global $failures;
    $response = core($operation, $request);
    $klarna = control('GET', "/orders/$klarnaId");
    $ok = ($response['outcome'] ?? null) === $expectedOutcome && ($response['order_status'] ?? null) === $expectedStatus && $klarnaCheck($klarna);
    printf("  %s %s\n", $ok ? '✔' : '✘', $title);
    printf("      order note: %s\n", $response['note']['text'] ?? '(none)');
    if (isset($response['order_status'])) {
        printf("      order status set to: %s\n", $response['order_status']);
    }
    printf("      Klarna: status %s, order %d, captured %d, refunded %d, remaining %d\n", $klarna['status'],
        $klarna['order_amount'], $klarna['captured_amount'], $klarna['refunded_amount'], $klarna['remaining_authorized_amount']);
    if (!$ok) {
        $failures++;
        printf("      expected outcome %s%s, got %s\n", $expectedOutcome, $expectedStatus ? " and status $expectedStatus" : '',
            json_encode($response['outcome'] ?? $response['error'] ?? null));
    }
    return $response;
}

printf("\n== the four flows, through %s ==\n", $mode === 'ffi' ? 'PHP FFI into libklarna_om.so' : 'the klarna-om executable');

echo "\nCancel an order (Processing → Cancelled)\n";
$id = seed();
step('Klarna order cancelled', 'cancel', request(snapshot($id, 2, [], ['from' => 'processing', 'to' => 'cancelled']), 'vi_VN'),
    'cancelled', null, $id, fn ($k) => $k['status'] === 'CANCELLED');

echo "\nUpdate an order (On hold → one hoodie instead of two → Processing)\n";
$id = seed();
step('Klarna order updated to EUR 55.00', 'update', request(snapshot($id, 1, [], ['from' => 'on-hold', 'to' => 'processing'])),
    'updated', null, $id, fn ($k) => $k['order_amount'] === 5500 && count($k['order_lines']) === 2);

echo "\nCapture an order (Processing → Completed)\n";
$id = seed();
$captured = step('Klarna captured EUR 105.00, capture id in the note', 'capture',
    request(snapshot($id, 2, [], ['from' => 'processing', 'to' => 'completed'])), 'captured', null, $id,
    fn ($k) => $k['status'] === 'CAPTURED' && $k['captured_amount'] === 10500);
step('Completed again: no second capture', 'capture',
    request(snapshot($id, 2, ['capture_ids' => [$captured['order_meta']['_wc_klarna_capture_id'] ?? '']])), 'already_captured', null,
    $id, fn ($k) => count($k['captures']) === 1);

echo "\nRefund an order (refund one hoodie on the completed order)\n";
step('Klarna refunded EUR 50.00, refund id in the note', 'refund',
    request(snapshot($id, 2, ['capture_ids' => [$captured['order_meta']['_wc_klarna_capture_id'] ?? '']]), 'en_US',
        ['id' => 77, 'amount' => '50.00', 'reason' => 'Returned', 'items' => [
            ['item_id' => 11, 'quantity' => -1, 'total' => '-40.00', 'total_tax' => '-10.00']]]),
    'refunded', null, $id, fn ($k) => $k['refunded_amount'] === 5000);

echo "\nWhen Klarna says no (capture of a cancelled order)\n";
$id = seed();
core('cancel', request(snapshot($id, 2)));
step('capture refused: order put On hold, Klarna\'s reason in the note', 'capture', request(snapshot($id, 2)),
    'capture_refused', 'on-hold', $id, fn ($k) => $k['captured_amount'] === 0);

exit($failures === 0 ? 0 : 1);
