import OMCore

/// When and how soon a failed request to Klarna is sent again. The whole policy lives here.
///
/// Only requests that are safe to repeat are retried: GETs, and POST/PATCH that carry an idempotency key (every
/// mutation this client sends does). Only failures that may pass are retried: transport failures (timeout, refused,
/// broken connection), 409, 429 and 5xx. A 4xx answer is Klarna's decision and is never retried. Retries reuse the
/// same idempotency key and stay inside the operation's time budget.
package struct RetryPolicy: Sendable {
    /// Retries after the first attempt.
    package var maxRetries: Int
    /// Backoff before retry n is between half and all of `min(maxDelayMs, baseDelayMs × 2^(n−1))`.
    package var baseDelayMs: Int
    package var maxDelayMs: Int

    package init(maxRetries: Int = 2, baseDelayMs: Int = 200, maxDelayMs: Int = 2_000) {
        self.maxRetries = maxRetries
        self.baseDelayMs = baseDelayMs
        self.maxDelayMs = maxDelayMs
    }

    /// Whether a request with this method, idempotency key and failure may be sent again.
    package static func isRetryable(
        method: HTTPRequest.Method, hasIdempotencyKey: Bool, status: Int?,
        transportError: Bool
    ) -> Bool {
        guard method == .get || hasIdempotencyKey else { return false }
        if transportError { return true }
        guard let status, !(200...299).contains(status) else { return false }
        return !OMError.Reach.isDefiniteRefusal(status: status)
    }

    /// The pause before retry `retry` (1-based): exponential, capped, with jitter so that many shops retrying
    /// after one Klarna hiccup do not arrive together.
    package func delayMs(beforeRetry retry: Int, using random: inout some RandomNumberGenerator) -> Int {
        let exponent = min(max(retry - 1, 0), 20)
        let ceiling = min(maxDelayMs, baseDelayMs.multipliedReportingOverflow(by: 1 << exponent).partialValue)
        guard ceiling > 1 else { return max(ceiling, 0) }
        return ceiling / 2 + Int.random(in: 0...(ceiling - ceiling / 2), using: &random)
    }
}
