import CCurl
import Synchronization
public import OMCore
public import OMKlarna

/// The production `Transport`: libcurl with one reused easy handle, so consecutive requests of one operation
/// share a keep-alive connection.
///
/// Only http and https are ever spoken, and plain http only when `allowPlainHTTP` is set (the client sets it for a
/// loopback sandbox, never for Klarna). Redirects are never followed. TLS peer and host verification stay on.
/// A proxy is used only when one is given: the environment's `http_proxy`/`https_proxy` are ignored, so they
/// cannot send credentials elsewhere. The path is sent as built (no `.`/`..` resolution).
/// Calls are serialised by a lock: one libcurl handle must never be used by two threads at once.
public final class CurlTransport: Transport, @unchecked Sendable {
    /// Responses larger than this are cut off; Klarna's largest (an order) is far smaller.
    public static let maxResponseBytes = 4 << 20

    private let lock = Mutex(())
    private let handle: EasyHandle?
    private let route: EasyHandle.Route

    public init(allowPlainHTTP: Bool = false, proxy: String? = nil) {
        self.route = EasyHandle.Route(allowPlainHTTP: allowPlainHTTP, proxy: proxy)
        self.handle = CurlGlobal.ready ? EasyHandle() : nil
    }

    public func send(_ request: HTTPRequest) throws(OMError) -> HTTPResponse {
        guard let handle else { throw OMError(.networkOther, "libcurl could not be initialised") }
        let result: Result<HTTPResponse, OMError> = lock.withLock { _ in
            Result { () throws(OMError) in try handle.perform(request, route: route) }
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

    /// Where requests may go: plain http (a loopback sandbox only) and the proxy, if any.
    struct Route: Equatable {
        var allowPlainHTTP: Bool
        var proxy: String?
    }

    /// Options that never change between requests, set once: the protocols, the proxy (an empty string tells
    /// libcurl to use none, whatever the environment says), no redirects, the path as built, TLS verification, no
    /// signals, no Nagle delay, and the two callbacks.
    private var configuredRoute: Route?

    private func configure(_ curl: UnsafeMutableRawPointer, route: Route) -> [CURLcode] {
        guard configuredRoute != route else { return [] }
        configuredRoute = route
        return [
            ccurl_set_text(curl, CURLOPT_PROTOCOLS_STR, route.allowPlainHTTP ? "http,https" : "https"),
            ccurl_set_text(curl, CURLOPT_PROXY, route.proxy ?? ""),
            ccurl_set_long(curl, CURLOPT_PATH_AS_IS, 1),
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

    func perform(_ request: HTTPRequest, route: Route) throws(OMError) -> HTTPResponse {
        guard let curl else { throw OMError(.networkOther, "libcurl could not create a handle") }
        // No curl_easy_reset: the fixed options stay; every per-request option is set below, every time.

        let sink = ResponseSink(limit: CurlTransport.maxResponseBytes)
        let context = Unmanaged.passUnretained(sink).toOpaque()
        guard let headerList = HeaderList.make(request.headers) else {
            throw OMError(.internalError, "a request header contained a line break or NUL")
        }

        var setup = configure(curl, route: route)
        setup += [
            ccurl_set_text(curl, CURLOPT_URL, request.url),
            ccurl_set_long(curl, CURLOPT_CONNECTTIMEOUT_MS, max(1, request.connectTimeoutMs)),
            ccurl_set_long(curl, CURLOPT_TIMEOUT_MS, max(1, request.timeoutMs)),
            ccurl_set_pointer(curl, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList.first)),
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
            configuredRoute = nil
            throw OMError(.networkOther, "libcurl refused an option: \(String(cString: curl_easy_strerror(failed)))")
        }

        let code = withExtendedLifetime(headerList) { curl_easy_perform(curl) }
        // The header list dies with this call: leave no dangling pointer in the handle.
        _ = ccurl_clear(curl, CURLOPT_HTTPHEADER)
        guard code == CURLE_OK else { throw Self.error(for: code, sink: sink) }
        var status = 0
        _ = ccurl_info_long(curl, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headerBlock: sink.headerBlock, body: sink.body)
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

/// One request's header lines as libcurl's `curl_slist`, plus `Expect:` (no 100-continue round trip), in two
/// allocations rather than two per line (`curl_slist_append` copies every line): the lines NUL-terminated in one
/// buffer, the nodes in one array. libcurl reads the list only during `curl_easy_perform`, which this outlives.
final class HeaderList {
    private let text: UnsafeMutableBufferPointer<UInt8>
    private let nodes: UnsafeMutableBufferPointer<curl_slist>
    /// False when a name or value held CR, LF or NUL, which would end its line early or smuggle in another header.
    private(set) var isValid = true

    /// Nil when a name or value holds CR, LF or NUL.
    static func make(_ headers: [(name: String, value: String)]) -> HeaderList? {
        let list = HeaderList(headers)
        return list.isValid ? list : nil
    }

    private init(_ headers: [(name: String, value: String)]) {
        let size = headers.reduce("Expect:".utf8.count + 1) { $0 + $1.name.utf8.count + 2 + $1.value.utf8.count + 1 }
        text = .allocate(capacity: size)
        nodes = .allocate(capacity: headers.count + 1)
        var (offset, count) = (0, 0)
        func put(_ part: String) {
            var part = part
            part.withUTF8 { bytes in
                for byte in bytes {
                    text[offset] = byte
                    offset += 1
                    if byte == 0x0D || byte == 0x0A || byte == 0 { isValid = false }
                }
            }
        }
        func endLine(startingAt start: Int) {
            text[offset] = 0
            offset += 1
            nodes[count] = curl_slist(data: text.baseAddress.map { UnsafeMutableRawPointer($0 + start).assumingMemoryBound(to: CChar.self) },
                                      next: nil)
            if count > 0 { nodes[count - 1].next = nodes.baseAddress.map { $0 + count } }
            count += 1
        }
        for header in headers {
            let start = offset
            put(header.name)
            put(": ")
            put(header.value)
            endLine(startingAt: start)
        }
        let start = offset
        put("Expect:")
        endLine(startingAt: start)
    }

    deinit {
        text.deallocate()
        nodes.deallocate()
    }

    /// The list's head, for CURLOPT_HTTPHEADER.
    var first: UnsafeMutablePointer<curl_slist>? { nodes.baseAddress }
}

/// Collects one response's header lines and body from libcurl's C callbacks, which can capture nothing and so get
/// this object through their context pointer. Both count against `limit`.
final class ResponseSink {
    let limit: Int
    var body: [UInt8] = []
    var headerBlock: [UInt8] = []
    var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }

    static let onBody: ccurl_data_fn = { data, size, count, context in
        guard let data, let context else { return 0 }
        let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
        return sink.take(data, size, count) { sink.body.append(contentsOf: $0) }
    }

    static let onHeader: ccurl_data_fn = { data, size, count, context in
        guard let data, let context else { return 0 }
        let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
        return sink.take(data, size, count) { line in
            if line.starts(with: "HTTP/".utf8) {
                sink.headerBlock.removeAll(keepingCapacity: true)  // A new status line (after 100 Continue) starts a new block.
            } else if line.contains(UInt8(ascii: ":")) {
                if sink.headerBlock.isEmpty { sink.headerBlock.reserveCapacity(1_024) }  // One allocation for a typical answer's.
                sink.headerBlock.append(contentsOf: line)
            }
        }
    }

    /// Hands libcurl's bytes to `keep` and returns how many were taken; 0 (libcurl then stops with
    /// CURLE_WRITE_ERROR) when the answer would pass the limit.
    private func take(_ data: UnsafeMutablePointer<CChar>, _ size: Int, _ count: Int,
                      _ keep: (UnsafeBufferPointer<UInt8>) -> Void) -> Int {
        let (length, overflow) = size.multipliedReportingOverflow(by: count)
        guard !overflow, body.count + headerBlock.count + length <= limit else {
            overflowed = true
            return 0
        }
        data.withMemoryRebound(to: UInt8.self, capacity: length) { keep(UnsafeBufferPointer(start: $0, count: length)) }
        return length
    }
}
