<?php
/**
 * A core that can run many operations in one call.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

// No ABSPATH guard: this file only declares an interface, and preload.php loads it before WordPress exists.

/**
 * `om_batch` (docs/contract.md, "Many orders at once"): one response per item, in the items' order, each exactly what
 * the single entry point returns for that request. `NativeBridge` is the implementation; tests may pass another.
 */
interface BatchCore extends Core {
	/**
	 * @param array<int, array{operation: string, request: array}> $items  The items, at most 1,000.
	 * @param array                                                $limits `concurrency`, `requests_per_second`.
	 * @return array<int, array> One response per item, in the items' order.
	 * @throws NativeUnavailable When the batch could not run (a core without om_batch, or one that refused the batch
	 *                           as a whole: nothing ran), or its answer is lost (may_have_run()).
	 */
	public function batch( array $items, array $limits = array() ): array;
}
