/// Text as Klarna accepts it: every string field in Klarna's schema has a `maxLength`, and a longer value is refused
/// with the whole request. Strings are cut on the way out, never refused.
package enum KlarnaText {
    /// `text` cut to at most `limit` UTF-16 code units, on a grapheme-cluster boundary: never inside a letter and its
    /// combining marks, an emoji ZWJ sequence or a flag. Counting UTF-16 units is safe whichever Klarna counts (code
    /// points are never more). A cluster that alone exceeds the limit is left out with everything after it.
    package static func cut(_ text: String, toLength limit: Int) -> String {
        guard text.utf8.count > limit else { return text }  // UTF-16 units are never more than UTF-8 bytes.
        var end = text.startIndex
        var used = 0
        while end < text.endIndex {
            let next = text.index(after: end)
            let width = text.utf16.distance(from: end, to: next)
            guard used + width <= limit else { break }
            used += width
            end = next
        }
        return String(text[..<end])
    }
}
