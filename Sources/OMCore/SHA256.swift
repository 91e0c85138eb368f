/// SHA-256 (FIPS 180-4), for deriving idempotency keys and fingerprints from data. Not for secrets: nothing here
/// needs constant time. The core depends on no crypto library, so it carries this small implementation, checked
/// against the standard's test vectors.
package enum SHA256 {
    /// The digest of `text`'s UTF-8 bytes.
    package static func hash(_ text: String) -> [UInt8] {
        hash(Array(text.utf8))
    }

    /// Takes an array, not any sequence: generic code called from another module runs unspecialised, one witness
    /// call per byte, and a key is derived on every request. The message's whole blocks are read in place and only
    /// the padded tail is copied, to the stack, so the digest is the one allocation.
    package static func hash(_ input: [UInt8]) -> [UInt8] {
        var state = initial
        input.withUnsafeBufferPointer { message in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
                let wholeBlocks = message.count / 64 * 64
                for start in stride(from: 0, to: wholeBlocks, by: 64) {
                    compress(UnsafeBufferPointer(rebasing: message[start..<start + 64]), into: &state, schedule)
                }
                // The tail, 0x80, zeros, then the length in bits (big-endian): one block, or two when the length
                // does not fit after the tail.
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
                    let rest = message.count - wholeBlocks
                    let tailLength = rest + 9 <= 64 ? 64 : 128
                    tail.initialize(repeating: 0)
                    for index in 0..<rest { tail[index] = message[wholeBlocks + index] }
                    tail[rest] = 0x80
                    let bitLength = UInt64(message.count) &* 8
                    for index in 0..<8 {
                        tail[tailLength - 1 - index] = UInt8(truncatingIfNeeded: bitLength >> UInt64(index * 8))
                    }
                    let padded = UnsafeBufferPointer(tail)
                    for start in stride(from: 0, to: tailLength, by: 64) {
                        compress(UnsafeBufferPointer(rebasing: padded[start..<start + 64]), into: &state, schedule)
                    }
                }
            }
        }
        let (h0, h1, h2, h3, h4, h5, h6, h7) = state
        let bigEndian = (h0.bigEndian, h1.bigEndian, h2.bigEndian, h3.bigEndian,
                         h4.bigEndian, h5.bigEndian, h6.bigEndian, h7.bigEndian)
        return withUnsafeBytes(of: bigEndian) { Array($0) }
    }

    private typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    /// One 64-byte block into the running state (FIPS 180-4, 6.2.2).
    private static func compress(_ block: UnsafeBufferPointer<UInt8>, into state: inout State,
                                 _ w: UnsafeMutableBufferPointer<UInt32>) {
        for i in 0..<16 {
            let b = i * 4
            w[i] = UInt32(block[b]) << 24 | UInt32(block[b + 1]) << 16 | UInt32(block[b + 2]) << 8 | UInt32(block[b + 3])
        }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, h) = state
        for i in 0..<64 {
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let choice = (e & f) ^ (~e & g)
            let t1 = h &+ s1 &+ choice &+ roundConstants[i] &+ w[i]
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ majority
            (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
                 state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
    }

    /// Lower-case hexadecimal of the hash of a string's UTF-8 bytes.
    package static func hex(_ text: String) -> String {
        Hex.lowercase(hash(text))
    }

    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    private static let initial: State = (
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    )

    private static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}
