/// Klarna's `tax_rate`: percent with two implicit decimals (2500 = 25 %, 750 = 7.5 %).
package enum TaxRate {
    /// The rate of a line from the order's own tax data: the sum of the rates that taxed it (WooCommerce stores each
    /// rate's percent, e.g. "25.0000"). Falls back to the line's own numbers only when there is no tax data.
    package static func basisPoints(shares: [TaxShare]?, net: FineAmount, tax: FineAmount) throws(OMError) -> Int64 {
        let all = shares ?? []
        guard !all.isEmpty else { return derived(net: net, tax: tax) }
        let charged = all.filter { $0.amount.significand != 0 }
        var total: Int64 = 0
        for share in charged.isEmpty ? all : charged {
            let value = try share.percent.minorUnits(exponent: 2).value
            guard value >= 0 else { throw OMError(.invalidAmount, "a tax rate is negative") }
            let (sum, overflow) = total.addingReportingOverflow(value)
            guard !overflow else { throw OMError(.amountOverflow, "tax rates are out of range") }
            total = sum
        }
        return total
    }

    /// `round(tax × 10000 / net)`, half away from zero; 0 when there is no net amount.
    package static func derived(net: FineAmount, tax: FineAmount) -> Int64 {
        let n = net.magnitude.micros
        let t = tax.magnitude.micros
        guard n > 0 else { return 0 }
        // tax and net are at most ~1e16 micros; scale down to keep tax × 10000 in range.
        var (numerator, denominator) = (t, n)
        while numerator > Int64.max / 20_000 {
            numerator /= 10
            denominator /= 10
        }
        guard denominator > 0 else { return 0 }
        return (numerator * 20_000 / denominator + 1) / 2
    }
}
