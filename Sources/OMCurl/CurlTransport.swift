import CCurl
package import OMCore
package import OMKlarna
import Synchronization

/// The production `Transport`: libcurl with one reused easy handle, so consecutive requests of one operation
/// share a keep-alive connection.
///
/// Only http and https are ever spoken, and plain http only when `allowPlainHTTP` is set (the client sets it for a
/// loopback sandbox, never for Klarna). Redirects are never followed. TLS peer and host verification stay on.
/// A proxy is used only when one is given: the environment's `http_proxy`/`https_proxy` are ignored, so they
/// cannot send credentials elsewhere. The path is sent as built (no `.`/`..` resolution).
/// Calls are serialised by a lock: one libcurl handle must never be used by two threads at once.
package final class CurlTransport: Transport, @unchecked Sendable {
    /// Answers with a larger body are cut off; Klarna's largest (an order) is far smaller.
    package static let maxResponseBytes = 4 << 20

    private let lock = Mutex(())
    private let handle: EasyHandle?
    private let route: EasyHandle.Route

    package init(allowPlainHTTP: Bool = false, proxy: String? = nil) {
        self.route = EasyHandle.Route(allowPlainHTTP: allowPlainHTTP, proxy: proxy)
        self.handle = CurlGlobal.ready ? EasyHandle() : nil
    }

    package func send(_ request: HTTPRequest) throws(OMError) -> HTTPResponse {
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

/// Owns one `CURL *`. Not thread-safe by design: `CurlTransport` serialises access, and a batch's handle belongs to
/// one thread at a time (the item's worker, then the driver while it runs, then the worker again).
final class EasyHandle {
    let curl: UnsafeMutableRawPointer?

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
    /// signals, no Nagle delay, and the body's callback.
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
        ]
    }

    /// Runs one request to its answer on this thread.
    func perform(_ request: HTTPRequest, route: Route) throws(OMError) -> HTTPResponse {
        let prepared = try prepare(request, route: route)
        let code = withExtendedLifetime(prepared) { curl_easy_perform(curl) }
        return try finish(code, prepared)
    }

    /// What a request set up on the handle needs until its transfer ends: where the body goes, the header lines.
    struct Prepared {
        let sink: ResponseSink
        let headerList: HeaderList
    }

    /// Sets the handle up for one request, ready to run here (`perform`) or in a multi handle (a batch's driver).
    func prepare(_ request: HTTPRequest, route: Route) throws(OMError) -> Prepared {
        guard let curl else { throw OMError(.networkOther, "libcurl could not create a handle") }
        // No curl_easy_reset: the fixed options stay; every per-request option is set below, every time.

        let sink = ResponseSink(limit: CurlTransport.maxResponseBytes)
        let context = Unmanaged.passUnretained(sink).toOpaque()
        guard request.headers.allSatisfy(HeaderList.isOneLine) else {
            throw OMError(.internalError, "a request header contained a line break or NUL")
        }
        guard let headerList = HeaderList(request.headers) else {
            throw OMError(.networkOther, "libcurl could not allocate the request's headers")
        }

        var setup = configure(curl, route: route)
        setup += [
            ccurl_set_text(curl, CURLOPT_URL, request.url),
            ccurl_set_long(curl, CURLOPT_CONNECTTIMEOUT_MS, max(1, request.connectTimeoutMs)),
            ccurl_set_long(curl, CURLOPT_TIMEOUT_MS, max(1, request.timeoutMs)),
            ccurl_set_pointer(curl, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList.head)),
            ccurl_set_pointer(curl, CURLOPT_WRITEDATA, context),
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
            setup.append(
                body.withUnsafeBytes { bytes in
                    guard let base = bytes.baseAddress else { return ccurl_set_text(curl, CURLOPT_COPYPOSTFIELDS, "") }
                    return ccurl_set_pointer(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
                })
        }
        if let failed = setup.first(where: { $0 != CURLE_OK }) {
            configuredRoute = nil
            _ = ccurl_clear(curl, CURLOPT_HTTPHEADER)
            throw OMError(.networkOther, "libcurl refused an option: \(String(cString: curl_easy_strerror(failed)))")
        }
        return Prepared(sink: sink, headerList: headerList)
    }

    /// The answer of a transfer that ended with `code`; the handle forgets the request's header lines.
    func finish(_ code: CURLcode, _ prepared: Prepared) throws(OMError) -> HTTPResponse {
        forget(prepared)
        guard let curl else { throw OMError(.networkOther, "libcurl could not create a handle") }
        guard code == CURLE_OK else { throw Self.error(for: code, sink: prepared.sink) }
        var status = 0
        _ = ccurl_info_long(curl, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: Self.responseHeaders(curl), body: prepared.sink.body)
    }

    /// Forgets a prepared request's header lines, which die with `prepared`: no dangling pointer stays in the handle.
    func forget(_ prepared: Prepared) {
        if let curl { _ = ccurl_clear(curl, CURLOPT_HTTPHEADER) }
    }

    /// The final answer's header fields as libcurl parsed them (after any `100 Continue`), in arrival order.
    static func responseHeaders(_ curl: UnsafeMutableRawPointer) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        var previous: UnsafeMutablePointer<curl_header>?
        while let field = curl_easy_nextheader(curl, UInt32(CURLH_HEADER), -1, previous) {
            if let name = field.pointee.name, let value = field.pointee.value {
                var text = String(cString: value)
                // libcurl trims the value, except an empty one: 7.88 gives "\r" for "Empty:\r\n".
                while let last = text.last, last.isWhitespace { text.removeLast() }
                fields.append((String(cString: name), text))
            }
            previous = field
        }
        return fields
    }

    /// Maps libcurl's result to a stable code. Messages come from `curl_easy_strerror` (static texts with no URL
    /// or credential in them).
    static func error(for code: CURLcode, sink: ResponseSink) -> OMError {
        let text = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return OMError(
                .networkTimeout, "Klarna did not answer in time (\(text)); outcome unknown, safe to retry",
                retryable: true)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return OMError(.networkDNS, "Klarna's host name could not be resolved (\(text))", retryable: true)
        case CURLE_COULDNT_CONNECT:
            return OMError(.networkConnect, "could not connect to Klarna (\(text))", retryable: true)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return OMError(.networkTLS, "TLS with Klarna failed (\(text))")
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE:
            return OMError(
                .networkInterrupted,
                "the connection to Klarna broke before an answer arrived (\(text)); outcome unknown, safe to retry",
                retryable: true)
        case CURLE_WRITE_ERROR where sink.overflowed:
            return OMError(.responseTooLarge, "Klarna's answer was larger than \(CurlTransport.maxResponseBytes) bytes")
        default:
            return OMError(.networkOther, "the request to Klarna failed (\(text))", retryable: true)
        }
    }
}

/// One request's header lines as libcurl's `curl_slist`, plus `Expect:` (no 100-continue round trip). libcurl
/// reads the list only during `curl_easy_perform`, which this outlives.
final class HeaderList {
    let head: UnsafeMutablePointer<curl_slist>

    /// Nil when libcurl could not allocate a line.
    init?(_ headers: [(name: String, value: String)]) {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            guard let longer = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                return nil
            }
            list = longer
        }
        guard let list else { return nil }
        head = list
    }

    deinit {
        curl_slist_free_all(head)
    }

    /// False when a name or value holds CR, LF or NUL, which would end its line early or smuggle in another header.
    static func isOneLine(_ header: (name: String, value: String)) -> Bool {
        let breaksTheLine: (UInt8) -> Bool = { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
        return !header.name.utf8.contains(where: breaksTheLine) && !header.value.utf8.contains(where: breaksTheLine)
    }
}

/// Collects one response's body from libcurl's C callback, which can capture nothing and so gets this object
/// through its context pointer, up to `limit` bytes.
final class ResponseSink {
    let limit: Int
    var body: [UInt8] = []
    var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }

    /// Forgets what arrived, before the request is sent again.
    func reset() {
        body = []
        overflowed = false
    }

    /// Takes libcurl's bytes and returns how many were taken; 0 (libcurl then stops with CURLE_WRITE_ERROR) when the
    /// answer would pass the limit.
    static let onBody: ccurl_data_fn = { data, size, count, context in
        guard let data, let context else { return 0 }
        let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
        let (length, overflow) = size.multipliedReportingOverflow(by: count)
        guard !overflow, sink.body.count + length <= sink.limit else {
            sink.overflowed = true
            return 0
        }
        data.withMemoryRebound(to: UInt8.self, capacity: length) {
            sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
        }
        return length
    }
}
