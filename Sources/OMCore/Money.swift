/// An amount of money: integer minor units of one currency. Immutable; arithmetic reports overflow and refuses
/// to mix currencies instead of trapping.
package struct Money: Sendable, Hashable, CustomStringConvertible {
    package let minorUnits: Int64
    package let currency: Currency

    package init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Parses a WooCommerce decimal string that must be exact in the currency ("12.50" EUR, not "12.505").
    package init(exact text: String, currency: Currency) throws(OMError) {
        let amount = try DecimalAmount(parsing: text)
        self.init(minorUnits: try amount.exactMinorUnits(exponent: currency.exponent), currency: currency)
    }

    package static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    package func adding(_ other: Money) throws(OMError) -> Money {
        guard other.currency == currency else {
            throw OMError(.currencyMismatch, "amounts in \(currency) and \(other.currency) cannot be combined")
        }
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw OMError(.amountOverflow, "sum of amounts is out of range") }
        return Money(minorUnits: sum, currency: currency)
    }

    package func subtracting(_ other: Money) throws(OMError) -> Money {
        let (negated, overflow) = Int64(0).subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw OMError(.amountOverflow, "amount is out of range") }
        return try adding(Money(minorUnits: negated, currency: other.currency))
    }

    /// The amount as a decimal string in major units, e.g. "264.00" for 26400 EUR minor units.
    package var decimalString: String {
        DecimalAmount(significand: minorUnits, scale: currency.exponent).description
    }

    /// "EUR 264.00": the form notes use, unambiguous in every locale.
    package var description: String { "\(currency.code) \(decimalString)" }
}
