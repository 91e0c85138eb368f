import Foundation
package import OMCore

/// Generates sequences of WooCommerce refunds of a generated order until it is fully refunded, computed as the admin
/// refund form and WooCommerce compute them (`meta-boxes-order.js`, `WC_AJAX::refund_line_items`, `wc_create_refund`):
/// - a quantity fills the line total from the stored total, `total / qty × n` to 6 decimals (the rounding precision),
///   and each rate's tax from the stored tax to the currency's decimals (6 when the shop rounds tax at subtotal), half
///   up as `Math.round` does; amounts the merchant types have the currency's decimals;
/// - the form's refund amount is the sum of its fields, each first rounded to the currency's decimals (not when the
///   shop rounds at subtotal), and the merchant may type another; WooCommerce takes the amount as it is, never above
///   what is left to refund (the generator never produces one above it, nor one that is not above zero);
/// - each refunded item is stored negated (`total = −refund_total`, `total_tax = −Σ refund_tax`, `quantity = −qty`).
/// Kinds: amount only, by quantity, by line amount, a shipping line, a fee (positive, or negative with an item so the
/// amount stays positive), and "the rest" with every line filled and what is left typed as the amount. Deterministic
/// from a seed; each refund carries the request's `refund` object, so the sequences can be sent through the C ABI.
package struct RefundGenerator {
    package var orders: OrderGenerator
    var random: SplitMix64

    package init(seed: UInt64) {
        orders = OrderGenerator(seed: seed)
        random = SplitMix64(seed: seed ^ 0x5EED_F00D)
    }

    static let reasons = [
        "", "Returned", "Damaged in transit", "Khách trả hàng", "إرجاع المنتج بسبب عيب في التصنيع",
        String(repeating: "The customer returned the parcel unopened. ", count: 7),
        String(repeating: "המוצר הוחזר במצב תקין ", count: 14), String(repeating: "📦↩️🇸🇪", count: 60),
    ]

    /// One order and its refunds, until WooCommerce has refunded all of it.
    package mutating func sequence(id: Int) -> RefundSequence {
        let order = orders.generatedOrder(id: id)
        var state = RefundState(order: order)
        var refunds: [GeneratedRefund] = []
        var attempts = 0
        while state.left > 0 {
            attempts += 1
            let kind: RefundKind =
                refunds.count >= 6 || attempts > 30
                ? .theRest
                : RefundKind.allCases[random.below(RefundKind.allCases.count)]
            guard let refund = refund(kind, state: &state, number: refunds.count, orderId: id, previous: refunds) else {
                continue
            }
            refunds.append(refund)
        }
        return RefundSequence(order: order, refunds: refunds)
    }

    /// One refund of `kind`, or nil when the order has nothing this kind can refund (or its amount would not be above
    /// zero, which WooCommerce refuses).
    mutating func refund(
        _ kind: RefundKind, state: inout RefundState, number: Int, orderId: Int,
        previous: [GeneratedRefund]
    ) -> GeneratedRefund? {
        var rows: [RefundRow] = []
        switch kind {
        case .amountOnly:
            break
        case .byQuantity:
            let candidates = state.lines.indices.filter { state.lines[$0].quantityLeft > 0 }
            guard !candidates.isEmpty else { return nil }
            for index in Set((0..<(1 + random.below(2))).map { _ in candidates[random.below(candidates.count)] })
                .sorted()
            {
                rows.append(state.byQuantity(index, quantity: 1 + random.below(state.lines[index].quantityLeft)))
            }
        case .byLineAmount:
            let candidates = state.lines.indices.filter { state.lines[$0].hasValueLeft }
            guard let index = candidates.isEmpty ? nil : candidates[random.below(candidates.count)] else { return nil }
            rows.append(state.typed(index, share: [(1, 4), (1, 3), (1, 2), (1, 1)][random.below(4)]))
        case .shipping, .fee:
            let wanted: GeneratedLine.Kind = kind == .shipping ? .shipping : .fee
            let candidates = state.lines.indices.filter {
                state.lines[$0].line.kind == wanted && state.lines[$0].hasValueLeft
            }
            guard let index = candidates.isEmpty ? nil : candidates[random.below(candidates.count)] else { return nil }
            rows.append(state.typed(index, share: (1, 1)))
            if state.lines[index].line.total < 0,  // a negative fee goes back with an item, or the amount is negative
                let item = state.lines.indices.first(where: { state.lines[$0].quantityLeft > 0 })
            {
                rows.append(state.byQuantity(item, quantity: state.lines[item].quantityLeft))
            }
        case .theRest:
            for index in state.lines.indices
            where state.lines[index].quantityLeft > 0 || state.lines[index].hasValueLeft {
                rows.append(
                    state.lines[index].quantityLeft > 0
                        ? state.byQuantity(index, quantity: state.lines[index].quantityLeft)
                        : state.typed(index, share: (1, 1)))
            }
        }
        // WooCommerce makes refund items only of rows with a quantity, a total or a tax.
        rows.removeAll { $0.quantity == 0 && $0.total == 0 && $0.taxes.allSatisfy { $0 == 0 } }
        let formSum = state.formSum(rows)
        var amount = formSum
        switch kind {
        case .amountOnly:
            amount =
                random.below(3) == 0
                ? state.left : state.minorUnit * Int64(1 + random.below(Int(state.left / state.minorUnit)))
        case .theRest:
            amount = state.left
        default:
            switch random.below(10) {  // mostly the form's sum; sometimes the merchant types something else
            case 0: amount += state.minorUnit
            case 1: amount -= state.minorUnit
            case 2: amount += state.minorUnit * Int64(1 + random.below(500))
            case 3: amount -= state.minorUnit * Int64(random.below(Int(max(amount / state.minorUnit, 1))))
            default: break
            }
            amount = min(amount, state.left)
        }
        guard amount > 0 else { return nil }
        state.apply(rows, amount: amount)

        let exponent = state.order.exponent
        let refundId = orderId * 100 + number + 1
        let amountText = WooArithmetic.text(amount, decimals: exponent)
        var json: [String: Any] = [
            "id": refundId, "amount": amountText, "reason": Self.reasons[random.below(Self.reasons.count)],
            "items": rows.map { row -> [String: Any] in
                var item: [String: Any] = [
                    "item_id": row.itemId, "total": WooArithmetic.text(-row.total),
                    "total_tax": WooArithmetic.text(-row.taxes.reduce(0, +)),
                ]
                if row.isItem { item["quantity"] = -row.quantity }  // the plugin sends a quantity for products only
                return item
            },
        ]
        let before = previous.map(\.amountMinorUnits).reduce(0, +) * state.minorUnit
        json["previously_refunded"] = WooArithmetic.text(before, decimals: exponent)
        var orderRefunds: [[String: Any]] = previous.map {
            ["id": $0.json["id"] ?? 0, "amount": $0.amount, "refunded_payment": true]
        }
        orderRefunds.append(["id": refundId, "amount": amountText, "refunded_payment": false])
        return GeneratedRefund(
            kind: kind, json: json, amount: amountText, amountMinorUnits: amount / state.minorUnit,
            formSum: WooArithmetic.text(formSum, decimals: exponent), orderRefunds: orderRefunds)
    }
}

/// The kinds of refund the merchant makes on the order screen.
package enum RefundKind: String, CaseIterable, Sendable {
    case amountOnly = "amount_only"
    case byQuantity = "by_quantity"
    case byLineAmount = "by_line_amount"
    case shipping
    case fee
    case theRest = "the_rest"
}

/// One generated order and the refunds that refund all of it.
package struct RefundSequence {
    package var order: GeneratedOrder
    package var refunds: [GeneratedRefund]
}

/// One refund as WooCommerce creates it.
package struct GeneratedRefund {
    package var kind: RefundKind
    /// The request's `refund` object: `id`, `amount`, `reason`, `items` as WooCommerce stores them (negated), and
    /// `previously_refunded`.
    package var json: [String: Any]
    /// WooCommerce's refund amount as it stores it, formatted to the currency's decimals.
    package var amount: String
    package var amountMinorUnits: Int64
    /// What the form's fields added up to (the amount unless the merchant typed another).
    package var formSum: String
    /// WooCommerce's refunds of the order so far, this one included, as the request's `order.refunds` carries them.
    package var orderRefunds: [[String: Any]]
}

/// What the refund form holds for one row: the quantity and the fields, in millionths (as refunded, not negated).
struct RefundRow {
    var itemId: Int
    var isItem: Bool
    var quantity: Int
    var total: Int64
    /// Per rate, in the order of the line's taxes.
    var taxes: [Int64]
}

/// What is left of an order to refund, line by line, and the form's arithmetic on it.
struct RefundState {
    struct LineLeft {
        var line: GeneratedLine
        var quantityLeft: Int
        var totalLeft: Int64
        var taxesLeft: [Int64]
        /// Value left in the line's own direction (a negative fee has a negative value left).
        var hasValueLeft: Bool {
            let sign: Int64 = line.total < 0 ? -1 : 1
            return totalLeft * sign > 0 || taxesLeft.contains { $0 * sign > 0 }
        }
    }

    var order: GeneratedOrder
    var lines: [LineLeft]
    /// What WooCommerce still lets the merchant refund: total minus refunded, in millionths.
    var left: Int64
    var minorUnit: Int64 { WooArithmetic.power(6 - order.exponent) }

    init(order: GeneratedOrder) {
        self.order = order
        lines = order.lines.map {
            LineLeft(
                line: $0, quantityLeft: $0.kind == .item ? $0.quantity : 0, totalLeft: $0.total,
                taxesLeft: $0.taxes.map(\.amount))
        }
        left = order.total
    }

    /// The form's fields after the merchant enters a quantity: from the line's stored total and taxes, as the JS does.
    func byQuantity(_ index: Int, quantity: Int) -> RefundRow {
        let line = lines[index].line
        let quantityOrdered = Int64(max(line.quantity, 1))
        let refunded = Int64(quantity)
        let taxDecimals = order.roundTaxAtSubtotal ? 6 : order.exponent
        return RefundRow(
            itemId: line.itemId, isItem: true, quantity: quantity,
            total: WooArithmetic.divided(line.total * refunded, by: quantityOrdered, rule: .halfUp),
            taxes: line.taxes.map {
                $0.amount > 0
                    ? WooArithmetic.divided(
                        $0.amount * refunded, by: quantityOrdered, decimals: taxDecimals, rule: .halfUp) : 0
            })
    }

    /// Fields the merchant types: a share of what is left of the line, to the currency's decimals.
    func typed(_ index: Int, share: (Int64, Int64)) -> RefundRow {
        let left = lines[index]
        let type = { (value: Int64) in
            WooArithmetic.rounded(WooArithmetic.proportion(value, share.0, of: share.1), decimals: order.exponent)
        }
        return RefundRow(
            itemId: left.line.itemId, isItem: left.line.kind == .item, quantity: 0, total: type(left.totalLeft),
            taxes: left.taxesLeft.map(type))
    }

    /// The amount the form shows: each field rounded to the currency's decimals (unless the shop rounds at subtotal),
    /// added up, and formatted to the currency's decimals.
    func formSum(_ rows: [RefundRow]) -> Int64 {
        let fields = rows.flatMap { [$0.total] + $0.taxes }
        let sum = fields.map {
            order.roundTaxAtSubtotal ? $0 : WooArithmetic.rounded($0, decimals: order.exponent, rule: .halfUp)
        }
        .reduce(0, +)
        return WooArithmetic.rounded(sum, decimals: order.exponent, rule: .halfUp)
    }

    mutating func apply(_ rows: [RefundRow], amount: Int64) {
        for row in rows {
            guard let index = lines.firstIndex(where: { $0.line.itemId == row.itemId }) else { continue }
            lines[index].quantityLeft -= row.quantity
            lines[index].totalLeft -= row.total
            for (rate, tax) in row.taxes.enumerated() where rate < lines[index].taxesLeft.count {
                lines[index].taxesLeft[rate] -= tax
            }
        }
        left -= amount
    }
}

/// Decodes a generated `refund` object through the real request decoder.
package func decodeRefund(_ refund: [String: Any]) throws -> RefundSnapshot {
    let request: [String: Any] = [
        "version": 1, "refund": refund,
        "order": ["id": 1, "currency": "EUR", "totals": ["total": "1"], "payment_method": "kco"],
        "config": ["environment": "sandbox", "base_url": "http://127.0.0.1:1", "username": "u", "password": "p"],
    ]
    let text = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
    guard let decoded = try RequestDecoder.decode(text, for: .refund).refund else {
        throw OMError.missingField("refund")
    }
    return decoded
}
