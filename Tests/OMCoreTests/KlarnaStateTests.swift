import Foundation
import OMCore
import OMJSON
import Testing

/// The `state` a response carries: what each operation establishes, applied to what the core knew, and nothing it
/// does not know; stored by the plugin and read back as `order.meta.state`.
@Suite struct KlarnaStateTests {
    static var known: KlarnaState {
        var state = KlarnaState(source: .read)
        state.readAt = "2030-01-01T00:00:00Z"
        state.status = "AUTHORIZED"
        state.authorized = 10_500
        state.captured = 0
        state.refunded = 0
        state.remaining = 10_500
        state.captures = []
        state.refunds = []
        state.expiresAt = "2030-01-29T00:00:00Z"
        return state
    }

    @Test func capturesAddThemselvesAndSetTheStatusByTheAmounts() {
        let tracking = ShippingInfo(shippingCompany: "DHL", trackingNumber: "1")
        let part = Self.known.applying(.captured(id: "c-1", amount: 5_500, shippingInfo: [tracking]))
        #expect(part.captured == 5_500 && part.remaining == 5_000 && part.status == "PART_CAPTURED")
        #expect(part.captures == [KlarnaState.CaptureRecord(id: "c-1", amount: 5_500, shippingInfo: [tracking])])
        #expect(part.readAt == "2030-01-01T00:00:00Z" && part.expiresAt == "2030-01-29T00:00:00Z", "kept")
        let all = part.applying(.captured(id: "c-2", amount: 5_000, shippingInfo: []))
        #expect(all.status == "CAPTURED" && all.remaining == 0 && all.captures?.last?.shippingInfo == nil)
    }

    @Test func whatAnOperationLeavesOpenBecomesUnknown() {
        // Nothing stored: a capture knows itself, not Klarna's totals or status.
        let bare = KlarnaState(source: .derived).applying(.captured(id: "c-1", amount: 100, shippingInfo: []))
        #expect(bare.captures?.count == 1 && bare.captured == nil && bare.remaining == nil && bare.status == nil)
        #expect(Self.known.applying(.released).status == nil && Self.known.applying(.released).remaining == 0)
        #expect(Self.known.applying(.extended).expiresAt == nil)
        var uncaptured = Self.known
        uncaptured.captured = nil
        #expect(uncaptured.applying(.updated(amount: 9_000)).authorized == 9_000)
        #expect(uncaptured.applying(.updated(amount: 9_000)).remaining == nil)
        #expect(Self.known.applying(.updated(amount: 9_000)).remaining == 9_000)
        let cancelled = Self.known.applying(.cancelled)
        #expect(cancelled.status == "CANCELLED" && cancelled.remaining == 0)
        let refunded = Self.known.applying(.refunded(id: "r-1", amount: 2_500))
        #expect(refunded.refunded == 2_500 && refunded.status == "AUTHORIZED" && refunded.refunds?.first?.id == "r-1")
        // A stored amount at the end of the range (the request is input): unknown, never a trap.
        var edge = Self.known
        edge.captured = .max
        edge.remaining = .min
        let after = edge.applying(.captured(id: "c", amount: 1, shippingInfo: []))
        #expect(after.captured == nil && after.remaining == nil && after.status == nil)
    }

    @Test func theStateIsReadBackAsItWasWritten() throws {
        var state = Self.known.applying(
            .captured(
                id: "c-1", amount: 5_500,
                shippingInfo: [
                    ShippingInfo(
                        shippingCompany: "DHL", shippingMethod: "Home", trackingNumber: "JJD01",
                        trackingUri: "https://t/1")
                ]))
        state.klarnaOrderId = "k-1"
        state.portalURL = "https://portal.klarna.com"
        let bytes = JSONWriter.write(state.json)
        let read = try JSONObjectReader.read(KlarnaState.self, from: bytes, maxDepth: 32)
        #expect(read == state)
        #expect(!String(decoding: bytes, as: UTF8.self).contains("null"), "unknown fields are left out")
        let withoutSource = try JSONObjectReader.read(
            KlarnaState.self, from: Array(#"{"status":"CAPTURED"}"#.utf8), maxDepth: 8)
        #expect(withoutSource.source == .derived && withoutSource.status == "CAPTURED")
    }

    @Test func aStoredStateOfTheWrongShapeIsRefusedByField() {
        let request = validRequest.replacingOccurrences(
            of: #""meta":{"#, with: #""meta":{"state":{"captured":"5500"},"#)
        let error = decodingError(request)
        #expect(error?.code == .invalidField && error?.field == "order.meta.state.captured")
    }

    @Test func theMerchantPortalOfEachEnvironment() {
        func config(
            _ environment: KlarnaConfig.Environment, _ region: KlarnaConfig.Region? = nil,
            _ domain: KlarnaConfig.Domain? = nil
        ) -> KlarnaConfig {
            KlarnaConfig(environment: environment, region: region, domain: domain, username: "u", password: "p")
        }
        #expect(config(.production).merchantPortalURL == "https://portal.klarna.com")
        #expect(config(.production, .na).merchantPortalURL == "https://portal.klarna.com")
        #expect(config(.playground, .oc).merchantPortalURL == "https://portal.playground.klarna.com")
        #expect(config(.sandbox).merchantPortalURL == nil)
        #expect(config(.production, nil, .kustom).merchantPortalURL == nil)
        #expect(config(.production).resolvedRegion == .eu && config(.playground, .na).resolvedRegion == .na)
        #expect(config(.sandbox, .na).resolvedRegion == nil)
    }

    @Test func timesInUTC() {
        #expect(UTCTimestamp.iso8601(secondsSinceEpoch: 0) == "1970-01-01T00:00:00Z")
        #expect(UTCTimestamp.iso8601(secondsSinceEpoch: 951_827_696) == "2000-02-29T12:34:56Z")
        #expect(UTCTimestamp.iso8601(secondsSinceEpoch: -1) == "1969-12-31T23:59:59Z")
        #expect(UTCTimestamp.iso8601(secondsSinceEpoch: 4_102_444_800) == "2100-01-01T00:00:00Z")
        for seconds in stride(from: Int64(-5_000_000_000), through: 5_000_000_000, by: 86_399 * 997) {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            #expect(
                UTCTimestamp.iso8601(secondsSinceEpoch: seconds)
                    == formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))))
        }
        #expect(UTCTimestamp.noteText("2025-08-05T00:00:00.000Z") == "2025-08-05 00:00 UTC")
        #expect(UTCTimestamp.noteText("2025-08-05T13:45:00+00:00") == "2025-08-05 13:45 UTC")
        #expect(UTCTimestamp.noteText("2025-08-05T13:45:00+02:00") == "2025-08-05T13:45:00+02:00")
        #expect(UTCTimestamp.noteText("soon") == "soon" && UTCTimestamp.noteText("") == "")
    }
}
