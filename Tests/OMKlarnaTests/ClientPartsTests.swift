import Foundation
import OMCore
import OMCurl
import OMKlarna
import OMTestSupport
import Testing

@Suite struct BaseURLTests {
    func config(
        _ environment: KlarnaConfig.Environment, region: KlarnaConfig.Region? = nil,
        domain: KlarnaConfig.Domain? = nil, base: String? = nil
    ) -> KlarnaConfig {
        KlarnaConfig(
            environment: environment, region: region, domain: domain, baseUrl: base, username: "u", password: "p")
    }

    @Test(arguments: [
        (
            KlarnaConfig.Environment.production, KlarnaConfig.Region.eu, KlarnaConfig.Domain.klarna,
            "https://api.klarna.com"
        ),
        (.playground, .eu, .klarna, "https://api.playground.klarna.com"),
        (.production, .na, .klarna, "https://api-na.klarna.com"),
        (.playground, .na, .klarna, "https://api-na.playground.klarna.com"),
        (.production, .oc, .klarna, "https://api-oc.klarna.com"),
        (.playground, .oc, .klarna, "https://api-oc.playground.klarna.com"),
        (.production, .eu, .kustom, "https://api.kustom.co"),
        (.playground, .na, .kustom, "https://api-na.playground.kustom.co"),
    ])
    func klarnaHostsComeFromAClosedTable(
        environment: KlarnaConfig.Environment, region: KlarnaConfig.Region,
        domain: KlarnaConfig.Domain, url: String
    ) throws {
        let base = try KlarnaBaseURL(config: config(environment, region: region, domain: domain))
        #expect(base.url == url)
        #expect(base.isLoopbackSandbox == false)
    }

    @Test(arguments: [
        "http://127.0.0.1:8765", "http://127.0.0.1:8765/", "http://[::1]:9000", "http://localhost:1",
        "http://127.1.2.3:65535", "http://localhost",
    ])
    func sandboxAcceptsLoopbackHTTP(base: String) throws {
        let resolved = try KlarnaBaseURL(config: config(.sandbox, base: base))
        #expect(resolved.isLoopbackSandbox)
        #expect(!resolved.url.hasSuffix("/"))
    }

    @Test(arguments: [
        "https://127.0.0.1:8765", "http://10.0.0.1:80", "http://api.klarna.com", "http://127.0.0.1.evil.com",
        "http://localhost.evil.com:80", "http://user@127.0.0.1:80", "http://127.0.0.1:80/path",
        "http://127.0.0.1:0", "http://127.0.0.1:99999", "http://127.0.0.1:80?x=1", "ftp://127.0.0.1",
        "http://[::2]:80", "http://128.0.0.1", "http://127.0.0.256", "", "http://", "file:///etc/passwd",
    ])
    func sandboxRefusesEverythingElse(base: String) {
        #expect(throws: OMError.self) { try KlarnaBaseURL(config: config(.sandbox, base: base)) }
    }

    @Test func klarnaEnvironmentsCannotBeRedirected() {
        for environment in [KlarnaConfig.Environment.production, .playground] {
            do {
                _ = try KlarnaBaseURL(config: config(environment, base: "https://api.klarna.com.evil.com"))
                Issue.record("a base URL override was accepted for \(environment)")
            } catch {
                #expect(error.code == .baseURLRefused)
                #expect(error.field == "config.base_url")
            }
        }
        #expect(throws: OMError.self) { try KlarnaBaseURL(config: config(.sandbox)) }
    }
}

@Suite struct IdempotencyKeyTests {
    @Test func sha256MatchesTheStandardsVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// Padding boundaries (55/56 bytes fit one block or not; 119/120 two) and a long input, against Python's hashlib.
    @Test(arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
        (1_000, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
    ])
    func sha256AcrossBlockBoundaries(length: Int, hex: String) {
        #expect(SHA256.hex(String(repeating: "a", count: length)) == hex)
    }

    /// A key must never change between releases: a retry after an upgrade has to send the key the first attempt
    /// sent. Expected value computed independently (Python: hashlib.sha256, first 16 bytes, version and variant set).
    @Test func keysAreStableAcrossReleases() {
        #expect(
            IdempotencyKey(intent: ["merchant", "abc-123", "capture", "10500"]).value
                == "3ef3ec98-932e-8953-b283-2bb58d86f406")
    }

    @Test func theSameIntentGivesTheSameKeyAndANewIntentANewOne() {
        let capture = IdempotencyKey(intent: ["PK1", "order-1", "capture", "26400"])
        #expect(capture == IdempotencyKey(intent: ["PK1", "order-1", "capture", "26400"]))
        #expect(capture != IdempotencyKey(intent: ["PK1", "order-1", "capture", "26401"]))
        #expect(capture != IdempotencyKey(intent: ["PK1", "order-2", "capture", "26400"]))
        #expect(IdempotencyKey(intent: ["ab", "c"]) != IdempotencyKey(intent: ["a", "bc"]))
    }

    @Test func keysAreVersion8UUIDs() {
        let key = IdempotencyKey(intent: ["x"]).value
        let groups = key.split(separator: "-")
        #expect(groups.map(\.count) == [8, 4, 4, 4, 12])
        #expect(groups[2].first == "8")
        #expect(["8", "9", "a", "b"].contains(groups[3].first))
    }
}

@Suite struct RetryPolicyTests {
    @Test(arguments: [
        (HTTPRequest.Method.post, true, 503 as Int?, false, true),
        (.post, true, 500, false, true),
        (.patch, true, 429, false, true),
        (.post, true, 409, false, true),
        (.post, true, nil, true, true),
        (.get, false, 502, false, true),
        (.get, false, nil, true, true),
        (.post, false, 503, false, false),  // no key: never retry a mutation
        (.post, false, nil, true, false),
        (.post, true, 403, false, false),  // Klarna's decision
        (.post, true, 400, false, false),
        (.post, true, 401, false, false),
        (.get, false, 404, false, false),
        (.post, true, 422, false, false),
    ])
    func onlyFailuresThatMayPassAreRetried(
        method: HTTPRequest.Method, keyed: Bool, status: Int?, transport: Bool,
        expected: Bool
    ) {
        #expect(
            RetryPolicy.isRetryable(
                method: method, hasIdempotencyKey: keyed, status: status,
                transportError: transport) == expected)
    }

    @Test func backoffGrowsIsCappedAndJittered() {
        let policy = RetryPolicy(maxRetries: 5, baseDelayMs: 100, maxDelayMs: 700)
        var random = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            #expect((50...100).contains(policy.delayMs(beforeRetry: 1, using: &random)))
            #expect((100...200).contains(policy.delayMs(beforeRetry: 2, using: &random)))
            #expect((350...700).contains(policy.delayMs(beforeRetry: 4, using: &random)))
            #expect((350...700).contains(policy.delayMs(beforeRetry: 60, using: &random)))
        }
    }
}

@Suite struct ErrorMappingTests {
    func response(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test func klarnaErrorBodiesGiveKlarnaCodes() {
        let error = KlarnaErrorMapping.error(
            for: response(
                403,
                #"{"error_code":"CAPTURE_NOT_ALLOWED","error_messages":["Captured amount is higher than the remaining authorized amount. Capture not possible."],"correlation_id":"c-1"}"#
            ))
        #expect(error.code.rawValue == "klarna_capture_not_allowed")
        #expect(error.klarna?.httpStatus == 403)
        #expect(error.klarna?.errorCode == "CAPTURE_NOT_ALLOWED")
        #expect(error.klarna?.correlationId == "c-1")
        #expect(error.message.contains("Captured amount is higher"))
        #expect(error.retryable == false)
    }

    @Test func anHTMLPageOn401IsUnauthorized() {
        let error = KlarnaErrorMapping.error(
            for: response(
                401, "<html><body>401 Authorization Required</body></html>",
                headers: [("Klarna-Correlation-Id", "h-1")]))
        #expect(error.code == .klarnaUnauthorized)
        #expect(error.klarna?.correlationId == "h-1")
        #expect(error.klarna?.errorMessages == nil)
    }

    @Test func singularErrorMessageIsKept() {
        let error = KlarnaErrorMapping.error(
            for: response(401, #"{"error_code":"PERMISSION_DENIED","error_message":"Authentication failed"}"#))
        #expect(error.code == .klarnaUnauthorized)
        #expect(error.klarna?.errorMessages == ["Authentication failed"])
    }

    @Test(arguments: [
        (503, "", "klarna_server_error", true), (500, "oops", "klarna_server_error", true),
        (429, "", "klarna_too_many_requests", true), (404, "", "klarna_not_found", true == false),
        (400, "{}", "klarna_http_error", false), (418, #"{"error_code":"lower case"}"#, "klarna_http_error", false),
        (409, #"{"error_code":"CONFLICT"}"#, "klarna_conflict", true),
    ])
    func statusDecidesWhenTheBodySaysNothing(status: Int, body: String, code: String, retryable: Bool) {
        let error = KlarnaErrorMapping.error(for: response(status, body))
        #expect(error.code.rawValue == code)
        #expect(error.retryable == retryable)
    }
}

@Suite struct UserAgentTests {
    @Test func followsKlarnasConventionWithoutInjectedSyntax() {
        let agent = UserAgent.make(
            libraryVersion: "0.1.0", os: "Linux_6.1.0",
            platform: PlatformVersions(
                wordpress: "6.8.1", woocommerce: "9.9.3\r\nX-Evil: 1",
                php: "8.2.36", plugin: "0.1.0"))
        #expect(agent.hasPrefix("Library/klarna-om_0.1.0 (libcurl) Language/Swift_6"))
        #expect(agent.contains("OS/Linux_6.1.0"))
        #expect(agent.contains("Platform/WordPress_6.8.1 (WooCommerce_9.9.3X-Evil1; PHP_8.2.36)"))
        #expect(agent.contains("Module/klarna-order-management_0.1.0"))
        #expect(!agent.contains("\r") && !agent.contains("\n") && !agent.contains(":"))
    }
}

/// Answers from a script, for the few answers the sandbox never gives (Klarna may send a relative Location).
@Suite struct CreatedResourceTests {
    func client(_ response: HTTPResponse) throws -> KlarnaClient {
        let config = KlarnaConfig(environment: .playground, username: "u", password: "p")
        return KlarnaClient(
            settings: .init(
                baseURL: try KlarnaBaseURL(config: config), username: "u", password: "p",
                userAgent: "t"),
            transport: RecordingTransport([.http(response)]))
    }

    @Test func aRelativeLocationIsResolvedAndGivesTheIdWhenTheHeaderIsMissing() throws {
        let created = try client(
            HTTPResponse(
                status: 201,
                headers: [
                    ("Location", "/ordermanagement/v1/orders/o-1/captures/cap-7"),
                    ("Klarna-Correlation-Id", "c-9"),
                ])
        )
        .createCapture("o-1", CaptureObject(capturedAmount: 100), key: IdempotencyKey(intent: ["x"]))
        #expect(created.id == "cap-7")
        #expect(created.location == "https://api.playground.klarna.com/ordermanagement/v1/orders/o-1/captures/cap-7")
        #expect(created.correlationId == "c-9")
    }

    @Test func theIdHeaderWinsAndHeaderNamesAreCaseInsensitive() throws {
        let created = try client(
            HTTPResponse(status: 201, headers: [("refund-id", "r-1"), ("location", "https://api.klarna.com/x/r-2")])
        )
        .createRefund("o-1", RefundObject(refundedAmount: 100), key: IdempotencyKey(intent: ["y"]))
        #expect(created.id == "r-1")
    }

    @Test func a201WithoutAnyIdIsAnUnexpectedResponse() throws {
        let error = #expect(throws: OMError.self) {
            try client(HTTPResponse(status: 201)).createCapture(
                "o-1", CaptureObject(capturedAmount: 1), key: IdempotencyKey(intent: ["z"]))
        }
        #expect(error?.code == .klarnaUnexpectedResponse)
    }
}

/// The answer's header fields as CurlTransport hands them over (libcurl parses them) and as the client looks them up.
@Suite struct ResponseHeaderTests {
    static let answer =
        "HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n" + "HTTP/1.1 201 Created\r\n"
        + "Content-Type: application/json\r\n" + "klarna-correlation-id: \t abc-1 \r\n"
        + "Location: http://127.0.0.1:8080/ordermanagement/v1/orders/o/captures/c-1\r\n"
        + "X-Twice: first\r\n" + "X-Twice: second\r\n" + "Empty:\r\n" + "Content-Length: 0\r\n\r\n"

    /// The answer above, received through CurlTransport from a loopback server.
    func received() throws -> HTTPResponse {
        let server = try OneAnswerServer(answer: Self.answer)
        return try CurlTransport(allowPlainHTTP: true).send(
            HTTPRequest(method: .get, url: "http://127.0.0.1:\(server.port)/x"))
    }

    @Test func namesMatchWithoutCaseAndValuesAreTrimmed() throws {
        let response = try received()
        #expect(response.status == 201)
        #expect(response.header("Klarna-Correlation-Id") == "abc-1")
        #expect(response.header("CONTENT-TYPE") == "application/json")
        #expect(response.header("Empty") == "")
        #expect(response.header("Capture-Id") == nil)
        #expect(response.header("Content") == nil)
        #expect(response.header("X-Interim") == nil, "the interim 100 answer's fields are not the answer's")
    }

    @Test func aValueKeepsItsColonsAndTheFirstOfTwoFieldsWins() throws {
        let response = try received()
        #expect(response.header("location") == "http://127.0.0.1:8080/ordermanagement/v1/orders/o/captures/c-1")
        #expect(response.header("X-Twice") == "first")
    }

    @Test func everyFieldIsListedInArrivalOrder() throws {
        #expect(
            try received().headers.map(\.name)
                == [
                    "Content-Type", "klarna-correlation-id", "Location", "X-Twice", "X-Twice", "Empty",
                    "Content-Length",
                ])
        let built = HTTPResponse(status: 200, headers: [("Capture-Id", "c-9"), ("Location", "/x")])
        #expect(built.header("capture-id") == "c-9" && built.headers.map(\.value) == ["c-9", "/x"])
    }
}

/// Answers one HTTP request on a loopback port with `answer`, written as it is, then closes the connection.
final class OneAnswerServer: Sendable {
    let port: UInt16

    struct Failure: Error {}

    init(answer: String) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(listener, address, length) == 0 && listen(listener, 1) == 0
                    && getsockname(listener, address, &length) == 0
            }
        }
        guard listener >= 0, bound else { throw Failure() }
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread {
            let connection = accept(listener, nil, nil)
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while !received.isEmpty ? !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") : true {
                let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { break }
                received += chunk[0..<count]
            }
            _ = Array(answer.utf8).withUnsafeBytes { send(connection, $0.baseAddress, $0.count, 0) }
            close(connection)
            close(listener)
        }
    }
}

/// A header that could end its line early or smuggle in another header never reaches the wire.
@Suite struct RequestHeaderTests {
    @Test(arguments: [
        ("X-Note", "a\r\nInjected: 1"), ("X-Note", "a\nb"), ("X-Note\r\nInjected", "1"), ("X-Note", "a\u{0}b"),
    ])
    func lineBreaksAndNULAreRefusedBeforeSending(name: String, value: String) {
        // Port 9 on loopback: nothing listens there, so a request that got through would fail differently.
        let request = HTTPRequest(
            method: .get, url: "http://127.0.0.1:9/x", headers: [("Accept", "application/json"), (name, value)])
        let error = #expect(throws: OMError.self) { try CurlTransport(allowPlainHTTP: true).send(request) }
        #expect(error?.code == .internalError)
    }
}
