import Foundation
package import OMCore

/// Generates WooCommerce orders the way WooCommerce computes them, for the property tests: several items with prices
/// of up to 4 decimals at 25 %, 12 % and 0 % (US orders 8.875 % and 0 %), prices with and without tax, percent and
/// fixed coupons (whole minor units, as WooCommerce's discounts are), positive fees and negative ones taxed pro rata
/// across the items' rates, several shipping lines, line taxes rounded per line or kept to 6 decimals ("round tax at
/// subtotal"), and names long, short and in many scripts. Deterministic from a seed, so a failure can be replayed.
package struct OrderGenerator {
    package var random: SplitMix64

    package init(seed: UInt64) { random = SplitMix64(seed: seed) }

    static let currencies = [("EUR", 2), ("SEK", 2), ("USD", 2), ("JPY", 0), ("NOK", 2)]
    /// Rate id and rate in thousandths of a percent.
    static let rates: [(id: Int, percentMillis: Int64)] = [(1, 25_000), (2, 12_000), (3, 0)]
    static let usRates: [(id: Int, percentMillis: Int64)] = [(4, 8_875), (3, 0)]
    static let names = [
        "Hoodie", "Café crème", "Áo khoác gió nữ", "Кружка", "قميص قطني أزرق", "חולצה כחולה", "夏季连衣裙", "Family pack 👨‍👩‍👧‍👦🇸🇪",
        String(repeating: "Långärmad tröja i ekologisk bomull, ", count: 9),
        String(repeating: "قميص قطني مع أكمام طويلة ", count: 12),
        String(repeating: "🇻🇳🏳️‍🌈👍🏽", count: 40),
    ]

    /// One order as the request's `order` object.
    package mutating func order(id: Int) -> [String: Any] { generatedOrder(id: id).json }

    /// One order, with the numbers the refund form works from.
    package mutating func generatedOrder(id: Int) -> GeneratedOrder {
        let (currency, exponent) = Self.currencies[random.below(Self.currencies.count)]
        let us = currency == "USD"
        let pricesIncludeTax = !us && random.below(2) == 0
        let roundTaxAtSubtotal = random.below(4) == 0
        let rates = us ? Self.usRates : Self.rates
        let minorUnit = WooArithmetic.power(6 - exponent)
        /// A line's tax for one rate: WooCommerce rounds it to the price decimals unless it rounds at subtotal.
        func tax(_ net: Int64, _ percentMillis: Int64) -> Int64 {
            WooArithmetic.percentage(net, percentMillis: percentMillis, decimals: roundTaxAtSubtotal ? 6 : exponent)
        }
        /// The tax inside a price that includes it, rounded the same way.
        func includedTax(_ gross: Int64, _ percentMillis: Int64) -> Int64 {
            let exact = gross - WooArithmetic.divided(gross * 100_000, by: 100_000 + percentMillis)
            return roundTaxAtSubtotal ? exact : WooArithmetic.rounded(exact, decimals: exponent)
        }
        /// WooCommerce's `percent` of a tax rate ("25", "8.875").
        func percentText(_ percentMillis: Int64) -> String { WooArithmetic.text(percentMillis * 1_000) }
        /// A whole amount of up to `cents` hundredths (whole units in a currency without decimals).
        func price(below cents: Int) -> Int64 {
            Int64(random.below(cents)) * (exponent == 0 ? WooArithmetic.perUnit : 10_000)
        }

        // Items: the shelf price times the quantity, before coupons; the basis coupons discount is what the customer saw.
        struct Draft {
            var gross: Int64
            var netSubtotal: Int64
            var rate: (id: Int, percentMillis: Int64)
            var quantity: Int
        }
        var drafts: [Draft] = []
        for _ in 0..<(1 + random.below(6)) {
            let rate = rates[random.below(rates.count)]
            let price =
                random.below(15) == 0
                ? 0
                : exponent == 0
                    ? Int64(1 + random.below(20_000)) * WooArithmetic.perUnit : Int64(1 + random.below(2_000_000)) * 100
            let quantity = 1 + random.below(5)
            let gross = price * Int64(quantity)
            let netSubtotal = pricesIncludeTax ? gross - includedTax(gross, rate.percentMillis) : gross
            drafts.append(Draft(gross: gross, netSubtotal: netSubtotal, rate: rate, quantity: quantity))
        }
        let bases = drafts.map { pricesIncludeTax ? $0.gross : $0.netSubtotal }
        var discounts = [Int64](repeating: 0, count: drafts.count)
        var coupons: [[String: Any]] = []
        if random.below(3) == 0 {  // percent: each line's discount in whole minor units, rounded down
            let percent = Int64([5, 10, 15, 33][random.below(4)])
            for index in drafts.indices { discounts[index] = bases[index] * percent / 100 / minorUnit * minorUnit }
            coupons.append([
                "item_id": 400, "code": "save\(percent)", "discount": WooArithmetic.text(discounts.reduce(0, +)),
            ])
        }
        let left = zip(bases, discounts).map { $0 - $1 }
        let leftSum = left.reduce(0, +)
        // A fixed cart discount: split by what is left of each line, remainder first.
        if random.below(4) == 0, leftSum > 2 * minorUnit {
            let amount = min(Int64(1 + random.below(20)) * WooArithmetic.perUnit, leftSum / 2) / minorUnit * minorUnit
            var given: Int64 = 0
            var shares = left.map { $0 * (amount / minorUnit) / leftSum * minorUnit }
            given = shares.reduce(0, +)
            for index in shares.indices where given < amount && left[index] - shares[index] >= minorUnit {
                shares[index] += minorUnit
                given += minorUnit
            }
            for index in drafts.indices { discounts[index] += shares[index] }
            coupons.append(["item_id": 401, "code": "fixed", "discount": WooArithmetic.text(given)])
        }

        var lines: [GeneratedLine] = []
        var items: [[String: Any]] = []
        for (index, draft) in drafts.enumerated() {
            let net: Int64
            let lineTax: Int64
            let subtotalTax: Int64
            if pricesIncludeTax {
                let grossAfter = draft.gross - discounts[index]
                lineTax = includedTax(grossAfter, draft.rate.percentMillis)
                net = grossAfter - lineTax
                subtotalTax = draft.gross - draft.netSubtotal
            } else {
                net = draft.netSubtotal - discounts[index]
                lineTax = tax(net, draft.rate.percentMillis)
                subtotalTax = tax(draft.netSubtotal, draft.rate.percentMillis)
            }
            let itemId = 100 + index
            lines.append(
                GeneratedLine(
                    kind: .item, itemId: itemId, quantity: draft.quantity, total: net,
                    taxes: [(draft.rate.id, lineTax)]))
            items.append([
                "item_id": itemId, "product_id": 7 + index,
                "sku": random.below(8) == 0 ? String(repeating: "LONG-SKU-", count: 9) + "\(index)" : "SKU-\(index)",
                "name": Self.names[random.below(Self.names.count)], "quantity": draft.quantity,
                "subtotal": WooArithmetic.text(draft.netSubtotal), "subtotal_tax": WooArithmetic.text(subtotalTax),
                "total": WooArithmetic.text(net), "total_tax": WooArithmetic.text(lineTax),
                "taxes": [
                    [
                        "rate_id": draft.rate.id, "percent": percentText(draft.rate.percentMillis),
                        "amount": WooArithmetic.text(lineTax),
                        "subtotal_amount": WooArithmetic.text(subtotalTax),
                    ]
                ],
                "is_virtual": random.below(4) == 0,
            ])
        }

        var shipping: [[String: Any]] = []
        let standard = rates[0]
        for index in 0..<random.below(4) {
            let charge = price(below: 3_000)  // 0.00 ... 29.99
            let lineTax =
                pricesIncludeTax ? includedTax(charge, standard.percentMillis) : tax(charge, standard.percentMillis)
            let net = pricesIncludeTax ? charge - lineTax : charge
            lines.append(
                GeneratedLine(
                    kind: .shipping, itemId: 200 + index, quantity: 1, total: net, taxes: [(standard.id, lineTax)]))
            shipping.append([
                "item_id": 200 + index, "method_id": "flat_rate", "instance_id": "\(index)",
                "name": index == 0 ? "Flat rate" : Self.names[random.below(Self.names.count)],
                "total": WooArithmetic.text(net), "total_tax": WooArithmetic.text(lineTax),
                "taxes": [
                    [
                        "rate_id": standard.id, "percent": percentText(standard.percentMillis),
                        "amount": WooArithmetic.text(lineTax),
                    ]
                ],
            ])
        }

        var fees: [[String: Any]] = []
        let itemNets = lines.filter { $0.kind == .item }
        for index in 0..<random.below(3) {
            let net = random.below(2) == 0 ? -price(below: 1_001) : price(below: 2_000)  // −10.00 ... 19.99
            var shares: [(rateId: Int, amount: Int64, percentMillis: Int64)] = []
            if net < 0 {  // a discount entered as a fee: WooCommerce taxes it pro rata over the items' rates
                let base = itemNets.map(\.total).reduce(0, +)
                for rate in rates where rate.percentMillis > 0 && base > 0 {
                    let part = itemNets.filter { $0.taxes.first?.rateId == rate.id }.map(\.total).reduce(0, +)
                    guard part > 0 else { continue }
                    shares.append(
                        (
                            rate.id, tax(WooArithmetic.proportion(net, part, of: base), rate.percentMillis),
                            rate.percentMillis
                        ))
                }
            } else if random.below(2) == 0 {
                shares.append((standard.id, tax(net, standard.percentMillis), standard.percentMillis))
            }
            lines.append(
                GeneratedLine(
                    kind: .fee, itemId: 300 + index, quantity: 1, total: net,
                    taxes: shares.map { ($0.rateId, $0.amount) }))
            fees.append([
                "item_id": 300 + index, "name": net < 0 ? "Loyalty discount" : "Handling",
                "total": WooArithmetic.text(net), "total_tax": WooArithmetic.text(shares.map(\.amount).reduce(0, +)),
                "taxes": shares.map {
                    [
                        "rate_id": $0.rateId, "percent": percentText($0.percentMillis),
                        "amount": WooArithmetic.text($0.amount),
                    ]
                },
            ])
        }

        let exactTax = lines.flatMap { $0.taxes.map(\.amount) }.reduce(0, +)
        let exactTotal = lines.map(\.total).reduce(0, +) + exactTax
        if exactTotal <= 0 {  // a discount larger than the goods: WooCommerce would not allow it
            return generatedOrder(id: id)
        }
        let total = WooArithmetic.rounded(exactTotal, decimals: exponent)
        let json: [String: Any] = [
            "id": id, "currency": currency, "prices_include_tax": pricesIncludeTax,
            "totals": [
                "total": WooArithmetic.text(total, decimals: exponent),
                "total_tax": WooArithmetic.text(
                    WooArithmetic.rounded(exactTax, decimals: exponent), decimals: exponent),
            ],
            "items": items, "shipping_lines": shipping, "fees": fees, "coupons": coupons,
            "payment_method": "klarna_payments",
            "klarna": ["order_id": "k-\(id)", "purchase_country": us ? "US" : "SE"],
        ]
        return GeneratedOrder(
            json: json, exponent: exponent, total: total, roundTaxAtSubtotal: roundTaxAtSubtotal, lines: lines)
    }
}

/// A generated order: the request's `order` object and the numbers WooCommerce's refund form works from.
package struct GeneratedOrder {
    /// The request's `order` object.
    package var json: [String: Any]
    /// The currency's decimals.
    package var exponent: Int
    /// The order total, in millionths of the major unit (whole minor units).
    package var total: Int64
    /// WooCommerce's "round tax at subtotal": line taxes kept to 6 decimals, and the refund form fills taxes to 6.
    package var roundTaxAtSubtotal: Bool
    /// Items, shipping lines and fees, in that order.
    package var lines: [GeneratedLine]
}

/// One item, shipping line or fee of a generated order, in millionths of the major unit.
package struct GeneratedLine {
    package enum Kind: Sendable { case item, shipping, fee }
    package var kind: Kind
    package var itemId: Int
    package var quantity: Int
    /// After coupons, without tax (WooCommerce's `total`).
    package var total: Int64
    /// Per rate id, as WooCommerce stores the line's taxes.
    package var taxes: [(rateId: Int, amount: Int64)]
}

/// A small, fast, seedable generator (Vigna's SplitMix64).
package struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    package init(seed: UInt64) { state = seed }
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    package mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
}

/// Decodes a generated `order` object through the real request decoder.
package func decodeOrder(_ order: [String: Any]) throws -> OrderSnapshot {
    let request: [String: Any] = [
        "version": 1, "order": order,
        "config": ["environment": "sandbox", "base_url": "http://127.0.0.1:1", "username": "u", "password": "p"],
    ]
    let text = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
    return try RequestDecoder.decode(text, for: .capture).order
}
