import Foundation
public import OMCore

/// Generates WooCommerce orders the way WooCommerce computes them (prices with up to 4 decimals, tax included or
/// not, mixed rates including 0, percentage coupons, positive and negative fees, several shipping lines), for the
/// property tests. Deterministic from a seed, so a failure can be replayed.
public struct OrderGenerator {
    public var random: SplitMix64

    public init(seed: UInt64) { random = SplitMix64(seed: seed) }

    static let rates = ["0", "6", "7.5", "12", "19", "21", "25"]
    static let currencies = [("EUR", 2), ("SEK", 2), ("USD", 2), ("JPY", 0)]

    /// One order as the request's `order` object, plus its country.
    public mutating func order(id: Int) -> [String: Any] {
        let (currency, exponent) = Self.currencies[random.below(Self.currencies.count)]
        let us = currency == "USD"
        let pricesIncludeTax = !us && random.below(2) == 0
        let couponPercent = random.below(3) == 0 ? [5, 10, 15, 33][random.below(4)] : 0
        let wcDecimals = 6  // WooCommerce keeps line amounts with extra precision
        var items: [[String: Any]] = [], shipping: [[String: Any]] = [], fees: [[String: Any]] = []
        var exactTotal = Decimal(0), exactTax = Decimal(0)

        func rounded(_ value: Decimal, _ places: Int) -> Decimal {
            var input = value, output = Decimal()
            NSDecimalRound(&output, &input, places, .plain)
            return output
        }
        func text(_ value: Decimal) -> String { "\(rounded(value, wcDecimals))" }

        for index in 0..<(1 + random.below(6)) {
            let rate = Self.rates[random.below(Self.rates.count)]
            let rateValue = Decimal(string: rate) ?? 0
            // A shelf price with up to 4 decimals, sometimes 0.
            let price = random.below(15) == 0 ? Decimal(0) : Decimal(1 + random.below(2_000_000)) / Decimal(10_000)
            let quantity = 1 + random.below(5)
            let gross = price * Decimal(quantity)
            let netSubtotal = pricesIncludeTax ? gross / (1 + rateValue / 100) : gross
            let net = netSubtotal * Decimal(100 - couponPercent) / 100
            let subtotalTax = rounded(netSubtotal * rateValue / 100, wcDecimals)
            let tax = rounded(net * rateValue / 100, wcDecimals)
            exactTotal += rounded(net, wcDecimals) + tax
            exactTax += tax
            items.append(["item_id": 100 + index, "product_id": 7 + index, "sku": "SKU-\(index)", "name": "Item \(index)",
                          "quantity": quantity, "subtotal": text(netSubtotal), "subtotal_tax": text(subtotalTax),
                          "total": text(net), "total_tax": text(tax),
                          "taxes": [["rate_id": index, "percent": rate, "amount": text(tax)]],
                          "is_virtual": random.below(4) == 0])
        }
        for index in 0..<random.below(4) {
            let net = Decimal(random.below(3_000)) / 100
            let tax = rounded(net * 25 / 100, wcDecimals)
            exactTotal += net + tax
            exactTax += tax
            shipping.append(["item_id": 200 + index, "method_id": "flat_rate", "instance_id": "\(index)",
                             "name": "Shipping \(index)", "total": text(net), "total_tax": text(tax),
                             "taxes": [["rate_id": 9, "percent": "25", "amount": text(tax)]]])
        }
        for index in 0..<random.below(3) {
            let net = Decimal(random.below(2_000) - 1_000) / 100
            let tax = random.below(2) == 0 ? Decimal(0) : rounded(net * 25 / 100, wcDecimals)
            exactTotal += net + tax
            exactTax += tax
            fees.append(["item_id": 300 + index, "name": "Fee \(index)", "total": text(net), "total_tax": text(tax)])
        }
        if exactTotal < 0 {  // a discount larger than the goods: WooCommerce would not allow it
            fees.removeAll()
            return order(id: id)
        }
        return [
            "id": id, "currency": currency, "prices_include_tax": pricesIncludeTax,
            "totals": ["total": "\(rounded(exactTotal, exponent))", "total_tax": "\(rounded(exactTax, exponent))"],
            "items": items, "shipping_lines": shipping, "fees": fees, "payment_method": "klarna_payments",
            "klarna": ["order_id": "k-\(id)", "purchase_country": us ? "US" : "SE"],
        ]
    }
}

/// A small, fast, seedable generator (Vigna's SplitMix64).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
}

/// Decodes a generated `order` object through the real request decoder.
public func decodeOrder(_ order: [String: Any]) throws -> OrderSnapshot {
    let request: [String: Any] = ["version": 1, "order": order,
                                  "config": ["environment": "sandbox", "base_url": "http://127.0.0.1:1", "username": "u", "password": "p"]]
    let text = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
    return try RequestDecoder.decode(text, for: .capture).order
}
