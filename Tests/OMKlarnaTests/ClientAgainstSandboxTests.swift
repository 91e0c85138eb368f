import Foundation
import OMCore
import OMCurl
import OMKlarna
import OMTestSupport
import Testing

/// The Swift client against the local Klarna sandbox, through libcurl over loopback HTTP. The sandbox validates
/// every body against Klarna's published schema, so a 2xx here also means the body was schema-valid.
@Suite struct ClientAgainstSandboxTests {
    let sandbox: SandboxServer
    let client: KlarnaClient

    init() throws {
        sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)")
        client = try sandbox.client()
    }

    static let hoodie = OrderLine(
        type: .physical, reference: "HOODIE-M", name: "Hoodie", quantity: 2, unitPrice: 5000,
        taxRate: 2500, totalAmount: 10000, totalTaxAmount: 2000)

    func key(_ parts: String...) -> IdempotencyKey { IdempotencyKey(intent: [UUID().uuidString] + parts) }

    func expectError(_ code: String, _ body: () throws -> Void) -> OMError? {
        do {
            try body()
            Issue.record("expected \(code), got success")
            return nil
        } catch {
            let error = error as? OMError
            #expect(error?.code.rawValue == code)
            return error
        }
    }

    @Test func getOrderDecodesKlarnasReadModel() throws {
        let id = try sandbox.seedOrder(["purchase_currency": "SEK"])
        let order = try client.getOrder(id)
        #expect(order.orderId == id)
        #expect(order.status == .authorized)
        #expect(order.fraudStatus == .accepted)
        #expect(order.orderAmount == 10000)
        #expect(order.remainingAuthorizedAmount == 10000)
        #expect(order.purchaseCurrency == "SEK")
        #expect(
            order.orderLines
                == [Self.hoodie].map {
                    var line = $0
                    line.reference = nil
                    return line
                }
                || order.orderLines?.first?.totalAmount == 10000)
    }

    @Test func cancelSendsOneKeyedPost() throws {
        let id = try sandbox.seedOrder()
        let k = key("cancel")
        let receipt = try client.cancelOrder(id, key: k)
        #expect(receipt.httpStatus == 204)
        #expect(receipt.correlationId != nil)
        #expect(try sandbox.order(id)["status"] as? String == "CANCELLED")
        let log = try sandbox.requests(for: id)
        #expect(log.count == 1)
        #expect(log.first?["method"] as? String == "POST")
        #expect((log.first?["headers"] as? [String: String])?["Klarna-Idempotency-Key"] == k.value)
        #expect((log.first?["headers"] as? [String: String])?["User-Agent"] == "Library/klarna-om_test")
    }

    @Test func captureWithLinesThenReadIt() throws {
        let id = try sandbox.seedOrder()
        let body = CaptureObject(
            capturedAmount: 10000, description: "Order 1042", reference: "1042",
            orderLines: [Self.hoodie],
            shippingInfo: [
                ShippingInfo(
                    shippingCompany: "PostNord", shippingMethod: "Home",
                    trackingNumber: "TN1")
            ])
        let created = try client.createCapture(id, body, key: key("capture"))
        #expect(created.location == "\(sandbox.baseURL)/ordermanagement/v1/orders/\(id)/captures/\(created.id)")
        let capture = try client.getCapture(id, captureId: created.id)
        #expect(capture.capturedAmount == 10000)
        #expect(capture.orderLines == [Self.hoodie])
        #expect(try client.getOrder(id).status == .captured)

        _ = try client.addShippingInfo(
            id, captureId: created.id,
            UpdateShippingInfo(shippingInfo: [ShippingInfo(trackingNumber: "TN2")]),
            key: key("shipping"))
        #expect(try client.getCapture(id, captureId: created.id).shippingInfo?.count == 2)
        let sent = try sandbox.requests(for: id).first { ($0["path"] as? String)?.hasSuffix("/captures") == true }
        let sentBody = sent?["body"] as? [String: Any]
        #expect(sentBody?["captured_amount"] as? Int == 10000)
        #expect((sentBody?["order_lines"] as? [[String: Any]])?.first?["total_tax_amount"] as? Int == 2000)
    }

    @Test func refundThenReadIt() throws {
        let id = try sandbox.seedOrder()
        _ = try client.createCapture(id, CaptureObject(capturedAmount: 10000), key: key("capture"))
        let line = OrderLine(
            type: .physical, reference: "HOODIE-M", name: "Hoodie", quantity: 1, unitPrice: 5000,
            taxRate: 2500, totalAmount: 5000, totalTaxAmount: 1000)
        let created = try client.createRefund(
            id,
            RefundObject(
                refundedAmount: 5000, description: "Refund 77",
                reference: "77", orderLines: [line]), key: key("refund"))
        let refund = try client.getRefund(id, refundId: created.id)
        #expect(refund.refundedAmount == 5000)
        #expect(refund.orderLines == [line])
        #expect(try client.getOrder(id).refundedAmount == 5000)
    }

    @Test func updateExtendReleaseReferencesAndCustomerDetails() throws {
        let id = try sandbox.seedOrder()
        let line = OrderLine(
            type: .physical, name: "Hoodie", quantity: 1, unitPrice: 5000, taxRate: 2500,
            totalAmount: 5000, totalTaxAmount: 1000)
        let shipping = OrderLine(
            type: .shippingFee, name: "Flat rate", quantity: 1, unitPrice: 500, taxRate: 2500,
            totalAmount: 500, totalTaxAmount: 100)
        _ = try client.updateAuthorization(
            id,
            UpdateAuthorization(
                orderAmount: 5500, description: "items edited",
                orderLines: [line, shipping]), key: key("update"))
        var order = try client.getOrder(id)
        #expect(order.orderAmount == 5500)
        #expect(order.originalOrderAmount == 10000)
        #expect(order.orderLines?.count == 2)

        _ = try client.extendAuthorizationTime(id, key: key("extend"))
        _ = try client.updateMerchantReferences(
            id,
            UpdateMerchantReferences(
                merchantReference1: "1042",
                merchantReference2: "wc-1042"),
            key: key("references"))
        _ = try client.updateCustomerDetails(
            id,
            UpdateConsumer(
                shippingAddress: Address(
                    givenName: "Anna", city: "Hà Nội",
                    country: "SE")),
            key: key("customer"))
        _ = try client.createCapture(id, CaptureObject(capturedAmount: 1000), key: key("part"))
        _ = try client.releaseRemainingAuthorization(id, key: key("release"))
        order = try client.getOrder(id)
        #expect(order.merchantReference1 == "1042")
        #expect(order.shippingAddress?.city == "Hà Nội")
        #expect(order.status == .closed)
        #expect(order.remainingAuthorizedAmount == 0)
    }

    // MARK: - Error classes

    @Test func klarnaRefusalsAreNotRetriedAndKeepTheCorrelationId() throws {
        let id = try sandbox.seedOrder()
        let error = expectError("klarna_capture_not_allowed") {
            _ = try client.createCapture(id, CaptureObject(capturedAmount: 10001), key: key("too much"))
        }
        let log = try sandbox.requests(for: id)
        #expect(log.count == 1, "a 403 must not be retried")
        #expect(error?.klarna?.httpStatus == 403)
        #expect(error?.klarna?.correlationId?.isEmpty == false)
        #expect(error?.retryable == false)
    }

    @Test func cancelAfterCaptureIsCancelNotAllowed() throws {
        let id = try sandbox.seedOrder()
        _ = try client.createCapture(id, CaptureObject(capturedAmount: 100), key: key("c"))
        let error = expectError("klarna_cancel_not_allowed") { _ = try client.cancelOrder(id, key: key("x")) }
        #expect(error?.klarna?.errorMessages == ["Order has previous captures. Cancel not possible."])
    }

    @Test func unknownThingsAreNotFound() throws {
        _ = expectError("klarna_no_such_order") { _ = try client.getOrder("no-such-order") }
        _ = expectError("klarna_not_found") {
            _ = try client.createRefund("no-such-order", RefundObject(refundedAmount: 1), key: key("r"))
        }
        let id = try sandbox.seedOrder()
        _ = expectError("klarna_no_such_capture") { _ = try client.getCapture(id, captureId: "nope") }
    }

    /// An amount above the schema's maximum (a text too long is no longer one: the writers cut it to its limit).
    @Test func schemaViolationsComeBackAsUnprocessable() throws {
        let id = try sandbox.seedOrder()
        _ = expectError("klarna_unprocessable_entity") {
            _ = try client.createCapture(id, CaptureObject(capturedAmount: 100_000_001), key: key("too-large"))
        }
        let long = try client.createCapture(
            id, CaptureObject(capturedAmount: 100, description: String(repeating: "x", count: 300)),
            key: key("long"))
        #expect(
            try sandbox.order(id)["captures"].flatMap { ($0 as? [[String: Any]])?.first?["description"] as? String }
                == String(repeating: "x", count: 255) && !long.id.isEmpty)
    }

    @Test func wrongCredentialsAreUnauthorizedEvenWithAnHTMLBody() throws {
        let id = try sandbox.seedOrder()
        let wrong = try sandbox.client(password: "not-the-password")
        let error = expectError("klarna_unauthorized") { _ = try wrong.getOrder(id) }
        #expect(error?.klarna?.httpStatus == 401)
        #expect(error?.klarna?.correlationId != nil)
    }

    @Test func idsThatCouldChangeThePathAreRefusedBeforeSending() throws {
        for bad in ["../captures", "a/b", "a?b", "a b", "", "a%2Fb", String(repeating: "a", count: 256)] {
            _ = expectError("invalid_klarna_id") { _ = try client.getOrder(bad) }
        }
    }

    // MARK: - Retries, exactly once

    @Test(arguments: [503, 500, 429])
    func passingFailuresAreRetriedWithTheSameKey(status: Int) throws {
        let id = try sandbox.seedOrder()
        try sandbox.injectFaults(for: id, ["fail_next": ["count": 2, "status": status]])
        let k = key("capture")
        let created = try client.createCapture(id, CaptureObject(capturedAmount: 4000), key: k)
        #expect(created.attempts == 3)
        let log = try sandbox.requests(for: id)
        #expect(log.map { $0["status"] as? Int } == [status, status, 201])
        #expect(Set(log.map { ($0["headers"] as? [String: String])?["Klarna-Idempotency-Key"] }) == [k.value])
        #expect((try sandbox.order(id)["captures"] as? [Any])?.count == 1)
    }

    @Test func retriesStopAfterTheLimit() throws {
        let id = try sandbox.seedOrder()
        try sandbox.injectFaults(for: id, ["fail_next": ["count": 5, "status": 503]])
        let error = expectError("klarna_temporarily_unavailable") {
            _ = try client.createCapture(id, CaptureObject(capturedAmount: 4000), key: key("capture"))
        }
        #expect(error?.retryable == true)
        #expect(try sandbox.requests(for: id).count == 3)
        #expect(try sandbox.order(id)["captured_amount"] as? Int == 0)
    }

    /// Commit, then drop the connection: the client sees a broken connection, retries with the same key, and the
    /// sandbox replays the first answer. One operation at Klarna, whatever the network did.
    @Test(arguments: [
        "cancel", "capture", "refund", "update", "extend", "release", "references", "customer", "shipping",
    ])
    func aDroppedAnswerIsRetriedAndExecutedOnce(endpoint: String) throws {
        let id = try sandbox.seedOrder()
        var captureId = ""
        if ["refund", "release", "shipping"].contains(endpoint) {
            captureId = try client.createCapture(id, CaptureObject(capturedAmount: 4000), key: key("setup")).id
        }
        try sandbox.injectFaults(for: id, ["drop_next_mutating": 1])
        let k = key(endpoint)
        switch endpoint {
        case "cancel": _ = try client.cancelOrder(id, key: k)
        case "capture": _ = try client.createCapture(id, CaptureObject(capturedAmount: 4000), key: k)
        case "refund": _ = try client.createRefund(id, RefundObject(refundedAmount: 1000), key: k)
        case "update": _ = try client.updateAuthorization(id, UpdateAuthorization(orderAmount: 9000), key: k)
        case "extend": _ = try client.extendAuthorizationTime(id, key: k)
        case "release": _ = try client.releaseRemainingAuthorization(id, key: k)
        case "references":
            _ = try client.updateMerchantReferences(id, UpdateMerchantReferences(merchantReference1: "r"), key: k)
        case "customer":
            _ = try client.updateCustomerDetails(id, UpdateConsumer(shippingAddress: Address(city: "Oslo")), key: k)
        default:
            _ = try client.addShippingInfo(
                id, captureId: captureId,
                UpdateShippingInfo(shippingInfo: [ShippingInfo(trackingNumber: "T")]), key: k)
        }
        let attempts = try sandbox.requests(for: id).filter {
            ($0["headers"] as? [String: String])?["Klarna-Idempotency-Key"] == k.value
        }
        #expect(attempts.count == 2)
        #expect(attempts.first?["dropped"] as? Bool == true)
        #expect(attempts.last?["replayed"] as? Bool == true)
        let order = try sandbox.order(id)
        switch endpoint {
        case "capture": #expect((order["captures"] as? [Any])?.count == 1)
        case "refund": #expect((order["refunds"] as? [Any])?.count == 1)
        case "cancel": #expect(order["status"] as? String == "CANCELLED")
        case "update": #expect(order["order_amount"] as? Int == 9000)
        default: break
        }
    }

    @Test func transportFailuresAreRetriedAndNamed() throws {
        // A port nobody listens on: connection refused, every attempt.
        let config = KlarnaConfig(environment: .sandbox, baseUrl: "http://127.0.0.1:9", username: "u", password: "p")
        let settings = KlarnaClient.Settings(
            baseURL: try KlarnaBaseURL(config: config), username: "u", password: "p",
            userAgent: "t", budgetMs: 5_000,
            retry: RetryPolicy(maxRetries: 2, baseDelayMs: 10, maxDelayMs: 20))
        let refused = KlarnaClient(settings: settings, transport: CurlTransport(allowPlainHTTP: true))
        let error = expectError("network_connect") { _ = try refused.getOrder("o") }
        #expect(error?.retryable == true)
        #expect(refused.log.count == 3)
    }

    @Test func aSlowKlarnaTimesOutInsideTheBudget() throws {
        let id = try sandbox.seedOrder()
        try sandbox.injectFaults(for: id, ["latency_ms": 1_500])
        let impatient = try sandbox.client(budgetMs: 400)
        let error = expectError("network_timeout") { _ = try impatient.getOrder(id) }
        #expect(error?.retryable == true)
        // The budget is spent on the first attempt, so no retry is started: one request reached the sandbox.
        #expect(impatient.log.count == 1)
    }

    @Test func theBudgetCoversTheWholeOperationNotEachRequest() throws {
        let id = try sandbox.seedOrder()
        try sandbox.injectFaults(for: id, ["latency_ms": 1_500])
        let impatient = try sandbox.client(budgetMs: 400)
        _ = expectError("network_timeout") { _ = try impatient.getOrder(id) }
        // A second request of the same operation finds the budget spent: it is not sent at all.
        let error = expectError("network_timeout") {
            _ = try impatient.createCapture(id, CaptureObject(capturedAmount: 100), key: key("late"))
        }
        #expect(error?.reach == .notSent)
        #expect(impatient.log.count == 1)
        #expect(try sandbox.requests(for: id).filter { $0["method"] as? String == "POST" }.isEmpty)
    }

    @Test func howFarAFailedMutationGotDecidesWhatTheLedgerRecords() throws {
        let id = try sandbox.seedOrder()
        // Klarna's decision: refused.
        let refused = expectError("klarna_capture_not_allowed") {
            _ = try client.createCapture(id, CaptureObject(capturedAmount: 1_000_000), key: key("too-much"))
        }
        #expect(refused?.reach == .refused)
        // 503 three times: Klarna may have acted.
        try sandbox.injectFaults(for: id, ["fail_next": ["count": 3, "status": 503]])
        let unknown = expectError("klarna_temporarily_unavailable") {
            _ = try client.createCapture(id, CaptureObject(capturedAmount: 100), key: key("busy"))
        }
        #expect(unknown?.reach == .unknown)
        // 429 three times: Klarna carried nothing out.
        try sandbox.injectFaults(for: id, ["fail_next": ["count": 3, "status": 429]])
        let throttled = expectError("klarna_too_many_requests") {
            _ = try client.createCapture(id, CaptureObject(capturedAmount: 100), key: key("throttled"))
        }
        #expect(throttled?.reach == .notSent)
        // No connection at all, and an id that cannot be sent.
        let config = KlarnaConfig(environment: .sandbox, baseUrl: "http://127.0.0.1:9", username: "u", password: "p")
        let nowhere = KlarnaClient(
            settings: .init(
                baseURL: try KlarnaBaseURL(config: config), username: "u", password: "p",
                userAgent: "t", retry: RetryPolicy(maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2)),
            transport: CurlTransport(allowPlainHTTP: true))
        #expect(expectError("network_connect") { _ = try nowhere.cancelOrder("o", key: key("c")) }?.reach == .notSent)
        #expect(expectError("invalid_klarna_id") { _ = try client.cancelOrder("..", key: key("c")) }?.reach == .notSent)
    }

    @Test func plainHTTPIsRefusedByTheTransportUnlessAllowed() throws {
        let transport = CurlTransport(allowPlainHTTP: false)
        do {
            _ = try transport.send(HTTPRequest(method: .get, url: sandbox.baseURL + "/_sandbox/health"))
            Issue.record("plain http was used by a transport for Klarna")
        } catch {
            #expect(error.code == .networkOther)
        }
    }

    // MARK: - Secrets

    @Test func noSecretInLogsErrorsOrWhatTheSandboxSaw() throws {
        let id = try sandbox.seedOrder()
        _ = try client.createCapture(id, CaptureObject(capturedAmount: 100), key: key("c"))
        let wrong = try sandbox.client(password: "wrong-\(SandboxServer.password)")
        var texts: [String] = []
        do { _ = try wrong.getOrder(id) } catch { texts.append("\(error)") }
        do { _ = try client.createCapture(id, CaptureObject(capturedAmount: 1_000_000), key: key("x")) } catch {
            texts.append("\(error)")
        }
        texts.append("\(client.log)")
        texts.append("\(wrong.log)")
        texts.append("\(try sandbox.requests(for: id))")
        let basic = Data("\(SandboxServer.username):\(SandboxServer.password)".utf8).base64EncodedString()
        for text in texts {
            #expect(!text.contains(SandboxServer.password))
            #expect(!text.contains(basic))
        }
    }
}
