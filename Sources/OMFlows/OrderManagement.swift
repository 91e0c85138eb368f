public import OMCore
public import OMKlarna

/// Runs one operation of the contract for one order: the core's rules first, then Klarna through the client, then
/// the outcome with its note. On the success path each operation sends Klarna exactly one request; an order is read
/// only to explain a refusal or to pick up state the WooCommerce order cannot know (an existing capture).
public struct OrderManagement: Sendable {
    /// Makes the transport for one operation; `allowPlainHTTP` is true only for a loopback sandbox.
    let makeTransport: @Sendable (_ allowPlainHTTP: Bool) -> any Transport
    let operatingSystem: String
    let libraryVersion: String

    public init(libraryVersion: String, operatingSystem: String,
                makeTransport: @escaping @Sendable (_ allowPlainHTTP: Bool) -> any Transport) {
        self.libraryVersion = libraryVersion
        self.operatingSystem = operatingSystem
        self.makeTransport = makeTransport
    }

    /// Runs `operation`. Throws only when the request cannot be acted on (its config or amounts); everything
    /// Klarna answers becomes an outcome.
    public func run(_ operation: OrderOperation, _ request: OMRequest) throws(OMError) -> OMResponse {
        let order = request.order
        let total = Money(minorUnits: try order.totals.total.exactMinorUnits(exponent: order.currency.exponent),
                          currency: order.currency)
        if let skipped = OrderRules.precheck(operation, order, total: total) {
            return skipped.response(locale: request.locale)
        }
        let context = FlowContext(request: request, total: total, client: try client(for: request))
        let (outcome, adjustments): (Outcome, [LineAdjustment])
        switch operation {
        case .cancel: (outcome, adjustments) = (CancelFlow.run(context), [])
        case .capture: (outcome, adjustments) = try CaptureFlow.run(context)
        case .update: (outcome, adjustments) = try UpdateFlow.run(context)
        case .refund: (outcome, adjustments) = try RefundFlow.run(context)
        }
        return outcome.response(locale: request.locale, log: context.client.log, adjustments: adjustments)
    }

    func client(for request: OMRequest) throws(OMError) -> KlarnaClient {
        let config = request.config
        let base = try KlarnaBaseURL(config: config)
        let settings = KlarnaClient.Settings(
            baseURL: base, username: config.username, password: config.password,
            userAgent: UserAgent.make(libraryVersion: libraryVersion, os: operatingSystem,
                                      platform: request.platform ?? PlatformVersions()),
            connectTimeoutMs: max(config.connectTimeoutMs ?? 5_000, 1), budgetMs: max(config.timeoutMs ?? 30_000, 1))
        return KlarnaClient(settings: settings, transport: makeTransport(base.isLoopbackSandbox))
    }
}

/// What every flow needs: the request, the Klarna client, and the ids and amounts notes talk about.
struct FlowContext {
    let request: OMRequest
    let total: Money
    let client: KlarnaClient
    let klarnaOrderId: String

    init(request: OMRequest, total: Money, client: KlarnaClient) {
        self.request = request
        self.total = total
        self.client = client
        klarnaOrderId = request.order.klarna?.orderId ?? ""
    }

    var order: OrderSnapshot { request.order }
    var currency: Currency { request.order.currency }

    /// The idempotency key of this intent: credentials (the merchant), Klarna order, operation and its details.
    func key(_ parts: String...) -> IdempotencyKey {
        IdempotencyKey(intent: [request.config.username, klarnaOrderId] + parts)
    }

    /// Parameters every note of this order can use.
    func params(amount: Money? = nil) -> [String: NoteParam] {
        NoteParams.amount(amount ?? total).with(["klarna_order_id": .text(klarnaOrderId),
                                                 "order_number": .text(order.number ?? String(order.id))])
    }

    /// Klarna's order, read to explain a refusal; nil when even the read fails (the refusal is then shown as is).
    func readOrder() -> Order? { try? client.getOrder(klarnaOrderId) }

    func money(_ minorUnits: Int64?) -> Money { Money(minorUnits: minorUnits ?? 0, currency: currency) }
}
