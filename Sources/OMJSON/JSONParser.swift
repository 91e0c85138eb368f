/// A strict RFC 8259 reader for Klarna's answers: UTF-8 only, no trailing commas, comments, NaN or leading zeros,
/// no unpaired surrogates, nothing after the value, at most `maxDepth` nested arrays and objects.
///
/// Why not Foundation's `JSONDecoder`: on a cold call, which every WooCommerce request is, reading Klarna's order
/// through it cost ~45 µs; this and `JSONObjectReader` cost a fraction (`scripts/bench`). Every byte read here is
/// bounds-checked; malformed input is a `Failure`, never a trap.
public struct JSONParser {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// Byte offset where reading stopped.
        public let offset: Int
        public let reason: String
        public var description: String { "\(reason) at byte \(offset)" }
    }

    /// Klarna's deepest answer nests five levels; the limit only keeps hostile input off the stack.
    public static let maxDepth = 64

    /// Token offsets are 32-bit; Klarna's answers are capped far below (`CurlTransport.maxResponseBytes`).
    public static let maxBytes = Int(Int32.max) - 1

    public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONDocument {
        guard bytes.count <= maxBytes else { throw Failure(offset: 0, reason: "text too large") }
        let result: Result<JSONParser, Failure> = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer)
            return Result { () throws(Failure) in
                try parser.document()
                return parser
            }
        }
        let parser = try result.get()
        return JSONDocument(bytes: bytes, tokens: parser.tokens, decoded: parser.decoded)
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var tokens: [JSONDocument.Token] = []
    private var decoded: [String] = []

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        tokens.reserveCapacity(bytes.count / 8 + 4)
    }

    // MARK: - Grammar

    private mutating func document() throws(Failure) {
        try value(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw failure("unexpected text after the value") }
    }

    /// Appends a scalar's token.
    private mutating func token(_ kind: JSONDocument.Token.Kind, _ start: Int, _ end: Int, decoded: Int = -1,
                                hash: UInt32 = 0) {
        tokens.append(JSONDocument.Token(kind: kind, start: start, end: end, next: tokens.count + 1, decoded: decoded,
                                         hash: hash))
    }

    private mutating func value(depth: Int) throws(Failure) {
        skipWhitespace()
        guard let byte = current else { throw failure("unexpected end of input") }
        let start = index
        switch byte {
        case UInt8(ascii: "{"):
            try object(depth: depth + 1)
        case UInt8(ascii: "["):
            try array(depth: depth + 1)
        case UInt8(ascii: "\""):
            try string()
        case UInt8(ascii: "t"):
            try literal("true")
            token(.true, start, index)
        case UInt8(ascii: "f"):
            try literal("false")
            token(.false, start, index)
        case UInt8(ascii: "n"):
            try literal("null")
            token(.null, start, index)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
            token(.number, start, index)
        default:
            throw failure("unexpected character")
        }
    }

    /// A container's token, appended before its children; `next` is set once they are read.
    private mutating func open(_ kind: JSONDocument.Token.Kind, depth: Int) throws(Failure) -> Int {
        guard depth <= Self.maxDepth else { throw failure("nested deeper than \(Self.maxDepth) levels") }
        tokens.append(JSONDocument.Token(kind: kind, start: index, end: index + 1, next: 0, decoded: -1, hash: 0))
        index += 1
        return tokens.count - 1
    }

    private mutating func close(_ container: Int) {
        index += 1
        tokens[container].next = tokens.count
    }

    private mutating func object(depth: Int) throws(Failure) {
        let container = try open(.object, depth: depth)
        skipWhitespace()
        if current == UInt8(ascii: "}") { return close(container) }
        var count = 0
        var seen: Set<UInt32>?
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw failure("expected a member name") }
            let nameStart = index
            try string()
            try checkUnique(name: tokens.count - 1, in: container, count: count, seen: &seen, at: nameStart)
            count += 1
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw failure("expected `:`") }
            index += 1
            try value(depth: depth)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                return close(container)
            default:
                throw failure("expected `,` or `}`")
            }
        }
    }

    /// Refuses a member name the object already has: readers take the one match there is, so a name sent twice
    /// would be ambiguous (RFC 8259 leaves it to the reader). Names are compared by hash first; past 32 members the
    /// hashes go into a set, so that a hostile object cannot make this quadratic.
    private func checkUnique(name: Int, in container: Int, count: Int, seen: inout Set<UInt32>?, at offset: Int)
        throws(Failure)
    {
        let hash = tokens[name].hash
        if count == 32 {
            var all = Set<UInt32>()
            var earlier = container + 1
            while earlier < name {
                all.insert(tokens[earlier].hash)
                earlier = tokens[earlier + 1].next
            }
            seen = all
        }
        if var set = seen {
            seen = nil  // keep the set uniquely referenced while inserting
            let fresh = set.insert(hash).inserted
            seen = set
            if fresh { return }
        }
        var earlier = container + 1
        while earlier < name {
            if tokens[earlier].hash == hash, text(of: earlier) == text(of: name) {
                throw Failure(offset: offset, reason: "a member name appears twice in one object")
            }
            earlier = tokens[earlier + 1].next
        }
    }

    /// A string token's text (only to tell two names apart, after their hashes matched).
    private func text(of token: Int) -> String {
        let entry = tokens[token]
        if entry.decoded >= 0 { return decoded[entry.decoded] }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[entry.start..<entry.end]), as: UTF8.self)
    }

    private mutating func array(depth: Int) throws(Failure) {
        let container = try open(.array, depth: depth)
        skipWhitespace()
        if current == UInt8(ascii: "]") { return close(container) }
        while true {
            try value(depth: depth)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                return close(container)
            default:
                throw failure("expected `,` or `]`")
            }
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() throws(Failure) {
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
            guard !isDigit(current) else { throw failure("a number must not have a leading zero") }
        } else {
            try digits()
        }
        if current == UInt8(ascii: ".") {
            index += 1
            try digits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            try digits()
        }
    }

    private mutating func digits() throws(Failure) {
        guard isDigit(current) else { throw failure("expected a digit") }
        while isDigit(current) { index += 1 }
    }

    private func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// A string literal starting at `"`, as a token. Plain ASCII (the common case) is one scan and no copy; text
    /// with escapes or non-ASCII bytes is decoded or validated once here and kept in `decoded`.
    private mutating func string() throws(Failure) {
        index += 1  // opening quote
        let start = index
        var asciiOnly = true
        var hash = JSONDocument.hashSeed
        while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
            guard byte >= 0x20 else { throw failure("a control character must be escaped in a string") }
            if byte >= 0x80 { asciiOnly = false }
            hash = JSONDocument.hashStep(hash, byte)  // the text's bytes as they are, unless it has escapes
            index += 1
        }
        guard let stop = current else { throw failure("unterminated string") }
        if stop == UInt8(ascii: "\"") {
            let end = index
            index += 1
            if asciiOnly { return token(.string, start, end, hash: hash) }
            guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) else {
                throw failure("a string is not valid UTF-8")
            }
            return keep(text, start, end, hash: hash)
        }
        var unescaped = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while true {
            guard let byte = current else { throw failure("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                let end = index
                index += 1
                guard let text = String(validating: unescaped, as: UTF8.self) else {
                    throw failure("a string is not valid UTF-8")
                }
                return keep(text, start, end, hash: unescaped.withUnsafeBufferPointer(JSONDocument.hash))
            case UInt8(ascii: "\\"):
                index += 1
                try escape(into: &unescaped)
            case 0..<0x20:
                throw failure("a control character must be escaped in a string")
            default:
                unescaped.append(byte)
                index += 1
            }
        }
    }

    private mutating func keep(_ text: String, _ start: Int, _ end: Int, hash: UInt32) {
        decoded.append(text)
        token(.string, start, end, decoded: decoded.count - 1, hash: hash)
    }

    /// One escape after its backslash: `\" \\ \/ \b \f \n \r \t` or `\uXXXX` (a surrogate pair as two).
    private mutating func escape(into output: inout [UInt8]) throws(Failure) {
        guard let byte = current else { throw failure("unterminated escape") }
        index += 1
        let simple: UInt8?
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): simple = byte
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default: throw failure("unknown escape")
        }
        if let simple {
            output.append(simple)
            return
        }
        var scalar = try hex4()
        if (0xD800...0xDBFF).contains(scalar) {
            guard current == UInt8(ascii: "\\"), peek(ahead: 1) == UInt8(ascii: "u") else {
                throw failure("an unpaired surrogate in a string")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw failure("an unpaired surrogate in a string") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
            throw failure("an unpaired surrogate in a string")
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw failure("an invalid \\u escape") }
        output.append(contentsOf: String(unicode).utf8)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw failure("unterminated \\u escape") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("an invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw failure("unexpected end of input") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw failure("unexpected character")
        }
        index += count
    }

    // MARK: - Reading bytes

    /// The byte at the reading position, or nil at the end: the only way the grammar reads input.
    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func peek(ahead offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = current,
              byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t")
        {
            index += 1
        }
    }

    private func failure(_ reason: String) -> Failure {
        Failure(offset: index, reason: reason)
    }
}
