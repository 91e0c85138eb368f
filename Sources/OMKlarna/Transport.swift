package import OMCore

/// An HTTP request to Klarna, fully formed: the transport adds nothing but what the wire needs.
package struct HTTPRequest: Sendable, Equatable {
    package enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case patch = "PATCH"
    }
    package var method: Method
    /// Absolute URL; built by the client from a checked base URL and checked path segments.
    package var url: String
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]?
    /// Limits for this request, from the request's config.
    package var connectTimeoutMs: Int
    package var timeoutMs: Int

    package init(
        method: Method, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
        connectTimeoutMs: Int = 5_000, timeoutMs: Int = 20_000
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeoutMs = connectTimeoutMs
        self.timeoutMs = timeoutMs
    }

    package static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body
            && lhs.headers.map { "\($0.name): \($0.value)" } == rhs.headers.map { "\($0.name): \($0.value)" }
            && lhs.connectTimeoutMs == rhs.connectTimeoutMs && lhs.timeoutMs == rhs.timeoutMs
    }
}

/// An HTTP response as received: the final status, the header fields in arrival order (names as sent), the body.
package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    package init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header; names match whatever their case, as HTTP field names do.
    package func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// `Retry-After` in milliseconds when it is a number of seconds (at most an hour counts); nil otherwise.
    package var retryAfterMs: Int? {
        header("Retry-After").flatMap { Int($0) }.map { max(0, min($0, 3_600)) * 1_000 }
    }
}

/// The one seam between the Klarna client and the network. Synchronous, because the C caller blocks anyway.
/// `CurlTransport` (OMCurl) is the production implementation; tests use the same protocol against the sandbox.
package protocol Transport: Sendable {
    /// Sends one request. Throws only for transport failures (DNS, connect, TLS, timeout), or with
    /// `klarna_too_many_requests` for a request it never sent because Klarna's rate limit held it back until the
    /// request's time was spent (a batch's transport); any HTTP status, including 4xx and 5xx, is a response.
    func send(_ request: HTTPRequest) throws(OMError) -> HTTPResponse
}
