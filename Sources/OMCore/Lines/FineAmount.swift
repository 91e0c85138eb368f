/// An exact amount in millionths of a minor unit. WooCommerce keeps line amounts with up to 6 decimals beyond the
/// currency's, so every amount it sends is exact here; sums and the largest-remainder rounding work on these.
package struct FineAmount: Sendable, Hashable, Comparable {
    package static let perMinorUnit: Int64 = 1_000_000
    package let micros: Int64

    package init(micros: Int64) { self.micros = micros }

    package init(minorUnits: Int64) throws(OMError) {
        let (value, overflow) = minorUnits.multipliedReportingOverflow(by: Self.perMinorUnit)
        guard !overflow else { throw OMError(.amountOverflow, "amount is out of range") }
        micros = value
    }

    /// Converts a WooCommerce amount; finer than a millionth of a minor unit is rounded half away from zero.
    package init(_ amount: DecimalAmount, exponent: Int) throws(OMError) {
        micros = try amount.minorUnits(exponent: exponent + 6).value
    }

    package static let zero = FineAmount(micros: 0)

    package func adding(_ other: FineAmount) throws(OMError) -> FineAmount {
        let (sum, overflow) = micros.addingReportingOverflow(other.micros)
        guard !overflow else { throw OMError(.amountOverflow, "sum of amounts is out of range") }
        return FineAmount(micros: sum)
    }

    package var magnitude: FineAmount { FineAmount(micros: micros < 0 ? 0 &- micros : micros) }
    package var negated: FineAmount { FineAmount(micros: 0 &- micros) }

    /// The largest whole number of minor units not above the amount.
    package var floorMinorUnits: Int64 {
        let quotient = micros / Self.perMinorUnit
        return micros % Self.perMinorUnit < 0 ? quotient - 1 : quotient
    }

    /// What is left above `floorMinorUnits`, in millionths: 0 ..< 1,000,000.
    package var remainderMicros: Int64 { micros - floorMinorUnits * Self.perMinorUnit }

    /// Rounded half away from zero, as WooCommerce rounds. Works from the quotient and remainder, so it cannot
    /// overflow at the ends of the range.
    package var roundedMinorUnits: Int64 {
        let quotient = micros / Self.perMinorUnit
        let remainder = micros % Self.perMinorUnit
        guard remainder.magnitude * 2 >= UInt64(Self.perMinorUnit) else { return quotient }
        return remainder < 0 ? quotient - 1 : quotient + 1
    }

    /// The exact amount minus its plain rounding, in millionths: −500,000 ... 500,000.
    package var residualMicros: Int64 {
        micros % Self.perMinorUnit - (roundedMinorUnits - micros / Self.perMinorUnit) * Self.perMinorUnit
    }

    package var isZero: Bool { micros == 0 }

    package static func < (lhs: FineAmount, rhs: FineAmount) -> Bool { lhs.micros < rhs.micros }
}

extension Sequence where Element == FineAmount {
    func sum() throws(OMError) -> FineAmount {
        var total = FineAmount.zero
        for amount in self { total = try total.adding(amount) }
        return total
    }
}
