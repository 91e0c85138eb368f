import OMCore
import Testing

/// Reading a batch (docs/contract.md, "Many orders at once"): what refuses it whole, what refuses one item only,
/// and each item's request kept as the bytes sent, for its own entry point to read.
@Suite struct BatchDecodingTests {
    func batch(_ items: String, _ extra: String = "") -> String {
        #"{"version":1,"items":[\#(items)]\#(extra)}"#
    }

    func decode(_ text: String) throws(OMError) -> BatchRequest {
        try BatchDecoder.decode(Array(text.utf8))
    }

    func refusal(_ text: String) -> OMError? {
        do {
            _ = try decode(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func itemsKeepTheirOperationAndTheRequestAsSent() throws {
        let request = #"{ "version" : 1, "order" : {"id":7} }"#
        let decoded = try decode(
            batch(#"{"operation":"capture","request":\#(request)},{"request":{},"operation":"refund","x":[]}"#))
        #expect(decoded.items.count == 2)
        let first = try decoded.items[0].get()
        let second = try decoded.items[1].get()
        #expect(first.operation == .capture && first.request == Array(request.utf8))
        #expect(second.operation == .refund && second.request == Array("{}".utf8))
        #expect(decoded.concurrency == 8 && decoded.requestsPerSecond == 20)
        #expect(try decode(batch("")).items.isEmpty)
    }

    @Test func everyOperationOfTheEntryPointsIsAnItemsOperation() throws {
        for operation in OrderOperation.allCases {
            let item = try decode(batch(#"{"operation":"\#(operation.rawValue)","request":{}}"#)).items[0].get()
            #expect(item.operation == operation)
        }
    }

    @Test func aMalformedItemRefusesOnlyItself() throws {
        let decoded = try decode(
            batch(
                #"{"operation":"capture","request":{}},7,{"request":{}},{"operation":"charge","request":{}},"#
                    + #"{"operation":"cancel"},{"operation":"cancel","request":[]},{"operation":"update","request":{}}"#
            ))
        let errors = decoded.items.map { item -> String? in
            guard case .failure(let error) = item else { return nil }
            return "\(error.code) \(error.field ?? "")"
        }
        #expect(
            errors == [
                nil, "invalid_field items[1]", "missing_field items[2].operation",
                "invalid_field items[3].operation", "missing_field items[4].request",
                "invalid_field items[5].request", nil,
            ])
    }

    @Test func concurrencyAndPaceHaveDefaultsAndCeilings() throws {
        var decoded = try decode(batch("", #","concurrency":100,"requests_per_second":1000"#))
        #expect(decoded.concurrency == 32 && decoded.requestsPerSecond == 200)
        decoded = try decode(batch("", #","concurrency":1,"requests_per_second":1"#))
        #expect(decoded.concurrency == 1 && decoded.requestsPerSecond == 1)
        for extra in [
            #","concurrency":0"#, #","concurrency":-3"#, #","concurrency":2.5"#, #","concurrency":"8""#,
            #","requests_per_second":0"#, #","requests_per_second":true"#,
        ] {
            let error = refusal(batch("", extra))
            #expect(error?.code == .invalidField, "\(extra)")
            #expect(error?.field == (extra.contains("concurrency") ? "concurrency" : "requests_per_second"))
        }
    }

    @Test(arguments: [
        ("", "invalid_json", "batch is not valid JSON"),
        ("[]", "invalid_json", "batch must be a JSON object"),
        (#"{"items":[]}"#, "missing_field", "required field `version` is missing"),
        (
            #"{"version":2,"items":[]}"#, "unsupported_version",
            "batch `version` 2 is not supported; this library reads version 1"
        ),
        (#"{"version":1}"#, "missing_field", "required field `items` is missing"),
        (#"{"version":1,"items":{}}"#, "invalid_field", "field `items` must be an array"),
        (#"{"version":1,"items":[],"items":[]}"#, "invalid_json", "batch is not valid JSON"),
    ])
    func aMalformedBatchIsRefusedWhole(text: String, code: String, message: String) {
        let error = refusal(text)
        #expect(error?.code.rawValue == code)
        #expect(error?.message == message)
    }

    @Test func sizeAndCountLimits() {
        let item = #"{"operation":"capture","request":{}}"#
        #expect(refusal(batch(Array(repeating: item, count: 1_001).joined(separator: ",")))?.field == "items")
        #expect(refusal(batch(Array(repeating: item, count: 1_000).joined(separator: ","))) == nil)
        let huge = #"{"version":1,"items":[],"pad":""# + String(repeating: "x", count: BatchRequest.maxBytes) + #""}"#
        #expect(refusal(huge)?.code == .requestTooLarge)
        #expect(refusal(huge)?.message == "batch is larger than 16777216 bytes")
    }

    @Test func aRequestKeepsItsOwnThirtyTwoLevels() throws {
        let nested = { (depth: Int) in
            String(repeating: #"{"a":"#, count: depth - 1) + "{}" + String(repeating: "}", count: depth - 1)
        }
        let item = try decode(batch(#"{"operation":"capture","request":\#(nested(32))}"#)).items[0].get()
        #expect(item.request.count == nested(32).utf8.count)
        #expect(refusal(batch(#"{"operation":"capture","request":\#(nested(33))}"#))?.code == .nestingTooDeep)
        #expect(
            refusal(batch(#"{"operation":"capture","request":\#(nested(33))}"#))?.message
                == "batch nests deeper than 35 levels")
    }

    @Test func invalidUTF8RefusesTheBatch() throws {
        var bytes = Array(batch(#"{"operation":"capture","request":{"x":"é"}}"#).utf8)
        bytes[try #require(bytes.firstIndex(of: 0xC3))] = 0xFF
        #expect(throws: OMError.self) { try BatchDecoder.decode(bytes) }
        do {
            _ = try BatchDecoder.decode(bytes)
        } catch {
            #expect(error.code == .invalidUTF8 && error.message == "batch is not valid UTF-8")
        }
    }

    @Test func theAnswerHoldsEachItemsBytesInOrder() {
        #expect(
            BatchResponse.encode(results: [#"{"a":1}"#, #"{"b":2}"#], log: [])
                == #"{"ok":true,"results":[{"a":1},{"b":2}],"version":1}"#)
        #expect(
            BatchResponse.encode(results: [], log: [LogEntry(level: .warning, message: "m", context: ["k": "v"])])
                == #"{"log":[{"context":{"k":"v"},"level":"warning","message":"m"}],"ok":true,"results":[],"version":1}"#
        )
    }
}
