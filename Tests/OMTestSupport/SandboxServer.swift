package import Foundation
package import OMCore
import OMCurl
package import OMKlarna

/// The local Klarna sandbox (scripts/sandbox/klarna_sandbox.py) for Swift tests: started once per test process on
/// an ephemeral loopback port, stopped when the process ends (the sandbox watches our pid). Tests talk to it through
/// the real `CurlTransport`; every test seeds its own orders, so tests can run in parallel. The sandbox inherits this
/// process's environment: with `KLARNA_SPEC` set (`.ci/run` sets it), it also validates request bodies against
/// Klarna's full OpenAPI document; without it, against its own schema only.
package final class SandboxServer: @unchecked Sendable {
    package static let username = "PK_swift_tests"
    package static let password = "swift-tests-secret-9f3a"

    /// The one start attempt of this process: the sandbox, or why it did not start.
    static let started = Result { try SandboxServer() }
    /// The shared sandbox, or nil when it could not start (the reason is in `startError`).
    package static var shared: SandboxServer? { try? started.get() }
    package static var startError: String {
        switch started {
        case .success: return "started"
        case .failure(let error): return "\(error)"
        }
    }

    /// A sandbox of its own, for a test that moves the sandbox's clock (which would expire every other test's
    /// idempotency keys on the shared one). It stops when this process ends.
    package static func privateInstance() throws -> SandboxServer { try SandboxServer() }

    package let port: Int
    package var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The request's `config` for this sandbox and the tests' merchant, with the operation's time budget.
    package func config(timeoutMs: Int? = nil) -> [String: Any] {
        var config: [String: Any] = [
            "environment": "sandbox", "base_url": baseURL, "username": Self.username, "password": Self.password,
        ]
        if let timeoutMs { config["timeout_ms"] = timeoutMs }
        return config
    }
    private let process: Process
    private let transport = CurlTransport(allowPlainHTTP: true)

    /// The repository root, found from this file's path.
    package static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct StartFailure: Error, CustomStringConvertible { var description: String }

    private init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "klarna-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let portFile = folder.appendingPathComponent("port")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.root.appendingPathComponent("scripts/sandbox/klarna_sandbox.py").path,
            "--port", "0", "--port-file", portFile.path,
            "--credentials", "\(Self.username):\(Self.password)",
            "--parent-pid", String(ProcessInfo.processInfo.processIdentifier),
        ]
        // No inherited pipes: a child holding the test runner's stdout or stderr open keeps `swift test` waiting.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: portFile.path) {
            guard process.isRunning else { throw StartFailure(description: "the sandbox exited while starting") }
            guard Date() < deadline else { throw StartFailure(description: "the sandbox did not start in 20 s") }
            usleep(20_000)
        }
        guard let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) else {
            throw StartFailure(description: "the sandbox wrote no port")
        }
        self.port = port
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    // MARK: - Control API

    /// Calls the control API; returns the decoded JSON answer (nil for an empty one).
    @discardableResult
    package func control(_ method: HTTPRequest.Method, _ path: String, _ body: [String: Any]? = nil) throws -> Any? {
        let bytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) }
        let response = try transport.send(
            HTTPRequest(
                method: method, url: baseURL + "/_sandbox" + path,
                headers: [("Content-Type", "application/json")], body: bytes))
        guard (200...299).contains(response.status) else {
            throw StartFailure(description: "control \(path) answered \(response.status)")
        }
        return response.body.isEmpty ? nil : try JSONSerialization.jsonObject(with: Data(response.body))
    }

    /// Seeds an order (see the sandbox's seed_order) and returns its Klarna order id.
    package func seedOrder(_ spec: [String: Any] = [:]) throws -> String {
        var spec = spec
        spec["order_id"] = spec["order_id"] ?? UUID().uuidString.lowercased()
        spec["merchant"] = Self.username
        if spec["order_lines"] == nil {
            spec["order_lines"] = [
                [
                    "type": "physical", "name": "Hoodie", "quantity": 2, "unit_price": 5000,
                    "total_amount": 10000, "tax_rate": 2500, "total_tax_amount": 2000,
                ]
            ]
        }
        let order = try control(.post, "/orders", spec) as? [String: Any]
        return order?["order_id"] as? String ?? ""
    }

    /// The order as the sandbox holds it.
    package func order(_ orderId: String) throws -> [String: Any] {
        try control(.get, "/orders/\(orderId)") as? [String: Any] ?? [:]
    }

    /// The Klarna API requests the sandbox received for one order, oldest first.
    package func requests(for orderId: String) throws -> [[String: Any]] {
        try control(.get, "/requests?order_id=\(orderId)") as? [[String: Any]] ?? []
    }

    /// Injects faults for requests on one order: `["fail_next": ["count": 2, "status": 503]]` (with `"retry_after": 2`,
    /// a `Retry-After` header), `["drop_next_mutating": 1]`, `["latency_ms": 300]`,
    /// `["slow_next_mutating": ["count": 1, "latency_ms": 800]]` (see the sandbox's docstring).
    package func injectFaults(for orderId: String, _ faults: [String: Any]) throws {
        var body = faults
        body["order_id"] = orderId
        try control(.post, "/faults", body)
    }

    // MARK: - Clients

    /// Client settings for this sandbox, with short retry pauses so tests stay quick.
    package func clientSettings(
        password: String = SandboxServer.password, budgetMs: Int = 10_000
    ) throws(OMError)
        -> KlarnaClient.Settings
    {
        var config = KlarnaConfig(environment: .sandbox, baseUrl: baseURL, username: Self.username, password: password)
        config.connectTimeoutMs = 2_000
        return KlarnaClient.Settings(
            baseURL: try KlarnaBaseURL(config: config), username: Self.username,
            password: password, userAgent: "Library/klarna-om_test", connectTimeoutMs: 2_000,
            budgetMs: budgetMs, retry: RetryPolicy(maxRetries: 2, baseDelayMs: 20, maxDelayMs: 100))
    }

    package func client(
        password: String = SandboxServer.password, budgetMs: Int = 10_000
    ) throws(OMError) -> KlarnaClient {
        KlarnaClient(
            settings: try clientSettings(password: password, budgetMs: budgetMs),
            transport: CurlTransport(allowPlainHTTP: true))
    }
}
