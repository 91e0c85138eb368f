import Foundation
import OMCore
import OMTestSupport
import Testing

@Suite struct Base64Tests {
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func matchesRFC4648sVectors(text: String, encoded: String) {
        #expect(Base64.encode(text) == encoded)
    }

    /// Random bytes of every length up to 100, against Foundation's encoder.
    @Test func matchesFoundation() {
        var random = SplitMix64(seed: 64)
        for length in 0...100 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString())
        }
    }
}
