/// An exact decimal number as WooCommerce stores it ("12.50", "-3", "0.3333"): a significand and a scale.
///
/// WooCommerce hands amounts over as decimal strings, and floats never hold money here, so this type parses the
/// digits themselves. `value = significand / 10^scale`, exactly.
package struct DecimalAmount: Sendable, Hashable, CustomStringConvertible {
    package let significand: Int64
    package let scale: Int

    /// The most decimals accepted; WooCommerce keeps at most 6 on line items, so 12 leaves room without risk.
    package static let maxScale = 12

    package init(significand: Int64, scale: Int) {
        self.significand = significand
        self.scale = scale
    }

    /// Parses `-?digits[.digits]` (also `.5` and `5.`). No exponent, no spaces, no thousands separators.
    package init(parsing text: String) throws(OMError) {
        var negative = false
        var significand: Int64 = 0
        var scale = 0
        var digits = 0
        var seenPoint = false
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where index == 0:
                negative = true
            case UInt8(ascii: "."):
                guard !seenPoint else { throw Self.malformed }
                seenPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (times10, o1) = significand.multipliedReportingOverflow(by: 10)
                let (next, o2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                guard !o1, !o2 else { throw OMError(.amountOverflow, "amount has too many digits") }
                significand = next
                digits += 1
                if seenPoint { scale += 1 }
            default:
                throw Self.malformed
            }
        }
        guard digits > 0 else { throw Self.malformed }
        guard scale <= Self.maxScale else {
            throw OMError(.invalidAmount, "amount has more than \(Self.maxScale) decimals")
        }
        self.init(significand: negative ? -significand : significand, scale: scale)
    }

    private static let malformed = OMError(.invalidAmount, "amount must be a decimal string such as \"12.50\"")

    package var isNegative: Bool { significand < 0 }

    /// Converts to integer minor units for a currency exponent, rounding once with the named rule when the amount
    /// has more decimals than the currency. Reports whether rounding changed the value.
    package func minorUnits(
        exponent: Int, rounding: RoundingRule = .halfAwayFromZero
    ) throws(OMError)
        -> (value: Int64, rounded: Bool)
    {
        if scale <= exponent {
            let factor = try Self.powerOfTen(exponent - scale)
            let (value, overflow) = significand.multipliedReportingOverflow(by: factor)
            guard !overflow else { throw OMError(.amountOverflow, "amount is too large") }
            return (value, false)
        }
        let divisor = try Self.powerOfTen(scale - exponent)
        let quotient = significand / divisor
        let remainder = significand % divisor
        guard remainder != 0 else { return (quotient, false) }
        return (rounding.round(quotient: quotient, remainder: remainder, divisor: divisor), true)
    }

    /// Converts to minor units and refuses any amount that needs rounding: for totals that must be exact.
    package func exactMinorUnits(exponent: Int) throws(OMError) -> Int64 {
        let (value, rounded) = try minorUnits(exponent: exponent)
        guard !rounded else {
            throw OMError(.invalidAmount, "amount has more decimals than the currency allows")
        }
        return value
    }

    static func powerOfTen(_ n: Int) throws(OMError) -> Int64 {
        guard n >= 0, n <= 18 else { throw OMError(.amountOverflow, "amount is out of range") }
        var result: Int64 = 1
        for _ in 0..<n { result &*= 10 }  // 10^18 fits in Int64, so this never wraps.
        return result
    }

    package var description: String {
        guard scale > 0 else { return String(significand) }
        let magnitude = String(significand.magnitude)
        let padded = String(repeating: "0", count: max(0, scale + 1 - magnitude.count)) + magnitude
        let split = padded.index(padded.endIndex, offsetBy: -scale)
        return (significand < 0 ? "-" : "") + padded[..<split] + "." + padded[split...]
    }
}

/// How a value that falls between two minor units is rounded. Every rounding in the product names its rule.
package enum RoundingRule: String, Sendable {
    /// 0.5 → 1, −0.5 → −1: what PHP's `round()` and so WooCommerce do.
    case halfAwayFromZero = "half_away_from_zero"
    /// 0.5 → 0, 1.5 → 2: banker's rounding.
    case halfEven = "half_even"

    /// Rounds `quotient + remainder / divisor`, where `remainder` has the sign of the dividend and `divisor > 0`.
    func round(quotient: Int64, remainder: Int64, divisor: Int64) -> Int64 {
        let twice = remainder.magnitude * 2  // UInt64: cannot overflow for |remainder| < divisor ≤ 10^18.
        let step: Int64 = remainder < 0 ? -1 : 1
        if twice > divisor.magnitude { return quotient + step }
        if twice < divisor.magnitude { return quotient }
        switch self {
        case .halfAwayFromZero: return quotient + step
        case .halfEven: return quotient % 2 == 0 ? quotient : quotient + step
        }
    }
}
