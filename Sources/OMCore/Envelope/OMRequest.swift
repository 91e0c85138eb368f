/// A request to the core, as `docs/contract.md` specifies it: what the plugin knows about one WooCommerce order
/// and what the merchant just did to it.
public struct OMRequest: Sendable {
    /// The contract version; only 1 exists.
    public var version: Int
    /// Optional; when present it must name the entry point that received the request.
    public var operation: OrderOperation?
    /// WordPress locale of the order ("vi", "vi_VN", "en_US"); decides the language of the note.
    public var locale: String?
    public var config: KlarnaConfig
    public var order: OrderSnapshot
    /// The refund being created; required by `refund`.
    public var refund: RefundSnapshot?
    public var platform: PlatformVersions?
    /// One shipment to capture (`om_capture`); without it a capture takes what WooCommerce still expects.
    public var capture: CaptureRequest?
    /// The shop's money format for notes; without it notes write "EUR 105.00".
    public var format: MoneyFormat?

    /// The contract versions this library reads.
    public static let supportedVersions: ClosedRange<Int> = 1...1
}

/// Where and as whom to reach Klarna. Secrets here never appear in a response, note, log or error.
public struct KlarnaConfig: Sendable {
    public enum Environment: String, Sendable {
        case production, playground, sandbox
    }
    public enum Region: String, Sendable {
        case eu, na, oc
    }
    public enum Domain: String, Sendable {
        case klarna = "klarna.com"
        case kustom = "kustom.co"
    }

    public var environment: Environment
    public var region: Region?
    public var domain: Domain?
    /// Only for `sandbox`, and then it must be a loopback `http` URL.
    public var baseUrl: String?
    public var username: String
    public var password: String
    public var connectTimeoutMs: Int?
    /// The whole operation's budget: every request, retry and read.
    public var timeoutMs: Int?
    /// A proxy for Klarna's hosts; without it none is used, whatever the environment says.
    public var proxy: String?

    public init(environment: Environment, region: Region? = nil, domain: Domain? = nil, baseUrl: String? = nil,
                username: String, password: String, connectTimeoutMs: Int? = nil, timeoutMs: Int? = nil,
                proxy: String? = nil) {
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
    public var budgetMs: Int { min(max(timeoutMs ?? 20_000, 1), 60_000) }

    /// The limit for opening one connection, never above the whole budget.
    public var connectBudgetMs: Int { min(max(connectTimeoutMs ?? 5_000, 1), budgetMs) }
}

/// Versions of the platform the plugin runs on, for Klarna's User-Agent convention.
public struct PlatformVersions: Sendable {
    public var wordpress: String?
    public var woocommerce: String?
    public var php: String?
    public var plugin: String?

    public init(wordpress: String? = nil, woocommerce: String? = nil, php: String? = nil, plugin: String? = nil) {
        self.wordpress = wordpress
        self.woocommerce = woocommerce
        self.php = php
        self.plugin = plugin
    }
}
