/// A type written as one JSON value (Klarna's request bodies, the core's responses, and what they hold).
package protocol JSONWritable {
    var json: JSONValue { get }
}

extension JSONValue {
    /// An object from name/value pairs, leaving out the nil ones: an absent optional field is not sent.
    package static func members(_ pairs: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        .object(pairs.compactMap { pair in pair.value.map { (name: pair.key, value: $0) } })
    }

    package static func integer(_ value: Int64) -> JSONValue { .number(String(value)) }

    package static func integer(_ value: Int64?) -> JSONValue? { value.map { .number(String($0)) } }
    package static func string(_ value: String?) -> JSONValue? { value.map { .string($0) } }
    package static func value(_ value: (some JSONWritable)?) -> JSONValue? { value.map(\.json) }
    package static func array(_ values: [some JSONWritable]?) -> JSONValue? { values.map { .array($0.map(\.json)) } }
}

/// Writes a `JSONValue` as compact JSON: members sorted by name, so that equal values are equal bytes on every run;
/// `/` and non-ASCII text as they are; `"`, `\` and control characters escaped. For ASCII member names these are
/// the bytes of Foundation's `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes`, which wrote the
/// responses and Klarna's bodies before.
package enum JSONWriter {
    package static func write(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(value, into: &output)
        return output
    }

    private static func write(_ value: JSONValue, into output: inout [UInt8]) {
        switch value {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let text):
            output.append(contentsOf: text.utf8)
        case .string(let text):
            writeString(text, into: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(item, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            // Byte order of the names.
            let sorted = members.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.name, into: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case 0x0A: output.append(contentsOf: #"\n"#.utf8)
            case 0x0D: output.append(contentsOf: #"\r"#.utf8)
            case 0x09: output.append(contentsOf: #"\t"#.utf8)
            case 0x08: output.append(contentsOf: #"\b"#.utf8)
            case 0x0C: output.append(contentsOf: #"\f"#.utf8)
            case 0..<0x20:
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(hexDigit(byte >> 4))
                output.append(hexDigit(byte & 0x0F))
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// The lower-case ASCII hex digit of a value 0...15, as JSONEncoder writes `\u001f`.
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
