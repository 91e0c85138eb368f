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
 * and create PLUGIN/include/klarna_om.preload.h as klarna_om.ffi.h with these two lines first:
 *
 *     #define FFI_SCOPE "klarna_om"
 *     #define FFI_LIB "PLUGIN/lib/libklarna_om.so"
 *
 * then reload PHP-FPM. The admin notice disappears once the plugin finds the preloaded scope.
 *
 * @package KlarnaOM
 */

require __DIR__ . '/src/Core.php';
require __DIR__ . '/src/NativeUnavailable.php';
require __DIR__ . '/src/NativeBridge.php';
