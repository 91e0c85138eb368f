import Foundation
import OMJSON
import OMTestSupport
import Testing

/// The parser requests and Klarna's answers go through: what it accepts, what it refuses, and that it never traps.
@Suite struct JSONParserTests {
    func parse(_ text: String, maxDepth: Int = 64) throws(JSONParser.Failure) -> JSONValue {
        try JSONParser.parse(Array(text.utf8), maxDepth: maxDepth).root
    }

    @Test func readsEveryKindOfValue() throws {
        let value = try parse(#" { "a" : [1, -0, 2.5e-3, true, false, null, "x"], "b": {}, "c": [] } "#)
        #expect(
            value
                == .object([
                    (
                        name: "a",
                        value: .array([
                            .number("1"), .number("-0"), .number("2.5e-3"), .bool(true), .bool(false), .null,
                            .string("x"),
                        ])
                    ),
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
        #expect(try parse(#""nul \u0000 inside""#) == .string("nul \u{0} inside"))
    }

    @Test(arguments: [
        "", " ", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "{'a':1}", "01", "-", "+1", ".5", "1.", "1e",
        "1e+",
        "NaN", "Infinity", "-Infinity", "tru", "nul", "[1] x", "{} {}", "/* c */ 1", "\"unterminated", "\"\\x\"",
        "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"tab\there\"", "\"new\nline\"", "[", "{",
        "{\"a\"",
        "{\"a\":", "[1,", "\u{FEFF}1",
    ])
    func refusesWhatRFC8259Refuses(text: String) {
        let failure = #expect(throws: JSONParser.Failure.self) { try parse(text) }
        #expect(failure?.kind == .malformed)
    }

    @Test(
        arguments: [
            [0xFF], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xE2, 0x82, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xC3, 0x5C, 0x6E, 0x22],
        ] as [[UInt8]])
    func refusesInvalidUTF8(bytes: [UInt8]) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(bytes, maxDepth: 64) }
    }

    /// Readers take the one member with a name, so a name sent twice is refused, however it is spelled and however
    /// large the object.
    @Test func refusesANameSentTwice() throws {
        for text in [#"{"a":1,"a":2}"#, #"{"a":1,"\u0061":2}"#, #"{"é":1,"\u00e9":2}"#, #"{"x":{"b":1,"c":2,"b":3}}"#] {
            #expect(throws: JSONParser.Failure.self) { try parse(text) }
        }
        _ = try parse(#"{"a":{"a":1},"b":[{"a":1},{"a":2}]}"#)  // the same name in other objects
        _ = try parse(#"{"é":1,"e\u0301":2}"#)  // names that differ in their bytes are different names
        let distinct = (0..<5_000).map { "\"m\($0)\":\($0)" }
        let many = try parse("{" + distinct.joined(separator: ",") + "}")
        #expect(many == .object((0..<5_000).map { (name: "m\($0)", value: .number("\($0)")) }))
        let lateTwin = "{" + (distinct + ["\"m4999\":0"]).joined(separator: ",") + "}"
        #expect(throws: JSONParser.Failure.self) { try parse(lateTwin) }
    }

    @Test(arguments: [1, 32, 64])
    func nestingIsLimited(maxDepth: Int) throws {
        let deepest = String(repeating: "[", count: maxDepth) + String(repeating: "]", count: maxDepth)
        _ = try parse(deepest, maxDepth: maxDepth)
        let failure = #expect(throws: JSONParser.Failure.self) { try parse("[" + deepest + "]", maxDepth: maxDepth) }
        #expect(failure?.kind == .tooDeep)
        // A hostile text nested far deeper fails cleanly, without exhausting the stack.
        let hostile = String(repeating: "{\"a\":", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try parse(hostile, maxDepth: maxDepth) }
        // Brackets inside strings are text.
        _ = try parse(#"{"a":"\#(String(repeating: "[{", count: 500))"}"#, maxDepth: maxDepth)
    }

    /// Whatever both parsers accept, they read alike; whatever Foundation refuses, so does this one. Inputs: 20,000
    /// mutations of the contract's example request (bytes flipped, dropped, duplicated, spliced).
    @Test func agreesWithFoundationOnMutatedDocuments() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/examples/capture-request.json")
        let original = Array(try Data(contentsOf: example))
        var random = SplitMix64(seed: 2026)
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes = original
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
            let ours = try? JSONParser.parse(bytes, maxDepth: 32).root
            let theirs = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            if let ours {
                accepted += 1
                let foundation = try #require(
                    theirs, "accepted what Foundation refuses: \(String(decoding: bytes, as: UTF8.self))")
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
            // corelibs' __NSCFBoolean
            if "\(type(of: number))".contains("Boolean") { return number.boolValue ? "true" : "false" }
            return NSNumber(value: number.doubleValue).description
        case let text as String: return "s:" + text
        case let items as [Any]: return "[" + items.map(plain).joined(separator: ",") + "]"
        case let members as [String: Any]:
            return "{" + members.keys.sorted().map { "\($0)=" + plain(members[$0] ?? NSNull()) }.joined(separator: ",")
                + "}"
        default: return "?"
        }
    }
}
