package import OMJSON

/// The shop's money format (the request's `format`), so that notes write amounts as WooCommerce's `wc_price()` shows
/// them to the merchant (woocommerce-facts.md §7): the symbol where the shop puts it, the shop's separators, and the
/// shop's number of decimals, which need not be the currency's. A merchant reads "1.234,50 €" faster than
/// "EUR 1234.50", and compares it with what the order screen says.
package struct MoneyFormat: Sendable, Equatable {
    /// `woocommerce_currency_pos`.
    package enum Position: String, Sendable {
        case left, right
        case leftSpace = "left_space"
        case rightSpace = "right_space"
    }

    package var symbol: String
    package var position: Position
    package var decimalSeparator: String
    package var thousandSeparator: String
    package var decimals: Int

    /// `number_format()` takes any count; more than the 12 an amount can carry says nothing more.
    package static let maxDecimals = 12

    /// WooCommerce's defaults for what the request leaves out: symbol before the number, "." and ",", 2 decimals.
    package init(
        symbol: String, position: Position = .left, decimalSeparator: String = ".",
        thousandSeparator: String = ",", decimals: Int = 2
    ) {
        self.symbol = symbol
        self.position = position
        // wc_get_price_decimal_separator() answers "." for an empty setting.
        self.decimalSeparator = decimalSeparator.isEmpty ? "." : decimalSeparator
        self.thousandSeparator = thousandSeparator
        self.decimals = min(max(decimals, 0), Self.maxDecimals)  // the request's reader refuses others
    }

    /// `money` as `wc_price()` writes it, tags stripped and entities decoded: the magnitude rounded half away from
    /// zero to the shop's decimals (PHP's `number_format`), grouped by thousands, the symbol placed (`&nbsp;` being
    /// U+00A0), and a minus sign in front of it all when the amount is below zero (decided before rounding, as
    /// `wc_price` does).
    package func string(_ money: Money) -> String {
        let number = Self.number(
            money.minorUnits.magnitude, exponent: money.currency.exponent, decimals: decimals,
            decimalSeparator: decimalSeparator, thousandSeparator: thousandSeparator)
        let placed: String
        switch position {
        case .left: placed = symbol + number
        case .right: placed = number + symbol
        case .leftSpace: placed = symbol + "\u{00A0}" + number
        case .rightSpace: placed = number + "\u{00A0}" + symbol
        }
        return (money.minorUnits < 0 ? "-" : "") + placed
    }

    /// `number_format(magnitude / 10^exponent, decimals, decimalSeparator, thousandSeparator)`, exactly: digits
    /// are shifted as text, so no amount overflows and no float rounds.
    static func number(
        _ magnitude: UInt64, exponent: Int, decimals: Int, decimalSeparator: String,
        thousandSeparator: String
    ) -> String {
        var digits: String
        if decimals >= exponent {
            digits = String(magnitude) + String(repeating: "0", count: decimals - exponent)
        } else {
            var divisor: UInt64 = 1
            for _ in 0..<(exponent - decimals) { divisor *= 10 }  // ISO 4217 exponents are at most 4
            let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: divisor)
            digits = String(remainder >= divisor - remainder ? quotient + 1 : quotient)
        }
        if digits.count <= decimals { digits = String(repeating: "0", count: decimals + 1 - digits.count) + digits }
        let integer = digits.dropLast(decimals)
        var grouped = ""
        for (index, digit) in integer.enumerated() {
            if index > 0 && (integer.count - index) % 3 == 0 { grouped += thousandSeparator }
            grouped.append(digit)
        }
        return decimals > 0 ? grouped + decimalSeparator + digits.suffix(decimals) : grouped
    }
}

// MARK: - JSON (the request's `format`)

extension MoneyFormat: JSONReadable {
    package init(json: JSONObjectReader) throws(JSONReadError) {
        let symbol = try json.required("symbol", json.string)
        let position: Position? = try json.value("position")
        let decimalSeparator = try json.string("decimal_separator")
        let thousandSeparator = try json.string("thousand_separator")
        let decimals = try json.int("decimals")
        if let decimals, !(0...Self.maxDecimals).contains(decimals) {
            throw JSONReadError(path: json.path.isEmpty ? "decimals" : json.path + ".decimals", problem: .notAllowed)
        }
        self.init(
            symbol: symbol, position: position ?? .left, decimalSeparator: decimalSeparator ?? ".",
            thousandSeparator: thousandSeparator ?? ",", decimals: decimals ?? 2)
    }
}
