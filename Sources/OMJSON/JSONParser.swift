/// A strict RFC 8259 parser, for requests and Klarna's answers alike: UTF-8 only, no trailing commas, comments,
/// NaN or leading zeros, no unpaired surrogates, no member name twice in one object, nothing after the value, and
/// at most `maxDepth` nested arrays and objects, so hostile input cannot exhaust the stack. Malformed input is a
/// `Failure`, never a trap: every byte is read through `current`, which checks the bounds.
package struct JSONParser {
    package struct Failure: Error, Equatable, CustomStringConvertible {
        package enum Kind: Sendable {
            /// Not JSON by RFC 8259's grammar, or not UTF-8.
            case malformed
            /// Arrays and objects nested deeper than the limit.
            case tooDeep
        }

        package let kind: Kind
        /// Byte offset where reading stopped.
        package let offset: Int
        package let reason: String
        package var description: String { "\(reason) at byte \(offset)" }
    }

    /// Parses a whole JSON text whose arrays and objects nest at most `maxDepth` levels.
    package static func parse(_ bytes: [UInt8], maxDepth: Int) throws(Failure) -> JSONDocument {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.current == nil else { throw parser.failure("unexpected text after the value") }
        return JSONDocument(bytes: bytes, tokens: parser.tokens, decoded: parser.decoded)
    }

    private let bytes: [UInt8]
    private let maxDepth: Int
    private var index = 0
    private var tokens: [JSONDocument.Token] = []
    private var decoded: [String] = []

    private init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        tokens.reserveCapacity(bytes.count / 8 + 4)
    }

    // MARK: - Grammar

    /// Appends a scalar's token.
    private mutating func token(
        _ kind: JSONDocument.Token.Kind, _ start: Int, _ end: Int, decoded: Int? = nil,
        hash: UInt32 = 0
    ) {
        tokens.append(
            JSONDocument.Token(
                kind: kind, start: start, end: end, next: tokens.count + 1, decoded: decoded,
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

    /// A container's token, appended before its children; `end` and `next` are set once they are read.
    private mutating func open(_ kind: JSONDocument.Token.Kind, depth: Int) throws(Failure) -> Int {
        guard depth <= maxDepth else {
            throw Failure(kind: .tooDeep, offset: index, reason: "nested deeper than \(maxDepth) levels")
        }
        tokens.append(JSONDocument.Token(kind: kind, start: index, end: index + 1, next: 0, decoded: nil, hash: 0))
        index += 1
        return tokens.count - 1
    }

    private mutating func close(_ container: Int) {
        index += 1
        tokens[container].end = index
        tokens[container].next = tokens.count
    }

    private mutating func object(depth: Int) throws(Failure) {
        let container = try open(.object, depth: depth)
        skipWhitespace()
        if current == UInt8(ascii: "}") { return close(container) }
        var nameHashes = Set<UInt32>()
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw failure("expected a member name") }
            let nameStart = index
            try string()
            let name = tokens.count - 1
            if !nameHashes.insert(tokens[name].hash).inserted, isRepeated(name, in: container) {
                throw Failure(kind: .malformed, offset: nameStart, reason: "a member name appears twice in one object")
            }
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

    /// Whether an earlier member of the object has the same name as the name token `name`. Readers take the one
    /// match there is, so a name sent twice would be ambiguous (RFC 8259 leaves it to the reader); it is refused.
    /// Called only when the name's hash was seen before in the object.
    private func isRepeated(_ name: Int, in container: Int) -> Bool {
        var earlier = container + 1
        while earlier < name {
            if tokens[earlier].hash == tokens[name].hash, text(of: earlier) == text(of: name) { return true }
            earlier = tokens[earlier + 1].next
        }
        return false
    }

    /// A string token's text as UTF-8.
    private func text(of token: Int) -> ArraySlice<UInt8> {
        let entry = tokens[token]
        if let decoded = entry.decoded { return Array(self.decoded[decoded].utf8)[...] }
        return bytes[entry.start..<entry.end]
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

    /// A string literal starting at `"`, as a token. Plain ASCII is kept as the bytes it is; text with escapes or
    /// non-ASCII bytes is decoded or validated here, once, and kept in `decoded`.
    private mutating func string() throws(Failure) {
        index += 1  // opening quote
        let start = index
        var asciiOnly = true
        while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
            guard byte >= 0x20 else { throw failure("a control character must be escaped in a string") }
            if byte >= 0x80 { asciiOnly = false }
            index += 1
        }
        guard let stop = current else { throw failure("unterminated string") }
        if stop == UInt8(ascii: "\"") {
            let end = index
            index += 1
            if asciiOnly { return token(.string, start, end, hash: JSONDocument.hash(bytes[start..<end])) }
            return try keep(bytes[start..<end], start, end)
        }
        var unescaped = Array(bytes[start..<index])
        while true {
            guard let byte = current else { throw failure("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                let end = index
                index += 1
                return try keep(unescaped[...], start, end)
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

    /// Keeps a string's text, which must be valid UTF-8, in `decoded`.
    private mutating func keep(_ text: ArraySlice<UInt8>, _ start: Int, _ end: Int) throws(Failure) {
        guard let string = String(validating: text, as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
        decoded.append(string)
        token(.string, start, end, decoded: decoded.count - 1, hash: JSONDocument.hash(text))
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

    private mutating func literal(_ word: String) throws(Failure) {
        for expected in word.utf8 {
            guard let byte = current else { throw failure("unexpected end of input") }
            guard byte == expected else { throw failure("unexpected character") }
            index += 1
        }
    }

    // MARK: - Reading bytes

    /// The byte at the reading position, or nil at the end: how the grammar reads input.
    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func peek(ahead offset: Int) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = current,
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\t")
        {
            index += 1
        }
    }

    private func failure(_ reason: String) -> Failure {
        Failure(kind: .malformed, offset: index, reason: reason)
    }
}
