import Foundation
import OMJSON
import OMTestSupport
import Testing

/// Writing: compact, members sorted, escaped as Foundation's JSONEncoder escapes them.
@Suite struct JSONWriterTests {
    @Test func writesCompactSortedJSON() {
        let value = JSONValue.members([
            "b": .integer(-5), "a": .string("x"), "c": nil, "d": .array([.bool(true), .null]),
        ])
        #expect(String(decoding: JSONWriter.write(value), as: UTF8.self) == #"{"a":"x","b":-5,"d":[true,null]}"#)
    }

    /// Random strings (quotes, backslashes, slashes, every control character, non-ASCII) and random key sets give
    /// the same bytes as JSONEncoder with sorted keys and unescaped slashes: the responses and bodies recorded before.
    @Test func matchesJSONEncoderByteForByte() throws {
        var random = SplitMix64(seed: 11)
        let alphabet: [Character] =
            ["a", "Z", "0", "_", "\"", "\\", "/", " ", "é", "ß", "😀", "\u{7F}", "\u{2028}"]
            + (0..<32).map { Character(Unicode.Scalar(UInt8($0))) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for _ in 0..<2_000 {
            var members: [String: String] = [:]
            for _ in 0..<random.below(6) {
                let key = String(
                    (0..<(1 + random.below(12))).map { _ in
                        "abcdefghijklmnopqrstuvwxyz_0123456789".randomElement(using: &random) ?? "a"
                    })
                members[key] = String((0..<random.below(20)).map { _ in alphabet[random.below(alphabet.count)] })
            }
            let ours = JSONWriter.write(.object(members.map { (name: $0.key, value: .string($0.value)) }))
            #expect(ours == Array(try encoder.encode(members)))
            #expect(
                try JSONParser.parse(ours, maxDepth: 1).root
                    == .object(members.sorted { $0.key < $1.key }.map { (name: $0.key, value: .string($0.value)) }))
        }
    }
}
