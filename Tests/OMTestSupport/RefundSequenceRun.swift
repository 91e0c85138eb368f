package import Foundation
package import OMCore

/// Sends a generated order and its refund sequence (RefundGenerator) through the real core to the Klarna sandbox,
/// as the plugin would: the capture on Completed, then each refund with WooCommerce's refunds of the order and the
/// ledger entry the last answer returned. Issue 11's property: every refund WooCommerce accepts reaches Klarna, for
/// exactly WooCommerce's amount, and Klarna's refunded total ends equal to WooCommerce's.
package struct RefundSequenceRun {
    /// What the runs found; every count but the first three must stay 0.
    package struct Report: Sendable {
        package var sequences = 0
        package var refunds = 0
        /// Refunds by how their lines went out: the note code (`refunded`, `refunded_with_rest`, `refunded_amount_only`).
        package var shapes: [String: Int] = [:]
        /// WooCommerce accepted the refund, the core or Klarna did not.
        package var refused = 0
        /// Klarna refunded another amount than WooCommerce's.
        package var wrongAmounts = 0
        /// Klarna's refunded total differs from WooCommerce's once the order is refunded in full.
        package var wrongTotals = 0
        /// The capture before the refunds did not capture the order total.
        package var wrongCaptures = 0
        package var findings: [String] = []

        package init() {}

        package var violations: Int { refused + wrongAmounts + wrongTotals + wrongCaptures }

        package mutating func add(_ other: Report) {
            sequences += other.sequences
            refunds += other.refunds
            shapes.merge(other.shapes, uniquingKeysWith: +)
            refused += other.refused
            wrongAmounts += other.wrongAmounts
            wrongTotals += other.wrongTotals
            wrongCaptures += other.wrongCaptures
            findings += other.findings
        }
    }

    package static func run(
        _ sequence: RefundSequence, id: Int, sandbox: SandboxServer,
        core: WooCommerceOrder.Core
    ) throws -> Report {
        var report = Report()
        let snapshot = try decodeOrder(sequence.order.json)
        let total = try snapshot.totals.total.exactMinorUnits(exponent: snapshot.currency.exponent)
        guard total > 0, !sequence.refunds.isEmpty else { return report }
        report.sequences = 1
        let klarnaOrderId = try sandbox.seedOrder([
            "order_lines": [], "order_amount": total,
            "purchase_currency": snapshot.currency.code,
        ])
        var order = sequence.order.json
        order["klarna"] = ["order_id": klarnaOrderId, "purchase_country": snapshot.klarna?.purchaseCountry ?? "SE"]
        var request: [String: Any] = [
            "version": 1, "locale": "en_US",
            "config": sandbox.config(),
        ]
        order["transition"] = ["from": "processing", "to": "completed"]
        request["order"] = order
        let captured = try core("capture", request)
        guard captured["outcome"] as? String == "captured",
            try sandbox.order(klarnaOrderId)["captured_amount"] as? Int == Int(total)
        else {
            report.wrongCaptures += 1
            report.findings.append("order \(id): capture \(captured["outcome"] ?? "?") (\(captured["note"] ?? ""))")
            return report
        }
        order["transition"] = nil
        var meta: [String: Any] = [
            "capture_ids": [(captured["record"] as? [String: Any])?["capture_id"] as? String ?? ""]
        ]
        for (index, refund) in sequence.refunds.enumerated() {
            report.refunds += 1
            order["refunds"] = refund.orderRefunds
            order["meta"] = meta
            request["order"] = order
            request["refund"] = refund.json
            let answer = try core("refund", request)
            if let entry = answer["ledger"] { meta["ledger"] = ["refund": entry] }
            let note = (answer["note"] as? [String: Any])?["code"] as? String ?? "none"
            guard answer["outcome"] as? String == "refunded" else {
                report.refused += 1
                report.findings.append(
                    "order \(id) refund \(index) (\(refund.kind.rawValue), \(refund.amount)): \(answer["outcome"] ?? answer["error"] ?? "?"): \(note)"
                )
                return report
            }
            report.shapes[note, default: 0] += 1
            let klarnaRefunds = try sandbox.order(klarnaOrderId)["refunds"] as? [[String: Any]] ?? []
            if klarnaRefunds.count != index + 1
                || klarnaRefunds.last?["refunded_amount"] as? Int != Int(refund.amountMinorUnits)
            {
                report.wrongAmounts += 1
                report.findings.append(
                    "order \(id) refund \(index): Klarna holds \(klarnaRefunds.count) refunds, the last \(klarnaRefunds.last?["refunded_amount"] ?? "none"); WooCommerce \(refund.amountMinorUnits)"
                )
            }
        }
        if try sandbox.order(klarnaOrderId)["refunded_amount"] as? Int != Int(total) {
            report.wrongTotals += 1
            report.findings.append(
                "order \(id): Klarna refunded \(try sandbox.order(klarnaOrderId)["refunded_amount"] ?? "?") of \(total)"
            )
        }
        return report
    }
}
