import Foundation
import OMCore
import OMKlarna

/// What one cold call of the client touches, for `scripts/bench-footprint`: the same GET order or POST capture as
/// the live bench, over a recorded answer (`bench/fixtures/sandbox-order.json`, the sandbox's answer to the bench's
/// GET), each call after a sweep of a buffer larger than the simulated caches. Under cachegrind the difference
/// between two call counts gives, per call, the instructions run and the code and data cache lines fetched from
/// memory: the cost that decides a cold call, counted exactly instead of timed on a noisy machine.
enum Footprint {
    /// Larger than the last-level cache scripts/bench-footprint simulates (4 MiB).
    static let sweepBytes = 8 << 20

    static func run(kind: String, calls: Int, answerPath: String) -> Int32 {
        guard let body = FileManager.default.contents(atPath: answerPath), calls > 0, kind == "get" || kind == "post" else {
            print("usage: ClientBench footprint <get|post> <calls> <order-answer.json>")
            return 2
        }
        let orderId = "b5d3a4c0-2f7e-4d1a-9c3b-1e2f3a4b5c6d"
        let base = "http://127.0.0.1:9"
        let config = KlarnaConfig(environment: .sandbox, baseUrl: base, username: "PK_bench", password: "bench-secret")
        guard let baseURL = try? KlarnaBaseURL(config: config) else { return 1 }
        let settings = KlarnaClient.Settings(baseURL: baseURL, username: "PK_bench", password: "bench-secret",
                                             userAgent: UserAgent.make(libraryVersion: "0.0.0", os: "Linux",
                                                                       platform: PlatformVersions(wordpress: "6.8.1", woocommerce: "9.9.3",
                                                                                                 php: "8.2.28", plugin: "0.1.0")))
        let correlation = ("Klarna-Correlation-Id", "2d1b9b0e-6b8a-4b7e-9d59-0c1f7c1b8f0a")
        let order = HTTPResponse(status: 200, headers: [("Content-Type", "application/json"), correlation],
                                 body: Array(body))
        let captureId = "4ba29b50-be7b-44f5-a492-113e6a865e22"
        let created = HTTPResponse(status: 201, headers: [
            ("Capture-Id", captureId), ("Location", "\(base)/ordermanagement/v1/orders/\(orderId)/captures/\(captureId)"),
            correlation,
        ])
        var sweep = [UInt8](repeating: 1, count: sweepBytes)
        var checksum = 0
        for call in 0..<calls {
            for index in stride(from: 0, to: sweep.count, by: 64) { sweep[index] &+= 1 }
            do {
                if kind == "get" {
                    let client = KlarnaClient(settings: settings, transport: RecordedTransport(response: order))
                    checksum &+= Int(try client.getOrder(orderId).orderAmount ?? 0)
                } else {
                    let client = KlarnaClient(settings: settings, transport: RecordedTransport(response: created))
                    checksum &+= try client.createCapture(orderId, CaptureObject(capturedAmount: 1),
                                                          key: IdempotencyKey(intent: ["bench", String(call)])).attempts
                }
            } catch {
                print("footprint: \(error)")
                return 1
            }
        }
        print("footprint: \(calls) \(kind) calls, checksum \(checksum)")
        return 0
    }
}
