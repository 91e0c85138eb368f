public import OMCore

/// An HTTP request to Klarna, fully formed: the transport adds nothing but what the wire needs.
public struct HTTPRequest: Sendable, Equatable {
    public enum Method: String, Sendable {
        case get = "GET", post = "POST", patch = "PATCH"
    }
    public var method: Method
    /// Absolute URL; built by the client from a checked base URL and checked path segments.
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// Limits for this request, from the request's config.
    public var connectTimeoutMs: Int
    public var timeoutMs: Int

    public init(method: Method, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
                connectTimeoutMs: Int = 5_000, timeoutMs: Int = 20_000) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeoutMs = connectTimeoutMs
        self.timeoutMs = timeoutMs
    }

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body
            && lhs.headers.map { "\($0.name): \($0.value)" } == rhs.headers.map { "\($0.name): \($0.value)" }
            && lhs.connectTimeoutMs == rhs.connectTimeoutMs && lhs.timeoutMs == rhs.timeoutMs
    }
}

/// An HTTP response as received.
///
/// The header block is kept as the bytes that arrived (`Name: value` lines) and read on lookup: the client reads
/// two or three of an answer's ten-odd headers, and turning every one into a pair of strings was most of the
/// transport's allocations per request.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// The final header block's field lines as received (after any `100 Continue`), each ending in a line break.
    public var headerBlock: [UInt8]
    public var body: [UInt8]

    public init(status: Int, headerBlock: [UInt8], body: [UInt8] = []) {
        self.status = status
        self.headerBlock = headerBlock
        self.body = body
    }

    /// A response with the given header fields, as a transport would have received them.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        var block: [UInt8] = []
        for header in headers {
            block += header.name.utf8
            block += ": ".utf8
            block += header.value.utf8
            block += "\r\n".utf8
        }
        self.init(status: status, headerBlock: block, body: body)
    }

    /// Every header field in arrival order, names as sent (for tests and diagnostics; lookups use `header(_:)`).
    public var headers: [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        forEachField { name, value in
            fields.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
            return true
        }
        return fields
    }

    /// The first value of a header, matched case-insensitively (ASCII, as HTTP field names are).
    public func header(_ name: String) -> String? {
        var found: String?
        var wanted = name
        wanted.withUTF8 { wanted in
            forEachField { fieldName, value in
                guard Self.sameFieldName(fieldName, wanted) else { return true }
                found = String(decoding: value, as: UTF8.self)
                return false
            }
        }
        return found
    }

    /// Calls `body` with each field's name and value, both trimmed of blanks, until it returns false. Lines
    /// without a colon (a status line, the blank end line) are skipped.
    private func forEachField(_ body: (Slice<UnsafeBufferPointer<UInt8>>, Slice<UnsafeBufferPointer<UInt8>>) -> Bool) {
        headerBlock.withUnsafeBufferPointer { block in
            var lineStart = block.startIndex
            while lineStart < block.endIndex {
                let lineEnd = block[lineStart...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? block.endIndex
                let line = block[lineStart..<lineEnd]
                lineStart = lineEnd
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
                if !body(Self.trimmed(line[..<colon]), Self.trimmed(line[(colon + 1)...])) { return }
            }
        }
    }

    /// Compares byte by byte without lower-casing copies.
    static func sameFieldName(_ a: Slice<UnsafeBufferPointer<UInt8>>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { lower($0) == lower($1) }
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    /// A field name or value without surrounding spaces, tabs and line ends.
    private static func trimmed(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        let isBlank: (UInt8) -> Bool = {
            $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n")
        }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) })
        else { return bytes[bytes.startIndex..<bytes.startIndex] }
        return bytes[first...last]
    }
}

/// The one seam between the Klarna client and the network. Synchronous, because the C caller blocks anyway.
/// `CurlTransport` (OMCurl) is the production implementation; tests use the same protocol against the sandbox.
public protocol Transport: Sendable {
    /// Sends one request. Throws only for transport failures (DNS, connect, TLS, timeout); any HTTP status,
    /// including 4xx and 5xx, is a response.
    func send(_ request: HTTPRequest) throws(OMError) -> HTTPResponse
}
