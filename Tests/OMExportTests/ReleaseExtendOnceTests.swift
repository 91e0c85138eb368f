import Foundation
import OMTestSupport
import Testing

/// Release and extend are POSTs like any other, with ledger entries of their own: through the C ABI against the
/// Klarna sandbox, an attempt whose outcome is unknown goes out again under the same key (so Klarna acts once), and
/// the next intent after a definite answer gets a new one.
@Suite struct ReleaseExtendOnceTests {
    /// The idempotency keys of the POSTs to `suffix` on this order, oldest first.
    static func keys(_ sandbox: SandboxServer, _ order: WooCommerceOrder, _ suffix: String) throws -> [String] {
        try sandbox.requests(for: order.klarnaOrderId)
            .filter { ($0["method"] as? String) == "POST" && ($0["path"] as? String ?? "").hasSuffix(suffix) }
            .compactMap { $0["idempotency_key"] as? String }
    }

    static func entry(_ order: WooCommerceOrder, _ operation: String) -> [String: Any] {
        order.ledger[operation] as? [String: Any] ?? [:]
    }

    /// One hoodie shipped and captured: the order is part-captured, what Klarna may release.
    static func partCaptured() throws -> (WooCommerceOrder, SandboxServer) {
        var (order, sandbox) = try ExactlyOnceTests.shop()
        let shipped = try order.act("capture", capture: ["items": [["item_id": 11, "quantity": 1]]])
        #expect(shipped["outcome"] as? String == "captured")
        return (order, sandbox)
    }

    @Test func aReleaseWhoseOutcomeIsUnknownIsRetriedUnderTheSameKey() throws {
        var (order, sandbox) = try Self.partCaptured()
        try sandbox.injectFaults(
            for: order.klarnaOrderId, ["fail_next": ["count": 3, "status": 503, "retry_after": 0]])
        let failed = try order.act("release")
        #expect(failed["outcome"] as? String == "release_failed")
        #expect(Self.entry(order, "release")["pending"] as? String == "release")
        #expect(try sandbox.order(order.klarnaOrderId)["status"] as? String == "PART_CAPTURED", "nothing released yet")

        let released = try order.act("release")
        #expect(released["outcome"] as? String == "released", "\(released)")
        #expect(Self.entry(order, "release")["answered"] as? Int == 1 && Self.entry(order, "release")["pending"] == nil)
        let keys = try Self.keys(sandbox, order, "/release-remaining-authorization")
        #expect(keys.count == 4 && Set(keys).count == 1, "three failed attempts and the retry, one key: \(keys)")
        let klarna = try sandbox.order(order.klarnaOrderId)
        #expect(klarna["remaining_authorized_amount"] as? Int == 0 && klarna["status"] as? String == "CLOSED")

        // The slot is spent: asking again is a new intent, under a new key, which Klarna refuses (nothing left).
        let again = try order.act("release")
        #expect(again["outcome"] as? String == "release_refused")
        #expect((again["note"] as? [String: Any])?["code"] as? String == "release_refused_nothing_left")
        let all = try Self.keys(sandbox, order, "/release-remaining-authorization")
        #expect(all.count == 5 && Set(all).count == 2)
    }

    @Test func aReleaseWhoseAnswerWasLostIsMadeOnce() throws {
        var (order, sandbox) = try Self.partCaptured()
        try sandbox.injectFaults(for: order.klarnaOrderId, ["drop_next_mutating": 1])
        let released = try order.act("release")
        #expect(released["outcome"] as? String == "released", "\(released)")
        let posts = try sandbox.requests(for: order.klarnaOrderId)
            .filter { ($0["path"] as? String ?? "").hasSuffix("/release-remaining-authorization") }
        #expect(posts.count == 2 && posts.last?["replayed"] as? Bool == true, "the retry got Klarna's stored answer")
        #expect(Set(posts.compactMap { $0["idempotency_key"] as? String }).count == 1)
    }

    @Test func anExtensionWhoseOutcomeIsUnknownIsRetriedUnderTheSameKey() throws {
        var (order, sandbox) = try ExactlyOnceTests.shop()
        try sandbox.injectFaults(
            for: order.klarnaOrderId, ["fail_next": ["count": 3, "status": 500, "retry_after": 0]])
        let failed = try order.act("extend")
        #expect(failed["outcome"] as? String == "extend_failed")
        #expect(Self.entry(order, "extend")["pending"] as? String == "extend")
        #expect(failed["state"] == nil, "nothing learnt: the stored state stays")

        let extended = try order.act("extend")
        #expect(extended["outcome"] as? String == "extended", "\(extended)")
        #expect(
            (extended["state"] as? [String: Any])?["expires_at"] as? String
                == (try sandbox.order(order.klarnaOrderId))["expires_at"] as? String)
        let keys = try Self.keys(sandbox, order, "/extend-authorization-time")
        #expect(keys.count == 4 && Set(keys).count == 1, "\(keys)")

        // Another extension is another intent: a new key, and Klarna extends again.
        let next = try order.act("extend")
        #expect(next["outcome"] as? String == "extended")
        #expect(Self.entry(order, "extend")["answered"] as? Int == 2)
        #expect(Set(try Self.keys(sandbox, order, "/extend-authorization-time")).count == 2)
    }
}
