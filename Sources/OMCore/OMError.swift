/// The one error type of the core: a stable snake_case code, an English message that names the offending field
/// but never echoes a value, and optional details.
///
/// Codes are only ever added, never renamed (see `docs/contract.md`, "Error codes"). Nothing matches on message
/// text; callers switch on `code`.
package struct OMError: Error, Sendable, Equatable {
    /// A stable, documented error code.
    package struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        package let rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }
        package var description: String { rawValue }

        // The request itself (the envelope answers `"ok": false`).
        package static let nullRequest = Code(rawValue: "null_request")
        package static let requestTooLarge = Code(rawValue: "request_too_large")
        package static let invalidUTF8 = Code(rawValue: "invalid_utf8")
        package static let invalidJSON = Code(rawValue: "invalid_json")
        package static let nestingTooDeep = Code(rawValue: "nesting_too_deep")
        package static let missingField = Code(rawValue: "missing_field")
        package static let invalidField = Code(rawValue: "invalid_field")
        package static let unsupportedVersion = Code(rawValue: "unsupported_version")
        package static let operationMismatch = Code(rawValue: "operation_mismatch")
        package static let invalidAmount = Code(rawValue: "invalid_amount")
        package static let unknownCurrency = Code(rawValue: "unknown_currency")
        package static let amountOverflow = Code(rawValue: "amount_overflow")
        package static let currencyMismatch = Code(rawValue: "currency_mismatch")
        // Building what Klarna receives (the operation stops before any request).
        /// The order's lines do not add up to its total beyond what rounding explains.
        package static let linesDoNotAddUp = Code(rawValue: "lines_do_not_add_up")
        /// A refunded item matches no item of the order.
        package static let unknownRefundItem = Code(rawValue: "unknown_refund_item")

        // Reaching Klarna (the operation ran; the outcome carries these).
        package static let networkTimeout = Code(rawValue: "network_timeout")
        package static let networkConnect = Code(rawValue: "network_connect")
        package static let networkDNS = Code(rawValue: "network_dns")
        package static let networkTLS = Code(rawValue: "network_tls")
        package static let networkInterrupted = Code(rawValue: "network_interrupted")
        package static let networkOther = Code(rawValue: "network_other")
        package static let responseTooLarge = Code(rawValue: "response_too_large")
        /// Klarna answered with an error; more specific codes are `klarna_` + Klarna's own `error_code` in lower
        /// case (`klarna_capture_not_allowed`), made by `OMError.Code.klarna(_:)`.
        package static let klarnaUnauthorized = Code(rawValue: "klarna_unauthorized")
        package static let klarnaNotFound = Code(rawValue: "klarna_not_found")
        package static let klarnaTooManyRequests = Code(rawValue: "klarna_too_many_requests")
        package static let klarnaServerError = Code(rawValue: "klarna_server_error")
        package static let klarnaHTTPError = Code(rawValue: "klarna_http_error")
        package static let klarnaUnexpectedResponse = Code(rawValue: "klarna_unexpected_response")
        /// Klarna's refusals the flows explain by reading the order.
        package static let klarnaCaptureNotAllowed = Code(rawValue: "klarna_capture_not_allowed")
        package static let klarnaCancelNotAllowed = Code(rawValue: "klarna_cancel_not_allowed")
        package static let klarnaRefundNotAllowed = Code(rawValue: "klarna_refund_not_allowed")
        package static let klarnaNotAllowed = Code(rawValue: "klarna_not_allowed")
        /// The configured base URL, scheme or host is not one this library may talk to.
        package static let baseURLRefused = Code(rawValue: "base_url_refused")
        /// A Klarna id (order, capture, refund) that cannot be put in a URL path.
        package static let invalidKlarnaId = Code(rawValue: "invalid_klarna_id")

        /// `klarna_` + Klarna's `error_code` in lower case, for codes made only of A–Z and `_`.
        package static func klarna(_ klarnaCode: String) -> Code? {
            guard !klarnaCode.isEmpty, klarnaCode.count <= 64,
                klarnaCode.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || $0 == "_" })
            else { return nil }
            return Code(rawValue: "klarna_" + klarnaCode.lowercased())
        }

        // The library.
        package static let notImplemented = Code(rawValue: "not_implemented")
        package static let internalError = Code(rawValue: "internal_error")
    }

    package let code: Code
    package let message: String
    /// The request field at fault, as a JSON path such as `order.items[2].total`, when there is one.
    package let field: String?
    /// What Klarna answered, when the error is Klarna's answer (or the lack of one).
    package var klarna: KlarnaDetails?
    /// Whether the same request, with the same idempotency key, may succeed if sent again.
    package var retryable: Bool
    /// How far the failed request got; the Klarna client sets it, everything refused before sending is `.notSent`.
    package var reach: Reach

    package init(
        _ code: Code, _ message: String, field: String? = nil, klarna: KlarnaDetails? = nil,
        retryable: Bool = false, reach: Reach = .notSent
    ) {
        self.code = code
        self.message = message
        self.field = field
        self.klarna = klarna
        self.retryable = retryable
        self.reach = reach
    }

    /// How far a failed request to Klarna got, which decides what the order's intent ledger records
    /// (docs/contract.md, "Exactly once").
    package enum Reach: Sendable, Equatable {
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
        package static func isDefiniteRefusal(status: Int) -> Bool {
            (300...499).contains(status) && status != 409 && status != 429
        }
    }

    /// Klarna refused with this code (its own, as `klarna_<code>`).
    package func isKlarnaRefusal(_ klarnaCode: Code) -> Bool { reach == .refused && code == klarnaCode }
}

extension OMError {
    package static func missingField(_ field: String) -> OMError {
        OMError(.missingField, "required field `\(field)` is missing", field: field)
    }

    package static func invalidField(_ field: String, expected: String) -> OMError {
        OMError(.invalidField, "field `\(field)` must be \(expected)", field: field)
    }
}
