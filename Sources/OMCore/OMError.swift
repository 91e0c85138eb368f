/// The one error type of the core: a stable snake_case code, an English message that names the offending field
/// but never echoes a value, and optional details.
///
/// Codes are only ever added, never renamed (see `docs/contract.md`, "Error codes"). Nothing matches on message
/// text; callers switch on `code`.
public struct OMError: Error, Sendable, Equatable {
    /// A stable, documented error code.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // The request itself (the envelope answers `"ok": false`).
        public static let nullRequest = Code(rawValue: "null_request")
        public static let requestTooLarge = Code(rawValue: "request_too_large")
        public static let invalidUTF8 = Code(rawValue: "invalid_utf8")
        public static let invalidJSON = Code(rawValue: "invalid_json")
        public static let nestingTooDeep = Code(rawValue: "nesting_too_deep")
        public static let missingField = Code(rawValue: "missing_field")
        public static let invalidField = Code(rawValue: "invalid_field")
        public static let unsupportedVersion = Code(rawValue: "unsupported_version")
        public static let operationMismatch = Code(rawValue: "operation_mismatch")
        public static let invalidAmount = Code(rawValue: "invalid_amount")
        public static let unknownCurrency = Code(rawValue: "unknown_currency")
        public static let amountOverflow = Code(rawValue: "amount_overflow")
        public static let currencyMismatch = Code(rawValue: "currency_mismatch")
        // Building what Klarna receives (the operation stops before any request).
        /// The order's lines do not add up to its total beyond what rounding explains.
        public static let linesDoNotAddUp = Code(rawValue: "lines_do_not_add_up")
        /// A refunded item matches no item of the order.
        public static let unknownRefundItem = Code(rawValue: "unknown_refund_item")

        // Reaching Klarna (the operation ran; the outcome carries these).
        public static let networkTimeout = Code(rawValue: "network_timeout")
        public static let networkConnect = Code(rawValue: "network_connect")
        public static let networkDNS = Code(rawValue: "network_dns")
        public static let networkTLS = Code(rawValue: "network_tls")
        public static let networkInterrupted = Code(rawValue: "network_interrupted")
        public static let networkOther = Code(rawValue: "network_other")
        public static let responseTooLarge = Code(rawValue: "response_too_large")
        /// Klarna answered with an error; more specific codes are `klarna_` + Klarna's own `error_code` in lower
        /// case (`klarna_capture_not_allowed`), made by `OMError.Code.klarna(_:)`.
        public static let klarnaUnauthorized = Code(rawValue: "klarna_unauthorized")
        public static let klarnaNotFound = Code(rawValue: "klarna_not_found")
        public static let klarnaTooManyRequests = Code(rawValue: "klarna_too_many_requests")
        public static let klarnaServerError = Code(rawValue: "klarna_server_error")
        public static let klarnaHTTPError = Code(rawValue: "klarna_http_error")
        public static let klarnaUnexpectedResponse = Code(rawValue: "klarna_unexpected_response")
        /// Klarna's refusals the flows explain by reading the order.
        public static let klarnaCaptureNotAllowed = Code(rawValue: "klarna_capture_not_allowed")
        public static let klarnaCancelNotAllowed = Code(rawValue: "klarna_cancel_not_allowed")
        public static let klarnaRefundNotAllowed = Code(rawValue: "klarna_refund_not_allowed")
        public static let klarnaNotAllowed = Code(rawValue: "klarna_not_allowed")
        /// The configured base URL, scheme or host is not one this library may talk to.
        public static let baseURLRefused = Code(rawValue: "base_url_refused")
        /// A Klarna id (order, capture, refund) that cannot be put in a URL path.
        public static let invalidKlarnaId = Code(rawValue: "invalid_klarna_id")

        /// `klarna_` + Klarna's `error_code` in lower case, for codes made only of A–Z and `_`.
        public static func klarna(_ klarnaCode: String) -> Code? {
            guard !klarnaCode.isEmpty, klarnaCode.count <= 64,
                  klarnaCode.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || $0 == "_" })
            else { return nil }
            return Code(rawValue: "klarna_" + klarnaCode.lowercased())
        }

        // The library.
        public static let notImplemented = Code(rawValue: "not_implemented")
        public static let internalError = Code(rawValue: "internal_error")
    }

    public let code: Code
    public let message: String
    /// The request field at fault, as a JSON path such as `order.items[2].total`, when there is one.
    public let field: String?
    /// What Klarna answered, when the error is Klarna's answer (or the lack of one).
    public var klarna: KlarnaDetails?
    /// Whether the same request, with the same idempotency key, may succeed if sent again.
    public var retryable: Bool
    /// How far the failed request got; the Klarna client sets it, everything refused before sending is `.notSent`.
    public var reach: Reach

    public init(_ code: Code, _ message: String, field: String? = nil, klarna: KlarnaDetails? = nil,
                retryable: Bool = false, reach: Reach = .notSent) {
        self.code = code
        self.message = message
        self.field = field
        self.klarna = klarna
        self.retryable = retryable
        self.reach = reach
    }

    /// How far a failed request to Klarna got, which decides what the order's intent ledger records
    /// (docs/contract.md, "Exactly once").
    public enum Reach: Sendable, Equatable {
        /// Nothing reached Klarna: the core refused before sending, or no connection could be made. A retry
        /// starts afresh.
        case notSent
        /// Klarna answered with a definite refusal: its decision, never sent again under the same key.
        case refused
        /// Klarna may have acted (a timeout or broken connection after sending, 409, 5xx): only a retry under the
        /// same key can tell, and it is safe.
        case unknown

        /// Klarna's verdict by HTTP status: a 3xx or 4xx other than 409 (the key is in flight) and 429 (not now)
        /// is a definite refusal, never retried; any other failure may pass if sent again.
        public static func isDefiniteRefusal(status: Int) -> Bool {
            (300...499).contains(status) && status != 409 && status != 429
        }
    }

    /// Klarna refused with this code (its own, as `klarna_<code>`).
    public func isKlarnaRefusal(_ klarnaCode: Code) -> Bool { reach == .refused && code == klarnaCode }
}

extension OMError {
    public static func missingField(_ field: String) -> OMError {
        OMError(.missingField, "required field `\(field)` is missing", field: field)
    }

    public static func invalidField(_ field: String, expected: String) -> OMError {
        OMError(.invalidField, "field `\(field)` must be \(expected)", field: field)
    }
}
