import Foundation
import OMKlarna
import OMTestSupport
import Testing

/// The exact bodies each flow sends Klarna for the standard order, as the sandbox received them, compared with
/// golden files reviewed by hand (Tests/OMExportTests/Golden). A change to what Klarna receives shows up here as a
/// diff to review. To record anew after an intended change: KLARNA_OM_RECORD_GOLDEN=1 swift test --filter Golden.
@Suite struct GoldenBodyTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test(arguments: ["capture", "update", "refund", "cancel"])
    func bodyMatchesTheGoldenFile(flow: String) throws {
        let sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)")
        let id = try sandbox.seedOrder(["order_lines": DecisionTable.seedLines])
        var request = FlowTableTests.standardRequest(klarnaOrderId: id, sandbox: sandbox)
        switch flow {
        case "update": DecisionTable.editQuantity(&request, to: 1)
        case "refund":
            _ = try sandbox.client().createCapture(
                id, CaptureObject(capturedAmount: 10500), key: IdempotencyKey(intent: ["g", id]))
            DecisionTable.refund(
                &request, amount: "55.00",
                items: [
                    ["item_id": 11, "quantity": -1, "total": "-40.00", "total_tax": "-10.00"],
                    ["item_id": 12, "total": "-4.00", "total_tax": "-1.00"],
                ])
        default: break
        }
        let before = try sandbox.requests(for: id).count
        let response = try FlowTableTests.call(flow, request)
        #expect(response["success"] as? Bool == true, "\(response)")
        // The body Klarna received: the mutation (a capture reads the order before it).
        let sent = try #require(
            try sandbox.requests(for: id).dropFirst(before).first { $0["method"] as? String != "GET" })
        let key = (sent["headers"] as? [String: String])?["Klarna-Idempotency-Key"]
        let recorded: [String: Any] = [
            "method": sent["method"] ?? "",
            "path": (sent["path"] as? String ?? "").replacingOccurrences(of: id, with: "{order_id}"),
            "idempotency_key_present": key != nil,
            "body": sent["body"] ?? NSNull(),
        ]
        let file = Self.folder.appendingPathComponent("\(flow).json")
        let text =
            String(
                decoding: try JSONSerialization.data(
                    withJSONObject: recorded, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
                as: UTF8.self) + "\n"
        if ProcessInfo.processInfo.environment["KLARNA_OM_RECORD_GOLDEN"] == "1" {
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(text == golden, "what Klarna receives for \(flow) changed; review and record anew if intended")
    }
}
