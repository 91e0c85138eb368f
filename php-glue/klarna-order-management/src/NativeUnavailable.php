<?php
/**
 * The core could not be reached at all.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

// No ABSPATH guard: this file only declares a class, and preload.php loads it before WordPress exists.

/**
 * Neither FFI nor the executable could run an operation, or the core's answer was lost; no WooCommerce action is
 * blocked by it. The message is English, for the order note and the log, and never holds request data.
 */
final class NativeUnavailable extends \RuntimeException {
	/** The code of an exception thrown after the core was started: it may have acted at Klarna. */
	public const ANSWER_LOST = 1;

	/** The core was started and its answer is lost (it crashed, or answered what cannot be read). */
	public static function answer_lost( string $reason, ?\Throwable $previous = null ): self {
		return new self( $reason, self::ANSWER_LOST, $previous );
	}

	/** Whether the core may have run the operation (and Klarna acted), as opposed to never being reached. */
	public function may_have_run(): bool {
		return self::ANSWER_LOST === $this->getCode();
	}
}
