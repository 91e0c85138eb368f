import OMCore

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
        let digest = SHA256.hash("klarna-om/1\u{1F}" + parts.joined(separator: "\u{1F}"))
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, var byte) in digest.prefix(16).enumerated() {
            if index == 6 { byte = (byte & 0x0F) | 0x80 }  // version 8
            if index == 8 { byte = (byte & 0x3F) | 0x80 }  // RFC 9562 variant
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }  // 8-4-4-4-12
            Hex.append(byte, to: &text)
        }
        value = String(decoding: text, as: UTF8.self)
    }

    public var description: String { value }
}
