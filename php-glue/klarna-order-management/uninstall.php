<?php
/**
 * Deleting the plugin on the Plugins screen: WordPress runs this file alone (WP_UNINSTALL_PLUGIN defined, the plugin
 * itself not loaded) and then deletes the plugin's folder, with the preload header the plugin wrote into it.
 *
 * Removed: what the plugin itself stores outside its folder, the options `klarna_om_settings` (the optional settings
 * section) and `klarna_om_debug` (the debug log switch), on every site of a network, and the user meta
 * `klarna_om_dismissed_notices` (the admin notices each user dismissed) and `klarna_om_bulk_outcomes` (a bulk
 * action's failures, until the next page shows them), and the background retries still scheduled in Action Scheduler
 * (hook `klarna_om_retry`; deactivating the plugin already cancelled them). The plugin keeps no cron events or
 * transients, so there is nothing else.
 *
 * Kept: order meta (`_wc_klarna_capture_id`, `_klarna_om_ledger`, `_klarna_om_state`, `_klarna_om_outcomes`,
 * `_klarna_om_refund_id_*`, …), which records what happened at Klarna and is shared with Klarna's own plugins; the Klarna gateways' options, which are theirs.
 *
 * @package KlarnaOM
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

( static function (): void {
	$sites = is_multisite() ? get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) : array( 0 );
	foreach ( $sites as $site ) {
		if ( 0 !== (int) $site ) {
			switch_to_blog( (int) $site );
		}
		delete_option( 'klarna_om_settings' );
		delete_option( 'klarna_om_debug' );
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( 'klarna_om_retry' );  // By hook alone: whatever their arguments.
		}
		if ( 0 !== (int) $site ) {
			restore_current_blog();
		}
	}
	delete_metadata( 'user', 0, 'klarna_om_dismissed_notices', '', true );
	delete_metadata( 'user', 0, 'klarna_om_bulk_outcomes', '', true );
} )();
