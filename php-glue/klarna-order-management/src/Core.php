<?php
/**
 * What the hooks need from the core.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

// No ABSPATH guard: this file only declares an interface, and preload.php loads it before WordPress exists.

/** Runs one operation of docs/contract.md. `NativeBridge` is the implementation; tests may pass another. */
interface Core {
	/**
	 * @param string $operation cancel, capture, update, refund, sync, release or extend.
	 * @param array  $request   The request.
	 * @return array The response.
	 * @throws NativeUnavailable When the core cannot be reached.
	 */
	public function call( string $operation, array $request ): array;
}
