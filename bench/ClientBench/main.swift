import CCurl
import Foundation
import OMCore
import OMCurl
import OMKlarna
import OMTestSupport

// Requests per second and the Klarna client's overhead per request, against the local Klarna sandbox, beside a raw
// libcurl baseline measured in the same run: the same requests on one reused easy handle with nothing but libcurl
// calls. Rounds alternate between the two so that drift in the sandbox hits both alike. It prints numbers; it is
// not a test and never fails on time.
//
// usage: ClientBench [requests-per-round] [rounds] [only-rows-containing]

let perRound = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 500 : 500
let rounds = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 5 : 5
let only = CommandLine.arguments.count > 3 ? CommandLine.arguments[3] : ""

guard let sandbox = SandboxServer.shared else {
    print("bench: the sandbox did not start: \(SandboxServer.startError)")
    exit(1)
}

/// Wall-clock and process CPU time of one block.
func measure(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    var before = rusage(), after = rusage()
    getrusage(RUSAGE_SELF.rawValue, &before)
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    getrusage(RUSAGE_SELF.rawValue, &after)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    let cpu = seconds(after.ru_utime) - seconds(before.ru_utime) + seconds(after.ru_stime) - seconds(before.ru_stime)
    return (wall, cpu)
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
        let basic = Data("\(username):\(password)".utf8).base64EncodedString()
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
    let client = try sandbox.client()
    let raw = RawCurl(username: SandboxServer.username, password: SandboxServer.password)
    let orderId = try sandbox.seedOrder()
    let bigOrder = try sandbox.seedOrder(["order_lines": [["type": "physical", "name": "Bulk", "quantity": 1,
                                                          "unit_price": 100_000_000, "total_amount": 100_000_000]]])
    let orderURL = "\(sandbox.baseURL)/ordermanagement/v1/orders/\(orderId)"
    let captureURL = "\(sandbox.baseURL)/ordermanagement/v1/orders/\(bigOrder)/captures"
    let captureBody = Array(#"{"captured_amount":1}"#.utf8)
    var sequence = 0
    let transport = CurlTransport(allowPlainHTTP: true)
    let plainHeaders: [(name: String, value: String)] = [
        ("Authorization", "Basic " + Data("\(SandboxServer.username):\(SandboxServer.password)".utf8).base64EncodedString()),
        ("Accept", "application/json"), ("User-Agent", "bench"),
    ]

    // The client's own cost per request, with the network taken out: the same answer, recorded.
    let recorded = try CurlTransport(allowPlainHTTP: true).send(HTTPRequest(method: .get, url: orderURL, headers: plainHeaders))
    let offline = KlarnaClient(settings: try sandbox.clientSettings(), transport: RecordedTransport(response: recorded))
    let offlineCount = 20_000
    let offlineTime = try measure { for _ in 0..<offlineCount { _ = try offline.getOrder(orderId) } }
    let createdAnswer = HTTPResponse(status: 201, headers: [("Capture-Id", "c-1"), ("Location", captureURL + "/c-1"),
                                                            ("Klarna-Correlation-Id", "x"), ("Content-Length", "0")])
    let offlinePost = KlarnaClient(settings: try sandbox.clientSettings(), transport: RecordedTransport(response: createdAnswer))
    let offlinePostTime = try measure {
        for index in 0..<offlineCount {
            _ = try offlinePost.createCapture(bigOrder, CaptureObject(capturedAmount: 1),
                                              key: IdempotencyKey(intent: ["bench", String(index)]))
        }
    }

    // Warm-up: connections, caches, the sandbox's first requests.
    for _ in 0..<50 { _ = raw.send(url: orderURL, post: nil, key: nil); _ = try client.getOrder(orderId) }

    struct Totals { var wall = 0.0, cpu = 0.0, count = 0 }
    var results: [String: Totals] = [:]
    func add(_ name: String, _ run: () throws -> (wall: Double, cpu: Double)) rethrows {
        guard only.isEmpty || name.contains(only) else { return }
        let m = try run()
        results[name, default: Totals()].wall += m.wall
        results[name, default: Totals()].cpu += m.cpu
        results[name, default: Totals()].count += perRound
    }
    for _ in 0..<rounds {
        add("GET order, raw libcurl") { measure { for _ in 0..<perRound { _ = raw.send(url: orderURL, post: nil, key: nil) } } }
        try add("GET order, CurlTransport") { try measure {
            for _ in 0..<perRound { _ = try transport.send(HTTPRequest(method: .get, url: orderURL, headers: plainHeaders)) }
        } }
        try add("GET order, KlarnaClient") { try measure { for _ in 0..<perRound { _ = try client.getOrder(orderId) } } }
        add("POST capture, raw libcurl") { measure {
            for _ in 0..<perRound { sequence += 1; _ = raw.send(url: captureURL, post: captureBody, key: "raw-\(sequence)") }
        } }
        try add("POST capture, KlarnaClient") { try measure {
            for _ in 0..<perRound {
                sequence += 1
                _ = try client.createCapture(bigOrder, CaptureObject(capturedAmount: 1),
                                             key: IdempotencyKey(intent: ["bench", String(sequence)]))
            }
        } }
    }

    print("klarna-om client bench: \(rounds) rounds x \(perRound) requests, sandbox on loopback, one keep-alive connection")
    print("")
    print("| what | requests/s | wall µs/request | client CPU µs/request |")
    print("|---|---|---|---|")
    for name in ["GET order, raw libcurl", "GET order, CurlTransport", "GET order, KlarnaClient", "POST capture, raw libcurl", "POST capture, KlarnaClient"] {
        guard let t = results[name] else { continue }
        print(String(format: "| %@ | %.0f | %.1f | %.1f |", name, Double(t.count) / t.wall, t.wall / Double(t.count) * 1e6,
                     t.cpu / Double(t.count) * 1e6))
    }
    print(String(format: "| GET order, KlarnaClient over a recorded answer (no network) | %.0f | %.1f | %.1f |",
                 Double(offlineCount) / offlineTime.wall, offlineTime.wall / Double(offlineCount) * 1e6,
                 offlineTime.cpu / Double(offlineCount) * 1e6))
    print(String(format: "| POST capture, KlarnaClient over a recorded answer (no network) | %.0f | %.1f | %.1f |",
                 Double(offlineCount) / offlinePostTime.wall, offlinePostTime.wall / Double(offlineCount) * 1e6,
                 offlinePostTime.cpu / Double(offlineCount) * 1e6))
    print("")
    for pair in [("GET order", "GET order, raw libcurl", "GET order, KlarnaClient"),
                 ("POST capture", "POST capture, raw libcurl", "POST capture, KlarnaClient")] {
        guard let base = results[pair.1], let mine = results[pair.2] else { continue }
        let wallOverhead = (mine.wall / Double(mine.count)) / (base.wall / Double(base.count)) - 1
        let cpuExtra = (mine.cpu / Double(mine.count) - base.cpu / Double(base.count)) * 1e6
        print(String(format: "%@: client overhead %.1f%% of wall time per request (goal < 10%%), %.1f µs more client CPU",
                     pair.0, wallOverhead * 100, cpuExtra))
    }
} catch {
    print("bench: \(error)")
    exit(1)
}
