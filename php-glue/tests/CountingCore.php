<?php
// A core that counts what it is asked and passes it on: how many single calls and how many batches a step cost.

use KlarnaOM\BatchCore;
use KlarnaOM\NativeBridge;

/** Passes every call and batch on to the real core and records them: `calls` (operations), `batches` (their operations). */
final class CountingCore implements BatchCore {
	/** @var string[] */
	public array $calls = array();
	/** @var array<int, string[]> */
	public array $batches = array();

	public function __construct( private readonly NativeBridge $core ) {}

	public function call( string $operation, array $request ): array {
		$this->calls[] = $operation;
		return $this->core->call( $operation, $request );
	}

	public function batch( array $items, array $limits = array() ): array {
		$this->batches[] = array_column( $items, 'operation' );
		return $this->core->batch( $items, $limits );
	}
}
