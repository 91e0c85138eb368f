import OMCore

/// A `Klarna-Idempotency-Key` derived from the WooCommerce intent, never random: the same intent retried (after a
/// timeout, a dropped connection, a PHP worker restart) sends the same key, so Klarna executes it once; a new
/// intent (another refund, changed lines) gets a new key.
///
/// The key is a name-based UUID (version 8, RFC 9562) over SHA-256 of the intent's parts: the flows give the API
/// username, the Klarna order id, the operation, the ledger slot and the intent's fingerprint (docs/contract.md,
/// "Exactly once").
package struct IdempotencyKey: Sendable, Hashable, CustomStringConvertible {
    package let value: String

    package init(intent parts: [String]) {
        // "klarna-om/1", then the parts, each after a unit separator, so ["ab", "c"] and ["a", "bc"] differ.
        var message: [UInt8] = []
        message.reserveCapacity(parts.reduce(Self.namespace.count + 1) { $0 + $1.utf8.count + 1 })
        message += Self.namespace
        message.append(0x1F)
        for (index, part) in parts.enumerated() {
            if index > 0 { message.append(0x1F) }
            message += part.utf8
        }
        let digest = SHA256.hash(message)
        value = String(unsafeUninitializedCapacity: 36) { text in
            var length = 0
            for index in 0..<16 {
                var byte = digest[index]
                if index == 6 { byte = (byte & 0x0F) | 0x80 }  // version 8
                if index == 8 { byte = (byte & 0x3F) | 0x80 }  // RFC 9562 variant
                if index == 4 || index == 6 || index == 8 || index == 10 {  // 8-4-4-4-12
                    text[length] = UInt8(ascii: "-")
                    length += 1
                }
                text[length] = Hex.digit(byte >> 4)
                text[length + 1] = Hex.digit(byte & 0x0F)
                length += 2
            }
            return length
        }
    }

    private static let namespace = Array("klarna-om/1".utf8)

    package var description: String { value }
}
