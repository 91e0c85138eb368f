/// A parsed JSON text as one flat list of tokens over the original bytes: a string becomes a `String` only when
/// somebody reads it. Made by `JSONParser`, read through `JSONObjectReader`.
package struct JSONDocument: Sendable {
    /// One value of the text, in document order: a container's token comes before its contents.
    struct Token: Sendable {
        enum Kind: Sendable {
            case null, `true`, `false`, number, string, array, object
        }

        var kind: Kind
        /// The content's bytes: a string's text between its quotes (escapes as sent), a number's literal, a
        /// container's whole text from its opening to its closing bracket.
        var start: Int
        var end: Int
        /// The index of the token after this value and everything inside it: how a reader skips a value.
        var next: Int
        /// For a string with escapes or non-ASCII text: where its text is in `decoded`.
        var decoded: Int?
        /// For a string: `JSONDocument.hash` of its text, so that finding a member compares one number per name first.
        var hash: UInt32
    }

    let bytes: [UInt8]
    let tokens: [Token]
    /// The text of the strings that needed work to read: escapes undone, non-ASCII text validated.
    let decoded: [String]

    /// The document's value as a tree (for tests and diagnostics; readers use `JSONObjectReader`).
    package var root: JSONValue { value(at: 0) }

    /// FNV-1a over UTF-8 bytes: only ever a first filter before comparing the text itself.
    static func hash(_ bytes: some Sequence<UInt8>) -> UInt32 {
        bytes.reduce(2_166_136_261) { hash, byte in (hash ^ UInt32(byte)) &* 16_777_619 }
    }

    func kind(at token: Int) -> Token.Kind { tokens[token].kind }

    /// The text of a string token.
    func string(at token: Int) -> String {
        let entry = tokens[token]
        if let decoded = entry.decoded { return self.decoded[decoded] }
        return String(decoding: bytes[entry.start..<entry.end], as: UTF8.self)  // ASCII, checked by the parser
    }

    /// Whether the string token's text is exactly `text`, byte for byte.
    func string(at token: Int, is text: some Collection<UInt8>) -> Bool {
        let entry = tokens[token]
        if let decoded = entry.decoded { return self.decoded[decoded].utf8.elementsEqual(text) }
        return bytes[entry.start..<entry.end].elementsEqual(text)
    }

    /// The value token of the member of the object at `object` whose name is `name`, or nil. Member names are unique
    /// (the parser refuses a name twice), so the first match is the one.
    func member(of object: Int, named name: String) -> Int? {
        let hash = Self.hash(name.utf8)
        var nameToken = object + 1  // a member is a name token followed by its value's tokens
        while nameToken < tokens[object].next {
            if tokens[nameToken].hash == hash, string(at: nameToken, is: name.utf8) { return nameToken + 1 }
            nameToken = tokens[nameToken + 1].next
        }
        return nil
    }

    /// The bytes of a container token's whole text, brackets included, exactly as they were sent.
    func text(of token: Int) -> ArraySlice<UInt8> {
        bytes[tokens[token].start..<tokens[token].end]
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
            let (next, overflowB) =
                negative
                ? shifted.subtractingReportingOverflow(digit)
                : shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { return nil }
            result = next
        }
        return sawDigit ? result : nil
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
            return .object(
                stride(from: 0, to: parts.count - 1, by: 2).map { index in
                    (name: string(at: parts[index]), value: value(at: parts[index + 1]))
                })
        }
    }
}
