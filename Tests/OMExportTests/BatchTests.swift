import Foundation
import OMCore
import OMTestSupport
import Testing

/// om_batch through the C ABI (resolved with dlsym from the built library) against the Klarna sandbox: each item is
/// answered exactly as its own entry point answers the same request (byte for byte, once the ids Klarna makes up
/// are masked), one item's failure never touches another, Klarna's 429s pause the whole batch and lose nothing, and
/// a dropped answer never captures twice. Every assertion is on answers, on Klarna's orders and on the sandbox's
/// request log (its order and counts), never on time.
@Suite struct BatchTests {
    let sandbox: SandboxServer

    init() throws {
        sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)")
    }

    // MARK: - Calling the library

    /// `om_<function>` of the built library on a JSON text: the answer's bytes.
    static func call(_ function: String, _ text: String?) throws -> String {
        let library = LoadedLibraryTests.Library.shared
        let call = try #require(library.symbol("om_\(function)", as: LoadedLibraryTests.OperationFunction.self))
        let free = try #require(library.symbol("om_free", as: LoadedLibraryTests.FreeFunction.self))
        let pointer = text.map { call($0) } ?? call(nil)
        defer { free(pointer) }
        return try #require(pointer.map { String(cString: $0) })
    }

    static func text(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Runs a batch; returns its bytes, the whole answer, and each item's answer (re-serialised as `canonical` does).
    static func batch(
        _ items: [[String: Any]], concurrency: Int = 8, requestsPerSecond: Int = 50
    ) throws
        -> (text: String, answer: [String: Any], results: [String])
    {
        let text = try call(
            "batch",
            try text([
                "version": 1, "items": items, "concurrency": concurrency,
                "requests_per_second": requestsPerSecond,
            ]))
        let answer = try object(text)
        let results = try (answer["results"] as? [Any] ?? []).map { result in
            String(
                decoding: try JSONSerialization.data(
                    withJSONObject: result,
                    options: [
                        .sortedKeys,
                        .withoutEscapingSlashes,
                    ]),
                as: UTF8.self)
        }
        return (text, answer, results)
    }

    /// An answer in the form `batch` gives its results (re-serialised alike), for comparing bytes.
    static func canonical(_ text: String) throws -> String {
        String(
            decoding: try JSONSerialization.data(
                withJSONObject: try JSONSerialization.jsonObject(with: Data(text.utf8)),
                options: [.sortedKeys, .withoutEscapingSlashes]),
            as: UTF8.self)
    }

    /// Ids Klarna makes up (orders, captures, refunds, correlation ids) and the keys made from them, masked.
    /// Ids and times masked: twin orders differ in both (a capture's `captured_at`, a read's `read_at`).
    static func masked(_ text: String) -> String {
        text.replacingOccurrences(
            of: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
            with: "<id>", options: .regularExpression
        )
        .replacingOccurrences(
            of: "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})",
            with: "<time>", options: .regularExpression)
    }

    /// The answer without its attempts' log, and the idempotency keys those attempts carried: where a connection
    /// died before Klarna's answer, libcurl itself sends the request again on a new connection when the dead one was
    /// a kept-alive one (the same bytes, the same key), and a batch's items share kept-alive connections, so the
    /// batch's log may show one attempt fewer than the single call's. Everything else is the single call's.
    static func withoutAttempts(_ text: String) throws -> (answer: String, keys: Set<String>) {
        var answer = try object(masked(text))
        let log = answer.removeValue(forKey: "log") as? [[String: Any]] ?? []
        let keys = log.compactMap { ($0["context"] as? [String: String])?["idempotency_key"] }
        return (
            String(decoding: try JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys]), as: UTF8.self),
            Set(keys)
        )
    }

    static func item(_ operation: String, _ request: [String: Any]) -> [String: Any] {
        ["operation": operation, "request": request]
    }

    /// The standard order of the decision table at this sandbox, on a newly seeded Klarna order whose lines the order
    /// knows Klarna holds (as after an update), so that its capture is one POST: these tests are about the batch's
    /// traffic, and the capture's read first is the decision table's.
    func captureRequest(seed: [String: Any] = [:]) throws -> (request: [String: Any], klarnaOrderId: String) {
        var spec: [String: Any] = ["order_lines": DecisionTable.seedLines, "purchase_currency": "EUR"]
        spec.merge(seed) { _, new in new }
        let id = try sandbox.seedOrder(spec)
        var request = DecisionTable.standardRequest(klarnaOrderId: id, baseURL: sandbox.baseURL)
        DecisionTable.meta(&request, ["lines_fingerprint": DecisionTable.fingerprintOfStandardOrder])
        return (request, id)
    }

    /// The requests Klarna received for one order, as "METHOD suffix", oldest first.
    func sent(_ klarnaOrderId: String) throws -> [String] {
        try sandbox.requests(for: klarnaOrderId).sorted { ($0["time"] as? Double ?? 0) < ($1["time"] as? Double ?? 0) }
            .map { entry in
                let path = (entry["path"] as? String ?? "").replacingOccurrences(
                    of: "/ordermanagement/v1/orders/\(klarnaOrderId)", with: "")
                return "\(entry["method"] as? String ?? "") \(Self.masked(path))"
            }
    }

    // MARK: - Every row of the decision table, as its own entry point answers it

    /// Every row of the decision table twice: on one Klarna order through its own entry point, on its twin as an
    /// item of one batch (with a malformed item and a bad request among them). Each item's answer is the single
    /// call's, byte for byte once ids are masked; Klarna received the same requests and holds the same amounts.
    /// Rows whose answer is lost on the way are `droppedAnswersNeverCaptureTwice`'s (see `withoutAttempts`).
    @Test func everyDecisionTableRowAnswersInABatchAsItsOwnEntryPointDoes() throws {
        let rows = DecisionTable.rows.filter { $0.klarna["drop"] == nil }
        var single: [String] = []
        var items: [[String: Any]] = []
        var twins: [(String, String)] = []
        for row in rows {
            let alone = try FlowTableTests.seed(row, in: sandbox)
            let twin = try FlowTableTests.seed(row, in: sandbox)
            var request = FlowTableTests.standardRequest(klarnaOrderId: alone, sandbox: sandbox)
            row.snapshot(&request)
            single.append(try Self.call(row.operation, try Self.text(request)))
            request = FlowTableTests.standardRequest(klarnaOrderId: twin, sandbox: sandbox)
            row.snapshot(&request)
            items.append(Self.item(row.operation, request))
            twins.append((alone, twin))
        }
        // Two malformed items in the middle refuse only themselves.
        let noConfig = #"{"version":1,"order":{"id":1}}"#
        items.insert(Self.item("capture", try Self.object(noConfig)), at: 3)
        items.insert(["operation": "charge", "request": [:] as [String: Any]], at: 7)

        let (text, answer, results) = try Self.batch(items)
        #expect(answer["ok"] as? Bool == true && answer["log"] == nil)
        try #require(results.count == rows.count + 2)
        var expected = single
        expected.insert(try Self.call("capture", noConfig), at: 3)
        expected.insert(
            #"{"error":{"code":"invalid_field","field":"items[7].operation","message":"field `items[7].operation` "#
                + #"has a value that is malformed, out of range or not allowed"},"ok":false,"version":1}"#, at: 7)
        // The batch's bytes are the single calls' bytes, in order.
        #expect(
            Self.masked(text)
                == Self.masked(#"{"ok":true,"results":["# + expected.joined(separator: ",") + #"],"version":1}"#))
        let answers = results.enumerated().filter { ![3, 7].contains($0.offset) }.map(\.element)
        for (index, row) in rows.enumerated() {
            #expect(Self.masked(answers[index]) == Self.masked(try Self.canonical(single[index])), "\(row.name)")
            let (alone, twin) = twins[index]
            #expect(try sent(twin) == (try sent(alone)), "\(row.name): the same requests reached Klarna")
            let klarna = try sandbox.order(alone)
            let klarnaTwin = try sandbox.order(twin)
            for field in ["status", "captured_amount", "refunded_amount", "order_amount"] {
                #expect(klarnaTwin[field] as? AnyHashable == klarna[field] as? AnyHashable, "\(row.name): \(field)")
            }
        }
    }

    // MARK: - Klarna's rate limit

    /// One order's capture is refused three times with 429 and `Retry-After: 1` (one more than its own retry policy
    /// would try); 20 others go through the same batch. Nothing is lost or doubled, its answer is the single call's
    /// on an order Klarna never refused, and the whole batch paused: in the order requests reached Klarna, between
    /// the first 429 and the capture that finally went through, only requests already in flight when a 429 came
    /// back reached Klarna (at most `concurrency` − 1 per 429), not the other orders' captures, which without the
    /// pause would all have gone by while that order waited.
    @Test func klarnasRateLimitPausesTheWholeBatchAndNothingIsLost() throws {
        let concurrency = 4
        let refused = try captureRequest()
        let twin = try captureRequest()
        let others = try (0..<20).map { _ in try captureRequest() }
        try sandbox.injectFaults(
            for: refused.klarnaOrderId, ["fail_next": ["count": 3, "status": 429, "retry_after": 1]])
        let single = try Self.call("capture", try Self.text(twin.request))

        let (_, answer, results) = try Self.batch(
            [Self.item("capture", refused.request)]
                + others.map { Self.item("capture", $0.request) },
            concurrency: concurrency, requestsPerSecond: 50)
        #expect(Self.masked(results[0]) == Self.masked(try Self.canonical(single)))
        for (result, order) in zip(results, [refused] + others) {
            #expect((try Self.object(result))["outcome"] as? String == "captured")
            let klarna = try sandbox.order(order.klarnaOrderId)
            #expect(klarna["captured_amount"] as? Int == 10_500 && (klarna["captures"] as? [Any])?.count == 1)
        }

        let log = try sandbox.requests(for: refused.klarnaOrderId).sorted {
            ($0["time"] as? Double ?? 0) < ($1["time"] as? Double ?? 0)
        }
        #expect(log.map { $0["status"] as? Int } == [429, 429, 429, 201])
        #expect(Set(log.map { ($0["headers"] as? [String: String])?["Klarna-Idempotency-Key"] }).count == 1)
        for order in others { #expect(try sent(order.klarnaOrderId) == ["POST /captures"]) }

        let firstRefusal = try #require(log.first?["time"] as? Double)
        let through = try #require(log.last?["time"] as? Double)
        let meanwhile = try others.flatMap { try sandbox.requests(for: $0.klarnaOrderId) }
            .compactMap { $0["time"] as? Double }.filter { $0 > firstRefusal && $0 < through }
        #expect(meanwhile.count <= 3 * (concurrency - 1), "\(meanwhile.count) other requests reached Klarna meanwhile")

        let batchLog = try #require((answer["log"] as? [[String: Any]])?.first)
        let context = batchLog["context"] as? [String: String]
        #expect(batchLog["level"] as? String == "warning" && context?["throttled"] == "3")
        #expect(Int(context?["lowest_requests_per_second"] ?? "") ?? 50 < 50)
    }

    /// A 429 whose `Retry-After` (2 s) outlasts its order's time budget (1 s) is that order's answer, as alone; the
    /// orders after it (one at a time) begin once the pause is over, with their whole budget, and are captured: the
    /// pause holds back items that have not begun, not requests whose time runs.
    @Test func itemsThatHaveNotBegunWaitOutAPauseWithTheirWholeBudget() throws {
        func shortBudget(_ order: (request: [String: Any], klarnaOrderId: String)) -> [String: Any] {
            var request = order.request
            request["config"] = (request["config"] as? [String: Any] ?? [:]).merging(["timeout_ms": 1_000]) { $1 }
            return request
        }
        let refused = try captureRequest()
        let twin = try captureRequest()
        let others = try (0..<3).map { _ in try captureRequest() }
        for order in [refused, twin] {
            try sandbox.injectFaults(
                for: order.klarnaOrderId, ["fail_next": ["count": 1, "status": 429, "retry_after": 2]])
        }
        let single = try Self.call("capture", try Self.text(shortBudget(twin)))
        let (_, answer, results) = try Self.batch(
            ([refused] + others).map { Self.item("capture", shortBudget($0)) },
            concurrency: 1, requestsPerSecond: 50)
        #expect(Self.masked(results[0]) == Self.masked(try Self.canonical(single)))
        let refusal = try Self.object(results[0])
        #expect(
            refusal["outcome"] as? String == "capture_failed" && refusal["ledger"] == nil, "nothing was carried out")
        #expect((refusal["klarna"] as? [String: Any])?["http_status"] as? Int == 429)
        #expect(try sent(refused.klarnaOrderId) == ["POST /captures"])
        for (result, order) in zip(results.dropFirst(), others) {
            #expect((try Self.object(result))["outcome"] as? String == "captured")
            #expect(try sent(order.klarnaOrderId) == ["POST /captures"])
        }
        #expect(((answer["log"] as? [[String: Any]])?.first?["context"] as? [String: String])?["throttled"] == "1")
    }

    // MARK: - Exactly once

    /// Every capture's answer is lost twice after Klarna committed it: each order's own retries go out under its
    /// one key, Klarna replays, and each order is captured once, its answer the single call's under the same faults
    /// (but for the attempts' log, see `withoutAttempts`).
    @Test func droppedAnswersNeverCaptureTwice() throws {
        let orders = try (0..<8).map { _ in try captureRequest() }
        let twin = try captureRequest()
        for order in orders + [twin] { try sandbox.injectFaults(for: order.klarnaOrderId, ["drop_next_mutating": 2]) }
        let single = try Self.call("capture", try Self.text(twin.request))
        let (_, _, results) = try Self.batch(orders.map { Self.item("capture", $0.request) })
        let alone = try Self.withoutAttempts(single)
        #expect(alone.keys.count == 1)
        for (result, order) in zip(results, orders) {
            let batch = try Self.withoutAttempts(result)
            #expect(batch.answer == alone.answer && batch.keys == alone.keys)
            let klarna = try sandbox.order(order.klarnaOrderId)
            #expect(klarna["captured_amount"] as? Int == 10_500 && (klarna["captures"] as? [Any])?.count == 1)
            let log = try sandbox.requests(for: order.klarnaOrderId)
            #expect(log.map { $0["replayed"] as? Bool } == [false, true, true])
            #expect(Set(log.map { ($0["headers"] as? [String: String])?["Klarna-Idempotency-Key"] }).count == 1)
        }
    }

    // MARK: - The envelope

    @Test(
        arguments: [
            (nil, "null_request", "batch is NULL"),
            ("{", "invalid_json", "batch is not valid JSON"),
            (
                #"{"version":1,"items":[{"operation":"capture","request":{}}],"concurrency":0}"#, "invalid_field",
                "field `concurrency` must be an integer of at least 1"
            ),
            (
                #"{"version":3,"items":"x"}"#, "unsupported_version",
                "batch `version` 3 is not supported; this library reads version 1"
            ),
        ] as [(String?, String, String)])
    func aMalformedBatchIsOneEnvelope(text: String?, code: String, message: String) throws {
        let answer = try Self.object(try Self.call("batch", text))
        #expect(Set(answer.keys) == ["version", "ok", "error"])
        #expect(answer["ok"] as? Bool == false)
        let error = answer["error"] as? [String: Any]
        #expect(error?["code"] as? String == code && error?["message"] as? String == message)
    }

    @Test func anEmptyBatchAnswersNoResults() throws {
        #expect(try Self.call("batch", #"{"version":1,"items":[]}"#) == #"{"ok":true,"results":[],"version":1}"#)
    }
}
