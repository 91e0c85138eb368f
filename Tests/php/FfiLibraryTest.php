<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * Loads the release libklarna_om.so through real PHP FFI, with the generated FFI header, as the plugin will.
 * Run by scripts/test-php after scripts/build; KLARNA_OM_DIST points at dist/.
 */
final class FfiLibraryTest extends TestCase
{
    private static ?FFI $ffi = null;

    private static function dist(): string
    {
        return getenv('KLARNA_OM_DIST') ?: dirname(__DIR__, 2) . '/dist';
    }

    private static function ffi(): FFI
    {
        return self::$ffi ??= FFI::cdef(
            file_get_contents(self::dist() . '/include/klarna_om.ffi.h'),
            self::dist() . '/lib/libklarna_om.so'
        );
    }

    /** Calls one operation the way the plugin must: copy the answer, then free it, whatever happens. */
    private static function call(string $operation, ?string $request): array
    {
        $ffi = self::ffi();
        $pointer = $ffi->{'om_' . $operation}($request);
        try {
            self::assertNotNull($pointer);
            $json = FFI::string($pointer);
        } finally {
            $ffi->om_free($pointer);
        }
        return json_decode($json, true, 32, JSON_THROW_ON_ERROR);
    }

    public function testTheFfiHeaderParsesAndTheVersionsMatchTheCHeader(): void
    {
        $ffi = self::ffi();
        $cHeader = file_get_contents(self::dist() . '/include/klarna_om.h');
        $this->assertMatchesRegularExpression('/#define OM_ABI_VERSION ' . $ffi->om_abi_version() . '\b/', $cHeader);
        $version = $ffi->om_version();  // const char *: PHP copies the static string; nothing to free.
        $this->assertIsString($version);
        $this->assertStringContainsString('#define OM_VERSION "' . $version . '"', $cHeader);
    }

    public function testTheLibraryNeedsNoSwiftToolchain(): void
    {
        self::ffi();
        $maps = file_get_contents('/proc/self/maps');
        $this->assertStringContainsString('libklarna_om.so', $maps);
        $this->assertDoesNotMatchRegularExpression('/libswift|libFoundation|libdispatch/', $maps);
        $this->assertSame('', (string) getenv('LD_LIBRARY_PATH'), 'test must run without a library path');
    }

    /** @return array<string, array{string, ?string, string}> */
    public static function malformed(): array
    {
        return [
            'NULL' => ['capture', null, 'null_request'],
            'not JSON' => ['cancel', '{"version":1,', 'invalid_json'],
            'invalid UTF-8' => ['update', "{\"version\":1,\"x\":\"\xC3\x28\"}", 'invalid_utf8'],
            'unknown version' => ['refund', '{"version":99}', 'unsupported_version'],
            'deep' => ['capture', str_repeat('[', 500) . str_repeat(']', 500), 'nesting_too_deep'],
            'too large' => ['capture', '{"pad":"' . str_repeat('x', 1 << 20) . '"}', 'request_too_large'],
            'wrong type' => ['cancel', '{"version":"1"}', 'invalid_field'],
            'sync, NULL' => ['sync', null, 'null_request'],
            'release, not JSON' => ['release', '{"version":1,', 'invalid_json'],
            'extend, unknown version' => ['extend', '{"version":99}', 'unsupported_version'],
        ];
    }

    /** @dataProvider malformed */
    public function testMalformedInputGetsAnOkFalseEnvelope(string $operation, ?string $request, string $code): void
    {
        $response = self::call($operation, $request);
        $this->assertSame(1, $response['version']);
        $this->assertFalse($response['ok']);
        $this->assertSame($code, $response['error']['code']);
        $this->assertNotEmpty($response['error']['message']);
    }

    public function testMessagesNameTheOffendingField(): void
    {
        $request = json_encode([
            'version' => 1,
            'config' => ['environment' => 'sandbox', 'base_url' => 'http://127.0.0.1:9', 'username' => 'u', 'password' => 'p'],
            'order' => ['id' => 5, 'currency' => 'EUR', 'totals' => ['total' => 12.5], 'payment_method' => 'kco'],
        ]);
        $response = self::call('capture', $request);
        $this->assertSame('invalid_field', $response['error']['code']);
        $this->assertSame('order.totals.total', $response['error']['field']);
        $this->assertStringContainsString('order.totals.total', $response['error']['message']);
    }

    public function testManyCallsDoNotGrowMemory(): void
    {
        for ($i = 0; $i < 2000; $i++) {
            self::call('capture', '{"version":1}');
        }
        $before = self::residentKiB();
        for ($i = 0; $i < 20000; $i++) {
            self::call('capture', '{"version":1}');
        }
        $grown = self::residentKiB() - $before;
        $this->assertLessThan(2048, $grown, "RSS grew by {$grown} KiB over 20,000 calls");
    }

    private static function residentKiB(): int
    {
        preg_match('/VmRSS:\s+(\d+)/', file_get_contents('/proc/self/status'), $m);
        return (int) $m[1];
    }
}
