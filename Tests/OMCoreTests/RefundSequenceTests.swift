import Foundation
import OMCore
import OMTestSupport
import Testing

/// Issue 11, "every refund WooCommerce accepts reaches Klarna exactly", shown over generated refund sequences: orders
/// refunded in every way the admin form allows (amount only, by quantity, by line amount, a shipping line, a fee, "the
/// rest") until nothing is left. `KLARNA_OM_REFUND_SEQUENCES=5000 swift test --filter RefundSequenceTests` runs more
/// and prints the counts.
@Suite struct RefundSequenceTests {
    static let configuredCount = ProcessInfo.processInfo.environment["KLARNA_OM_REFUND_SEQUENCES"].flatMap { Int($0) }

    @Test func propertyEveryRefundWooCommerceAcceptsIsSentAsItsAmountExactly() throws {
        var generator = RefundGenerator(seed: 20_261_201)
        var refunds = 0
        var refusals = 0
        var moves = 0
        var shapes: [String: Int] = [:]
        var kinds: [String: Int] = [:]
        let sequences = Self.configuredCount ?? 400
        for id in 0..<sequences {
            let sequence = generator.sequence(id: id)
            let order = try decodeOrder(sequence.order.json)
            let exponent = order.currency.exponent
            var sent: Int64 = 0
            for generated in sequence.refunds {
                refunds += 1
                kinds[generated.kind.rawValue, default: 0] += 1
                let refund = try decodeRefund(generated.json)
                let built: RefundLines
                do {
                    built = try RefundLinesBuilder.buildShaped(order: order, refund: refund)
                } catch {
                    refusals += 1
                    Issue.record("order \(id), refund \(generated.json): \(error)")
                    continue
                }
                let set = built.lineSet
                #expect(set.amount == generated.amountMinorUnits, "the amount sent is WooCommerce's refund amount")
                sent += set.amount
                moves += set.adjustments.count
                try Self.expectExact(
                    built, refund: refund, exponent: exponent, us: order.klarna?.purchaseCountry == "US")
                switch built.shape {
                case .items: shapes["items", default: 0] += 1
                case .itemsAndRest: shapes["items_and_rest", default: 0] += 1
                case .amountOnly(nil): shapes["amount_only_no_items", default: 0] += 1
                case .amountOnly: shapes["amount_only_items_exceed", default: 0] += 1
                }
            }
            #expect(
                sent == (try order.totals.total.exactMinorUnits(exponent: exponent)), "order \(id) is refunded in full")
        }
        #expect(refusals == 0)
        #expect(
            kinds.count == RefundKind.allCases.count && shapes.count == 4,
            "every kind and shape occurs: \(kinds) \(shapes)")
        if Self.configuredCount != nil {
            print(
                "refund sequences: \(sequences), refunds: \(refunds), refusals: \(refusals), lines moved one unit: \(moves)"
            )
            print("kinds: " + kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            print(
                "shapes: " + shapes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
    }

    /// What one refund sends: lines (when any) that add up to the amount and keep Klarna's arithmetic, each refunded
    /// item's line at most one unit from its plain rounding, and the shape saying which case it was.
    static func expectExact(
        _ built: RefundLines, refund: RefundSnapshot, exponent: Int, us: Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let set = built.lineSet
        let items = refund.items ?? []
        var sum: Int64 = 0
        var taxSum: Int64 = 0
        for line in set.lines {
            #expect(
                line.quantity * line.unitPrice - (line.totalDiscountAmount ?? 0) == line.totalAmount,
                sourceLocation: sourceLocation)
            #expect(
                (line.totalDiscountAmount ?? 0) >= 0 && line.name.utf16.count <= 255
                    && (line.reference ?? "").utf16.count <= 64,
                sourceLocation: sourceLocation)
            sum += line.totalAmount
            taxSum += line.totalTaxAmount ?? 0
        }
        #expect(set.lines.isEmpty || sum == set.amount, "lines add up to the amount", sourceLocation: sourceLocation)
        #expect(taxSum == set.taxAmount, sourceLocation: sourceLocation)
        #expect(set.adjustments.allSatisfy { abs($0.sent - $0.rounded) == 1 }, sourceLocation: sourceLocation)
        // Each refunded item's plain rounding: the negation of what WooCommerce stored (without tax on US orders).
        let plain = try items.map { item -> Int64 in
            let net = try FineAmount(item.total, exponent: exponent)
            let tax =
                us
                ? .zero : try FineAmount(item.totalTax ?? DecimalAmount(significand: 0, scale: 0), exponent: exponent)
            return try net.adding(tax).negated.roundedMinorUnits
        }
        let itemLines = set.lines.prefix(items.count).map(\.totalAmount)
        switch built.shape {
        case .items:
            #expect(
                !items.isEmpty && set.lines.count == items.count + (us && set.lines.last?.type == .salesTax ? 1 : 0),
                sourceLocation: sourceLocation)
            #expect(
                zip(itemLines, plain).allSatisfy { abs($0 - $1) <= 1 }, "at most one unit moved",
                sourceLocation: sourceLocation)
        case .itemsAndRest(let rest):
            #expect(
                Array(itemLines) == plain && set.lines.last?.totalAmount == rest && rest > 0,
                sourceLocation: sourceLocation)
        case .amountOnly(let itemsTotal):
            #expect(set.lines.isEmpty && set.adjustments.isEmpty, sourceLocation: sourceLocation)
            #expect((itemsTotal == nil) == items.isEmpty, sourceLocation: sourceLocation)
            if let itemsTotal { #expect(itemsTotal > set.amount, sourceLocation: sourceLocation) }
            if !items.isEmpty && !us {
                #expect(
                    plain.reduce(0, +) - set.amount > Int64(items.count), "beyond rounding",
                    sourceLocation: sourceLocation)
            }
        }
    }
}
