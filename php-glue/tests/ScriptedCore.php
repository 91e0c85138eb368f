<?php
// A core for the unit tests: answers from a script and records what it was asked. The real one runs in e2e/.

use KlarnaOM\Core;

/** A core that answers from a script and records what it was asked; the real one runs in the e2e suite. */
final class ScriptedCore implements Core {
	public array $calls = array();
	/**
	 * @param array $answers Operation → the response, a Throwable to throw, or a Closure that gets the request and
	 *                       gives either; tests may change it between calls.
	 */
	public function __construct( public array $answers ) {}
	public function call( string $operation, array $request ): array {
		$this->calls[] = array( $operation, $request );
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
