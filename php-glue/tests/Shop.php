<?php
// The plugin wired into the doubles as Plugin::boot() wires it into WordPress, over any core.

use KlarnaOM\AdminNotice;
use KlarnaOM\Core;
use KlarnaOM\Logger;
use KlarnaOM\NativeBridge;
use KlarnaOM\OrderHooks;
use KlarnaOM\Plugin;
use KlarnaOM\ResponseApplier;
use KlarnaOM\Settings;
use KlarnaOM\SnapshotBuilder;

final class Shop {
	/**
	 * Forgets every hook, then registers the plugin's own (Plugin::register_hooks) with this core behind them.
	 *
	 * @param Core              $core   The core the hooks call (a ScriptedCore, or the real NativeBridge).
	 * @param NativeBridge|null $bridge The bridge the admin notice reports on; by default one that finds nothing.
	 */
	public static function wire( Core $core, ?NativeBridge $bridge = null ): OrderHooks {
		$GLOBALS['klarna_om_test_hooks'] = array();
		$bridge ??= $core instanceof NativeBridge ? $core : new NativeBridge( '/none', '/none', '/none' );
		$hooks    = new OrderHooks( $core, new SnapshotBuilder( new Settings() ), new ResponseApplier( new Logger() ), new Logger() );
		( new Plugin( $bridge, $hooks, new AdminNotice( $bridge ) ) )->register_hooks();
		return $hooks;
	}
}
