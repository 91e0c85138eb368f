/// An ISO 4217 currency: its alphabetic code and the number of decimals of its minor unit (its exponent).
///
/// The exponent decides how a decimal string becomes minor units: "12.50" EUR is 1250, "1000" JPY is 1000,
/// "1.234" KWD is 1234. Only currencies in the ISO table exist; an unknown code is an error, never a guess of 2.
package struct Currency: Sendable, Hashable, CustomStringConvertible {
    package let code: String
    package let exponent: Int

    /// Looks up an ISO 4217 code (upper case, three letters).
    package init(code: String) throws(OMError) {
        guard let exponent = ISO4217.exponents[code] else {
            throw OMError(.unknownCurrency, "currency is not an ISO 4217 code")
        }
        self.code = code
        self.exponent = exponent
    }

    package var description: String { code }
}
