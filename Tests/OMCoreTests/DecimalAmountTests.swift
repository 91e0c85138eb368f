import OMCore
import Testing

@Suite struct DecimalAmountTests {
    @Test(
        arguments: [
            ("12.50", 1250, false), ("12.5", 1250, false), ("0", 0, false), ("-3", -300, false), (".5", 50, false),
            ("5.", 500, false), ("0.005", 1, true), ("0.004", 0, true), ("-0.005", -1, true), ("19.995", 2000, true),
            ("123456789.12", 12_345_678_912, false),
        ] as [(String, Int64, Bool)])
    func parsesToEuroCents(text: String, cents: Int64, rounded: Bool) throws {
        let result = try DecimalAmount(parsing: text).minorUnits(exponent: 2)
        #expect(result.value == cents)
        #expect(result.rounded == rounded)
    }

    @Test(arguments: ["", "-", ".", "1.2.3", "1,5", " 1", "1 ", "1e5", "+1", "--1", "0x10", "١٢", "12.5€", "NaN"])
    func refusesWhatIsNotADecimalString(text: String) {
        #expect(throws: OMError.self) { try DecimalAmount(parsing: text) }
    }

    @Test func refusesTooManyDigitsWithoutTrapping() {
        #expect(throws: OMError.self) { try DecimalAmount(parsing: "99999999999999999999") }
        #expect(throws: OMError.self) { try DecimalAmount(parsing: "9223372036854775807").minorUnits(exponent: 2) }
        #expect(throws: OMError.self) { try DecimalAmount(parsing: "0.1234567890123") }
    }

    @Test func halfEvenAndHalfAwayDifferOnlyOnTies() throws {
        let tie = try DecimalAmount(parsing: "0.125")
        #expect(try tie.minorUnits(exponent: 2, rounding: .halfAwayFromZero).value == 13)
        #expect(try tie.minorUnits(exponent: 2, rounding: .halfEven).value == 12)
        let negativeTie = try DecimalAmount(parsing: "-0.135")
        #expect(try negativeTie.minorUnits(exponent: 2, rounding: .halfAwayFromZero).value == -14)
        #expect(try negativeTie.minorUnits(exponent: 2, rounding: .halfEven).value == -14)
        let notATie = try DecimalAmount(parsing: "0.1251")
        #expect(try notATie.minorUnits(exponent: 2, rounding: .halfEven).value == 13)
    }

    @Test func exactConversionRefusesSubMinorAmounts() throws {
        #expect(try DecimalAmount(parsing: "10.10").exactMinorUnits(exponent: 2) == 1010)
        #expect(throws: OMError.self) { try DecimalAmount(parsing: "10.101").exactMinorUnits(exponent: 2) }
    }

    @Test(arguments: ["0", "12.50", "-0.05", "1000", "0.0001"])
    func printsWhatItParsed(text: String) throws {
        #expect(try DecimalAmount(parsing: text).description == text)
    }
}

@Suite struct CurrencyAndMoneyTests {
    @Test(arguments: [("EUR", 2), ("SEK", 2), ("USD", 2), ("JPY", 0), ("KRW", 0), ("KWD", 3), ("BHD", 3), ("CLF", 4)])
    func exponentsComeFromISO4217(code: String, exponent: Int) throws {
        #expect(try Currency(code: code).exponent == exponent)
    }

    @Test(arguments: ["XYZ", "eur", "", "EURO"])
    func unknownCurrenciesAreRefused(code: String) {
        #expect(throws: OMError.self) { try Currency(code: code) }
    }

    @Test func parsesWithTheCurrencysExponent() throws {
        #expect(try Money(exact: "1000", currency: Currency(code: "JPY")).minorUnits == 1000)
        #expect(try Money(exact: "1.234", currency: Currency(code: "KWD")).minorUnits == 1234)
        #expect(try Money(exact: "264", currency: Currency(code: "EUR")).description == "EUR 264.00")
        #expect(throws: OMError.self) { try Money(exact: "1.5", currency: Currency(code: "JPY")) }
    }

    @Test func arithmeticRefusesMixedCurrenciesAndOverflow() throws {
        let eur = try Currency(code: "EUR")
        let sek = try Currency(code: "SEK")
        #expect(
            try Money(minorUnits: 150, currency: eur).adding(Money(minorUnits: 50, currency: eur)).minorUnits == 200)
        #expect(
            try Money(minorUnits: 150, currency: eur).subtracting(Money(minorUnits: 200, currency: eur)).minorUnits
                == -50)
        do {
            _ = try Money(minorUnits: 1, currency: eur).adding(Money(minorUnits: 1, currency: sek))
            Issue.record("mixed currencies were added")
        } catch {
            #expect(error.code == .currencyMismatch)
        }
        do {
            _ = try Money(minorUnits: .max, currency: eur).adding(Money(minorUnits: 1, currency: eur))
            Issue.record("overflow was not reported")
        } catch {
            #expect(error.code == .amountOverflow)
        }
        #expect(throws: OMError.self) {
            try Money(minorUnits: 0, currency: eur).subtracting(Money(minorUnits: .min, currency: eur))
        }
    }
}
