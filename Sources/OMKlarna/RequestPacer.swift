/// When the next request of a batch may start: never more than `ceiling` in any second, and slower after Klarna's
/// rate limit answered 429. The whole policy lives here; times are milliseconds on one monotonic clock, given by the
/// caller (the batch's driver), so the rules can be checked without waiting.
///
/// - Starts are spaced evenly, ⌊1000 / rate⌋ ms apart, and no `rate` + 1 of them fall within 1,000 ms plus
///   `slackMs`: any second holds at most `rate` starts, with room for the network to deliver some a little later
///   than others (a new connection's handshake), and a batch never arrives as one burst. `rate` never exceeds
///   `ceiling`.
/// - A 429 pauses every start until its `Retry-After` has passed (one second, Klarna's rate-limit window, when it
///   has none) and halves the rate, once per episode: a 429 of a request started before the last halving belongs to
///   the same episode and only extends the pause.
/// - Each whole second after the pause without another 429 gives back a tenth of the ceiling (at least one).
package struct RequestPacer: Sendable {
    /// The configured requests per second, at least 1.
    package let ceiling: Int
    /// How many 429 answers the batch met.
    package private(set) var throttles = 0
    /// The lowest rate the batch went down to.
    package private(set) var lowestRate: Int
    /// No start before this time.
    package private(set) var pausedUntil = Int.min
    /// The rate right after the last halving (the ceiling before any), from which it climbs back.
    private var loweredRate: Int
    /// When the last halving happened.
    private var loweredAt = Int.min
    /// When the rate began to climb back: the end of the last pause.
    private var calmSince = 0
    /// The last `ceiling` starts, oldest first.
    private var recent: [Int] = []

    /// When a 429 carries no `Retry-After`: Klarna's rate-limit window is one second.
    package static let defaultPauseMs = 1_000
    /// How much longer than a second the window of `rate` starts is.
    package static let slackMs = 25

    package init(requestsPerSecond: Int) {
        ceiling = max(1, requestsPerSecond)
        loweredRate = ceiling
        lowestRate = ceiling
    }

    /// The rate in force at `now`: after a halving, a tenth of the ceiling back per calm second.
    package func rate(at now: Int) -> Int {
        guard loweredRate < ceiling, now > calmSince else { return loweredRate }
        let seconds = min((now - calmSince) / 1_000, ceiling)
        return min(ceiling, loweredRate + seconds * max(1, ceiling / 10))
    }

    /// How many milliseconds from `now` until the next request may start; 0 when it may start now.
    package func delay(at now: Int) -> Int {
        var earliest = pausedUntil
        if let last = recent.last {
            let rate = rate(at: now)
            earliest = max(earliest, last + 1_000 / rate)
            if recent.count >= rate { earliest = max(earliest, recent[recent.count - rate] + 1_000 + Self.slackMs) }
        }
        return now >= earliest ? 0 : earliest - now
    }

    /// A request started at `now` (when `delay(at: now)` allowed it).
    package mutating func started(at now: Int) {
        if recent.count == ceiling { recent.removeFirst() }
        recent.append(now)
    }

    /// Klarna answered 429 at `now` to a request started at `startedAt`, with `Retry-After` in milliseconds (nil
    /// when absent or unreadable).
    package mutating func throttled(at now: Int, retryAfterMs: Int?, startedAt: Int) {
        throttles += 1
        var rate = rate(at: now)
        if startedAt >= loweredAt {
            rate = max(1, rate / 2)
            loweredAt = now
        }
        loweredRate = rate
        lowestRate = min(lowestRate, rate)
        pausedUntil = max(pausedUntil, now + max(0, retryAfterMs ?? Self.defaultPauseMs))
        calmSince = pausedUntil
    }
}
