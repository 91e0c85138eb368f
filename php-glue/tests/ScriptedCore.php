<?php
// A core for the unit tests: answers from a script and records what it was asked. The real one runs in e2e/.

use KlarnaOM\BatchCore;
use KlarnaOM\NativeUnavailable;

/**
 * A core that answers from a script and records what it was asked; the real one runs in the e2e suite.
 *
 * Single calls are recorded in `calls`. `om_batch` is there only once a test sets `batches` to an array (a core of
 * 0.2): each batch's items are recorded there, and each item is answered exactly as its single call would be; a Throwable
 * in `batch_failure` (or scripted for an item) makes the whole batch throw it, a batch whose answer is lost. While
 * `batches` is null it is a core older than the batch, which refuses it before anything runs.
 */
final class ScriptedCore implements BatchCore {
	public array $calls = array();
	/** @var array<int, array>|null The items of each batch asked for; null: a core without om_batch. */
	public ?array $batches = null;
	/** @var array[] The limits each batch was sent with, in order. */
	public array $limits = array();
	/** A failure of the whole batch to throw once it is recorded (a batch whose answer is lost). */
	public ?Throwable $batch_failure = null;
	/**
	 * @param array $answers Operation → the response, a Throwable to throw, or a Closure that gets the request and
	 *                       gives either; tests may change it between calls.
	 */
	public function __construct( public array $answers ) {}
	public function call( string $operation, array $request ): array {
		$this->calls[] = array( $operation, $request );
		return $this->answer( $operation, $request );
	}
	public function batch( array $items, array $limits = array() ): array {
		if ( null === $this->batches ) {
			throw new NativeUnavailable( 'the klarna-om executable does not know the command batch (a core older than this plugin)' );
		}
		$this->batches[] = $items;
		$this->limits[]  = $limits;
		if ( null !== $this->batch_failure ) {
			throw $this->batch_failure;
		}
		return array_map( fn ( array $item ) => $this->answer( $item['operation'], $item['request'] ), $items );
	}
	private function answer( string $operation, array $request ): array {
		$answer = $this->answers[ $operation ] ?? null;
		if ( $answer instanceof Closure ) {
			$answer = $answer( $request );
		}
		if ( $answer instanceof Throwable ) {
			throw $answer;
		}
		return $answer ?? array( 'version' => 1, 'ok' => true, 'outcome' => 'skipped_disconnected', 'success' => true );
	}
}
