/// A request to the core, as `docs/contract.md` specifies it: what the plugin knows about one WooCommerce order
/// and what the merchant just did to it.
package struct OMRequest: Sendable {
    /// The contract version; only 1 exists.
    package var version: Int
    /// Optional; when present it must name the entry point that received the request.
    package var operation: OrderOperation?
    /// WordPress locale of the order ("vi", "vi_VN", "en_US"); decides the language of the note.
    package var locale: String?
    package var config: KlarnaConfig
    package var order: OrderSnapshot
    /// The refund being created; required by `refund`.
    package var refund: RefundSnapshot?
    package var platform: PlatformVersions?
    /// One shipment to capture (`om_capture`); without it a capture takes what WooCommerce still expects.
    package var capture: CaptureRequest?
    /// The shop's money format for notes; without it notes write "EUR 105.00".
    package var format: MoneyFormat?

    /// The contract versions this library reads.
    package static let supportedVersions: ClosedRange<Int> = 1...1
}

/// Where and as whom to reach Klarna. Secrets here never appear in a response, note, log or error.
package struct KlarnaConfig: Sendable {
    package enum Environment: String, Sendable {
        case production, playground, sandbox
    }
    package enum Region: String, Sendable {
        case eu, na, oc
    }
    package enum Domain: String, Sendable {
        case klarna = "klarna.com"
        case kustom = "kustom.co"
    }

    package var environment: Environment
    package var region: Region?
    package var domain: Domain?
    /// Only for `sandbox`, and then it must be a loopback `http` URL.
    package var baseUrl: String?
    package var username: String
    package var password: String
    package var connectTimeoutMs: Int?
    /// The whole operation's budget: every request, retry and read.
    package var timeoutMs: Int?
    /// A proxy for Klarna's hosts; without it none is used, whatever the environment says.
    package var proxy: String?

    package init(
        environment: Environment, region: Region? = nil, domain: Domain? = nil, baseUrl: String? = nil,
        username: String, password: String, connectTimeoutMs: Int? = nil, timeoutMs: Int? = nil,
        proxy: String? = nil
    ) {
        self.environment = environment
        self.region = region
        self.domain = domain
        self.baseUrl = baseUrl
        self.username = username
        self.password = password
        self.connectTimeoutMs = connectTimeoutMs
        self.timeoutMs = timeoutMs
        self.proxy = proxy
    }

    /// The operation's budget in milliseconds: 20 s unless set, never above a minute. A WooCommerce save waits for
    /// it, and PHP's own time limit must not end the request halfway through a money operation.
    package var budgetMs: Int { min(max(timeoutMs ?? 20_000, 1), 60_000) }

    /// The limit for opening one connection, never above the whole budget.
    package var connectBudgetMs: Int { min(max(connectTimeoutMs ?? 5_000, 1), budgetMs) }
}

/// Versions of the platform the plugin runs on, for Klarna's User-Agent convention.
package struct PlatformVersions: Sendable {
    package var wordpress: String?
    package var woocommerce: String?
    package var php: String?
    package var plugin: String?

    package init(wordpress: String? = nil, woocommerce: String? = nil, php: String? = nil, plugin: String? = nil) {
        self.wordpress = wordpress
        self.woocommerce = woocommerce
        self.php = php
        self.plugin = plugin
    }
}
