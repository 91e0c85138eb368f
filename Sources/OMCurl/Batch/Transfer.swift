import CCurl
import OMCore

/// One request of a batch on its way through the driver: the easy handle set up for it (`EasyHandle.prepare`), when
/// its time runs out, and how it ended. The worker that made it waits for `done`; until then the driver alone
/// touches it (the handover is the driver's inbox lock, the way back the signal).
final class Transfer: @unchecked Sendable {
    enum Ending {
        /// libcurl ended the transfer with this code; the answer, if any, is in the handle (a 429 the batch gave up
        /// sending again included).
        case ended(CURLcode)
        /// Never sent: the batch's pace (its requests per second, Klarna's 429s) held it back until `deadline`.
        case heldBack
        /// The driver could not run it.
        case failed(OMError)
    }

    let handle: EasyHandle
    let prepared: EasyHandle.Prepared
    /// When the request's own time (its operation's budget) runs out, on the monotonic clock in milliseconds.
    let deadline: Int
    let connectTimeoutMs: Int
    /// When the driver last started it; nil while it was never sent.
    var startedAt: Int?
    private(set) var ending: Ending?
    let done = Signal()

    init(handle: EasyHandle, prepared: EasyHandle.Prepared, deadline: Int, connectTimeoutMs: Int) {
        self.handle = handle
        self.prepared = prepared
        self.deadline = deadline
        self.connectTimeoutMs = connectTimeoutMs
    }

    /// The driver's last word on it.
    func end(_ ending: Ending) {
        self.ending = ending
        done.post()
    }
}
