import Foundation
import OMCore
import Testing

/// Notes write money as WooCommerce writes it for the shop (`wc_price()`, woocommerce-facts.md §7): the request's
/// `format` decides the symbol and where it goes, the separators and the shop's decimals; the minus sign goes before
/// the symbol; `&nbsp;` is U+00A0.
@Suite struct MoneyFormatTests {
    static func money(_ minorUnits: Int64, _ code: String) throws -> Money {
        Money(minorUnits: minorUnits, currency: try Currency(code: code))
    }

    /// Three shops: Swedish kronor after the number with a space, comma decimals; euros before it with a dot;
    /// dong after it with no decimals.
    static let kronor = MoneyFormat(
        symbol: "kr", position: .rightSpace, decimalSeparator: ",", thousandSeparator: ".",
        decimals: 2)
    static let euro = MoneyFormat(
        symbol: "€", position: .left, decimalSeparator: ".", thousandSeparator: ",", decimals: 2)
    static let dong = MoneyFormat(
        symbol: "₫", position: .right, decimalSeparator: ",", thousandSeparator: ".", decimals: 0)

    @Test func theThreeShopsWriteAmountsAsWooCommerceDoes() throws {
        #expect(Self.kronor.string(try Self.money(123_450, "SEK")) == "1.234,50\u{00A0}kr")
        #expect(Self.kronor.string(try Self.money(-123_450, "SEK")) == "-1.234,50\u{00A0}kr")
        #expect(Self.kronor.string(try Self.money(5, "SEK")) == "0,05\u{00A0}kr")
        #expect(Self.euro.string(try Self.money(123_456_789, "EUR")) == "€1,234,567.89")
        #expect(Self.euro.string(try Self.money(-1_000, "EUR")) == "-€10.00")
        #expect(Self.euro.string(try Self.money(0, "EUR")) == "€0.00")
        #expect(Self.dong.string(try Self.money(1_234_567, "VND")) == "1.234.567₫")
        #expect(Self.dong.string(try Self.money(-999, "VND")) == "-999₫")
    }

    @Test func theShopsDecimalsNotTheCurrencysRoundHalfAwayFromZero() throws {
        // woocommerce-facts.md §7: USD at 0 decimals turned 1234.5 into "$1,235"; 99.999 at 2 decimals became "100,00 kr".
        let dollars = MoneyFormat(symbol: "$", decimals: 0)
        #expect(dollars.string(try Self.money(123_450, "USD")) == "$1,235")
        #expect(dollars.string(try Self.money(-123_450, "USD")) == "-$1,235")
        #expect(Self.kronor.string(try Self.money(99_999, "KWD")) == "100,00\u{00A0}kr")
        #expect(MoneyFormat(symbol: "€", decimals: 3).string(try Self.money(1_050, "EUR")) == "€10.500")
        // The sign is decided before rounding, as wc_price() does: -0.01 at no decimals is "-€0".
        #expect(MoneyFormat(symbol: "€", decimals: 0).string(try Self.money(-1, "EUR")) == "-€0")
    }

    @Test func positionsAndSeparatorsAsTheShopSetsThem() throws {
        let amount = try Self.money(123_450, "EUR")
        #expect(MoneyFormat(symbol: "€", position: .leftSpace).string(amount) == "€\u{00A0}1,234.50")
        #expect(MoneyFormat(symbol: "€", position: .right).string(amount) == "1,234.50€")
        #expect(
            MoneyFormat(symbol: "CHF", position: .leftSpace, thousandSeparator: "'").string(amount)
                == "CHF\u{00A0}1'234.50")
        #expect(MoneyFormat(symbol: "€", thousandSeparator: "").string(amount) == "€1234.50")
        #expect(MoneyFormat(symbol: "€", decimalSeparator: "").string(amount) == "€1,234.50", "empty is '.'")
        #expect(MoneyFormat(symbol: "€").string(try Self.money(.min, "EUR")) == "-€92,233,720,368,547,758.08")
        #expect(
            MoneyFormat(symbol: "€", decimals: 12).string(try Self.money(.max, "EUR"))
                == "€92,233,720,368,547,758.070000000000")
    }

    /// Every note, in both languages, with every placeholder an amount (negative ones and ones with thousands among
    /// them): each is written in the shop's format, never as "EUR 1.00", with its minor units beside it in `params`.
    @Test(arguments: [("kronor", kronor, "SEK"), ("euro", euro, "EUR"), ("dong", dong, "VND")])
    func everyNoteWritesEveryAmountInTheShopsFormat(shop: String, format: MoneyFormat, currency: String) throws {
        for code in NoteCode.all {
            for language in [NoteCatalog.Language.english, .vietnamese] {
                let template = try #require(NoteCatalog.templates[code]?[language])
                let names = VocabularyTests.placeholders(template).sorted()
                var params: [String: NoteParam] = [:]
                var expected: [String: String] = [:]
                for (index, name) in names.enumerated() {
                    let amount = try Self.money((index % 2 == 0 ? -1 : 1) * Int64(index + 1) * 123_456_789, currency)
                    params[name] = .money(amount)
                    expected[name] = format.string(amount)
                }
                let note = NoteCatalog.note(code, params, language: language, format: format)
                for name in names {
                    let written = try #require(expected[name])
                    #expect(
                        note.text.contains(written),
                        "\(shop) \(code) \(language): {\(name)} as \(written): \(note.text)")
                    #expect(note.params[name] == .text(written))
                    #expect(note.params[name + "_minor"] != nil, "\(code): \(name)_minor")
                }
                #expect(
                    !note.text.contains(currency + " ") && !note.text.contains("{"), "\(shop) \(code): \(note.text)")
            }
        }
    }

    @Test func withoutAFormatNotesWriteTheCurrencyCode() throws {
        let note = NoteCatalog.note(
            .refunded,
            [
                "amount": .money(try Self.money(-123_450, "EUR")), "klarna_order_id": .text("k"),
                "refund_id": .text("r"),
            ], language: .english)
        #expect(note.text == "Klarna refunded EUR -1234.50 for order k. Klarna refund id: r.")
        #expect(note.params["amount"] == .text("EUR -1234.50") && note.params["amount_minor"] == .integer(-123_450))
    }

    @Test func theRequestsFormatIsReadWithWooCommercesDefaults() throws {
        let request = try decode(
            validRequest.replacingOccurrences(
                of: #""version":1,"#,
                with: #""version":1,"format":{"symbol":"kr","position":"right_space","decimals":0},"#))
        #expect(
            request.format
                == MoneyFormat(
                    symbol: "kr", position: .rightSpace, decimalSeparator: ".",
                    thousandSeparator: ",", decimals: 0))
        let cases: [(String, String, OMError.Code)] = [
            (#"{"symbol":"€","position":"middle"}"#, "format.position", .invalidField),
            (#"{"symbol":"€","decimals":13}"#, "format.decimals", .invalidField),
            (#"{"symbol":"€","decimals":-1}"#, "format.decimals", .invalidField),
            (#"{"position":"left"}"#, "format.symbol", .missingField),
            (#"[]"#, "format", .invalidField),
        ]
        for (format, field, code) in cases {
            let error = decodingError(
                validRequest.replacingOccurrences(of: #""version":1,"#, with: #""version":1,"format":\#(format),"#))
            #expect(error?.code == code && error?.field == field, "\(format): \(String(describing: error))")
        }
    }
}
