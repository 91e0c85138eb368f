package import OMCore
package import OMKlarna
import Synchronization

/// One batch's traffic to Klarna: its items run on up to `concurrency` threads (the caller's among them), each
/// exactly as a single call runs, and their requests go through one driver (`MultiDriver`: libcurl's multi
/// interface, at most `concurrency` in flight, at most `requestsPerSecond` started in any second, slower after a
/// 429). Make one per batch: `transport` for the items' clients, then `run`, then `log`.
package final class KlarnaBatch: Sendable {
    private let driver: MultiDriver
    private let concurrency: Int

    package init(concurrency: Int, requestsPerSecond: Int) {
        self.concurrency = max(1, concurrency)
        driver = MultiDriver(concurrency: concurrency, requestsPerSecond: requestsPerSecond)
    }

    /// The transport of one item's client: `allowPlainHTTP` and `proxy` as for `CurlTransport`. Called from an item
    /// in `run`, it returns when the batch can send the item's first request: make the client after it, so that the
    /// item's time budget begins then.
    package func transport(allowPlainHTTP: Bool, proxy: String?) -> any Transport {
        driver.admit()
        return MultiTransport(driver: driver, allowPlainHTTP: allowPlainHTTP, proxy: proxy)
    }

    /// Runs `work` for every index below `count` and returns the answers in the indexes' order. Workers take the
    /// next index as they become free; the calling thread is one of them, so the batch runs whatever threads the
    /// system grants (without the driver's own thread, the caller alone runs every item, driving each request).
    package func run(count: Int, _ work: @escaping @Sendable (Int) -> String) -> [String] {
        let board = Board(count: count)
        let job: @Sendable () -> Void = { [driver] in
            while let index = board.take() {
                board.answer(index, work(index))
                driver.release()
            }
        }
        var workers: [NativeThread] = []
        if count > 0, driver.start() {
            for _ in 1..<min(concurrency, count) {
                guard let worker = NativeThread.start(job) else { break }
                workers.append(worker)
            }
        }
        job()
        for worker in workers { worker.join() }
        driver.stop()
        return board.answers
    }

    /// What the batch itself met, for the batch's `log`: Klarna's 429 answers and how far the batch slowed down,
    /// requests the pace held back until their time ran out. Read it after `run`.
    package var log: [LogEntry] {
        let pacer = driver.pacer
        var entries: [LogEntry] = []
        if pacer.throttles > 0 {
            entries.append(
                LogEntry(
                    level: .warning,
                    message:
                        "klarna answered 429 too many requests; the batch paused and slowed down, and sent those requests again",
                    context: [
                        "throttled": String(pacer.throttles), "requests_per_second": String(pacer.ceiling),
                        "lowest_requests_per_second": String(pacer.lowestRate),
                    ]))
        }
        if driver.heldBack > 0 {
            entries.append(
                LogEntry(
                    level: .warning,
                    message:
                        "klarna's rate limit held requests back until their operations' time budgets were spent; they were not sent",
                    context: ["held_back": String(driver.heldBack)]))
        }
        return entries
    }
}

/// The batch's shared board: the next index to take and the answers so far.
private final class Board: Sendable {
    private let next = Mutex(0)
    private let results: Mutex<[String]>
    private let count: Int

    init(count: Int) {
        self.count = count
        results = Mutex(Array(repeating: "", count: count))
    }

    func take() -> Int? {
        next.withLock { next in
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    func answer(_ index: Int, _ text: String) {
        results.withLock { $0[index] = text }
    }

    var answers: [String] { results.withLock { $0 } }
}
