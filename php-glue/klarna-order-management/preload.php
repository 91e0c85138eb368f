<?php
/**
 * opcache.preload file for the fast in-process mode under PHP-FPM, where FFI is only allowed to preloaded code.
 *
 * In php.ini (or the FPM pool), with PLUGIN the absolute path of this folder:
 *
 *     ffi.enable = preload
 *     ffi.preload = PLUGIN/include/klarna_om.preload.h
 *     opcache.enable = 1
 *     opcache.preload = PLUGIN/preload.php
 *     opcache.preload_user = www-data
 *
 * The plugin writes PLUGIN/include/klarna_om.preload.h when it is activated (klarna_om.ffi.h with the two lines
 * below first). If its folder was not writable, create it by hand:
 *
 *     #define FFI_SCOPE "klarna_om"
 *     #define FFI_LIB "PLUGIN/lib/libklarna_om.so"
 *
 * then reload PHP-FPM. The admin notice disappears once the plugin finds the preloaded scope.
 *
 * @package KlarnaOM
 */

require __DIR__ . '/src/Core.php';
require __DIR__ . '/src/BatchCore.php';
require __DIR__ . '/src/NativeUnavailable.php';
require __DIR__ . '/src/NativeBridge.php';
