import Foundation
import OMExport
import OMTestSupport

// The money benchmarks of issues 10 and 11, at a scale the test suite does not run: every number printed but the
// volume ones must be 0. Through the C ABI (the om_* functions, linked in) against the Klarna sandbox.
//
//   money-bench faults N [lanes]    N fault schedules (FaultSchedule), `lanes` at a time (default 32)
//   money-bench refunds N [lanes]   N generated refund sequences (RefundGenerator → RefundSequenceRun)

/// One operation through the C ABI, the answer freed as the plugin frees it.
func callCore(_ operation: String, _ request: [String: Any]) throws -> [String: Any] {
    let text = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
    let pointer: UnsafeMutablePointer<CChar>? = text.withCString { request in
        switch operation {
        case "cancel": om_cancel(request)
        case "capture": om_capture(request)
        case "update": om_update(request)
        default: om_refund(request)
        }
    }
    defer { om_free(pointer) }
    guard let pointer,
        let object = try JSONSerialization.jsonObject(with: Data(String(cString: pointer).utf8)) as? [String: Any]
    else { throw CocoaError(.coderReadCorrupt) }
    return object
}

/// Runs `work` for 0..<count on `lanes` threads at once and merges the reports.
func inLanes<Report: Sendable>(
    _ count: Int, lanes: Int, empty: Report, merge: @escaping @Sendable (inout Report, Report) -> Void,
    _ work: @escaping @Sendable (_ lane: Int, _ indices: StrideTo<Int>) -> Report
) -> Report {
    let results = Mutex<Report>(empty)
    DispatchQueue.concurrentPerform(iterations: lanes) { lane in
        let report = work(lane, stride(from: lane, to: count, by: lanes))
        results.withLock { merge(&$0, report) }
    }
    return results.withLock { $0 }
}

final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2, let count = Int(arguments[1]), let sandbox = SandboxServer.shared else {
    print("usage: money-bench faults|refunds N [lanes]   (sandbox: \(SandboxServer.startError))")
    exit(2)
}
let lanes = arguments.count > 2 ? Int(arguments[2]) ?? 32 : 32
let started = Date()
switch arguments[0] {
case "faults":
    let report = inLanes(count, lanes: lanes, empty: FaultSchedule.Report(), merge: { $0.add($1) }) { _, seeds in
        var report = FaultSchedule.Report()
        for seed in seeds {
            do {
                report.add(try FaultSchedule(seed: UInt64(seed) * 7_919 + 1).run(sandbox: sandbox, core: callCore))
            } catch {
                report.unsettled += 1
                report.findings.append("seed \(seed): \(error)")
            }
        }
        return report
    }
    print("fault schedules: \(count) (\(lanes) at a time) in \(Int(Date().timeIntervalSince(started))) s")
    print("  steps \(report.steps), core calls \(report.calls), faults injected \(report.faults)")
    print(
        "  outcomes: "
            + report.outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    print("  double captures: \(report.doubleCaptures)")
    print("  double refunds: \(report.doubleRefunds)")
    print("  Klarna and WooCommerce disagreeing: \(report.disagreements)")
    print("  outcomes Klarna does not hold: \(report.wrongReports)")
    print("  unsettled after the merchant's retries: \(report.unsettled)")
    for finding in report.findings.prefix(20) { print("  ! \(finding)") }
    exit(report.violations == 0 ? 0 : 1)
case "refunds":
    let report = inLanes(count, lanes: lanes, empty: RefundSequenceRun.Report(), merge: { $0.add($1) }) { lane, ids in
        var generator = RefundGenerator(seed: 9_000 + UInt64(lane))
        var report = RefundSequenceRun.Report()
        for id in ids {
            do {
                report.add(
                    try RefundSequenceRun.run(generator.sequence(id: id), id: id, sandbox: sandbox, core: callCore))
            } catch {
                report.refused += 1
                report.findings.append("order \(id): \(error)")
            }
        }
        return report
    }
    print(
        "refund sequences: \(report.sequences) orders captured and refunded in full, \(report.refunds) refunds, in \(Int(Date().timeIntervalSince(started))) s"
    )
    print(
        "  lines sent: "
            + report.shapes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    print("  refunds refused: \(report.refused)")
    print("  refunded another amount than WooCommerce's: \(report.wrongAmounts)")
    print("  Klarna's refunded total not WooCommerce's at the end: \(report.wrongTotals)")
    print("  captures not of the order total: \(report.wrongCaptures)")
    for finding in report.findings.prefix(20) { print("  ! \(finding)") }
    exit(report.violations == 0 ? 0 : 1)
default:
    print("usage: money-bench faults|refunds N [lanes]")
    exit(2)
}
