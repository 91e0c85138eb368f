<?php
/**
 * Many orders, few calls of the core.
 *
 * @package KlarnaOM
 */

namespace KlarnaOM;

defined( 'ABSPATH' ) || exit;

/**
 * Sends many requests through `om_batch` (docs/contract.md, "Many orders at once"): Klarna's requests of all of them
 * run concurrently in the core, within its rate limit, and each item's answer is exactly what its single call returns.
 * Items go in as few batches as the limits allow: at most 1,000 items, and at most 1 MiB of JSON (the contract's
 * limit for a request; a batch is one).
 *
 * A core without `om_batch` (a library older than 0.2: FFI has no such function, the executable no such command)
 * refuses before anything runs. A batch whose answer is lost may have run. Either way its items get no answer here,
 * and the caller asks for them one by one: the same requests, so the core gives them the same idempotency keys, and
 * Klarna acts at most once for each.
 */
final class Batch {
	public const MAX_ITEMS = 1000;
	public const MAX_BYTES = 1048576;
	/**
	 * The pace by Klarna environment: half of Klarna's limit for Order Management per merchant (production 200
	 * requests per second, playground 50), leaving the rest to the shop's checkout and other Klarna plugins.
	 * Klarna's rate-limit guide (docs.klarna.com/api/rate-limit). Items of another environment (the local sandbox) get the core's
	 * defaults, and a batch with any playground item the playground's pace.
	 */
	public const PACE = array(
		'production' => array( 'concurrency' => 16, 'requests_per_second' => 100 ),
		'playground' => array( 'concurrency' => 8, 'requests_per_second' => 25 ),
	);

	public function __construct( private readonly Core $core, private readonly Logger $logger ) {}

	/**
	 * The answers of as many items as batches could give, keyed as the items are; an item missing from the result
	 * was not answered (the core has no om_batch, or the batch failed), and the caller calls the core for it alone.
	 *
	 * @param array<int|string, array{operation: string, request: array}> $items The items, by the caller's key.
	 * @return array<int|string, array>
	 */
	public function responses( array $items ): array {
		if ( array() === $items || ! $this->core instanceof BatchCore ) {
			return array();
		}
		/**
		 * Filters how the core's batch reaches Klarna: `concurrency` (requests in flight, at most 32) and
		 * `requests_per_second` (at most this many started per second). By default half of Klarna's limit for the
		 * items' environment (Batch::PACE); the core's own defaults are 8 and 20.
		 *
		 * @param array $limits The limits sent with every batch.
		 * @param array $items  The items, by the caller's key.
		 */
		$limits  = array_filter( array_map( 'absint', array_intersect_key( (array) apply_filters( 'klarna_om_batch_limits', self::pace( $items ), $items ), array_flip( array( 'concurrency', 'requests_per_second' ) ) ) ) );
		$answers = array();
		foreach ( self::chunks( $items ) as $keys ) {
			$chunk = array_map( static fn ( $key ) => $items[ $key ], $keys );
			try {
				$results = $this->core->batch( $chunk, $limits );
			} catch ( \Throwable $e ) {
				$this->logger->log(
					$e instanceof NativeUnavailable && ! $e->may_have_run() ? 'info' : 'warning',
					'klarna-om batch did not run; its orders are sent one by one',
					array( 'items' => count( $keys ), 'reason' => $e->getMessage(), 'may_have_run' => $e instanceof NativeUnavailable && $e->may_have_run() ? 'yes' : 'no' )
				);
				continue;
			}
			foreach ( $keys as $index => $key ) {
				$answers[ $key ] = $results[ $index ];
			}
		}
		return $answers;
	}

	/**
	 * The default pace of a batch of these items: the playground's when any item is a playground order, the
	 * production's when all are production orders, none (the core's defaults) otherwise.
	 *
	 * @param array<int|string, array{operation: string, request: array}> $items The items.
	 */
	public static function pace( array $items ): array {
		$environments = array_unique( array_map( static fn ( $item ) => (string) ( $item['request']['config']['environment'] ?? '' ), $items ) );
		if ( in_array( 'playground', $environments, true ) ) {
			return self::PACE['playground'];
		}
		return array( 'production' ) === array_values( $environments ) ? self::PACE['production'] : array();
	}

	/**
	 * Every item's answer: from batches when the core has them, from single calls otherwise. An item whose single call
	 * could not reach the core gets its NativeUnavailable.
	 *
	 * @param array<int|string, array{operation: string, request: array}> $items The items, by the caller's key.
	 * @return array<int|string, array|NativeUnavailable>
	 */
	public function each( array $items ): array {
		$answers = $this->responses( $items );
		foreach ( array_diff_key( $items, $answers ) as $key => $item ) {
			try {
				$answers[ $key ] = $this->core->call( $item['operation'], $item['request'] );
			} catch ( NativeUnavailable $e ) {
				$answers[ $key ] = $e;
			}
		}
		return array_replace( array_intersect_key( $items, $answers ), $answers );
	}

	/**
	 * The items' keys in batches: at most MAX_ITEMS each, and at most MAX_BYTES of JSON (an item larger than that
	 * alone goes alone: the core answers it with its own `ok: false`).
	 *
	 * @return array<int, array<int, int|string>>
	 */
	private static function chunks( array $items ): array {
		$chunks = array();
		$keys   = array();
		$bytes  = 64;
		foreach ( $items as $key => $item ) {
			$size = strlen( (string) json_encode( $item, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ) ) + 1;
			if ( array() !== $keys && ( count( $keys ) >= self::MAX_ITEMS || $bytes + $size > self::MAX_BYTES ) ) {
				$chunks[] = $keys;
				$keys     = array();
				$bytes    = 64;
			}
			$keys[] = $key;
			$bytes += $size;
		}
		if ( array() !== $keys ) {
			$chunks[] = $keys;
		}
		return $chunks;
	}
}
