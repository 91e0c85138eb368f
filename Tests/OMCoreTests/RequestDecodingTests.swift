import Foundation
import OMCore
import Testing

/// A valid version-1 request; tests change one thing in it at a time.
let validRequest = #"""
    {"version":1,"locale":"vi_VN","operation":"capture",
     "config":{"environment":"playground","region":"eu","username":"PK0001_abc","password":"s3cr3t-value",
               "connect_timeout_ms":3000,"timeout_ms":15000},
     "platform":{"wordpress":"6.8","woocommerce":"9.9.0","php":"8.2.36","plugin":"0.1.0"},
     "order":{"id":1042,"number":"1042","transition":{"from":"processing","to":"completed"},
       "currency":"EUR","prices_include_tax":true,
       "totals":{"total":"264.00","total_tax":"52.80","shipping_total":"4.00","shipping_tax":"1.00"},
       "items":[{"item_id":11,"product_id":7,"sku":"HOODIE-M","name":"Hoodie","quantity":2,
                 "subtotal":"200.00","subtotal_tax":"50.00","total":"200.00","total_tax":"50.00",
                 "taxes":[{"rate_id":1,"percent":"25.0000","amount":"50.00"}],
                 "is_virtual":false,"is_downloadable":false,"product_deleted":false}],
       "shipping_lines":[{"item_id":12,"method_id":"flat_rate","instance_id":"3","name":"Flat rate",
                          "total":"4.00","total_tax":"1.00"}],
       "fees":[{"item_id":13,"name":"Gift wrap","total":"-0.80","total_tax":"-0.20"}],
       "coupons":[],
       "payment_method":"klarna_payments",
       "klarna":{"order_id":"0b1d9815-165e-42e2-8867-35bc03789e00","environment":"playground","purchase_country":"SE"},
       "meta":{"capture_ids":[]}}}
    """#

func decode(_ text: String, for operation: OrderOperation = .capture) throws(OMError) -> OMRequest {
    try RequestDecoder.decode(text, for: operation)
}

/// The error a request gives, or nil when it decodes.
func decodingError(_ text: String, for operation: OrderOperation = .capture) -> OMError? {
    do {
        _ = try decode(text, for: operation)
        return nil
    } catch {
        return error
    }
}

@Suite struct RequestDecodingTests {
    @Test func decodesAFullRequest() throws {
        let request = try decode(validRequest)
        #expect(request.version == 1)
        #expect(request.operation == .capture)
        #expect(request.config.environment == .playground)
        #expect(request.config.region == .eu)
        #expect(request.order.id == 1042)
        #expect(request.order.currency.code == "EUR")
        #expect(try request.order.totals.total.exactMinorUnits(exponent: 2) == 26400)
        #expect(request.order.items?.first?.taxes?.first?.percent.description == "25.0000")
        #expect(request.order.fees?.first?.total.isNegative == true)
        #expect(request.order.klarna?.orderId == "0b1d9815-165e-42e2-8867-35bc03789e00")
        #expect(request.order.transition?.to == "completed")
    }

    @Test func ignoresUnknownKeysSoFieldsCanBeAdded() throws {
        let extended = validRequest.replacingFirst(#""version":1,"#, with: #""version":1,"added_in_1_9":{"x":[1]},"#)
        #expect(try decode(extended).order.id == 1042)
    }

    /// Each row changes one thing in the valid request and names the code and field the error must carry.
    @Test(arguments: [
        (#""version":1,"#, #""version":"1","#, "invalid_field", "version"),
        (#""version":1,"#, #""version":3,"#, "unsupported_version", "version"),
        (#""version":1,"#, #""version":0,"#, "unsupported_version", "version"),
        (#""version":1,"#, "", "missing_field", "version"),
        (#""operation":"capture","#, #""operation":"charge","#, "invalid_field", "operation"),
        (#""operation":"capture","#, #""operation":"refund","#, "operation_mismatch", "operation"),
        (#""environment":"playground""#, #""environment":"live""#, "invalid_field", "config.environment"),
        (#""region":"eu""#, #""region":"mars""#, "invalid_field", "config.region"),
        (#""password":"s3cr3t-value","#, "", "missing_field", "config.password"),
        (#""id":1042"#, #""id":"1042""#, "invalid_field", "order.id"),
        (#""id":1042"#, #""id":1e30"#, "invalid_field", "order.id"),
        (#""id":1042"#, #""id":10.5"#, "invalid_field", "order.id"),
        (#""currency":"EUR""#, #""currency":"EURO""#, "unknown_currency", "order.currency"),
        (#""total":"264.00""#, #""total":264.00"#, "invalid_field", "order.totals.total"),
        (#""total":"264.00""#, #""total":"264,00""#, "invalid_amount", "order.totals.total"),
        (#""total":"264.00""#, #""total":"99999999999999999999""#, "amount_overflow", "order.totals.total"),
        (#""quantity":2"#, #""quantity":"2""#, "invalid_field", "order.items[0].quantity"),
        (#""name":"Hoodie","#, "", "missing_field", "order.items[0].name"),
        (#""percent":"25.0000""#, #""percent":null"#, "invalid_field", "order.items[0].taxes[0].percent"),
        (#""total":"-0.80""#, #""total":"-0.8O""#, "invalid_amount", "order.fees[0].total"),
        (#""payment_method":"klarna_payments""#, #""payment_method":7"#, "invalid_field", "order.payment_method"),
        (#""items":["#, #""items":{"a":1},"ignored":["#, "invalid_field", "order.items"),
        (#""prices_include_tax":true"#, #""prices_include_tax":"yes""#, "invalid_field", "order.prices_include_tax"),
    ])
    func namesTheOffendingField(find: String, replace: String, code: String, field: String) {
        let error = decodingError(validRequest.replacingFirst(find, with: replace))
        #expect(error?.code.rawValue == code)
        #expect(error?.field == field)
        #expect(error?.message.contains(field) == true)
    }

    @Test func refundNeedsTheRefundBeingMade() {
        let request = validRequest.replacingFirst(#""operation":"capture","#, with: "")
        #expect(decodingError(request, for: .refund)?.field == "refund")
        let withRefund = request.replacingFirst(
            #""version":1,"#,
            with: #""version":1,"refund":{"id":77,"amount":"10.00","items":[{"item_id":11,"total":"8.00"}]},"#)
        #expect(decodingError(withRefund, for: .refund) == nil)
    }

    @Test func messagesNeverQuoteInputValues() {
        let secret = "s3cr3t-value"
        let rows = [
            validRequest.replacingFirst(#""password":"s3cr3t-value""#, with: #""password":["s3cr3t-value"]"#),
            validRequest.replacingFirst(#""environment":"playground""#, with: #""environment":"s3cr3t-value""#),
            validRequest.replacingFirst(#""total":"264.00""#, with: #""total":"s3cr3t-value""#),
            validRequest.replacingFirst(#""currency":"EUR""#, with: #""currency":"s3cr3t-value""#),
        ]
        for row in rows {
            let error = decodingError(row)
            #expect(error != nil)
            #expect(error?.message.contains(secret) == false)
        }
    }
}

/// The checks on the request's text before any field is read, in the contract's order: size, UTF-8, nesting, JSON.
@Suite struct RequestTextTests {
    func code(_ bytes: [UInt8]) -> String? {
        decodingError(bytes)?.code.rawValue
    }

    func decodingError(_ bytes: [UInt8]) -> OMError? {
        do {
            _ = try RequestDecoder.decode(bytes, for: .capture)
            return nil
        } catch {
            return error
        }
    }

    @Test func refusesInvalidUTF8() {
        #expect(code([0x7B, 0xFF, 0x7D]) == "invalid_utf8")
        #expect(code([0x7B, 0xC3]) == "invalid_utf8")  // truncated sequence
        #expect(code([0xED, 0xA0, 0x80]) == "invalid_utf8")  // an encoded surrogate
        #expect(code(Array(#"{"a":"\#u{FF}"}"#.utf8).map { $0 == 0xC3 ? 0xFF : $0 }) == "invalid_utf8")  // in a string
        #expect(code(Array("{\"name\":\"Nón lá\"}".utf8)) == "missing_field")  // read; only `version` is missing
        #expect(code(Array(validRequest.replacingFirst("Hoodie", with: "Áo hoodie Nón lá 😀").utf8)) == nil)
    }

    @Test func refusesMoreThanOneMebibyte() {
        let padded =
            Array(validRequest.utf8)
            + [UInt8](repeating: 0x20, count: RequestDecoder.maxBytes - validRequest.utf8.count)
        #expect(code(padded) == nil)
        #expect(code(padded + [0x20]) == "request_too_large")
    }

    @Test func limitsNestingButNotBracketsInsideStrings() {
        let limit = RequestDecoder.maxDepth
        func nested(_ levels: Int) -> [UInt8] {  // the request itself is the first level
            let brackets = String(repeating: "[", count: levels - 1) + String(repeating: "]", count: levels - 1)
            return Array(validRequest.replacingFirst(#""version":1,"#, with: #""version":1,"x":\#(brackets),"#).utf8)
        }
        #expect(code(nested(limit)) == nil)
        #expect(code(nested(limit + 1)) == "nesting_too_deep")
        #expect(code(Array(String(repeating: "[", count: 100_000).utf8)) == "nesting_too_deep")
        #expect(code(Array(("{\"a\":\"" + String(repeating: "[", count: 500) + "\"}").utf8)) == "missing_field")
        #expect(code(Array(("{\"a\":\"\\\"" + String(repeating: "{", count: 500) + "\"}").utf8)) == "missing_field")
    }

    /// A text with several problems gets the first code of the contract's table: not UTF-8 before too deep, too deep
    /// before not JSON.
    @Test func theFirstFailingCheckGivesTheCode() {
        let deep = String(repeating: "[", count: RequestDecoder.maxDepth + 1)
        #expect(code(Array(("{\"a\":1,,}" + "\"").utf8) + [0xFF]) == "invalid_utf8")
        #expect(code(Array((deep + "]} not JSON").utf8)) == "nesting_too_deep")
        #expect(code(Array("[]".utf8)) == "invalid_json")
        #expect(decodingError(Array("[]".utf8))?.message == "request must be a JSON object")
        #expect(decodingError(Array("{".utf8))?.message == "request is not valid JSON")
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced; the string unchanged if there is none.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
