import Foundation
package import OMCore
package import OMKlarna
import Synchronization

/// The one stub `Transport` of the tests: answers each request with the next scripted answer and records what was
/// sent, so a test can assert exactly which requests reached "Klarna". Where Klarna's behaviour matters, tests use
/// the sandbox over real HTTP instead; this is for the logic around it, in memory.
package final class RecordingTransport: Transport, Sendable {
    /// What "Klarna" does with one request.
    package enum Answer: Sendable {
        /// An HTTP answer.
        case http(HTTPResponse)
        /// No answer: the connection broke after the request was sent (Klarna may have acted).
        case lost
        /// No connection at all (nothing was sent).
        case unreachable
    }

    private let state: Mutex<(answers: [Answer], sent: [HTTPRequest])>

    package init(_ answers: [Answer] = []) {
        state = Mutex((answers, []))
    }

    /// Every request sent so far, oldest first.
    package var sent: [HTTPRequest] { state.withLock { $0.sent } }

    package func send(_ request: HTTPRequest) throws(OMError) -> HTTPResponse {
        let answer: Answer? = state.withLock { state in
            state.sent.append(request)
            return state.answers.isEmpty ? nil : state.answers.removeFirst()
        }
        switch answer {
        case .http(let response)?: return response
        case .lost?:
            throw OMError(.networkInterrupted, "the connection broke before an answer arrived", retryable: true)
        case .unreachable?: throw OMError(.networkConnect, "could not connect", retryable: true)
        case nil:
            throw OMError(.internalError, "the test scripted no answer for \(request.method.rawValue) \(request.url)")
        }
    }

    /// Each request as "METHOD path after /orders/{id}", ids of captures and refunds as `{id}`.
    package func sentSuffixes(klarnaOrderId: String) -> [String] {
        sent.map { request in
            let path =
                request.url.components(separatedBy: "/ordermanagement/v1/orders/\(klarnaOrderId)").dropFirst().first
                ?? request.url
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            let normalised = parts.enumerated().map { index, part in
                index > 1 && (parts[index - 1] == "captures" || parts[index - 1] == "refunds") ? "{id}" : String(part)
            }.joined(separator: "/")
            return "\(request.method.rawValue) \(normalised)"
        }
    }
}

/// Klarna's answers, shaped as Klarna (and the sandbox) sends them, for scripting a `RecordingTransport`.
package enum KlarnaAnswer {
    /// 201 for a new capture or refund: the id in its header.
    package static func created(
        _ idHeader: String, id: String = "3f0c6a2e-5b1d-4c7e-9a8f-2d4e6b8a0c11"
    ) -> RecordingTransport.Answer {
        .http(HTTPResponse(status: 201, headers: [(idHeader, id), ("Klarna-Correlation-Id", "corr-1")]))
    }

    package static let captureCreated = created("Capture-Id")
    package static let refundCreated = created("Refund-Id")
    package static let noContent = RecordingTransport.Answer.http(HTTPResponse(status: 204))

    /// Klarna's error body with its code.
    package static func refused(_ code: String, status: Int = 403) -> RecordingTransport.Answer {
        .http(
            json(status: status, #"{"error_code":"\#(code)","error_messages":["refused"],"correlation_id":"corr-2"}"#))
    }

    /// Klarna refusing the credentials: a 401 with its HTML page, as Klarna has sent it.
    package static let unauthorized = RecordingTransport.Answer.http(
        HTTPResponse(
            status: 401, headers: [("Content-Type", "text/html"), ("Klarna-Correlation-Id", "corr-4")],
            body: Array("<html><body><h1>401 Authorization Required</h1></body></html>".utf8)))

    /// A 5xx Klarna may send again, with "Retry-After: 0" so the client retries at once.
    package static func unavailable(_ status: Int = 503) -> RecordingTransport.Answer {
        .http(
            HTTPResponse(
                status: status, headers: [("Retry-After", "0"), ("Content-Type", "application/json")],
                body: Array(#"{"error_code":"TEMPORARILY_UNAVAILABLE","error_messages":["down"]}"#.utf8)))
    }

    /// The order as GET returns it. Amounts in minor units; `captured` are the capture ids with their amounts, and
    /// `refunds` the refunds with their references.
    package static func order(
        status: String = "AUTHORIZED", amount: Int = 10_500, captured: [(String, Int)] = [],
        refunds: [(id: String, amount: Int, reference: String)] = [], remaining: Int? = nil,
        fraud: String = "ACCEPTED", lines: String = "[]",
        expiresAt: String = "2031-01-29T00:00:00+00:00"
    ) -> RecordingTransport.Answer {
        let capturedAmount = captured.reduce(0) { $0 + $1.1 }
        let refunded = refunds.reduce(0) { $0 + $1.amount }
        let refundObjects = refunds.map {
            #"{"refund_id":"\#($0.id)","refunded_amount":\#($0.amount),"reference":"\#($0.reference)"}"#
        }
        let left = remaining ?? (["CANCELLED", "EXPIRED", "CLOSED"].contains(status) ? 0 : amount - capturedAmount)
        let captures = captured.map { #"{"capture_id":"\#($0.0)","captured_amount":\#($0.1),"refunded_amount":0}"# }
        return .http(
            json(
                status: 200,
                """
                {"order_id":"k-1","status":"\(status)","fraud_status":"\(fraud)","order_amount":\(amount),\
                "original_order_amount":\(amount),"captured_amount":\(capturedAmount),"refunded_amount":\(refunded),\
                "remaining_authorized_amount":\(left),"purchase_currency":"EUR","order_lines":\(lines),\
                "captures":[\(captures.joined(separator: ","))],"refunds":[\(refundObjects.joined(separator: ","))],\
                "expires_at":"\(expiresAt)"}
                """))
    }

    /// A capture as GET returns it.
    package static func capture(
        amount: Int, id: String = "3f0c6a2e-5b1d-4c7e-9a8f-2d4e6b8a0c11"
    ) -> RecordingTransport.Answer {
        .http(json(status: 200, #"{"capture_id":"\#(id)","captured_amount":\#(amount),"order_lines":[]}"#))
    }

    static func json(status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: [("Content-Type", "application/json"), ("Klarna-Correlation-Id", "corr-3")],
            body: Array(body.utf8))
    }
}
