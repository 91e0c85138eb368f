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
                _ = try client.updateAuthorization(klarnaId, UpdateAuthorization(orderAmount: lines.amount, orderLines: lines.lines),
                                                   key: IdempotencyKey(intent: ["update", klarnaId]))
            }
            guard lines.amount > 0 else { continue }
            let created = try client.createCapture(klarnaId, CaptureObject(capturedAmount: lines.amount, orderLines: lines.lines),
                                                   key: IdempotencyKey(intent: ["capture", klarnaId]))
            #expect(!created.id.isEmpty)
        }
    }

    /// Refund bodies built from generated refund sequences (every way the refund form refunds an order, until it is
    /// refunded in full) are accepted one after another: schema, line arithmetic, lines adding up, never over-refunded.
    @Test func generatedRefundBodiesAreAcceptedUntilTheOrderIsRefunded() throws {
        let sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)")
        let client = try sandbox.client()
        var generator = RefundGenerator(seed: 11)
        for id in 0..<60 {
            let sequence = generator.sequence(id: id)
            let order = try decodeOrder(sequence.order.json)
            let total = try order.totals.total.exactMinorUnits(exponent: order.currency.exponent)
            guard total > 0 else { continue }
            let klarnaId = try sandbox.seedOrder(["order_lines": [], "order_amount": total])
            _ = try client.createCapture(klarnaId, CaptureObject(capturedAmount: total), key: IdempotencyKey(intent: ["capture", klarnaId]))
            for generated in sequence.refunds {
                let refund = try decodeRefund(generated.json)
                let lines = try RefundLinesBuilder.build(order: order, refund: refund)
                _ = try client.createRefund(klarnaId, RefundObject(refundedAmount: lines.amount, description: refund.reason,
                                                                   reference: refund.id.map { "refund-\($0)" },
                                                                   orderLines: lines.lines.isEmpty ? nil : lines.lines),
                                            key: IdempotencyKey(intent: ["refund", klarnaId, String(refund.id ?? 0)]))
            }
            #expect(try sandbox.order(klarnaId)["refunded_amount"] as? Int64 == total)
        }
    }
}
