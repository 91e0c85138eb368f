import Foundation
import OMCore
import OMFlows
import OMKlarna
import OMTestSupport
import Testing

/// Review (branch wt-review): the core must turn any answer into an outcome, never trap (a trap takes PHP's worker
/// with it under FFI). Klarna's integers are used in unchecked arithmetic: `wanted - remaining` (CapturePlan, the
/// "capture_refused_amount" note) and `captured - refunded - refundedElsewhere` (OrderRules.moneyHeld). An answer
/// with an out-of-range amount (a Klarna bug, a misbehaving proxy or stand-in) traps instead of failing. Run as exit
/// tests so a trap fails the test, not the suite.
@Suite struct ReviewTrapTests {
    static func run(
        _ operation: OrderOperation, _ answers: [RecordingTransport.Answer],
        snapshot: (inout [String: Any]) -> Void
    ) throws -> String {
        var request = DecisionTable.standardRequest(klarnaOrderId: "0b1d9815-165e-42e2-8867-35bc03789e00")
        snapshot(&request)
        let transport = RecordingTransport(answers)
        let flows = OrderManagement(libraryVersion: "0.0.0-test", operatingSystem: "Linux") { _, _ in transport }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        return ResponseEncoder.encode(try flows.run(operation, RequestDecoder.decode(text, for: operation)))
    }

    static func order(captured: String, refunded: String, remaining: String) -> RecordingTransport.Answer {
        .http(
            HTTPResponse(
                status: 200, headers: [("Content-Type", "application/json")],
                body: Array(
                    """
                    {"order_id":"k-1","status":"PART_CAPTURED","fraud_status":"ACCEPTED","order_amount":10500,\
                    "captured_amount":\(captured),"refunded_amount":\(refunded),"remaining_authorized_amount":\(remaining),\
                    "purchase_currency":"EUR","captures":[],"refunds":[]}
                    """.utf8)))
    }

    @Test func aCaptureWithAnOutOfRangeRemainingAmountDoesNotTrap() async {
        await #expect(processExitsWith: .success) {
            _ = try? ReviewTrapTests.run(
                .capture,
                [
                    ReviewTrapTests.order(
                        captured: "0", refunded: "0",
                        remaining: "-9223372036854775807")
                ]
            ) {
                DecisionTable.meta(&$0, ["capture_ids": ["c-1"]])
            }
        }
    }

    @Test func aCancelWithAnOutOfRangeRefundedAmountDoesNotTrap() async {
        await #expect(processExitsWith: .success) {
            _ = try? ReviewTrapTests.run(
                .cancel,
                [
                    ReviewTrapTests.order(
                        captured: "0", refunded: "9223372036854775807",
                        remaining: "0")
                ]
            ) {
                DecisionTable.meta(&$0, ["capture_ids": ["c-1"]])
                DecisionTable.order(&$0) { $0["refunds"] = [["id": 9, "amount": "1.00", "refunded_payment": false]] }
            }
        }
    }
}
