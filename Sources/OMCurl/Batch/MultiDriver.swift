import CCurl
import Glibc
import OMCore
import OMKlarna
import Synchronization

/// The one thread that runs every request of a batch over libcurl's multi interface: at most `concurrency`
/// transfers in flight, started at the pace of a `RequestPacer`. A 429 pauses the whole batch (the pacer) and its
/// request goes back to the front of the queue, to be sent again once the pause is over: Klarna did not carry it
/// out, so the same bytes under the same idempotency key are safe. It is sent again only while its own time (its
/// operation's budget) allows; otherwise the 429 is its answer, and the item's client applies its own retry policy.
/// Nothing is dropped: every transfer handed over ends (`Transfer.end`).
///
/// An item begins (its client, and with it its time budget) only when the batch can send its first request:
/// `admit` lets one worker at a time through, when no request waits to be started, a slot is free and the pace allows
/// a start within `admissionLeadMs` (the time a worker takes to reach its first request); the next one once that
/// worker has handed its first request over (or its item ended without one). A batch slowed down by Klarna thus holds
/// back items that have not begun, rather than requests whose time runs.
///
/// Workers hand transfers over (`perform`) and wait. Everything but the inbox belongs to the driving thread. Without
/// a thread of its own (the system refused one) the batch has one worker, which drives the loop while it waits.
final class MultiDriver: @unchecked Sendable {
    private struct Inbox {
        var transfers: [Transfer] = []
        var stopping = false
        /// Workers waiting to begin an item, first come first served.
        var applicants: [(thread: pthread_t, admitted: Signal)] = []
        /// The worker let through last, until it hands its first request over or its item ends.
        var admitted: pthread_t?

        /// Whether `thread` was let through last: its item's first request, or its end, makes room for the next.
        mutating func handOver(from thread: pthread_t) -> Bool {
            guard let admitted, pthread_equal(admitted, thread) != 0 else { return false }
            self.admitted = nil
            return true
        }
    }

    private let multi: UnsafeMutableRawPointer?
    private let concurrency: Int
    private let inbox = Mutex(Inbox())
    private var thread: NativeThread?
    // The driving thread's own; read by others only after `stop`.
    private(set) var pacer: RequestPacer
    /// Requests never sent because the pace held them back until their time ran out.
    private(set) var heldBack = 0
    private var waiting: [Transfer] = []
    private var running: [UnsafeMutableRawPointer: Transfer] = [:]

    init(concurrency: Int, requestsPerSecond: Int) {
        self.concurrency = max(1, concurrency)
        pacer = RequestPacer(requestsPerSecond: requestsPerSecond)
        multi = CurlGlobal.ready ? curl_multi_init() : nil
    }

    deinit {
        if let multi { curl_multi_cleanup(multi) }
    }

    /// Starts the driving thread; false when there is none (libcurl or the system refused).
    func start() -> Bool {
        guard multi != nil else { return false }
        thread = NativeThread.start { [self] in
            drive { stopping in stopping && waiting.isEmpty && running.isEmpty }
        }
        return thread != nil
    }

    /// Ends the driving thread once every transfer handed over has ended; call it when the workers are done.
    func stop() {
        inbox.withLock { $0.stopping = true }
        if let multi { curl_multi_wakeup(multi) }
        thread?.join()
        thread = nil
    }

    /// Waits until the batch can send a new item's first request (see above); at once without a driving thread.
    func admit() {
        guard let multi, thread != nil else { return }
        let admitted = Signal()
        let waits = inbox.withLock { inbox in
            if let holder = inbox.admitted, pthread_equal(holder, pthread_self()) != 0 { return false }  // let through
            inbox.applicants.append((pthread_self(), admitted))
            return true
        }
        guard waits else { return }
        curl_multi_wakeup(multi)
        admitted.wait()
    }

    /// The calling worker's item has ended: if it was let through and sent nothing, the next one may begin.
    func release() {
        guard let multi, inbox.withLock({ $0.handOver(from: pthread_self()) }) else { return }
        curl_multi_wakeup(multi)
    }

    /// Runs one transfer to its end, for a worker: handed to the driving thread and waited for, or driven here.
    func perform(_ transfer: Transfer) {
        guard let multi else {
            return transfer.end(.failed(OMError(.networkOther, "libcurl could not be initialised")))
        }
        inbox.withLock {
            _ = $0.handOver(from: pthread_self())
            $0.transfers.append(transfer)
        }
        if thread != nil {
            curl_multi_wakeup(multi)
            transfer.done.wait()
        } else {
            drive { _ in transfer.ending != nil }
        }
    }

    // MARK: - The loop

    private func drive(until finished: (_ stopping: Bool) -> Bool) {
        guard let multi else { return }
        while true {
            let (arrived, stopping) = inbox.withLock { inbox in
                defer { inbox.transfers.removeAll() }
                return (inbox.transfers, inbox.stopping)
            }
            waiting += arrived
            expire(at: KlarnaClient.monotonicMilliseconds())
            startWaiting(at: KlarnaClient.monotonicMilliseconds(), multi)
            var active: Int32 = 0
            _ = curl_multi_perform(multi, &active)
            let now = KlarnaClient.monotonicMilliseconds()
            collect(at: now, multi)
            if finished(stopping) { return }
            let admissionIn = admitNext(at: now)
            _ = curl_multi_poll(multi, nil, 0, Int32(pollTimeout(at: now, multi, admissionIn: admissionIn)), nil)
        }
    }

    /// Starts waiting transfers, oldest first, while a slot is free and the pacer allows.
    private func startWaiting(at now: Int, _ multi: UnsafeMutableRawPointer) {
        while running.count < concurrency, let transfer = waiting.first, pacer.delay(at: now) == 0 {
            waiting.removeFirst()
            let remaining = transfer.deadline - now
            guard remaining > 0 else {
                expired(transfer)
                continue
            }
            transfer.prepared.sink.reset()
            guard let curl = transfer.handle.curl,
                ccurl_set_long(curl, CURLOPT_TIMEOUT_MS, remaining) == CURLE_OK,
                ccurl_set_long(curl, CURLOPT_CONNECTTIMEOUT_MS, max(1, min(transfer.connectTimeoutMs, remaining)))
                    == CURLE_OK,
                curl_multi_add_handle(multi, curl) == CURLM_OK
            else {
                transfer.end(.failed(OMError(.networkOther, "libcurl could not start the request")))
                continue
            }
            transfer.startedAt = now
            pacer.started(at: now)
            running[curl] = transfer
        }
    }

    /// Ends the transfers libcurl has finished; a 429 slows the batch down and its request waits to be sent again.
    private func collect(at now: Int, _ multi: UnsafeMutableRawPointer) {
        var again: [Transfer] = []
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let curl = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, curl)  // `message` is gone from here on
            guard let transfer = running.removeValue(forKey: curl) else { continue }
            var status = 0
            if code == CURLE_OK, ccurl_info_long(curl, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK, status == 429 {
                let answer = HTTPResponse(status: status, headers: EasyHandle.responseHeaders(curl))
                pacer.throttled(at: now, retryAfterMs: answer.retryAfterMs, startedAt: transfer.startedAt ?? now)
                if now + pacer.delay(at: now) < transfer.deadline {
                    again.append(transfer)
                    continue
                }
            }
            transfer.end(.ended(code))
        }
        waiting = again + waiting
    }

    /// How early before its turn in the pace an item may begin: about what a worker takes from `admit` to handing its
    /// first request over (decoding, the core's rules), so that the pace loses nothing to it.
    static let admissionLeadMs = 5

    /// Lets the next applicant begin its item when nothing waits to be started, a slot is free, the pace allows a
    /// start within `admissionLeadMs`, and nobody let through before is still to hand its first request over.
    /// Returns in how many milliseconds the pace will let an applicant through, when only the pace holds one back
    /// (anything else that holds one back wakes the loop when it ends: a hand-over, a transfer done or started).
    private func admitNext(at now: Int) -> Int? {
        let delay = pacer.delay(at: now)
        let room = waiting.isEmpty && running.count < concurrency
        return inbox.withLock { inbox in
            guard room, inbox.admitted == nil, inbox.transfers.isEmpty, !inbox.applicants.isEmpty else { return nil }
            guard delay <= Self.admissionLeadMs else { return delay - Self.admissionLeadMs }
            let next = inbox.applicants.removeFirst()
            inbox.admitted = next.thread
            next.admitted.post()
            return nil
        }
    }

    /// Ends the waiting transfers whose time has run out.
    private func expire(at now: Int) {
        guard waiting.contains(where: { $0.deadline <= now }) else { return }
        let late = waiting.filter { $0.deadline <= now }
        waiting.removeAll { $0.deadline <= now }
        late.forEach(expired)
    }

    /// A waiting transfer whose time ran out: one refused with 429 keeps that answer; one never sent was held back.
    private func expired(_ transfer: Transfer) {
        if transfer.startedAt == nil {
            heldBack += 1
            transfer.end(.heldBack)
        } else {
            transfer.end(.ended(CURLE_OK))
        }
    }

    /// How long to wait for the network before the loop must look again: libcurl's own timers, the next start the
    /// pacer allows a waiting transfer, the nearest deadline of a waiting transfer, the next admission; at most a
    /// second (`admit`, `release`, `perform` and `stop` wake it).
    private func pollTimeout(at now: Int, _ multi: UnsafeMutableRawPointer, admissionIn: Int?) -> Int {
        var timeout = min(1_000, admissionIn ?? 1_000)
        var curlTimeout = -1
        if curl_multi_timeout(multi, &curlTimeout) == CURLM_OK, curlTimeout >= 0 { timeout = min(timeout, curlTimeout) }
        if let nearest = waiting.map(\.deadline).min() { timeout = min(timeout, nearest - now) }
        if !waiting.isEmpty && running.count < concurrency { timeout = min(timeout, pacer.delay(at: now)) }
        return max(0, timeout)
    }
}
