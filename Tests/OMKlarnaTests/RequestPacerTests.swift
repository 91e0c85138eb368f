import OMKlarna
import OMTestSupport
import Testing

/// The batch's pace, on a clock the tests move by hand: how many starts any second holds, how a 429 pauses and
/// slows the batch, how it recovers. Nothing here waits.
@Suite struct RequestPacerTests {
    /// What a simulated batch did: when requests started, and the pauses 429s asked for.
    struct Run {
        var starts: [Int] = []
        var pauses: [Range<Int>] = []
    }

    /// Starts requests as fast as the pacer allows from `from` to `until`; `throttle` may answer the n-th start with
    /// a 429 (its Retry-After in ms, -1 for none) arriving `latency` ms after it started.
    func run(
        _ pacer: inout RequestPacer, from: Int = 10_000, until: Int, latency: Int = 100,
        throttle: (Int) -> Int? = { _ in nil }
    ) -> Run {
        var result = Run()
        var answers: [(at: Int, startedAt: Int, retryAfter: Int)] = []
        var now = from
        while now < until {
            for answer in answers where answer.at <= now {
                let retryAfter = answer.retryAfter < 0 ? nil : answer.retryAfter
                pacer.throttled(at: answer.at, retryAfterMs: retryAfter, startedAt: answer.startedAt)
                result.pauses.append(answer.at..<(answer.at + (retryAfter ?? RequestPacer.defaultPauseMs)))
            }
            answers.removeAll { $0.at <= now }
            let delay = pacer.delay(at: now)
            guard delay == 0 else {
                now += max(1, min(delay, (answers.map(\.at).min() ?? Int.max) - now))
                continue
            }
            pacer.started(at: now)
            result.starts.append(now)
            if let retryAfter = throttle(result.starts.count) { answers.append((now + latency, now, retryAfter)) }
            now += 1
        }
        return result
    }

    /// The most starts any window [t, t + length) holds.
    func busiestSecond(_ starts: [Int], length: Int = 1_000) -> Int {
        var most = 0
        var first = 0
        for (index, start) in starts.enumerated() {
            while start - starts[first] >= length { first += 1 }
            most = max(most, index - first + 1)
        }
        return most
    }

    @Test(arguments: [1, 3, 20, 100, 200])
    func neverMoreThanTheCeilingInAnySecond(ceiling: Int) {
        var pacer = RequestPacer(requestsPerSecond: ceiling)
        let starts = run(&pacer, until: 20_000).starts
        #expect(busiestSecond(starts) == ceiling)
        #expect(busiestSecond(starts, length: 1_000 + RequestPacer.slackMs) == ceiling, "with room for the network")
        #expect(starts.count * (1_000 + RequestPacer.slackMs) >= ceiling * 10_000, "not slower than that")
        let gaps = zip(starts.dropFirst(), starts).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= 1_000 / ceiling }, "evenly spaced: never a burst")
    }

    @Test func theFirstRequestStartsAtOnceAndTheNextOnesEvenlySpaced() {
        var pacer = RequestPacer(requestsPerSecond: 20)
        #expect(pacer.delay(at: 5_000) == 0)
        pacer.started(at: 5_000)
        #expect(pacer.delay(at: 5_000) == 50)
        #expect(pacer.delay(at: 5_049) == 1)
        #expect(pacer.delay(at: 5_050) == 0)
        #expect(RequestPacer(requestsPerSecond: 0).ceiling == 1)
    }

    @Test func a429PausesEveryStartForItsRetryAfter() {
        var pacer = RequestPacer(requestsPerSecond: 50)
        pacer.started(at: 1_000)
        pacer.throttled(at: 1_100, retryAfterMs: 2_000, startedAt: 1_000)
        #expect(pacer.delay(at: 1_100) == 2_000)
        #expect(pacer.delay(at: 3_099) == 1)
        #expect(pacer.delay(at: 3_100) == 0)
        #expect(pacer.throttles == 1)
    }

    @Test func withoutRetryAfterThePauseIsKlarnasOneSecondWindow() {
        var pacer = RequestPacer(requestsPerSecond: 50)
        pacer.throttled(at: 1_000, retryAfterMs: nil, startedAt: 900)
        #expect(pacer.delay(at: 1_000) == RequestPacer.defaultPauseMs)
        pacer.throttled(at: 1_200, retryAfterMs: 0, startedAt: 950)
        #expect(pacer.delay(at: 1_200) == 800, "a shorter Retry-After never ends an earlier pause")
    }

    @Test func theRateHalvesOncePerEpisodeAndNeverBelowOne() {
        var pacer = RequestPacer(requestsPerSecond: 40)
        pacer.throttled(at: 1_000, retryAfterMs: 0, startedAt: 900)
        #expect(pacer.rate(at: 1_000) == 20)
        // Requests in flight when the first 429 came back belong to the same episode.
        pacer.throttled(at: 1_010, retryAfterMs: 0, startedAt: 950)
        pacer.throttled(at: 1_020, retryAfterMs: 0, startedAt: 999)
        #expect(pacer.rate(at: 1_020) == 20)
        // A request started after the halving and refused again: halved again.
        pacer.throttled(at: 1_300, retryAfterMs: 0, startedAt: 1_100)
        #expect(pacer.rate(at: 1_300) == 10)
        for at in stride(from: 2_000, to: 2_010, by: 1) { pacer.throttled(at: at, retryAfterMs: 0, startedAt: at) }
        #expect(pacer.rate(at: 2_010) == 1)
        #expect(pacer.lowestRate == 1)
        #expect(pacer.throttles == 14)
    }

    @Test func theRateClimbsBackATenthOfTheCeilingPerCalmSecond() {
        var pacer = RequestPacer(requestsPerSecond: 40)
        pacer.throttled(at: 0, retryAfterMs: 1_000, startedAt: 0)
        #expect(pacer.rate(at: 500) == 20)
        #expect(pacer.rate(at: 1_999) == 20)
        #expect(pacer.rate(at: 2_000) == 24)
        #expect(pacer.rate(at: 4_500) == 32)
        #expect(pacer.rate(at: 6_000) == 40)
        #expect(pacer.rate(at: 1_000_000) == 40)
        #expect(pacer.lowestRate == 20)
    }

    /// 429s at random starts (seeded), with and without Retry-After: the ceiling still holds in every second, no
    /// request starts inside a pause, and the batch slowed down.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func underRandom429sTheCeilingAndThePausesHold(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var pacer = RequestPacer(requestsPerSecond: 30)
        let run = run(&pacer, until: 40_000, latency: 80) { _ in
            guard random.below(25) == 0 else { return nil }
            return [-1, 0, 500, 1_000, 2_000][random.below(5)]
        }
        #expect(busiestSecond(run.starts) <= 30)
        #expect(!run.pauses.isEmpty && pacer.throttles == run.pauses.count)
        #expect(run.starts.allSatisfy { start in !run.pauses.contains { $0.contains(start) } })
        #expect(pacer.lowestRate < 30)
        #expect(run.starts.count < 30 * 30, "slower than the ceiling allows")
    }
}
