import OMCore
import OMKlarna
import Synchronization

/// The `Transport` of a batch's items: each request is set up on this transport's own easy handle, as
/// `CurlTransport` sets it up, then run by the batch's driver together with the other items' requests, while the
/// calling thread (the item's worker) waits for its answer. Only the pacing differs from a single call: the bytes
/// sent and the answers read are the same.
final class MultiTransport: Transport, @unchecked Sendable {
    private let driver: MultiDriver
    private let route: EasyHandle.Route
    private let handle: EasyHandle?
    /// One request at a time on the handle.
    private let lock = Mutex(())

    init(driver: MultiDriver, allowPlainHTTP: Bool, proxy: String?) {
        self.driver = driver
        route = EasyHandle.Route(allowPlainHTTP: allowPlainHTTP, proxy: proxy)
        handle = CurlGlobal.ready ? EasyHandle() : nil
    }

    func send(_ request: HTTPRequest) throws(OMError) -> HTTPResponse {
        guard let handle else { throw OMError(.networkOther, "libcurl could not be initialised") }
        let result: Result<HTTPResponse, OMError> = lock.withLock { _ in
            Result { () throws(OMError) in
                let prepared = try handle.prepare(request, route: route)
                let transfer = Transfer(
                    handle: handle, prepared: prepared,
                    deadline: KlarnaClient.monotonicMilliseconds() + max(1, request.timeoutMs),
                    connectTimeoutMs: request.connectTimeoutMs)
                driver.perform(transfer)
                switch transfer.ending {
                case .ended(let code):
                    return try handle.finish(code, prepared)
                case .failed(let error):
                    handle.forget(prepared)
                    throw error
                case .heldBack, nil:
                    handle.forget(prepared)
                    throw OMError(
                        .klarnaTooManyRequests,
                        "the batch held this request back for Klarna's rate limit (its requests per second, and Klarna's 429 answers) until the operation's time budget was spent; it was not sent",
                        retryable: true)
                }
            }
        }
        return try result.get()
    }
}
