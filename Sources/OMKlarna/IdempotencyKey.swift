public import OMCore

/// A `Klarna-Idempotency-Key` derived from the WooCommerce intent, never random: the same intent retried (after a
/// timeout, a dropped connection, a PHP worker restart) sends the same key, so Klarna executes it once; a new
/// intent (another refund, changed lines) gets a new key.
///
/// The key is a name-based UUID (version 8, RFC 9562) over SHA-256 of the intent's parts, e.g.
/// `["merchant", "<klarna order id>", "capture", "<amount>", "<lines hash>"]`.
public struct IdempotencyKey: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(intent parts: [String]) {
        // Unit separator between parts, so ["ab", "c"] and ["a", "bc"] differ.
        var bytes = Array(SHA256.hash(("klarna-om/1\u{1F}" + parts.joined(separator: "\u{1F}")).utf8).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // version 8
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        let hex = bytes.map { byte -> String in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }
        value = groups.joined(separator: "-")
    }

    public var description: String { value }
}
