import Foundation
import OMCore
import OMJSON
@testable import OMKlarna
import OMTestSupport
import Testing

/// The parser Klarna's answers go through: what it accepts, what it refuses, and that it never traps.
@Suite struct JSONParserTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)).root }

    @Test func readsEveryKindOfValue() throws {
        let value = try parse(#" { "a" : [1, -0, 2.5e-3, true, false, null, "x"], "b": {}, "c": [] } "#)
        #expect(value == .object([
            (name: "a", value: .array([.number("1"), .number("-0"), .number("2.5e-3"), .bool(true), .bool(false), .null,
                                       .string("x")])),
            (name: "b", value: .object([])),
            (name: "c", value: .array([])),
        ]))
        #expect(try parse("42") == .number("42"))
        #expect(try parse(#""top""#) == .string("top"))
    }

    @Test func decodesEscapesAndUnicode() throws {
        #expect(try parse(#""\" \\ \/ \b \f \n \r \t""#) == .string("\" \\ / \u{08} \u{0C} \n \r \t"))
        #expect(try parse(#""caf\u00e9 \u00C9""#) == .string("café É"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse("\"Åsa Öberg 😀\"") == .string("Åsa Öberg 😀"))
    }

    @Test(arguments: [
        "", " ", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "{'a':1}", "01", "-", "+1", ".5", "1.", "1e", "1e+",
        "NaN", "Infinity", "-Infinity", "tru", "nul", "[1] x", "{} {}", "/* c */ 1", "\"unterminated", "\"\\x\"",
        "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"tab\there\"", "\"new\nline\"", "[", "{", "{\"a\"",
        "{\"a\":", "[1,", "\u{FEFF}1",
    ])
    func refusesWhatRFC8259Refuses(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test(arguments: [[0xFF], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xE2, 0x82, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
                      [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]] as [[UInt8]])
    func refusesInvalidUTF8(bytes: [UInt8]) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(bytes) }
    }

    /// Readers take the one member with a name, so a name sent twice is refused, however it is spelled and however
    /// large the object (past 32 members the check uses a set, so a hostile object stays linear).
    @Test func refusesANameSentTwice() throws {
        for text in [#"{"a":1,"a":2}"#, #"{"a":1,"\u0061":2}"#, #"{"é":1,"\u00e9":2}"#, #"{"x":{"b":1,"c":2,"b":3}}"#] {
            #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
        }
        _ = try JSONParser.parse(Array(#"{"a":{"a":1},"b":[{"a":1},{"a":2}]}"#.utf8))  // the same name in other objects
        let distinct = (0..<5_000).map { "\"m\($0)\":\($0)" }
        let many = try JSONParser.parse(Array(("{" + distinct.joined(separator: ",") + "}").utf8))
        #expect(many.root == .object((0..<5_000).map { (name: "m\($0)", value: .number("\($0)")) }))
        let lateTwin = "{" + (distinct + ["\"m4999\":0"]).joined(separator: ",") + "}"
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(lateTwin.utf8)) }
    }

    @Test func nestingIsLimited() throws {
        let deepest = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        _ = try JSONParser.parse(Array(deepest.utf8))
        let tooDeep = "[" + deepest + "]"
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(tooDeep.utf8)) }
        // A hostile answer nested far deeper must fail cleanly, not exhaust the stack.
        let hostile = String(repeating: "{\"a\":", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(hostile.utf8)) }
    }

    /// Whatever both parsers accept, they read alike; whatever Foundation refuses, so does this one. Inputs: 20,000
    /// mutations of a real Klarna order (bytes flipped, dropped, duplicated, spliced).
    @Test func agreesWithFoundationOnMutatedOrders() throws {
        let order = Array(Self.fullOrder.utf8)
        var random = SplitMix64(seed: 2026)
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes = order
            for _ in 0..<(1 + random.below(4)) {
                let at = random.below(bytes.count)
                switch random.below(5) {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(bytes[at], at: at)
                case 3:
                    let structural = Array(#"{}[],:"\-0e.tfn"#.utf8)
                    bytes[at] = structural[random.below(structural.count)]
                default: bytes.removeSubrange(at..<min(bytes.count, at + random.below(40)))
                }
                if bytes.isEmpty { bytes = [0x20] }
            }
            let ours = try? JSONParser.parse(bytes).root
            let theirs = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            if let ours {
                accepted += 1
                let foundation = try #require(theirs, "accepted what Foundation refuses: \(String(decoding: bytes, as: UTF8.self))")
                #expect(Self.plain(ours) == Self.plain(foundation))
            }
        }
        #expect(accepted > 1_000)  // the mutations must also exercise acceptance, not only refusal
    }

    /// A comparable form of a parsed value: objects as dictionaries, numbers as `NSNumber`'s description.
    static func plain(_ value: Any) -> String {
        switch value {
        case let value as JSONValue:
            switch value {
            case .null: return "null"
            case .bool(let flag): return flag ? "true" : "false"
            case .number(let text): return NSNumber(value: Double(text) ?? .nan).description
            case .string(let text): return "s:" + text
            case .array(let items): return "[" + items.map(plain).joined(separator: ",") + "]"
            case .object(let members):
                var last: [String: JSONValue] = [:]
                for member in members { last[member.name] = member.value }
                return "{" + last.keys.sorted().map { "\($0)=" + plain(last[$0] ?? .null) }.joined(separator: ",") + "}"
            }
        case is NSNull: return "null"
        case let number as NSNumber:
            if "\(type(of: number))".contains("Boolean") { return number.boolValue ? "true" : "false" }  // corelibs' __NSCFBoolean
            return NSNumber(value: number.doubleValue).description
        case let text as String: return "s:" + text
        case let items as [Any]: return "[" + items.map(plain).joined(separator: ",") + "]"
        case let members as [String: Any]:
            return "{" + members.keys.sorted().map { "\($0)=" + plain(members[$0] ?? NSNull()) }.joined(separator: ",") + "}"
        default: return "?"
        }
    }

    /// An order as Klarna's get order returns it, with every part the read model knows.
    static let fullOrder = #"""
    {"order_id":"f3392f8b-6116-4073-ab96-e330819e2c07","status":"PART_CAPTURED","fraud_status":"ACCEPTED",
     "order_amount":26400,"original_order_amount":26400,"captured_amount":10000,"refunded_amount":2500,
     "remaining_authorized_amount":16400,"purchase_currency":"EUR","purchase_country":"DE","locale":"de-DE",
     "order_lines":[{"type":"physical","reference":"SKU-1","name":"Kapuzenpullover \"Nord\"","quantity":2,
       "quantity_unit":"pcs","unit_price":5000,"tax_rate":1900,"total_amount":10000,"total_discount_amount":0,
       "total_tax_amount":1597,"merchant_data":"{\"k\":1}","product_url":"https://shop.example/p/1",
       "image_url":"https://shop.example/i/1.jpg","product_identifiers":{"category_path":"Kleidung > Pullover",
       "global_trade_item_number":"4006381333931","manufacturer_part_number":"N-1","brand":"Nord","color":"grün",
       "size":"M"}},
      {"type":"shipping_fee","name":"Versand","quantity":1,"unit_price":16400,"tax_rate":1900,"total_amount":16400,
       "total_tax_amount":2618}],
     "merchant_reference1":"1001","merchant_reference2":"","klarna_reference":"K4MADNY-1",
     "billing_address":{"given_name":"Jürgen","family_name":"Müller","email":"j@example.com","street_address":"Hauptstr. 1",
       "postal_code":"10115","city":"Berlin","country":"DE","phone":"+49 30 1234567"},
     "shipping_address":{"given_name":"Jürgen","family_name":"Müller","street_address":"Hauptstr. 1",
       "street_address2":"2. OG","postal_code":"10115","city":"Berlin","region":"BE","country":"DE","title":"Herr",
       "attention":"Empfang","organization_name":"Nord GmbH"},
     "created_at":"2026-11-20T10:00:00Z","expires_at":"2026-12-18T10:00:00Z",
     "captures":[{"capture_id":"c-1","klarna_reference":"K4MADNY-1-1","captured_amount":10000,
       "captured_at":"2026-11-21T09:00:00Z","description":"Teil 1","reference":"wc-1","order_lines":[],
       "refunded_amount":2500,"shipping_info":[{"shipping_company":"DHL","shipping_method":"Home",
       "tracking_number":"123","tracking_uri":"https://dhl.example/123","return_shipping_company":"DHL",
       "return_tracking_number":"R123","return_tracking_uri":"https://dhl.example/R123"}]}],
     "refunds":[{"refund_id":"r-1","refunded_amount":2500,"refunded_at":"2026-11-22T09:00:00Z","description":"Rückgabe",
       "reference":"wc-refund-7","order_lines":[],"credit_invoice":true}],
     "shipping_info":[],"initial_payment_method":{"type":"FIXED_AMOUNT","description":"Ratenkauf",
       "number_of_installments":12},"selected_shipping_option":{"id":"x"}}
    """#
}

/// Reading the models from Klarna's answers: every field, exact integers, errors that name the field.
@Suite struct JSONReaderTests {
    func read<T: JSONReadable>(_ type: T.Type, _ text: String) throws(JSONReadError) -> T {
        try JSONObjectReader.read(type, from: Array(text.utf8))
    }

    @Test func readsEveryFieldOfKlarnasOrder() throws {
        let order = try read(Order.self, JSONParserTests.fullOrder)
        #expect(order.orderId == "f3392f8b-6116-4073-ab96-e330819e2c07")
        #expect(order.status == .partCaptured)
        #expect(order.fraudStatus == .accepted)
        #expect([order.orderAmount, order.originalOrderAmount, order.capturedAmount, order.refundedAmount,
                 order.remainingAuthorizedAmount] == [26400, 26400, 10000, 2500, 16400])
        #expect([order.purchaseCurrency, order.purchaseCountry, order.locale] == ["EUR", "DE", "de-DE"])
        #expect([order.merchantReference1, order.merchantReference2, order.klarnaReference] == ["1001", "", "K4MADNY-1"])
        #expect([order.createdAt, order.expiresAt] == ["2026-11-20T10:00:00Z", "2026-12-18T10:00:00Z"])
        let line = try #require(order.orderLines?.first)
        #expect(line.type == .physical && line.reference == "SKU-1" && line.name == "Kapuzenpullover \"Nord\"")
        #expect([line.quantity, line.unitPrice, line.taxRate, line.totalAmount, line.totalDiscountAmount,
                 line.totalTaxAmount] == [2, 5000, 1900, 10000, 0, 1597])
        #expect(line.quantityUnit == "pcs" && line.merchantData == #"{"k":1}"#)
        #expect(line.productUrl == "https://shop.example/p/1" && line.imageUrl == "https://shop.example/i/1.jpg")
        #expect(line.productIdentifiers == ProductIdentifiers(categoryPath: "Kleidung > Pullover",
                                                              globalTradeItemNumber: "4006381333931",
                                                              manufacturerPartNumber: "N-1", brand: "Nord",
                                                              color: "grün", size: "M"))
        #expect(order.orderLines?.last?.type == .shippingFee)
        #expect(order.billingAddress?.givenName == "Jürgen" && order.billingAddress?.phone == "+49 30 1234567")
        #expect(order.shippingAddress == Address(givenName: "Jürgen", familyName: "Müller", title: "Herr",
                                                 streetAddress: "Hauptstr. 1", streetAddress2: "2. OG",
                                                 postalCode: "10115", city: "Berlin", region: "BE", country: "DE",
                                                 attention: "Empfang", organizationName: "Nord GmbH"))
        let capture = try #require(order.captures?.first)
        #expect(capture.captureId == "c-1" && capture.capturedAmount == 10000 && capture.refundedAmount == 2500)
        #expect(capture.klarnaReference == "K4MADNY-1-1" && capture.capturedAt == "2026-11-21T09:00:00Z")
        #expect(capture.description == "Teil 1" && capture.reference == "wc-1" && capture.orderLines == [])
        #expect(capture.shippingInfo == [ShippingInfo(shippingCompany: "DHL", shippingMethod: "Home", trackingNumber: "123",
                                                      trackingUri: "https://dhl.example/123", returnShippingCompany: "DHL",
                                                      returnTrackingNumber: "R123",
                                                      returnTrackingUri: "https://dhl.example/R123")])
        let refund = try #require(order.refunds?.first)
        #expect(refund.refundId == "r-1" && refund.refundedAmount == 2500 && refund.creditInvoice == true)
        #expect(refund.refundedAt == "2026-11-22T09:00:00Z" && refund.description == "Rückgabe")
        #expect(refund.reference == "wc-refund-7")
        #expect(order.initialPaymentMethod?.type == "FIXED_AMOUNT" && order.initialPaymentMethod?.numberOfInstallments == 12)
    }

    @Test func missingAndNullMembersAreNilAndUnknownOnesIgnored() throws {
        let order = try read(Order.self, #"{"order_id":null,"status":"SOMETHING_NEW","new_field":{"x":[1,2]}}"#)
        #expect(order.orderId == nil && order.orderAmount == nil && order.orderLines == nil)
        #expect(order.status?.rawValue == "SOMETHING_NEW")
    }

    @Test func escapedNamesMatchAndMembersAreFoundInAnyOrder() throws {
        #expect(try read(Order.self, #"{"order\u005famount":7}"#).orderAmount == 7)
        // Reversed member order: every lookup wraps around from where the last one ended.
        let reversed = try read(Order.self, #"{"status":"CAPTURED","locale":"sv-SE","captured_amount":5,"order_id":"o"}"#)
        #expect(reversed.orderId == "o" && reversed.capturedAmount == 5 && reversed.locale == "sv-SE")
        #expect(reversed.status == .captured)
    }

    @Test func membersOfANestedObjectNeverAnswerForTheOuterOne() throws {
        // After reading billing_address, the next lookup (shipping_address) must search the order, not the address
        // that was just read, which has a member of that name too.
        let order = try read(Order.self, #"{"billing_address":{"shipping_address":"x","given_name":"A"},"#
                             + #""shipping_address":{"given_name":"B"},"order_lines":[{"name":"n","quantity":1,"#
                             + #""unit_price":1,"total_amount":1,"status":"LINE"}],"status":"CAPTURED"}"#)
        #expect(order.billingAddress?.givenName == "A" && order.shippingAddress?.givenName == "B")
        #expect(order.status == .captured && order.orderLines?.first?.name == "n")
        #expect(throws: JSONReadError(path: "order_lines[1].product_identifiers.brand",
                                      problem: "expected a string, found a number")) {
            try read(Order.self, #"{"order_lines":[{"name":"a","quantity":1,"unit_price":1,"total_amount":1},"#
                     + #"{"name":"b","quantity":1,"unit_price":1,"total_amount":1,"product_identifiers":{"brand":7}}]}"#)
        }
    }

    /// Readers record problems and carry on; the read fails with the first one met, in the order models read.
    @Test func theFirstProblemMetIsTheOneReported() {
        #expect(throws: JSONReadError(path: "order_id", problem: "expected a string, found a number")) {
            try read(Order.self, #"{"order_id":5,"status":7,"order_lines":[{"quantity":1}]}"#)
        }
        #expect(throws: JSONReadError(path: "order_lines[0].name", problem: "missing")) {
            try read(Order.self, #"{"order_lines":[{"quantity":1,"unit_price":"x"}],"merchant_reference1":false}"#)
        }
        #expect(throws: JSONReadError(path: "order_lines[1]", problem: "expected an object, found a number")) {
            try read(Order.self, #"{"order_lines":[{"name":"a","quantity":1,"unit_price":1,"total_amount":1},2]}"#)
        }
    }

    @Test func aNameSentTwiceMakesTheAnswerUnreadable() {
        #expect(throws: JSONReadError.self) { try read(Order.self, #"{"order_amount":1,"order_amount":2}"#) }
    }

    @Test func integersAreExactAndBounded() throws {
        #expect(try read(Order.self, #"{"order_amount":9223372036854775807}"#).orderAmount == .max)
        #expect(try read(Order.self, #"{"order_amount":-9223372036854775808}"#).orderAmount == .min)
        for literal in ["9223372036854775808", "-9223372036854775809", "12.0", "1e3", "0.5", "-0.0"] {
            #expect(throws: JSONReadError(path: "order_amount", problem: "expected a whole number that fits Int64")) {
                try read(Order.self, #"{"order_amount":\#(literal)}"#)
            }
        }
    }

    @Test func errorsNameTheFieldNeverTheValue() {
        #expect(throws: JSONReadError(path: "order_lines[1].quantity", problem: "expected an integer, found a string")) {
            try read(Order.self, #"{"order_lines":[{"name":"a","quantity":1,"unit_price":1,"total_amount":1},"#
                     + #"{"name":"secret-name","quantity":"2","unit_price":1,"total_amount":2}]}"#)
        }
        #expect(throws: JSONReadError(path: "order_lines[0].name", problem: "missing")) {
            try read(Order.self, #"{"order_lines":[{"quantity":1,"unit_price":1,"total_amount":1}]}"#)
        }
        #expect(throws: JSONReadError(path: "billing_address", problem: "expected an object, found a string")) {
            try read(Order.self, #"{"billing_address":"Jürgen Müller, Berlin"}"#)
        }
        #expect(throws: JSONReadError(path: "", problem: "expected an object, found an array")) {
            try read(Order.self, "[]")
        }
        do {
            _ = try read(Order.self, #"{"billing_address":{"email":42}}"#)
        } catch {
            #expect(error.description == "billing_address.email: expected a string, found a number")
        }
    }

    /// The client turns an unreadable answer into `klarna_unexpected_response` and never traps, whatever the bytes.
    @Test func theClientSurvivesHostileAnswers() throws {
        struct Answer: Transport {
            let body: [UInt8]
            func send(_ request: HTTPRequest) throws(OMError) -> HTTPResponse { HTTPResponse(status: 200, body: body) }
        }
        let settings = KlarnaClient.Settings(baseURL: try KlarnaBaseURL(config: KlarnaConfig(
            environment: .sandbox, baseUrl: "http://127.0.0.1:9", username: "u", password: "p")),
            username: "u", password: "p", userAgent: "t")
        var random = SplitMix64(seed: 99)
        let order = Array(JSONParserTests.fullOrder.utf8)
        for round in 0..<3_000 {
            var bytes = order
            for _ in 0..<(1 + random.below(3)) where !bytes.isEmpty {
                bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
            }
            if round % 10 == 0 { bytes = (0..<random.below(64)).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
            let client = KlarnaClient(settings: settings, transport: Answer(body: bytes))
            do {
                _ = try client.getOrder("o-1")
            } catch {
                #expect(error.code == .klarnaUnexpectedResponse)
                #expect(error.klarna?.httpStatus == 200)
            }
        }
    }
}

/// Writing request bodies: compact, members sorted, escaped as Foundation's JSONEncoder escapes them.
@Suite struct JSONWriterTests {
    @Test func writesCompactSortedJSON() {
        let value = JSONValue.members(["b": .integer(-5), "a": .string("x"), "c": nil, "d": .array([.bool(true), .null])])
        #expect(String(decoding: JSONWriter.write(value), as: UTF8.self) == #"{"a":"x","b":-5,"d":[true,null]}"#)
    }

    /// Random strings (quotes, backslashes, slashes, every control character, non-ASCII) and random key sets give
    /// the same bytes as JSONEncoder with sorted keys and unescaped slashes: the bodies the golden files recorded.
    @Test func matchesJSONEncoderByteForByte() throws {
        var random = SplitMix64(seed: 11)
        let alphabet: [Character] = ["a", "Z", "0", "_", "\"", "\\", "/", " ", "é", "ß", "😀", "\u{7F}", "\u{2028}"]
            + (0..<32).map { Character(Unicode.Scalar(UInt8($0))) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for _ in 0..<2_000 {
            var members: [String: String] = [:]
            for _ in 0..<random.below(6) {
                let key = String((0..<(1 + random.below(12))).map { _ in "abcdefghijklmnopqrstuvwxyz_0123456789".randomElement(using: &random) ?? "a" })
                members[key] = String((0..<random.below(20)).map { _ in alphabet[random.below(alphabet.count)] })
            }
            let ours = JSONWriter.write(.object(members.map { (name: $0.key, value: .string($0.value)) }))
            #expect(ours == Array(try encoder.encode(members)))
            #expect(try JSONParser.parse(ours).root == .object(members.sorted { $0.key < $1.key }.map { (name: $0.key, value: .string($0.value)) }))
        }
    }

    @Test func bodiesCarryEveryFieldUnderKlarnasNames() {
        let line = OrderLine(type: .physical, reference: "SKU-1", name: "Hoodie", quantity: 2, quantityUnit: "pcs",
                             unitPrice: 5000, taxRate: 2500, totalAmount: 9000, totalDiscountAmount: 1000,
                             totalTaxAmount: 1800, merchantData: "m", productUrl: "https://p", imageUrl: "https://i",
                             productIdentifiers: ProductIdentifiers(brand: "B"))
        let body = CaptureObject(capturedAmount: 9000, description: "d", reference: "r", orderLines: [line],
                                 shippingInfo: [ShippingInfo(shippingCompany: "DHL", trackingNumber: "1")], shippingDelay: 2)
        #expect(String(decoding: JSONWriter.write(body.json), as: UTF8.self) == #"{"captured_amount":9000,"description":"d","#
            + #""order_lines":[{"image_url":"https://i","merchant_data":"m","name":"Hoodie","product_identifiers":{"brand":"B"},"#
            + #""product_url":"https://p","quantity":2,"quantity_unit":"pcs","reference":"SKU-1","tax_rate":2500,"#
            + #""total_amount":9000,"total_discount_amount":1000,"total_tax_amount":1800,"type":"physical","unit_price":5000}],"#
            + #""reference":"r","shipping_delay":2,"shipping_info":[{"shipping_company":"DHL","tracking_number":"1"}]}"#)
        // What is written reads back as the same line.
        let reread = try? JSONObjectReader.read(OrderLine.self, from: JSONWriter.write(line.json))
        #expect(reread == line)
    }
}
