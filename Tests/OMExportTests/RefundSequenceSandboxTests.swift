import Foundation
import OMTestSupport
import Testing

/// Issue 11's property through the C ABI against the Klarna sandbox: generated orders (several rates, coupons,
/// positive and negative fees, several shipping lines, 4-decimal prices, long and non-Latin names), captured, then
/// refunded until nothing is left in every way WooCommerce's refund form allows (RefundGenerator). No refund is
/// refused, each reaches Klarna for WooCommerce's amount, and Klarna's refunded total ends equal to WooCommerce's.
/// `KLARNA_OM_REFUND_SANDBOX_SEQUENCES` sets how many (default 240); `scripts/bench-money refunds N` runs thousands.
@Suite struct RefundSequenceSandboxTests {
    static let count =
        ProcessInfo.processInfo.environment["KLARNA_OM_REFUND_SANDBOX_SEQUENCES"].flatMap(Int.init) ?? 240
    static let lanes = 8

    @Test(arguments: 0..<lanes)
    func everyRefundWooCommerceAcceptsReachesKlarnaExactly(lane: Int) throws {
        let sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)")
        var generator = RefundGenerator(seed: 2_026 + UInt64(lane))
        var report = RefundSequenceRun.Report()
        for id in stride(from: lane, to: Self.count, by: Self.lanes) {
            report.add(
                try RefundSequenceRun.run(
                    generator.sequence(id: id), id: id, sandbox: sandbox, core: FlowTableTests.call))
        }
        #expect(report.violations == 0, "\(report.findings.prefix(10).joined(separator: "\n"))")
        #expect(report.refunds >= report.sequences)
    }
}
