<?php
// One request through PHP FFI and the release library: what the plugin will do on every order action.
// usage: php scripts/demo.php DIST OPERATION < request.json
declare(strict_types=1);
[$dist, $operation] = [$argv[1], $argv[2]];
$ffi = FFI::cdef(file_get_contents("$dist/include/klarna_om.ffi.h"), "$dist/lib/libklarna_om.so");
$pointer = $ffi->{"om_$operation"}(stream_get_contents(STDIN));
try {
    echo FFI::string($pointer), "\n";
} finally {
    $ffi->om_free($pointer);
}
