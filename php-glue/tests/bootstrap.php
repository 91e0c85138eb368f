<?php
// PHPUnit bootstrap: the WordPress/WooCommerce doubles, then the plugin as WordPress would load it.
require __DIR__ . '/doubles/wordpress.php';
require __DIR__ . '/doubles/woocommerce.php';
require __DIR__ . '/doubles/action-scheduler.php';
require __DIR__ . '/doubles/wp-cli.php';
require __DIR__ . '/../klarna-order-management/klarna-order-management.php';
require __DIR__ . '/OrderFactory.php';
require __DIR__ . '/ScriptedCore.php';
require __DIR__ . '/CountingCore.php';
require __DIR__ . '/Shop.php';
require __DIR__ . '/e2e/SandboxShop.php';
require __DIR__ . '/e2e/KlarnaBoxSteps.php';
require __DIR__ . '/e2e/ManyOrdersSteps.php';
