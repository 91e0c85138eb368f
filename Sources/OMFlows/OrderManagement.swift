import Glibc
package import OMCore
package import OMKlarna

/// Runs one operation of the contract for one order: the core's rules first, then Klarna through the client, then
/// the outcome with its note. On the success path each operation sends Klarna exactly one request; an order is read
/// only to explain a refusal or to pick up state the WooCommerce order cannot know (an existing capture, an intent
/// whose outcome is unknown).
package struct OrderManagement: Sendable {
    /// Makes the transport for one operation; `allowPlainHTTP` is true only for a loopback sandbox, and `proxy` is
    /// the configured one (never for a loopback sandbox).
    let makeTransport: @Sendable (_ allowPlainHTTP: Bool, _ proxy: String?) -> any Transport
    let operatingSystem: String
    let libraryVersion: String
    /// Seconds since the epoch, for the time of a read (`state.read_at`); tests may fix it.
    package var clock: @Sendable () -> Int64 = { Int64(time(nil)) }

    package init(
        libraryVersion: String, operatingSystem: String,
        makeTransport: @escaping @Sendable (_ allowPlainHTTP: Bool, _ proxy: String?) -> any Transport
    ) {
        self.libraryVersion = libraryVersion
        self.operatingSystem = operatingSystem
        self.makeTransport = makeTransport
    }

    /// Runs `operation`. Throws only when the request cannot be acted on (its config or amounts); everything
    /// Klarna answers becomes an outcome.
    package func run(_ operation: OrderOperation, _ request: OMRequest) throws(OMError) -> OMResponse {
        let order = request.order
        let total = Money(
            minorUnits: try order.totals.total.exactMinorUnits(exponent: order.currency.exponent),
            currency: order.currency)
        if let skipped = try OrderRules.precheck(operation, order, total: total) {
            return skipped.response(locale: request.locale, format: request.format)
        }
        let context = FlowContext(
            request: request, operation: operation, total: total,
            client: try client(for: request), clock: clock)
        var (outcome, adjustments): (Outcome, [LineAdjustment])
        switch operation {
        case .cancel: (outcome, adjustments) = (try CancelFlow.run(context), [])
        case .capture: (outcome, adjustments) = try CaptureFlow.run(context)
        case .update: (outcome, adjustments) = try UpdateFlow.run(context)
        case .refund: (outcome, adjustments) = try RefundFlow.run(context)
        case .sync: (outcome, adjustments) = (try SyncFlow.run(context), [])
        case .release: (outcome, adjustments) = (ReleaseFlow.run(context), [])
        case .extend: (outcome, adjustments) = (ExtendFlow.run(context), [])
        }
        outcome.state = context.observations.state(request: request)
        if !outcome.success, outcome.klarna?.httpStatus == 401 {
            // Whatever was attempted, the merchant's step is the same: the credentials in the gateway's settings.
            outcome.noteCode = .credentialsRefused
        }
        return outcome.response(
            locale: request.locale, format: request.format, log: context.client.log,
            adjustments: adjustments)
    }

    func client(for request: OMRequest) throws(OMError) -> KlarnaClient {
        let config = request.config
        let base = try KlarnaBaseURL(config: config)
        let proxy = try KlarnaBaseURL.proxy(config.proxy, for: base)
        let settings = KlarnaClient.Settings(
            baseURL: base, username: config.username, password: config.password,
            userAgent: UserAgent.make(
                libraryVersion: libraryVersion, os: operatingSystem,
                platform: request.platform ?? PlatformVersions()),
            connectTimeoutMs: config.connectBudgetMs, budgetMs: config.budgetMs)
        return KlarnaClient(settings: settings, transport: makeTransport(base.isLoopbackSandbox, proxy))
    }
}

/// What every flow needs: the request, the Klarna client, the operation's ledger entry, and the ids and amounts
/// notes talk about.
struct FlowContext {
    let request: OMRequest
    let operation: OrderOperation
    let total: Money
    let client: KlarnaClient
    let klarnaOrderId: String
    /// Klarna's order as this operation read and changed it: the response's `state`.
    let observations = Observations()
    let clock: @Sendable () -> Int64

    init(
        request: OMRequest, operation: OrderOperation, total: Money, client: KlarnaClient,
        clock: @escaping @Sendable () -> Int64
    ) {
        self.request = request
        self.operation = operation
        self.total = total
        self.client = client
        self.clock = clock
        klarnaOrderId = request.order.klarna?.orderId ?? ""
    }

    var order: OrderSnapshot { request.order }
    var currency: Currency { request.order.currency }
    /// The order number the merchant sees: Klarna's references and descriptions use it.
    var orderReference: String { order.number ?? String(order.id) }

    /// This operation's entry in the order's intent ledger, as stored.
    var ledger: LedgerEntry { order.meta?.ledger?[operation] ?? LedgerEntry() }

    /// The idempotency key of an intent in this ledger slot: the merchant (API username), the Klarna order, the
    /// operation, how many of its intents Klarna has answered, and the intent (its fingerprint: amount and lines),
    /// or, while an attempt is unresolved, that attempt's. Never a WooCommerce id, which a retry changes.
    /// `also` names more state WooCommerce keeps that no retry changes (a refund's: what Klarna refunded before it).
    func key(_ slot: LedgerEntry, for fingerprint: String, also: [String] = []) -> IdempotencyKey {
        IdempotencyKey(
            intent: [
                request.config.username, klarnaOrderId, operation.rawValue, String(slot.answered),
                slot.keyFingerprint(for: fingerprint),
            ] + also)
    }

    /// Parameters every note of this order can use.
    func params(amount: Money? = nil) -> [String: NoteParam] {
        NoteParams.amount(amount ?? total).with([
            "klarna_order_id": .text(klarnaOrderId),
            "order_number": .text(orderReference),
        ])
    }

    /// Klarna's order, read to plan or to explain; every read becomes the response's state.
    func readOrder() -> Result<Order, OMError> {
        let result = Result { () throws(OMError) in try client.getOrder(klarnaOrderId) }
        if case .success(let order) = result {
            observations.read(order, at: UTCTimestamp.iso8601(secondsSinceEpoch: clock()))
        }
        return result
    }

    func money(_ minorUnits: Int64?) -> Money { Money(minorUnits: minorUnits ?? 0, currency: currency) }
}

extension OMError {
    /// Whether an operation that ended in this error was refused (Klarna's decision, or something the merchant must
    /// fix before anything can be sent) rather than failed (worth retrying as it is).
    var isRefusal: Bool { reach == .refused || (reach == .notSent && !retryable) }

    /// This error, as the end of an attempt whose outcome stays open: a read that failed after Klarna answered a
    /// mutation leaves the merchant a retry, never a refusal.
    var unresolved: OMError {
        var error = self
        error.reach = .unknown
        return error
    }
}

extension LedgerEntry {
    /// The entry after the intent with `fingerprint` ended in `error`; nil when it stays as it was (nothing was sent).
    func after(_ error: OMError, fingerprint: String) -> LedgerEntry? {
        switch error.reach {
        case .refused: advanced
        case .unknown: awaiting(fingerprint)
        case .notSent: nil
        }
    }
}
