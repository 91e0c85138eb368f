<?php
/**
 * The core could not be reached at all.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

// No ABSPATH guard: this file only declares a class, and preload.php loads it before WordPress exists.

/** Neither FFI nor the executable could run an operation; no WooCommerce action is blocked by it. */
final class NativeUnavailable extends \RuntimeException {}
