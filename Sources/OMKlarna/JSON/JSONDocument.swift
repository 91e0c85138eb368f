/// A parsed JSON text as one flat list of tokens over the original bytes: the structure costs one allocation, and a
/// string becomes a `String` only when somebody reads it. Made by `JSONParser`, read through `JSONObjectReader`.
public struct JSONDocument: Sendable {
    struct Token: Sendable {
        enum Kind: UInt8, Sendable {
            case null, `true`, `false`, number, string, array, object
        }

        var kind: Kind
        /// The content's bytes: a string's text between its quotes (escapes as sent), a number's literal, a
        /// container's opening bracket.
        var start: Int
        var end: Int
        /// The index of the token after this value and everything inside it: how a reader skips a value.
        var next: Int
        /// For a string that needed work (escapes, or non-ASCII text to validate): its text in `decoded`; else -1.
        var decoded: Int
        /// For a string: `JSONDocument.hash` of its text, so that finding a member compares one number per name.
        var hash: UInt32
    }

    /// FNV-1a over UTF-8 bytes: cheap, and only ever a first filter before comparing the text itself.
    static func hash(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }

    let bytes: [UInt8]
    let tokens: [Token]
    let decoded: [String]

    /// The document's value as a tree (for tests and diagnostics; readers use `JSONObjectReader`).
    public var root: JSONValue { value(at: 0) }

    func kind(at token: Int) -> Token.Kind { tokens[token].kind }

    /// The text of a string token.
    func string(at token: Int) -> String {
        let entry = tokens[token]
        if entry.decoded >= 0 { return decoded[entry.decoded] }
        return String(decoding: bytes[entry.start..<entry.end], as: UTF8.self)  // ASCII, checked by the parser
    }

    /// The value token of the last member of the object at `object` whose name is `name`; nil if there is none.
    /// Names are compared by hash first, then byte by byte: no `String` is made for a name.
    func member(of object: Int, named name: String) -> Int? {
        var name = name
        return name.withUTF8 { wanted in
            let hash = Self.hash(wanted)
            var found: Int?
            var child = object + 1
            while child < tokens[object].next {
                let entry = tokens[child]  // a member is a name token followed by its value token
                if entry.hash == hash, text(of: entry, equals: wanted) {
                    found = child + 1
                }
                child = tokens[child + 1].next
            }
            return found
        }
    }

    private func text(of entry: Token, equals wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        if entry.decoded >= 0 { return decoded[entry.decoded].utf8.elementsEqual(wanted) }
        guard entry.end - entry.start == wanted.count else { return false }
        return bytes[entry.start..<entry.end].withUnsafeBufferPointer { $0.elementsEqual(wanted) }
    }

    /// A number token as an integer of type `T`: `-?[0-9]+` that fits, digit by digit with overflow checks; nil for
    /// a fraction, an exponent or a value out of range. Never through `Double`.
    func integer<T: FixedWidthInteger>(at token: Int, as type: T.Type) -> T? {
        let entry = tokens[token]
        guard entry.kind == .number else { return nil }
        var result: T = 0
        var negative = false
        var sawDigit = false
        for byte in bytes[entry.start..<entry.end] {
            if byte == UInt8(ascii: "-"), !negative, !sawDigit {
                negative = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            sawDigit = true
            let digit = T(truncatingIfNeeded: byte - UInt8(ascii: "0"))
            let (shifted, overflowA) = result.multipliedReportingOverflow(by: 10)
            // Negative numbers accumulate downwards so that T.min is reachable.
            let (next, overflowB) = negative ? shifted.subtractingReportingOverflow(digit)
                                             : shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { return nil }
            result = next
        }
        return sawDigit ? result : nil
    }

    /// The token indexes of a container's direct children: values for an array; name, value, name, … for an object.
    func children(of token: Int) -> [Int] {
        var result: [Int] = []
        var child = token + 1
        while child < tokens[token].next {
            result.append(child)
            child = tokens[child].next
        }
        return result
    }

    private func value(at token: Int) -> JSONValue {
        let entry = tokens[token]
        switch entry.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number: return .number(String(decoding: bytes[entry.start..<entry.end], as: UTF8.self))
        case .string: return .string(string(at: token))
        case .array: return .array(children(of: token).map(value(at:)))
        case .object:
            let parts = children(of: token)
            return .object(stride(from: 0, to: parts.count - 1, by: 2).map { index in
                (name: string(at: parts[index]), value: value(at: parts[index + 1]))
            })
        }
    }
}
