import Foundation
import OMCore
import OMKlarna
import OMTestSupport
import Testing

/// The decision table of docs/contract.md (DecisionTable), one row per test case, run through the C ABI (`om_*`
/// resolved with dlsym from the built library) against the Klarna sandbox: the integration layer. Each row asserts
/// the outcome, the note, the status the order must get, Klarna's order afterwards, and, from the sandbox's request
/// log, exactly which requests reached Klarna. Tests/OMFlowsTests runs the same rows in memory.
@Suite struct FlowTableTests {
    @Test(arguments: DecisionTable.rows)
    func row(_ row: DecisionRow) throws {
        let sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)")
        let klarnaOrderId = try Self.seed(row, in: sandbox)
        let before = try sandbox.requests(for: klarnaOrderId).count
        var request = Self.standardRequest(klarnaOrderId: klarnaOrderId, sandbox: sandbox)
        row.snapshot(&request)

        let response = try Self.call(row.operation, request)
        #expect(response["ok"] as? Bool == true, "\(response)")
        #expect(response["outcome"] as? String == row.outcome)
        #expect((response["note"] as? [String: Any])?["code"] as? String == row.note)
        #expect(response["order_status"] as? String == row.status)
        let sent = try sandbox.requests(for: klarnaOrderId).dropFirst(before).map { entry -> String in
            let path = entry["path"] as? String ?? ""
            let suffix = path.replacingOccurrences(of: "/ordermanagement/v1/orders/\(klarnaOrderId)", with: "")
                .replacingOccurrences(
                    of: #"/(captures|refunds)/[0-9a-f-]{36}"#, with: "/$1/{id}", options: .regularExpression)
            return "\(entry["method"] as? String ?? "") " + suffix
        }
        #expect(sent == row.requests)
        #expect(row.checkResponse(response) == [])
        #expect(row.checkKlarna(try sandbox.order(klarnaOrderId)) == [])
        #expect(!"\(response)".contains(SandboxServer.password))
    }

    static func seed(_ row: DecisionRow, in sandbox: SandboxServer) throws -> String {
        var spec: [String: Any] = ["order_lines": DecisionTable.seedLines, "purchase_currency": "EUR"]
        for (key, value) in row.klarna where !["capture", "refund", "refund_in_slot", "fail", "drop"].contains(key) {
            spec[key] = value
        }
        let id = try sandbox.seedOrder(spec)
        if let amount = row.klarna["capture"] as? Int {
            _ = try sandbox.client().createCapture(
                id, .init(capturedAmount: Int64(amount)), key: .init(intent: ["seed", id]))
        }
        if let amount = row.klarna["refund"] as? Int {
            _ = try sandbox.client().createRefund(
                id, .init(refundedAmount: Int64(amount)), key: .init(intent: ["seed-refund", id]))
        }
        if let amount = row.klarna["refund_in_slot"] as? Int {  // slot 0's key and reference (docs/contract.md)
            _ = try sandbox.client().createRefund(
                id, .init(refundedAmount: Int64(amount), reference: "1042-refund-1"),
                key: .init(intent: [
                    SandboxServer.username, id, "refund", "0",
                    DecisionTable.pendingRefund, "0",
                ]))
        }
        if let status = row.klarna["fail"] as? Int {
            try sandbox.injectFaults(for: id, ["fail_next": ["count": 3, "status": status, "retry_after": 0]])
        }
        if let drops = row.klarna["drop"] as? Int { try sandbox.injectFaults(for: id, ["drop_next_mutating": drops]) }
        return id
    }

    /// The standard order at this sandbox.
    static func standardRequest(klarnaOrderId: String, sandbox: SandboxServer) -> [String: Any] {
        DecisionTable.standardRequest(klarnaOrderId: klarnaOrderId, baseURL: sandbox.baseURL)
    }

    /// Calls `om_<operation>` through the C ABI and frees the answer.
    static func call(_ operation: String, _ request: [String: Any]) throws -> [String: Any] {
        let library = LoadedLibraryTests.Library.shared
        let function = try #require(library.symbol("om_\(operation)", as: LoadedLibraryTests.OperationFunction.self))
        let free = try #require(library.symbol("om_free", as: LoadedLibraryTests.FreeFunction.self))
        let text = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        let pointer = function(text)
        defer { free(pointer) }
        let answer = try #require(pointer.map { String(cString: $0) })
        return try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])
    }
}
