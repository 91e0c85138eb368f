import CCurl
import Foundation
import OMCore
import OMCurl
import OMKlarna
import OMTestSupport

// The Klarna client's overhead per request against the local Klarna sandbox, beside a raw libcurl baseline measured
// in the same run: the same requests on one reused easy handle with nothing but libcurl calls.
//
// How it keeps the comparison fair on a noisy 2-core VM:
// - The client and its baseline race in pairs, taking turns request by request (the order rotating), so drift in
//   the sandbox hits both alike and each follows the other equally often. Nothing else runs in their race: a third
//   contender would warm (or evict) one of them more than the other. The diagnostic rows (CurlTransport alone, and
//   raw libcurl back to back) race separately, each beside its own raw libcurl.
// - Every request starts after an untimed pause (`gap`, default 300 µs), against an idle sandbox, as a WooCommerce
//   request does. Back to back, a request that follows the previous answer within a few µs finds the Python sandbox
//   still running and skips its wake-up; any work between requests loses that, whatever its length (measured: a
//   5 µs spin cost the same ~40 µs as a 20 µs one). The `back to back` row shows that effect for raw libcurl.
// - Each run opens new connections (new sandbox threads): which thread serves which connection moved a single
//   run's result by tens of µs. The overhead is the median of the runs' overheads, each from medians, so that
//   neither one garbage collection nor one unlucky thread decides it.
// It prints numbers; it is not a test and never fails on time.
//
// usage: ClientBench [requests-per-contender-per-run] [runs] [gap-µs] [only-contenders-containing]

// usage: ClientBench footprint <get|post> <calls> <order-answer.json>
//   Runs the client over a recorded answer `calls` times, sweeping the data caches before each call, for
//   scripts/bench-footprint to count under cachegrind what one cold call touches. Needs no sandbox.
if CommandLine.arguments.count == 5, CommandLine.arguments[1] == "footprint" {
    exit(Footprint.run(kind: CommandLine.arguments[2], calls: Int(CommandLine.arguments[3]) ?? 0,
                       answerPath: CommandLine.arguments[4]))
}

let requestsPerRun = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1_000 : 1_000
let runs = max(1, CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 5 : 5)
let gapMicroseconds = max(0, CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 300 : 300)
let only = CommandLine.arguments.count > 4 ? CommandLine.arguments[4] : ""

guard let sandbox = SandboxServer.shared else {
    print("bench: the sandbox did not start: \(SandboxServer.startError)")
    exit(1)
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// User plus system CPU seconds of this process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Time per call of `body`, as the median of 20 batches of 1,000 calls: on a shared 2-core machine one slow batch
/// (another process scheduled on our core) must not move the number.
func medianMicroseconds(_ body: (Int) throws -> Void) rethrows -> Double {
    var batches: [Double] = []
    var call = 0
    for _ in 0..<20 {
        let start = now()
        for _ in 0..<1_000 {
            call += 1
            try body(call)
        }
        batches.append(Double(now() - start) / 1e3 / 1_000)
    }
    return batches.sorted()[batches.count / 2]
}

/// Time per call of `body` when it runs cold, as every call into the library does: the median of 2,000 calls, each
/// after an untimed `gap` pause in which the CPU idles and its caches go to other work.
func coldMicroseconds(_ body: (Int) throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for call in 0..<2_000 {
        usleep(UInt32(max(gapMicroseconds, 1)))
        let start = now()
        try body(call)
        times.append(Double(now() - start) / 1e3)
    }
    return times.sorted()[times.count / 2]
}

/// One way of sending the request under test, with what each of its requests took.
final class Contender {
    let name: String
    let send: () throws -> Void
    let gap: Bool
    var latencies: [Double] = []  // µs
    var cpu = 0.0  // seconds, the timed requests only

    init(_ name: String, gap: Bool = true, _ send: @escaping () throws -> Void) {
        self.name = name
        self.gap = gap
        self.send = send
    }

    func percentile(_ p: Double) -> Double {
        let sorted = latencies.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    var median: Double { percentile(0.5) }
    /// The median of the requests sent in each run, run by run.
    var runMedians: [Double] = []
    var cpuPerRequest: Double { latencies.isEmpty ? 0 : cpu / Double(latencies.count) * 1e6 }

    /// One timed request, after the pause unless this contender runs back to back.
    func step() throws {
        if gap, gapMicroseconds > 0 { usleep(UInt32(gapMicroseconds)) }
        let (cpuBefore, start) = (cpuSeconds(), now())
        try send()
        latencies.append(Double(now() - start) / 1e3)
        cpu += cpuSeconds() - cpuBefore
    }
}

/// Runs the contenders in turns, one request each, rotating who goes first, until each sent `count`; a contender
/// without a gap sends blocks of 20 so that its requests do run back to back.
func race(_ contenders: [Contender], count: Int) throws {
    let active = contenders.filter { only.isEmpty || $0.name.contains(only) }
    let before = active.map(\.latencies.count)
    var turn = 0
    while let first = active.first, first.latencies.count - (before.first ?? 0) < count {
        for offset in 0..<active.count {
            let contender = active[(turn + offset) % active.count]
            for _ in 0..<(contender.gap ? 1 : 20) { try contender.step() }
        }
        turn += 1
    }
    for (contender, start) in zip(active, before) {
        let run = contender.latencies[start...].sorted()
        if !run.isEmpty { contender.runMedians.append(run[run.count / 2]) }
    }
}

/// What one run sends: new connections, so new sandbox threads, one per contender. The client side makes a
/// `KlarnaClient` per request over the run's own transport, as the library makes one per operation.
struct Senders {
    let raw = RawCurl(username: SandboxServer.username, password: SandboxServer.password)
    let clientTransport = CurlTransport(allowPlainHTTP: true)
    /// The diagnostic race's own pair.
    let rawBesideTransport = RawCurl(username: SandboxServer.username, password: SandboxServer.password)
    let transport = CurlTransport(allowPlainHTTP: true)
    let rawBackToBack = RawCurl(username: SandboxServer.username, password: SandboxServer.password)
    let settings: KlarnaClient.Settings
    var client: KlarnaClient { KlarnaClient(settings: settings, transport: clientTransport) }
}

/// Answers every request with one recorded response, to time the client's own work without a network.
struct RecordedTransport: Transport {
    let response: HTTPResponse
    func send(_ request: HTTPRequest) throws(OMError) -> HTTPResponse { response }
}

/// The baseline: one easy handle, the same URL, headers and body, no parsing of the answer.
final class RawCurl {
    let handle = curl_easy_init()
    var headers: UnsafeMutablePointer<curl_slist>?
    static let discard: ccurl_data_fn = { _, size, count, _ in size * count }

    init(username: String, password: String) {
        let basic = Base64.encode("\(username):\(password)")
        for header in ["Authorization: Basic \(basic)", "Accept: application/json", "User-Agent: bench",
                       "Content-Type: application/json", "Expect:"] {
            headers = curl_slist_append(headers, header)
        }
    }

    deinit {
        curl_slist_free_all(headers)
        curl_easy_cleanup(handle)
    }

    func send(url: String, post body: [UInt8]?, key: String?) -> Int {
        curl_easy_reset(handle)
        var list = headers
        var keyList: UnsafeMutablePointer<curl_slist>?
        if let key {
            keyList = curl_slist_append(nil, "Klarna-Idempotency-Key: \(key)")
            keyList?.pointee.next = headers
            list = keyList
        }
        _ = ccurl_set_text(handle, CURLOPT_URL, url)
        _ = ccurl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_set_long(handle, CURLOPT_TCP_NODELAY, 1)
        _ = ccurl_set_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list))
        _ = ccurl_set_function(handle, CURLOPT_WRITEFUNCTION, RawCurl.discard)
        if let body {
            _ = ccurl_set_long(handle, CURLOPT_POST, 1)
            _ = ccurl_set_size(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { _ = ccurl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
        }
        _ = curl_easy_perform(handle)
        var status = 0
        _ = ccurl_info_long(handle, CURLINFO_RESPONSE_CODE, &status)
        keyList?.pointee.next = nil
        curl_slist_free_all(keyList)
        return status
    }
}

do {
    let orderId = try sandbox.seedOrder()
    let bigOrder = try sandbox.seedOrder(["order_lines": [["type": "physical", "name": "Bulk", "quantity": 1,
                                                          "unit_price": 100_000_000, "total_amount": 100_000_000]]])
    let orderURL = "\(sandbox.baseURL)/ordermanagement/v1/orders/\(orderId)"
    let captureURL = "\(sandbox.baseURL)/ordermanagement/v1/orders/\(bigOrder)/captures"
    let captureBody = Array(#"{"captured_amount":1}"#.utf8)
    var sequence = 0
    let plainHeaders: [(name: String, value: String)] = [
        ("Authorization", "Basic " + Base64.encode("\(SandboxServer.username):\(SandboxServer.password)")),
        ("Accept", "application/json"), ("User-Agent", "bench"),
    ]

    // The client's own cost per request, with the network taken out: the same answer, recorded.
    let recorded = try CurlTransport(allowPlainHTTP: true).send(HTTPRequest(method: .get, url: orderURL, headers: plainHeaders))
    // As in the library, a client per operation (its journal of attempts lives as long as the operation).
    let settings = try sandbox.clientSettings()
    let recordedOrder = RecordedTransport(response: recorded)
    let getOffline: (Int) throws -> Void = { _ in
        _ = try KlarnaClient(settings: settings, transport: recordedOrder).getOrder(orderId)
    }
    let createdAnswer = HTTPResponse(status: 201, headers: [("Capture-Id", "c-1"), ("Location", captureURL + "/c-1"),
                                                            ("Klarna-Correlation-Id", "x"), ("Content-Length", "0")])
    let recordedCapture = RecordedTransport(response: createdAnswer)
    let postOffline: (Int) throws -> Void = { index in
        _ = try KlarnaClient(settings: settings, transport: recordedCapture).createCapture(
            bigOrder, CaptureObject(capturedAmount: 1), key: IdempotencyKey(intent: ["bench", String(index)]))
    }
    let offline = try [("GET order", getOffline), ("POST capture", postOffline)].map { name, body in
        (name: name, hot: try medianMicroseconds(body), cold: try coldMicroseconds(body))
    }
    let parseOnly = try medianMicroseconds { _ in _ = try JSONParser.parse(recorded.body) }
    let readOrder = try medianMicroseconds { _ in _ = try JSONObjectReader.read(Order.self, from: recorded.body) }
    let captureBodyValue = CaptureObject(capturedAmount: 10_000, description: "Order 1001", orderLines: [
        OrderLine(type: .physical, reference: "SKU-1", name: "Hoodie", quantity: 2, unitPrice: 5_000, taxRate: 2_500,
                  totalAmount: 10_000, totalTaxAmount: 2_000),
    ])
    let writeCapture = medianMicroseconds { _ in _ = JSONWriter.write(captureBodyValue.json) }

    var senders = Senders(settings: settings)  // replaced at the start of every run
    let getRace = [
        Contender("GET order, raw libcurl") { _ = senders.raw.send(url: orderURL, post: nil, key: nil) },
        Contender("GET order, KlarnaClient") { _ = try senders.client.getOrder(orderId) },
    ]
    let postRace = [
        Contender("POST capture, raw libcurl") {
            sequence += 1
            _ = senders.raw.send(url: captureURL, post: captureBody, key: "raw-\(sequence)")
        },
        Contender("POST capture, KlarnaClient") {
            sequence += 1
            _ = try senders.client.createCapture(bigOrder, CaptureObject(capturedAmount: 1),
                                                 key: IdempotencyKey(intent: ["bench", String(sequence)]))
        },
    ]
    let transportRace = [
        Contender("GET order, raw libcurl (beside CurlTransport)") {
            _ = senders.rawBesideTransport.send(url: orderURL, post: nil, key: nil)
        },
        Contender("GET order, CurlTransport") {
            _ = try senders.transport.send(HTTPRequest(method: .get, url: orderURL, headers: plainHeaders))
        },
    ]
    let backToBack = Contender("GET order, raw libcurl back to back (no gap)", gap: false) {
        _ = senders.rawBackToBack.send(url: orderURL, post: nil, key: nil)
    }
    for _ in 0..<runs {
        senders = Senders(settings: settings)
        // Warm-up: connections, caches, the sandbox's first requests on them.
        for _ in 0..<50 {
            _ = senders.raw.send(url: orderURL, post: nil, key: nil)
            _ = try senders.client.getOrder(orderId)
            _ = senders.rawBesideTransport.send(url: orderURL, post: nil, key: nil)
            _ = try senders.transport.send(HTTPRequest(method: .get, url: orderURL, headers: plainHeaders))
            _ = senders.rawBackToBack.send(url: orderURL, post: nil, key: nil)
        }
        try race(getRace, count: requestsPerRun)
        try race(postRace, count: requestsPerRun)
        try race(transportRace, count: requestsPerRun)
        try race([backToBack], count: requestsPerRun)
    }

    print("klarna-om client bench: \(runs) runs x \(requestsPerRun) requests per contender; each pair takes turns, "
          + "each request after an untimed \(gapMicroseconds) µs pause; sandbox on loopback, one keep-alive connection "
          + "per contender and run")
    print("")
    print("| what | median µs | p90 µs | requests/s at the median | client CPU µs/request |")
    print("|---|---|---|---|---|")
    for row in getRace + postRace + transportRace + [backToBack] where !row.latencies.isEmpty {
        print(String(format: "| %@ | %.1f | %.1f | %.0f | %.1f |", row.name, row.median, row.percentile(0.9),
                     1e6 / row.median, row.cpuPerRequest))
    }
    for row in offline {
        print(String(format: "| %@, KlarnaClient over a recorded answer, hot (no network; median of 20 batches) | %.1f | | %.0f | |",
                     row.name, row.hot, 1e6 / row.hot))
        print(String(format: "| %@, KlarnaClient over a recorded answer, cold (each call after a %d µs pause) | %.1f | | %.0f | |",
                     row.name, gapMicroseconds, row.cold, 1e6 / row.cold))
    }
    print("")
    print(String(format: "Hot, µs per call: parsing the recorded order (%d bytes) %.1f, reading it into Order %.1f; "
                 + "writing a one-line capture body %.1f", recorded.body.count, parseOnly, readOrder, writeCapture))
    print("")
    for (name, base, mine) in [("GET order", getRace[0], getRace[1]), ("POST capture", postRace[0], postRace[1]),
                               ("GET order, CurlTransport alone", transportRace[0], transportRace[1])]
    where !base.runMedians.isEmpty && base.runMedians.count == mine.runMedians.count {
        let overheads = zip(mine.runMedians, base.runMedians).map { ($0 / $1 - 1) * 100 }.sorted()
        print(String(format: "%@: overhead %.1f%% of the median request over raw libcurl%@ (median of %d runs: %@), "
                     + "%.1f µs more CPU per request", name, overheads[overheads.count / 2],
                     name.contains("alone") ? "" : " (goal < 10%)", overheads.count,
                     overheads.map { String(format: "%.1f", $0) }.joined(separator: " "),
                     mine.cpuPerRequest - base.cpuPerRequest))
    }
} catch {
    print("bench: \(error)")
    exit(1)
}
