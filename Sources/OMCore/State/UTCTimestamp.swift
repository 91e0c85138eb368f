/// ISO 8601 times in UTC, for `state.read_at`: computed from seconds since the epoch (the proleptic Gregorian
/// calendar, Howard Hinnant's civil-from-days), so the core needs no calendar library and stays pure; the caller
/// reads the clock.
package enum UTCTimestamp {
    /// "2025-06-01T12:34:56Z".
    package static func iso8601(secondsSinceEpoch seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - days * 86_400
        let (year, month, day) = civil(days: days)
        return
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(second / 3_600, 2)):\(pad(second / 60 % 60, 2)):\(pad(second % 60, 2))Z"
    }

    /// Year, month and day of the day `days` after 1970-01-01.
    static func civil(days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Klarna's time ("2025-08-05T00:00:00.000Z", "2025-08-05T00:00:00+00:00") as a note writes it:
    /// "2025-08-05 00:00 UTC". Any other form is left as Klarna wrote it.
    package static func noteText(_ klarnaTime: String) -> String {
        let bytes = Array(klarnaTime.utf8)
        let digit = { (index: Int) in bytes.indices.contains(index) && (0x30...0x39).contains(bytes[index]) }
        let shape =
            [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15].allSatisfy(digit)
            && bytes.count >= 16 && bytes[4] == 0x2D && bytes[7] == 0x2D && bytes[10] == 0x54 && bytes[13] == 0x3A
        let utc = klarnaTime.hasSuffix("Z") || klarnaTime.hasSuffix("+00:00")
        guard shape, utc else { return klarnaTime }
        let text = String(decoding: bytes[0..<16], as: UTF8.self)
        return text.prefix(10) + " " + text.suffix(5) + " UTC"
    }
}
