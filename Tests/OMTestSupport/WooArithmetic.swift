/// Decimal amounts as WooCommerce and its admin screens compute them, in exact integer millionths of the major unit
/// (WooCommerce keeps line amounts to 6 decimals), for the generators. Each rounding names whose rule it is: PHP's
/// `round()` goes half away from zero, the refund form's `Math.round` half up (towards +∞).
package enum WooArithmetic {
    package static let perUnit: Int64 = 1_000_000

    /// How a value between two steps is rounded.
    package enum Rule: Sendable {
        /// PHP's `round()`, so WooCommerce's server side.
        case halfAwayFromZero
        /// JavaScript's `Math.round`, so the refund form (accounting.js `toFixed`).
        case halfUp
    }

    /// `numerator / denominator` millionths rounded to `decimals` places (0...6), in millionths.
    package static func divided(
        _ numerator: Int64, by denominator: Int64, decimals: Int = 6, rule: Rule = .halfAwayFromZero
    ) -> Int64 {
        let step = denominator * power(6 - decimals)
        var quotient = numerator / step
        let remainder = numerator % step
        let twice = remainder.magnitude * 2
        let whole = step.magnitude
        switch rule {
        case .halfAwayFromZero:
            if twice >= whole { quotient += remainder < 0 ? -1 : 1 }
        case .halfUp:
            if remainder > 0, twice >= whole { quotient += 1 }
            if remainder < 0, twice > whole { quotient -= 1 }
        }
        return quotient * power(6 - decimals)
    }

    /// `micros × part / whole`, rounded half away from zero to millionths; the product may exceed 64 bits.
    package static func proportion(_ micros: Int64, _ part: Int64, of whole: Int64) -> Int64 {
        let product = micros.multipliedFullWidth(by: part)
        let (quotient, remainder) = whole.dividingFullWidth(product)
        guard remainder.magnitude * 2 >= whole.magnitude else { return quotient }
        return (remainder < 0) == (whole < 0) ? quotient + 1 : quotient - 1
    }

    /// `micros` rounded to `decimals` places.
    package static func rounded(_ micros: Int64, decimals: Int, rule: Rule = .halfAwayFromZero) -> Int64 {
        divided(micros, by: 1, decimals: decimals, rule: rule)
    }

    /// `micros × percent / 100`, where `percentMillis` is the rate in thousandths of a percent (25 % = 25,000).
    package static func percentage(_ micros: Int64, percentMillis: Int64, decimals: Int = 6) -> Int64 {
        divided(micros * percentMillis, by: 100_000, decimals: decimals)
    }

    /// As WooCommerce writes a stored amount: the digits it needs, up to 6 decimals ("7.992", "-10", "0.5"), or exactly
    /// `decimals` of them ("12.50") as it formats a refund amount or an order total.
    package static func text(_ micros: Int64, decimals: Int? = nil) -> String {
        let sign = micros < 0 ? "-" : ""
        let whole = micros.magnitude / UInt64(perUnit)
        let fraction = micros.magnitude % UInt64(perUnit)
        var digits = String(fraction)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        if let decimals {
            digits = String(digits.prefix(decimals))
        } else {
            while digits.last == "0" { digits.removeLast() }
        }
        return sign + String(whole) + (digits.isEmpty ? "" : "." + digits)
    }

    static func power(_ exponent: Int) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<max(exponent, 0) { result *= 10 }
        return result
    }
}
