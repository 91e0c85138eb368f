<?php
use KlarnaOM\Logger;
use KlarnaOM\NativeUnavailable;
use PHPUnit\Framework\TestCase;

/**
 * What support finds in WooCommerce's log (source klarna-order-management): warnings and errors always, with the
 * operation, the order number, the outcome, Klarna's error code and correlation id; the debug switch adds the rest.
 * Never the customer's personal data, the API password or the proxy's credentials.
 */
final class LoggingTest extends TestCase {
	private const PASSWORD       = 'gateway-Secret-4711';
	private const PROXY_PASSWORD = 'proxy-Secret-0815';

	/** The core's answers: Klarna refused the capture, a request the core refused, Klarna down for a refund. */
	private const ANSWERS = array(
		'capture' => array(
			'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'capture_refused', 'success' => false, 'order_status' => 'on-hold',
			'note'    => array( 'code' => 'capture_refused_cancelled', 'text' => 'Klarna did not capture: the Klarna order is cancelled.' ),
			'klarna'  => array( 'http_status' => 403, 'error_code' => 'CAPTURE_NOT_ALLOWED', 'error_messages' => array( 'Order is cancelled. Capture not possible.' ), 'correlation_id' => 'corr-capture-403' ),
			'log'     => array(
				array( 'level' => 'warning', 'message' => 'klarna request failed', 'context' => array( 'method' => 'POST', 'path' => '/ordermanagement/v1/orders/k-701/captures', 'attempt' => '1', 'http_status' => '403', 'correlation_id' => 'corr-capture-403' ) ),
				array( 'level' => 'info', 'message' => 'klarna request done', 'context' => array( 'method' => 'GET', 'path' => '/ordermanagement/v1/orders/k-701', 'attempt' => '1', 'http_status' => '200' ) ),
			),
		),
		'update'  => array( 'version' => 1, 'ok' => false, 'error' => array( 'code' => 'invalid_amount', 'field' => 'order.items[0].total', 'message' => 'field `order.items[0].total` is not a decimal amount' ) ),
		'refund'  => array(
			'version' => 1, 'ok' => true, 'operation' => 'refund', 'outcome' => 'refund_failed', 'success' => false,
			'note'    => array( 'code' => 'refund_failed', 'text' => 'Klarna could not be reached.' ),
			'klarna'  => array( 'http_status' => 503, 'error_code' => 'TEMPORARILY_UNAVAILABLE', 'correlation_id' => 'corr-refund-503' ),
		),
	);

	/** The plugin over a scripted core; the customer's order; every operation once, and what reached the log. */
	private function operate( bool $debug ): array {
		$GLOBALS['klarna_om_test_log']     = array();
		$GLOBALS['klarna_om_test_options'] = array( 'woocommerce_klarna_payments_settings' => array( 'testmode' => 'yes', 'test_merchant_id_se' => 'PK_se', 'test_shared_secret_se' => self::PASSWORD ) );
		if ( $debug ) {
			$GLOBALS['klarna_om_test_options']['klarna_om_debug'] = 'yes';
		}
		$core = new ScriptedCore( self::ANSWERS + array( 'cancel' => NativeUnavailable::answer_lost( 'the klarna-om executable gave no answer (exit status 139)' ) ) );
		Shop::wire( $core );
		$order = OrderFactory::with_customer( OrderFactory::hoodies( 701, 'k-701' ) );
		$order->set_status( 'completed' );
		$order->save();  // capture: refused by Klarna, On hold
		$order->set_status( 'processing' );
		$order->save();  // update: the core refuses the request
		$order->set_status( 'cancelled' );
		$order->save();  // cancel: the core's answer is lost
		$this->assertStringContainsString( 'PK_se', json_encode( $core->calls ), 'the core was sent the credentials' );
		$this->assertStringContainsString( self::PROXY_PASSWORD, json_encode( $core->calls ), '… and the proxy' );
		$this->assertInstanceOf( WP_Error::class, OrderFactory::refund_one_hoodie_via_klarna( $order ) );  // Klarna down
		$core->answers['capture'] = array( 'version' => 1, 'ok' => true, 'operation' => 'capture', 'outcome' => 'captured', 'success' => true, 'klarna' => array( 'http_status' => 201, 'correlation_id' => 'corr-capture-201' ) );
		$order->set_status( 'completed' );
		$order->save();  // captured
		return $GLOBALS['klarna_om_test_log'];
	}

	/** WordPress's proxy with credentials (wp-config.php): a secret the core is sent (config.proxy). */
	private static function use_a_proxy_with_credentials(): void {
		define( 'WP_PROXY_HOST', 'proxy.example' );
		define( 'WP_PROXY_PORT', '3128' );
		define( 'WP_PROXY_USERNAME', 'proxy-user' );
		define( 'WP_PROXY_PASSWORD', self::PROXY_PASSWORD );
	}

	/** The entries as "level message" => context. */
	private static function by_message( array $log ): array {
		$entries = array();
		foreach ( $log as list( $level, $message, $context ) ) {
			$entries[ "$level $message" ] = $context;
		}
		return $entries;
	}

	/** Nothing personal and nothing secret, anywhere in the entries. */
	private function assert_nothing_personal_or_secret( array $log ): void {
		$text = json_encode( $log, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES );
		foreach ( array_merge( array_values( OrderFactory::CUSTOMER ), array( self::PASSWORD, self::PROXY_PASSWORD, 'proxy-user' ) ) as $secret ) {
			$this->assertStringNotContainsString( $secret, $text );
		}
	}

	/**
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_warnings_and_errors_are_logged_without_debug_and_without_personal_data_or_secrets(): void {
		self::use_a_proxy_with_credentials();
		$log     = $this->operate( false );
		$entries = self::by_message( $log );
		$this->assertSame( array( 'source' => 'klarna-order-management', 'operation' => 'capture', 'order_id' => 701, 'order_number' => '701', 'outcome' => 'capture_refused', 'klarna_error_code' => 'CAPTURE_NOT_ALLOWED', 'correlation_id' => 'corr-capture-403', 'http_status' => '403' ), $entries['warning klarna-om capture: capture_refused'] );
		$this->assertSame( 'corr-capture-403', $entries['warning klarna request failed']['correlation_id'], "the core's own warning" );
		$this->assertSame( '701', $entries['warning klarna request failed']['order_number'] );
		$this->assertSame( array( 'update', '701', 'invalid_amount', 'order.items[0].total' ), array( $entries['error klarna-om update could not run']['operation'], $entries['error klarna-om update could not run']['order_number'], $entries['error klarna-om update could not run']['code'], $entries['error klarna-om update could not run']['field'] ) );
		$this->assertStringContainsString( 'gave no answer', $entries['error klarna-om cancel did not finish']['reason'] );
		$this->assertSame( array( 'refund_failed', 'TEMPORARILY_UNAVAILABLE', 'corr-refund-503' ), array( $entries['warning klarna-om refund: refund_failed']['outcome'], $entries['warning klarna-om refund: refund_failed']['klarna_error_code'], $entries['warning klarna-om refund: refund_failed']['correlation_id'] ) );
		$this->assertSame( array(), array_diff( array_column( $log, 0 ), array( 'warning', 'error' ) ), 'no info or debug entries without the switch' );
		$this->assert_nothing_personal_or_secret( $log );
	}

	/**
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_debug_adds_every_request_and_outcome_still_without_personal_data_or_secrets(): void {
		self::use_a_proxy_with_credentials();
		$log     = $this->operate( true );
		$entries = self::by_message( $log );
		$this->assertArrayHasKey( 'info klarna request done', $entries );
		$this->assertSame( array( 'captured', 'corr-capture-201' ), array( $entries['info klarna-om capture: captured']['outcome'], $entries['info klarna-om capture: captured']['correlation_id'] ) );
		$this->assertArrayHasKey( 'warning klarna-om capture: capture_refused', $entries );
		$this->assert_nothing_personal_or_secret( $log );
	}

	public function test_the_levels_written_with_and_without_the_debug_switch(): void {
		$GLOBALS['klarna_om_test_log']     = array();
		$GLOBALS['klarna_om_test_options'] = array();
		$logger = new Logger();
		foreach ( array( 'debug', 'info', 'notice', 'warning', 'error', 'critical' ) as $level ) {
			$logger->log( $level, "a $level entry", array( 'order_id' => 1 ) );
		}
		$this->assertSame( array( 'warning', 'error', 'critical' ), array_column( $GLOBALS['klarna_om_test_log'], 0 ) );
		$this->assertSame( array( 'source' => 'klarna-order-management', 'order_id' => 1 ), $GLOBALS['klarna_om_test_log'][0][2] );
		$GLOBALS['klarna_om_test_options']['klarna_om_debug'] = 'yes';
		$GLOBALS['klarna_om_test_log']                        = array();
		$logger->log( 'info', 'klarna request done' );
		$logger->log( 'debug', 'detail' );
		$this->assertSame( array( 'info', 'debug' ), array_column( $GLOBALS['klarna_om_test_log'], 0 ) );
	}

	public function test_the_settings_section_links_to_the_plugins_log(): void {
		$this->assertSame( 'https://shop.example/wp-admin/admin.php?page=wc-status&tab=logs&source=klarna-order-management', Logger::viewer_url() );
		$title = KlarnaOM\SettingsSection::fields( array(), 'klarna_om' )[0];
		$this->assertStringContainsString( 'Warnings and errors are always written to the <a href="https://shop.example/wp-admin/admin.php?page=wc-status&amp;tab=logs&amp;source=klarna-order-management">WooCommerce log</a>', $title['desc'] );
	}
}
