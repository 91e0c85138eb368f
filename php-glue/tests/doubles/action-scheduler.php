<?php
// Thin Action Scheduler stand-in (bundled with WooCommerce); see README.md in this folder.

$GLOBALS['klarna_om_test_actions'] = array();

/**
 * as_schedule_single_action(): records a pending action (`hook`, `args`, `group`, `timestamp`, `status`) and returns
 * its id. With `$unique`, refused (0) while an action of the same hook and group is pending or in progress, whatever
 * its arguments (woocommerce-facts §5).
 */
function as_schedule_single_action( int $timestamp, string $hook, array $args = array(), string $group = '', bool $unique = false, int $priority = 10 ): int {
	foreach ( $unique ? $GLOBALS['klarna_om_test_actions'] : array() as $action ) {
		if ( $action['hook'] === $hook && $action['group'] === $group && in_array( $action['status'], array( 'pending', 'in-progress' ), true ) ) {
			return 0;
		}
	}
	$id                                       = count( $GLOBALS['klarna_om_test_actions'] ) + 1;
	$GLOBALS['klarna_om_test_actions'][ $id ] = array( 'id' => $id, 'hook' => $hook, 'args' => $args, 'group' => $group, 'timestamp' => $timestamp, 'status' => 'pending' );
	return $id;
}

/** Whether an action matches: the hook, the arguments exactly as JSON (when given), the group (when given). */
function klarna_om_test_action_matches( array $action, string $hook, ?array $args, string $group ): bool {
	return $action['hook'] === $hook && ( null === $args || json_encode( $action['args'] ) === json_encode( $args ) ) && ( '' === $group || $action['group'] === $group );
}

/** as_has_scheduled_action(): a matching action is pending or in progress. */
function as_has_scheduled_action( string $hook, ?array $args = null, string $group = '' ): bool {
	foreach ( $GLOBALS['klarna_om_test_actions'] as $action ) {
		if ( in_array( $action['status'], array( 'pending', 'in-progress' ), true ) && klarna_om_test_action_matches( $action, $hook, $args, $group ) ) {
			return true;
		}
	}
	return false;
}

/** as_unschedule_action(): cancels the next pending match. */
function as_unschedule_action( string $hook, array $args = array(), string $group = '' ) {
	foreach ( $GLOBALS['klarna_om_test_actions'] as $id => $action ) {
		if ( 'pending' === $action['status'] && klarna_om_test_action_matches( $action, $hook, $args, $group ) ) {
			$GLOBALS['klarna_om_test_actions'][ $id ]['status'] = 'canceled';
			return $id;
		}
	}
	return null;
}

/** as_unschedule_all_actions(): by hook alone without arguments and group, else exact matches; pending ones only. */
function as_unschedule_all_actions( string $hook, array $args = array(), string $group = '' ): void {
	foreach ( $GLOBALS['klarna_om_test_actions'] as $id => $action ) {
		if ( 'pending' === $action['status'] && klarna_om_test_action_matches( $action, $hook, array() === $args && '' === $group ? null : $args, $group ) ) {
			$GLOBALS['klarna_om_test_actions'][ $id ]['status'] = 'canceled';
		}
	}
}

/**
 * The queue runner, for tests: claims the actions pending and due at `$now` (scheduled at or before it), earliest
 * first, and runs each as Action Scheduler does: in progress, `do_action( hook, ...args )` (arguments passed
 * positionally), then complete, or failed when it throws. Actions scheduled while it runs wait for the next run.
 *
 * @return array<int, array> The actions run, as they ended.
 */
function klarna_om_test_run_due_actions( int $now ): array {
	$due = array_filter( $GLOBALS['klarna_om_test_actions'], static fn ( $action ) => 'pending' === $action['status'] && $action['timestamp'] <= $now );
	uasort( $due, static fn ( $a, $b ) => array( $a['timestamp'], $a['id'] ) <=> array( $b['timestamp'], $b['id'] ) );
	$ran = array();
	foreach ( array_keys( $due ) as $id ) {
		$GLOBALS['klarna_om_test_actions'][ $id ]['status'] = 'in-progress';
		try {
			do_action( $due[ $id ]['hook'], ...array_values( $due[ $id ]['args'] ) );
			$GLOBALS['klarna_om_test_actions'][ $id ]['status'] = 'complete';
		} catch ( Throwable $e ) {
			$GLOBALS['klarna_om_test_actions'][ $id ]['status'] = 'failed';
		}
		$ran[] = $GLOBALS['klarna_om_test_actions'][ $id ];
	}
	return $ran;
}

/** The actions of a hook in a status (all statuses by default), in the order scheduled. */
function klarna_om_test_actions( string $hook, ?string $status = null ): array {
	return array_values( array_filter( $GLOBALS['klarna_om_test_actions'], static fn ( $action ) => $action['hook'] === $hook && ( null === $status || $action['status'] === $status ) ) );
}
