import CCurl
import Synchronization
public import OMCore
public import OMKlarna

/// The production `Transport`: libcurl with one reused easy handle, so consecutive requests of one operation
/// share a keep-alive connection.
///
/// Only http and https are ever spoken, and plain http only when `allowPlainHTTP` is set (the client sets it for a
/// loopback sandbox, never for Klarna). Redirects are never followed. TLS peer and host verification stay on.
/// Calls are serialised by a lock: one libcurl handle must never be used by two threads at once.
public final class CurlTransport: Transport, @unchecked Sendable {
    /// Responses larger than this are cut off; Klarna's largest (an order) is far smaller.
    public static let maxResponseBytes = 4 << 20

    private let lock = Mutex(())
    private let handle: EasyHandle?
    private let allowPlainHTTP: Bool

    public init(allowPlainHTTP: Bool = false) {
        self.allowPlainHTTP = allowPlainHTTP
        self.handle = CurlGlobal.ready ? EasyHandle() : nil
    }

    public func send(_ request: HTTPRequest) throws(OMError) -> HTTPResponse {
        guard let handle else { throw OMError(.networkOther, "libcurl could not be initialised") }
        let result: Result<HTTPResponse, OMError> = lock.withLock { _ in
            Result { () throws(OMError) in try handle.perform(request, allowPlainHTTP: allowPlainHTTP) }
        }
        return try result.get()
    }
}

/// `curl_global_init` exactly once per process, thread-safely (a lazily initialised global).
enum CurlGlobal {
    static let ready: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

/// Owns one `CURL *`. Not thread-safe by design; `CurlTransport` serialises access.
final class EasyHandle {
    private let curl: UnsafeMutableRawPointer?

    init() {
        curl = curl_easy_init()
    }

    deinit {
        if let curl { curl_easy_cleanup(curl) }
    }

    /// Options that never change between requests, set once: the protocols, no redirects, TLS verification, no
    /// signals, no Nagle delay, and the two callbacks.
    private var configuredForPlainHTTP: Bool?

    private func configure(_ curl: UnsafeMutableRawPointer, allowPlainHTTP: Bool) -> [CURLcode] {
        guard configuredForPlainHTTP != allowPlainHTTP else { return [] }
        configuredForPlainHTTP = allowPlainHTTP
        return [
            ccurl_set_text(curl, CURLOPT_PROTOCOLS_STR, allowPlainHTTP ? "http,https" : "https"),
            ccurl_set_text(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https"),
            ccurl_set_long(curl, CURLOPT_FOLLOWLOCATION, 0),
            ccurl_set_long(curl, CURLOPT_NOSIGNAL, 1),
            ccurl_set_long(curl, CURLOPT_SSL_VERIFYPEER, 1),
            ccurl_set_long(curl, CURLOPT_SSL_VERIFYHOST, 2),
            ccurl_set_long(curl, CURLOPT_TCP_NODELAY, 1),
            ccurl_set_function(curl, CURLOPT_WRITEFUNCTION, ResponseSink.onBody),
            ccurl_set_function(curl, CURLOPT_HEADERFUNCTION, ResponseSink.onHeader),
        ]
    }

    func perform(_ request: HTTPRequest, allowPlainHTTP: Bool) throws(OMError) -> HTTPResponse {
        guard let curl else { throw OMError(.networkOther, "libcurl could not create a handle") }
        // No curl_easy_reset: the fixed options stay; every per-request option is set below, every time.

        let sink = ResponseSink(limit: CurlTransport.maxResponseBytes)
        let context = Unmanaged.passUnretained(sink).toOpaque()
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        headerList = curl_slist_append(headerList, "Expect:")  // No 100-continue round trip.

        var setup = configure(curl, allowPlainHTTP: allowPlainHTTP)
        setup += [
            ccurl_set_text(curl, CURLOPT_URL, request.url),
            ccurl_set_long(curl, CURLOPT_CONNECTTIMEOUT_MS, max(1, request.connectTimeoutMs)),
            ccurl_set_long(curl, CURLOPT_TIMEOUT_MS, max(1, request.timeoutMs)),
            ccurl_set_pointer(curl, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList)),
            ccurl_set_pointer(curl, CURLOPT_WRITEDATA, context),
            ccurl_set_pointer(curl, CURLOPT_HEADERDATA, context),
            ccurl_clear(curl, CURLOPT_CUSTOMREQUEST),
        ]
        switch request.method {
        case .get:
            setup.append(ccurl_set_long(curl, CURLOPT_HTTPGET, 1))
        case .post, .patch:
            let body = request.body ?? []
            setup.append(ccurl_set_long(curl, CURLOPT_POST, 1))
            if request.method == .patch {
                setup.append(ccurl_set_text(curl, CURLOPT_CUSTOMREQUEST, "PATCH"))
            }
            setup.append(ccurl_set_size(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            // COPYPOSTFIELDS copies the bytes, so nothing has to outlive this call's buffer.
            setup.append(body.withUnsafeBytes { bytes in
                guard let base = bytes.baseAddress else { return ccurl_set_text(curl, CURLOPT_COPYPOSTFIELDS, "") }
                return ccurl_set_pointer(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
            })
        }
        if let failed = setup.first(where: { $0 != CURLE_OK }) {
            configuredForPlainHTTP = nil
            throw OMError(.networkOther, "libcurl refused an option: \(String(cString: curl_easy_strerror(failed)))")
        }

        let code = curl_easy_perform(curl)
        // The header list dies with this call: leave no dangling pointer in the handle.
        _ = ccurl_clear(curl, CURLOPT_HTTPHEADER)
        guard code == CURLE_OK else { throw Self.error(for: code, sink: sink) }
        var status = 0
        _ = ccurl_info_long(curl, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    /// Maps libcurl's result to a stable code. Messages come from `curl_easy_strerror` (static texts with no URL
    /// or credential in them).
    static func error(for code: CURLcode, sink: ResponseSink) -> OMError {
        let text = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return OMError(.networkTimeout, "Klarna did not answer in time (\(text)); outcome unknown, safe to retry",
                           retryable: true)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return OMError(.networkDNS, "Klarna's host name could not be resolved (\(text))", retryable: true)
        case CURLE_COULDNT_CONNECT:
            return OMError(.networkConnect, "could not connect to Klarna (\(text))", retryable: true)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return OMError(.networkTLS, "TLS with Klarna failed (\(text))")
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE:
            return OMError(.networkInterrupted,
                           "the connection to Klarna broke before an answer arrived (\(text)); outcome unknown, safe to retry",
                           retryable: true)
        case CURLE_WRITE_ERROR where sink.overflowed:
            return OMError(.responseTooLarge, "Klarna's answer was larger than \(CurlTransport.maxResponseBytes) bytes")
        default:
            return OMError(.networkOther, "the request to Klarna failed (\(text))", retryable: true)
        }
    }
}

/// Collects one response's headers and body from libcurl's C callbacks, which can capture nothing and so get this
/// object through their context pointer.
final class ResponseSink {
    let limit: Int
    var body: [UInt8] = []
    var headers: [(name: String, value: String)] = []
    var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }

    static let onBody: ccurl_data_fn = { data, size, count, context in
        guard let data, let context else { return 0 }
        let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
        let (length, overflow) = size.multipliedReportingOverflow(by: count)
        guard !overflow, sink.body.count + Int(length) <= sink.limit else {
            sink.overflowed = true
            return 0  // Makes libcurl stop with CURLE_WRITE_ERROR.
        }
        data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(length)))
        }
        return length
    }

    static let onHeader: ccurl_data_fn = { data, size, count, context in
        guard let data, let context else { return 0 }
        let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
        let (length, overflow) = size.multipliedReportingOverflow(by: count)
        guard !overflow else { return 0 }
        data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            sink.addHeaderLine(UnsafeBufferPointer(start: $0, count: Int(length)))
        }
        return length
    }

    /// One raw header line, `Name: value\r\n`, read as bytes (no `Character` work: it runs for every header).
    func addHeaderLine(_ line: UnsafeBufferPointer<UInt8>) {
        if line.starts(with: "HTTP/".utf8) {
            headers.removeAll()  // A new status line (after 100 Continue) starts a new header block.
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            headers.append((name: Self.trimmed(line[..<colon]), value: Self.trimmed(line[(colon + 1)...])))
        }
    }

    /// A header field without surrounding spaces, tabs and line ends.
    private static func trimmed(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        let isBlank: (UInt8) -> Bool = {
            $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n")
        }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
