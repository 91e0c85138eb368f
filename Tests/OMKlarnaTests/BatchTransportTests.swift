import Foundation
import OMCore
import OMCurl
import OMKlarna
import OMTestSupport
import Synchronization
import Testing

/// A batch's transport (OMCurl's KlarnaBatch: libcurl's multi interface behind one driver) against the sandbox:
/// the bytes it sends and the answers it reads are a single call's; Klarna's 429s pause it and their requests are
/// sent again; what it cannot send within a request's time is said, and counted as not sent.
@Suite struct BatchTransportTests {
    let sandbox: SandboxServer

    init() throws {
        sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)")
    }

    /// Runs `body` as the batch's only item, with a client whose requests go through the batch.
    func inBatch<T: Sendable>(
        _ batch: KlarnaBatch, budgetMs: Int = 10_000,
        _ body: @escaping @Sendable (KlarnaClient) throws -> T
    ) throws -> T {
        let settings = try sandbox.clientSettings(budgetMs: budgetMs)
        let outcome = Mutex<Result<T, any Error>?>(nil)
        _ = batch.run(count: 1) { _ in
            let client = KlarnaClient(settings: settings, transport: batch.transport(allowPlainHTTP: true, proxy: nil))
            let result = Result { try body(client) }
            outcome.withLock { $0 = result }
            return ""
        }
        return try #require(outcome.withLock { $0 }).get()
    }

    func key(_ name: String) -> IdempotencyKey { IdempotencyKey(intent: [UUID().uuidString, name]) }

    /// The sandbox's log entry as the wire carried it, without what differs between two orders and two requests.
    func wire(_ entry: [String: Any], orderId: String) -> String {
        var headers = entry["headers"] as? [String: String] ?? [:]
        headers["Klarna-Idempotency-Key"] = headers["Klarna-Idempotency-Key"].map { _ in "<key>" }
        let path = (entry["path"] as? String ?? "").replacingOccurrences(of: orderId, with: "<order>")
        let body =
            (try? JSONSerialization.data(
                withJSONObject: entry["body"] ?? NSNull(),
                options: [
                    .sortedKeys,
                    .fragmentsAllowed,
                ]))
        return
            "\(entry["method"] ?? "") \(path) \(headers.sorted { $0.key < $1.key }) \(body.map { String(decoding: $0, as: UTF8.self) } ?? "")"
    }

    @Test func aBatchSendsAndReadsWhatASingleCallDoes() throws {
        let single = try sandbox.seedOrder()
        let batched = try sandbox.seedOrder()
        let body = CaptureObject(
            capturedAmount: 10_000, description: "Order 7", reference: "7",
            orderLines: [
                OrderLine(
                    type: .physical, reference: "HOODIE-M", name: "Hoodie",
                    quantity: 2, unitPrice: 5_000, taxRate: 2_500,
                    totalAmount: 10_000, totalTaxAmount: 2_000)
            ])
        let client = try sandbox.client()
        let order = try client.getOrder(single)
        let created = try client.createCapture(single, body, key: key("a"))
        let (batchOrder, batchCreated) = try inBatch(KlarnaBatch(concurrency: 2, requestsPerSecond: 20)) { client in
            (try client.getOrder(batched), try client.createCapture(batched, body, key: key("b")))
        }
        #expect(batchOrder.orderAmount == order.orderAmount && batchOrder.status == order.status)
        #expect(
            batchCreated.location
                == created.location?.replacingOccurrences(of: single, with: batched)
                .replacingOccurrences(of: created.id, with: batchCreated.id))
        let sent = try sandbox.requests(for: single).map { wire($0, orderId: single) }
        let batchSent = try sandbox.requests(for: batched).map { wire($0, orderId: batched) }
        #expect(sent.count == 2)
        #expect(batchSent == sent)
    }

    @Test func a429IsSentAgainOnceThePauseIsOverAndTheBatchSlowsDown() throws {
        let id = try sandbox.seedOrder()
        try sandbox.injectFaults(for: id, ["fail_next": ["count": 2, "status": 429, "retry_after": 0]])
        let batch = KlarnaBatch(concurrency: 2, requestsPerSecond: 20)
        let k = key("capture")
        let log = try inBatch(batch) { client in
            _ = try client.createCapture(id, CaptureObject(capturedAmount: 10_000), key: k)
            return client.log
        }
        #expect(log.count == 1, "the client saw one answer: the batch sent the refused request again itself")
        let sent = try sandbox.requests(for: id)
        #expect(sent.map { $0["status"] as? Int } == [429, 429, 201])
        #expect(Set(sent.map { ($0["headers"] as? [String: String])?["Klarna-Idempotency-Key"] }) == [k.value])
        #expect(try sandbox.order(id)["captured_amount"] as? Int == 10_000)
        let entry = try #require(batch.log.first)
        #expect(entry.level == .warning && entry.context["throttled"] == "2")
        #expect(
            entry.context["lowest_requests_per_second"] == "5",
            "halved for each refusal of a request started after the last halving")
    }

    @Test func a429ThatOutlastsTheBudgetIsTheAnswerAndPausesTheBatch() throws {
        let refused = try sandbox.seedOrder()
        let next = try sandbox.seedOrder()
        try sandbox.injectFaults(for: refused, ["fail_next": ["count": 1, "status": 429, "retry_after": 30]])
        let batch = KlarnaBatch(concurrency: 1, requestsPerSecond: 20)
        let errors = try inBatch(batch, budgetMs: 1_500) { client in
            let capture = Result { () throws(OMError) in
                try client.createCapture(refused, CaptureObject(capturedAmount: 10_000), key: key("capture"))
            }
            // The batch is paused for 30 s: a request of another order waits for it, and its own time runs out.
            let read = Result { () throws(OMError) in try client.getOrder(next) }
            return [capture.error, read.error]
        }
        #expect(errors[0]?.code == .klarnaTooManyRequests && errors[0]?.reach == .notSent)
        #expect(errors[0]?.klarna?.httpStatus == 429)
        #expect(errors[1]?.code == .klarnaTooManyRequests && errors[1]?.reach == .notSent)
        #expect(errors[1]?.klarna == nil, "never sent, so Klarna said nothing")
        #expect(try sandbox.requests(for: refused).count == 1)
        #expect(try sandbox.requests(for: next).isEmpty)
        #expect(batch.log.map { $0.context["held_back"] } == [nil, "1"])
    }

    @Test func manyClientsShareOneBatch() throws {
        let ids = try (0..<24).map { _ in try sandbox.seedOrder() }
        let settings = try sandbox.clientSettings()
        let batch = KlarnaBatch(concurrency: 6, requestsPerSecond: 200)
        let answers = batch.run(count: ids.count) { index in
            let client = KlarnaClient(settings: settings, transport: batch.transport(allowPlainHTTP: true, proxy: nil))
            let created = try? client.createCapture(
                ids[index], CaptureObject(capturedAmount: 10_000),
                key: IdempotencyKey(intent: [ids[index], "capture"]))
            return created == nil ? "failed" : ids[index]
        }
        #expect(answers == ids, "every answer in its item's place")
        for id in ids { #expect(try sandbox.order(id)["captured_amount"] as? Int == 10_000) }
        #expect(batch.log.isEmpty)
    }
}

extension Result {
    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
