import OMCore
import OMTestSupport
import Testing

/// Strings sent to Klarna are cut to their field's limit, counted in UTF-16 units (never fewer than Klarna's count,
/// whether it counts those or code points), and never inside a grapheme cluster.
@Suite struct KlarnaTextTests {
    /// The cut is a prefix of whole grapheme clusters, fits the limit, and is the longest such prefix.
    static func expectWholeClustersWithin(_ text: String, limit: Int, sourceLocation: SourceLocation = #_sourceLocation)
    {
        let cut = KlarnaText.cut(text, toLength: limit)
        let clusters = Array(text)
        let kept = Array(cut)
        #expect(cut.utf16.count <= max(limit, 0), sourceLocation: sourceLocation)
        #expect(
            Array(cut.unicodeScalars) == Array(String(clusters.prefix(kept.count)).unicodeScalars),
            "not a prefix of whole clusters", sourceLocation: sourceLocation)
        if kept.count < clusters.count {
            #expect(
                cut.utf16.count + clusters[kept.count].utf16.count > limit, "the next cluster would have fit",
                sourceLocation: sourceLocation)
        }
        #expect(String(decoding: Array(cut.utf8), as: UTF8.self) == cut, sourceLocation: sourceLocation)
    }

    @Test func aLongRefundReasonIsCutTo255() {
        let reason = String(repeating: "The parcel arrived damaged; ", count: 11)  // 308 characters
        let cut = KlarnaText.cut(reason, toLength: 255)
        #expect(cut == String(reason.prefix(255)))
        Self.expectWholeClustersWithin(reason, limit: 255)
    }

    @Test func textUnderTheLimitIsUnchanged() {
        for text in ["", "Hoodie", "Áo khoác ấm", "مرحبا", "👨‍👩‍👧‍👦🇸🇪", String(repeating: "x", count: 255)] {
            #expect(KlarnaText.cut(text, toLength: 255) == text)
        }
        #expect(KlarnaText.cut("abc", toLength: 0) == "" && KlarnaText.cut("abc", toLength: -1) == "")
    }

    /// Arabic with its vowel marks and Hebrew with niqqud: every base letter keeps its combining marks.
    @Test(arguments: ["مَرْحَبًا بِكُمْ فِي مَتْجَرِنَا ", "שָׁלוֹם וּבְרָכָה לַלָּקוֹחַ ", "Cảm ơn quý khách đã mua hàng "])
    func rightToLeftAndCombiningMarksAreNeverSplit(phrase: String) {
        let text = String(repeating: phrase, count: 20)
        #expect(text.utf16.count > 255)
        for limit in 250...260 { Self.expectWholeClustersWithin(text, limit: limit) }
    }

    /// Emoji ZWJ sequences (11 and 6 UTF-16 units), flags (4), skin tones (4) and keycaps (3) straddling the limit.
    @Test(arguments: ["👨‍👩‍👧‍👦", "🏳️‍🌈", "🇸🇪", "🇻🇳", "👍🏽", "1️⃣", "e\u{301}"])
    func emojiAndFlagsStraddlingTheLimitAreKeptWholeOrLeftOut(cluster: String) {
        for padding in 240...255 {
            let text = String(repeating: "a", count: padding) + String(repeating: cluster, count: 10)
            Self.expectWholeClustersWithin(text, limit: 255)
            let cut = KlarnaText.cut(text, toLength: 255)
            #expect(cut.hasSuffix(cluster) || cut.allSatisfy { $0 == "a" })
        }
    }

    @Test func aClusterLongerThanTheLimitIsLeftOut() {
        #expect(KlarnaText.cut("👨‍👩‍👧‍👦", toLength: 10) == "")
        #expect(KlarnaText.cut("ab👨‍👩‍👧‍👦", toLength: 12) == "ab")
    }

    /// Random text from many scripts and emoji, random limits: always whole clusters within the limit, the longest.
    @Test func propertyEveryCutIsTheLongestPrefixOfWholeClusters() {
        let pool = [
            "a", "Z", " ", "é", "e\u{301}", "ệ", "ả", "مَ", "ر", "ْ", "שָׁ", "ל", "क्षि", "한", "\u{1100}\u{1161}\u{11A8}",
            "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇸🇪", "🇺🇸", "👍🏽", "1️⃣", "\u{200F}", "中", "𠀋", "\r\n",
        ]
        var random = SplitMix64(seed: 255)
        for _ in 0..<3_000 {
            let text = (0..<random.below(120)).map { _ in pool[random.below(pool.count)] }.joined()
            Self.expectWholeClustersWithin(text, limit: random.below(300))
        }
    }
}
