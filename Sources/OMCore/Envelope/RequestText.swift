/// Checks a request's raw bytes before any JSON parser sees them: size, UTF-8 and nesting depth.
///
/// These checks come first so that hostile input (a 2 GiB string, 100,000 nested brackets) costs a bounded scan
/// and gets a precise error code, whatever the JSON parser underneath would do with it.
public enum RequestText {
    /// Requests larger than this are refused. Klarna itself refuses bodies over 1 MB.
    public static let maxBytes = 1 << 20
    /// Deeper JSON is refused; a real request nests about 5 levels.
    public static let maxDepth = 32

    /// Validates bytes (without a terminating NUL) and returns them as a `String`.
    public static func validate(_ bytes: UnsafeBufferPointer<UInt8>) throws(OMError) -> String {
        guard bytes.count <= maxBytes else {
            throw OMError(.requestTooLarge, "request is larger than \(maxBytes) bytes")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw OMError(.invalidUTF8, "request is not valid UTF-8")
        }
        try checkDepth(bytes)
        return text
    }

    /// Counts bracket depth outside strings; malformed JSON is left for the parser to report.
    static func checkDepth(_ bytes: UnsafeBufferPointer<UInt8>) throws(OMError) {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                guard depth <= maxDepth else {
                    throw OMError(.nestingTooDeep, "request nests deeper than \(maxDepth) levels")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
        }
    }
}
