/// Standard base64 (RFC 4648, with padding), for the HTTP Basic credentials every client sends.
///
/// Why not Foundation's: a client is made per operation, and on a cold call Foundation's encoder cost ~13 µs where
/// this costs about a microsecond (`scripts/bench`); the request path otherwise touches no Foundation code.
public enum Base64 {
    public static func encode(_ text: String) -> String {
        encode(Array(text.utf8))
    }

    /// Takes an array, not any collection: generic code called from another module runs unspecialised. The text
    /// is written straight into the string's storage: one allocation.
    /// `prefix` (ASCII) goes before the encoded bytes, in the same string: `"Basic "` without a concatenation.
    public static func encode(_ bytes: [UInt8], after prefix: StaticString = "") -> String {
        String(unsafeUninitializedCapacity: prefix.utf8CodeUnitCount + (bytes.count + 2) / 3 * 4) { text in
            var written = 0
            func put(_ byte: UInt8) {
                text[written] = byte
                written += 1
            }
            for index in 0..<prefix.utf8CodeUnitCount { put(prefix.utf8Start[index]) }
            var iterator = bytes.makeIterator()
            while let first = iterator.next() {
                let second = iterator.next()
                let third = iterator.next()
                let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
                put(alphabet[Int(group >> 18 & 63)])
                put(alphabet[Int(group >> 12 & 63)])
                put(second == nil ? UInt8(ascii: "=") : alphabet[Int(group >> 6 & 63)])
                put(third == nil ? UInt8(ascii: "=") : alphabet[Int(group & 63)])
            }
            return written
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
}
