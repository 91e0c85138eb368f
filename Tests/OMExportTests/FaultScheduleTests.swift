import Foundation
import OMTestSupport
import Testing

/// Issue 10's fault-schedule suite: randomised, seeded merchant sequences with faults before each step, through
/// the C ABI against the Klarna sandbox (FaultSchedule). Every schedule must end with no double capture or refund,
/// Klarna and WooCommerce agreeing, and every outcome true. `KLARNA_OM_FAULT_SCHEDULES` sets how many (default
/// 96, about 25 s: the schedules wait out held requests and pauses, and the test run's length is this suite's); one
/// failing seed replays with `KLARNA_OM_FAULT_SEED`. The benchmark-style run of a thousand and more is
/// `scripts/bench-money faults` (docs/bench.md).
@Suite struct FaultScheduleTests {
    static let count = ProcessInfo.processInfo.environment["KLARNA_OM_FAULT_SCHEDULES"].flatMap(Int.init) ?? 96
    static let lanes = 32

    /// Seeds that once found a disagreement at scale (`scripts/bench-money faults`), run every time: a Cancelled
    /// order whose items were edited after the capture, and Processing after Refunded on a cancelled Klarna order.
    static let regressions: [UInt64] = [5_931_332, 6_287_687]

    /// The seeds, dealt into lanes that run in parallel (the sandbox keeps faults per order).
    static let lanesOfSeeds: [[UInt64]] = {
        if let seed = ProcessInfo.processInfo.environment["KLARNA_OM_FAULT_SEED"].flatMap(UInt64.init) {
            return [[seed]]
        }
        return [regressions]
            + (0..<lanes).map { lane in stride(from: lane, to: count, by: lanes).map { UInt64($0) * 7_919 + 1 } }
    }()

    @Test(arguments: lanesOfSeeds)
    func schedulesKeepMoneyAndWooCommerceInAgreement(seeds: [UInt64]) throws {
        let sandbox = try #require(SandboxServer.shared, "sandbox: \(SandboxServer.startError)")
        for seed in seeds {
            let report = try FaultSchedule(seed: seed).run(sandbox: sandbox, core: FlowTableTests.call)
            #expect(report.violations == 0, "\(report.findings.joined(separator: "\n"))")
        }
    }
}
