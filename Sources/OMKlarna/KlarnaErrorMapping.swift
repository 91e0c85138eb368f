package import OMCore
import OMJSON

/// Turns a non-2xx answer from Klarna into an `OMError` with a stable code.
///
/// Klarna's body `{error_code, error_messages, correlation_id}` gives `klarna_<error_code>`; a body that is not
/// JSON (an HTML 401 page, an empty 503) falls back to a code by HTTP status. The correlation id comes from the body,
/// else from the `Klarna-Correlation-Id` header: Klarna support asks for it.
package enum KlarnaErrorMapping {
    package static func error(for response: HTTPResponse) -> OMError {
        let body = try? JSONObjectReader.read(
            ErrorMessage.self, from: response.body,
            maxDepth: KlarnaClient.answerMaxDepth)
        var messages = body?.errorMessages ?? []
        if let single = body?.errorMessage { messages.append(single) }
        let status = response.status
        let details = KlarnaDetails(
            httpStatus: status, errorCode: body?.errorCode,
            errorMessages: messages.isEmpty ? nil : messages,
            correlationId: body?.correlationId ?? response.header("Klarna-Correlation-Id"))
        let code: OMError.Code
        switch status {
        case 401: code = .klarnaUnauthorized
        default:
            if let klarnaCode = body?.errorCode.flatMap(OMError.Code.klarna) {
                code = klarnaCode
            } else if status == 404 {
                code = .klarnaNotFound
            } else if status == 429 {
                code = .klarnaTooManyRequests
            } else if (500...599).contains(status) {
                code = .klarnaServerError
            } else {
                code = .klarnaHTTPError
            }
        }
        let reason = [details.errorCode, messages.first].compactMap { $0 }.joined(separator: ": ")
        let message =
            status == 401
            ? "Klarna refused the credentials (HTTP 401): check the API username, password, environment and region"
            : "Klarna answered HTTP \(status)" + (reason.isEmpty ? "" : " \(reason)")
        return OMError(
            code, message, klarna: details, retryable: !OMError.Reach.isDefiniteRefusal(status: status),
            reach: OMError.Reach.isDefiniteRefusal(status: status) ? .refused : .unknown)
    }
}
