import Glibc

/// A parsed JSON text as one flat list of tokens over the original bytes: the structure costs one allocation, and a
/// string becomes a `String` only when somebody reads it. Made by `JSONParser`, read through `JSONObjectReader`.
public struct JSONDocument: Sendable {
    /// 24 bytes: offsets are stored as `Int32` (the parser refuses texts of 2 GiB or more), so an order's tokens
    /// fill half the cache lines, which counts on a cold call.
    struct Token: Sendable {
        enum Kind: UInt8, Sendable {
            case null, `true`, `false`, number, string, array, object
        }

        var kind: Kind
        /// For a string: `JSONDocument.hash` of its text, so that finding a member compares one number per name.
        var hash: UInt32
        private var storedStart, storedEnd, storedNext, storedDecoded: Int32

        init(kind: Kind, start: Int, end: Int, next: Int, decoded: Int, hash: UInt32) {
            self.kind = kind
            self.hash = hash
            (storedStart, storedEnd) = (Int32(truncatingIfNeeded: start), Int32(truncatingIfNeeded: end))
            (storedNext, storedDecoded) = (Int32(truncatingIfNeeded: next), Int32(truncatingIfNeeded: decoded))
        }

        /// The content's bytes: a string's text between its quotes (escapes as sent), a number's literal, a
        /// container's opening bracket.
        var start: Int { Int(storedStart) }
        var end: Int { Int(storedEnd) }
        /// The index of the token after this value and everything inside it: how a reader skips a value.
        var next: Int {
            get { Int(storedNext) }
            set { storedNext = Int32(truncatingIfNeeded: newValue) }
        }
        /// For a string that needed work (escapes, or non-ASCII text to validate): its text in `decoded`; else -1.
        var decoded: Int { Int(storedDecoded) }
    }

    /// FNV-1a over UTF-8 bytes: cheap, and only ever a first filter before comparing the text itself.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash = hashSeed
        for byte in bytes { hash = hashStep(hash, byte) }
        return hash
    }

    static var hashSeed: UInt32 { 2_166_136_261 }

    static func hashStep(_ hash: UInt32, _ byte: UInt8) -> UInt32 { (hash ^ UInt32(byte)) &* 16_777_619 }

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

    /// The member of the object at `object` whose name is `name`: its value token and the name token after it (or
    /// the object's end). Member names are unique (the parser refuses duplicates), so the search stops at the match.
    /// It starts at `start`, a name token of this object, and wraps around: a reader that reads members in the order
    /// they were sent finds each at once. Names are compared by hash first, then byte by byte.
    func member(of object: Int, named name: String, from start: Int) -> (value: Int, next: Int)? {
        var name = name
        return name.withUTF8 { wanted in
            bytes.withUnsafeBufferPointer { text in
                let hash = Self.hash(wanted)
                let (first, end) = (object + 1, tokens[object].next)
                let start = (first..<end).contains(start) ? start : first
                // One pass over the members, from `start` to the end and then from the first up to `start`.
                var (child, wrapped) = (start, false)
                while wrapped ? child < start : true {
                    if child >= end {
                        if start == first { return nil }
                        (child, wrapped) = (first, true)
                        continue
                    }
                    let entry = tokens[child]  // a member is a name token followed by its value token
                    let next = tokens[child + 1].next
                    if entry.hash == hash, Self.text(of: entry, in: text, decoded: decoded, equals: wanted) {
                        return (child + 1, next)
                    }
                    child = next
                }
                return nil
            }
        }
    }

    private static func text(of entry: Token, in text: UnsafeBufferPointer<UInt8>, decoded: [String],
                             equals wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        if entry.decoded >= 0 { return decoded[entry.decoded].utf8.elementsEqual(wanted) }  // escaped or non-ASCII: rare
        guard entry.end - entry.start == wanted.count, entry.end <= text.count else { return false }
        guard let a = text.baseAddress, let b = wanted.baseAddress else { return wanted.isEmpty }
        return memcmp(a + entry.start, b, wanted.count) == 0
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
