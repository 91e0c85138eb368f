import Glibc
package import OMCore
import OMJSON
import Synchronization

/// Klarna's Order Management API (`ordermanagement/v1`), one method per endpoint, over a `Transport`.
///
/// Every POST and PATCH carries the caller's `IdempotencyKey`; failures that may pass are retried with the same key
/// (`RetryPolicy`) inside `budgetMs`. Klarna's answers become values or an `OMError` with stable codes; nothing
/// matches on Klarna's English text. A journal of every attempt (no secrets, no personal data) is kept for the
/// response's log, so make one client per operation: the journal lives, and grows, as long as the client.
package final class KlarnaClient: Sendable {
    package struct Settings: Sendable {
        package var baseURL: KlarnaBaseURL
        package var username: String
        package var password: String
        package var userAgent: String
        package var connectTimeoutMs: Int
        /// The time budget of the whole operation: every request this client sends, retries included; each
        /// attempt gets what is left of it.
        package var budgetMs: Int
        package var retry: RetryPolicy

        package init(
            baseURL: KlarnaBaseURL, username: String, password: String, userAgent: String,
            connectTimeoutMs: Int = 5_000, budgetMs: Int = 30_000, retry: RetryPolicy = RetryPolicy()
        ) {
            self.baseURL = baseURL
            self.username = username
            self.password = password
            self.userAgent = userAgent
            self.connectTimeoutMs = connectTimeoutMs
            self.budgetMs = budgetMs
            self.retry = retry
        }
    }

    /// The result of a mutation answered with 204.
    package struct Receipt: Sendable, Equatable {
        package var httpStatus: Int
        package var correlationId: String?
        package var attempts: Int
    }

    /// The result of create capture / create refund (201): the new id and where it can be read.
    package struct Created: Sendable, Equatable {
        package var id: String
        package var location: String?
        package var correlationId: String?
        package var attempts: Int
    }

    /// How deep Klarna's answers may nest. Its deepest nests five levels; the limit only keeps hostile input off the
    /// stack.
    static let answerMaxDepth = 64

    let settings: Settings
    let transport: any Transport
    /// Headers every request carries, computed once per client.
    private let commonHeaders: [(name: String, value: String)]
    private let journal = Mutex<[Attempt]>([])
    /// When the operation began, on the monotonic clock.
    private let started: Int

    package init(settings: Settings, transport: any Transport) {
        self.settings = settings
        self.transport = transport
        started = Self.monotonicMilliseconds()
        commonHeaders = [
            ("Authorization", "Basic " + Base64.encode(settings.username + ":" + settings.password)),
            ("Accept", "application/json"),
            ("User-Agent", settings.userAgent),
        ]
    }

    /// Log entries for every attempt so far, oldest first.
    package var log: [LogEntry] { journal.withLock { $0 }.map(\.logEntry) }

    // MARK: - Endpoints

    package func getOrder(_ orderId: String) throws(OMError) -> Order {
        try decode(Order.self, from: send(.get, try path(orderId)))
    }

    package func cancelOrder(_ orderId: String, key: IdempotencyKey) throws(OMError) -> Receipt {
        try receipt(send(.post, try path(orderId, "cancel"), key: key))
    }

    package func updateAuthorization(
        _ orderId: String, _ body: UpdateAuthorization, key: IdempotencyKey
    )
        throws(OMError) -> Receipt
    {
        try receipt(send(.patch, try path(orderId, "authorization"), body: encode(body), key: key))
    }

    package func extendAuthorizationTime(_ orderId: String, key: IdempotencyKey) throws(OMError) -> Receipt {
        try receipt(send(.post, try path(orderId, "extend-authorization-time"), key: key))
    }

    package func releaseRemainingAuthorization(_ orderId: String, key: IdempotencyKey) throws(OMError) -> Receipt {
        try receipt(send(.post, try path(orderId, "release-remaining-authorization"), key: key))
    }

    package func updateMerchantReferences(
        _ orderId: String, _ body: UpdateMerchantReferences, key: IdempotencyKey
    )
        throws(OMError) -> Receipt
    {
        try receipt(send(.patch, try path(orderId, "merchant-references"), body: encode(body), key: key))
    }

    package func updateCustomerDetails(
        _ orderId: String, _ body: UpdateConsumer, key: IdempotencyKey
    )
        throws(OMError) -> Receipt
    {
        try receipt(send(.patch, try path(orderId, "customer-details"), body: encode(body), key: key))
    }

    package func createCapture(_ orderId: String, _ body: CaptureObject, key: IdempotencyKey) throws(OMError) -> Created
    {
        try created(send(.post, try path(orderId, "captures"), body: encode(body), key: key), idHeader: "Capture-Id")
    }

    package func getCapture(_ orderId: String, captureId: String) throws(OMError) -> Capture {
        try decode(Capture.self, from: send(.get, try path(orderId, "captures", try segment(captureId, "capture id"))))
    }

    package func addShippingInfo(
        _ orderId: String, captureId: String, _ body: UpdateShippingInfo, key: IdempotencyKey
    )
        throws(OMError) -> Receipt
    {
        let target = try path(orderId, "captures", try segment(captureId, "capture id"), "shipping-info")
        return try receipt(send(.post, target, body: encode(body), key: key))
    }

    package func createRefund(_ orderId: String, _ body: RefundObject, key: IdempotencyKey) throws(OMError) -> Created {
        try created(send(.post, try path(orderId, "refunds"), body: encode(body), key: key), idHeader: "Refund-Id")
    }

    package func getRefund(_ orderId: String, refundId: String) throws(OMError) -> Refund {
        try decode(Refund.self, from: send(.get, try path(orderId, "refunds", try segment(refundId, "refund id"))))
    }

    // MARK: - Sending

    /// A 2xx answer with the number of attempts it took, or the error of the last attempt.
    struct Answer {
        var response: HTTPResponse
        var attempts: Int
    }

    func send(
        _ method: HTTPRequest.Method, _ path: String, body: [UInt8]? = nil, key: IdempotencyKey? = nil
    )
        throws(OMError) -> Answer
    {
        var headers = commonHeaders
        if body != nil || method != .get { headers.append(("Content-Type", "application/json")) }
        if let key { headers.append(("Klarna-Idempotency-Key", key.value)) }

        let target = settings.baseURL.url + path
        var random = SystemRandomNumberGenerator()
        var attempt = 0
        // Whether any attempt may have reached Klarna without a definite answer: then the outcome is unknown.
        var mayHaveActed = false
        while true {
            attempt += 1
            let remaining = settings.budgetMs - elapsedMs
            guard remaining > 0 else {
                throw OMError(
                    .networkTimeout, "the operation's time budget was spent before Klarna answered",
                    retryable: true, reach: mayHaveActed ? .unknown : .notSent)
            }
            let request = HTTPRequest(
                method: method, url: target, headers: headers, body: body,
                connectTimeoutMs: min(settings.connectTimeoutMs, remaining),
                timeoutMs: remaining)
            var failure: OMError
            var status: Int?
            var retryAfterMs: Int?
            switch Result(catching: { () throws(OMError) in try transport.send(request) }) {
            case .success(let response):
                record(
                    Attempt(
                        method: method, path: path, number: attempt, status: response.status,
                        correlationId: response.header("Klarna-Correlation-Id"), key: key))
                if (200...299).contains(response.status) { return Answer(response: response, attempts: attempt) }
                failure = KlarnaErrorMapping.error(for: response)
                if failure.reach == .refused { throw failure }
                status = response.status
                mayHaveActed = mayHaveActed || response.status != 429  // a 429 was not carried out
                retryAfterMs = response.retryAfterMs
            case .failure(let error):
                record(Attempt(method: method, path: path, number: attempt, key: key, error: error.code))
                failure = error
                mayHaveActed = mayHaveActed || Self.mayHaveBeenSent(error.code)
            }
            failure.reach = mayHaveActed ? .unknown : .notSent
            let mayRetry = RetryPolicy.isRetryable(
                method: method, hasIdempotencyKey: key != nil, status: status,
                transportError: status == nil && failure.retryable)
            guard mayRetry, attempt <= settings.retry.maxRetries else { throw failure }
            let pause = retryAfterMs ?? settings.retry.delayMs(beforeRetry: attempt, using: &random)
            guard elapsedMs + pause < settings.budgetMs else { throw failure }
            if pause > 0 { usleep(UInt32(clamping: pause * 1_000)) }
        }
    }

    /// Transport failures after which the request may have reached Klarna: not a failed DNS lookup, connection or
    /// TLS handshake, which all end before a byte of the request is sent, nor `klarna_too_many_requests`, which a
    /// transport throws for a request it held back for Klarna's rate limit until the budget was spent (a batch's).
    static func mayHaveBeenSent(_ code: OMError.Code) -> Bool {
        code != .networkDNS && code != .networkConnect && code != .networkTLS && code != .klarnaTooManyRequests
    }

    /// Milliseconds since this client (the operation) began: the budget covers every request it sends.
    private var elapsedMs: Int { Self.monotonicMilliseconds() - started }

    private func record(_ attempt: Attempt) {
        journal.withLock { $0.append(attempt) }
    }

    /// Milliseconds on the monotonic clock: the budget needs nothing finer.
    package static func monotonicMilliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1_000 + now.tv_nsec / 1_000_000
    }

    // MARK: - Paths, bodies, answers

    /// `/ordermanagement/v1/orders/{id}/…` with every id checked: ids come from order meta and must not be able to
    /// change the path (no `/`, `?`, `#`, `%`, spaces).
    func path(_ orderId: String, _ rest: String...) throws(OMError) -> String {
        try (["/ordermanagement/v1/orders", segment(orderId, "Klarna order id")] + rest).joined(separator: "/")
    }

    func segment(_ id: String, _ what: String) throws(OMError) -> String {
        var id = id
        let allowed = id.withUTF8 { bytes in
            bytes.count <= 255 && !bytes.isEmpty
                && bytes.allSatisfy { byte in
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                        UInt8(ascii: "~"):
                        return true
                    default:
                        return false
                    }
                }
        }
        // "." and ".." are path steps, not names: a URL library would resolve them away.
        let onlyDots = id.utf8.allSatisfy { $0 == UInt8(ascii: ".") }
        guard allowed, !onlyDots else {
            throw OMError(
                .invalidKlarnaId,
                "the \(what) is empty, too long, made only of dots or contains characters not allowed in a URL path")
        }
        return id
    }

    func encode(_ body: some JSONWritable) -> [UInt8] {
        JSONWriter.write(body.json)
    }

    func decode<T: JSONReadable>(_ type: T.Type, from answer: Answer) throws(OMError) -> T {
        do {
            return try JSONObjectReader.read(type, from: answer.response.body, maxDepth: Self.answerMaxDepth)
        } catch {
            throw OMError(
                .klarnaUnexpectedResponse, "Klarna's answer could not be read as \(type): \(error)",
                klarna: KlarnaDetails(
                    httpStatus: answer.response.status,
                    correlationId: answer.response.header("Klarna-Correlation-Id")))
        }
    }

    func receipt(_ answer: Answer) -> Receipt {
        Receipt(
            httpStatus: answer.response.status, correlationId: answer.response.header("Klarna-Correlation-Id"),
            attempts: answer.attempts)
    }

    /// `c-1` from `…/captures/c-1` (a trailing `/` ignored).
    static func lastPathSegment(_ url: String) -> String? {
        url.utf8.split(separator: UInt8(ascii: "/")).last.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads the new id from its header, or else from the last segment of `Location`; resolves a relative
    /// `Location` against the base URL.
    func created(_ answer: Answer, idHeader: String) throws(OMError) -> Created {
        let response = answer.response
        var location = response.header("Location")
        if let relative = location, relative.utf8.first == UInt8(ascii: "/") {
            location = settings.baseURL.url + relative
        }
        // The Location fallback is read only when the id header is missing (`??` evaluates its right side lazily).
        guard let id = response.header(idHeader) ?? location.flatMap(Self.lastPathSegment),
            (try? segment(id, "id")) != nil
        else {
            throw OMError(
                .klarnaUnexpectedResponse, "Klarna answered \(response.status) without \(idHeader) or Location",
                klarna: KlarnaDetails(
                    httpStatus: response.status,
                    correlationId: response.header("Klarna-Correlation-Id")),
                reach: .unknown)
        }
        return Created(
            id: id, location: location, correlationId: response.header("Klarna-Correlation-Id"),
            attempts: answer.attempts)
    }
}
