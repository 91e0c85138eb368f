import OMCore
import OMTestSupport
import Testing

/// What `sync` lists for the reconciliation (docs/contract.md, "What sync finds"): WooCommerce's status against
/// Klarna's order as read, by the flows' own rules, each with its fix; nothing when they agree or the status is not
/// given.
@Suite struct DisagreementsTests {
    /// The hoodies order of 105.00 in a WooCommerce status, with WooCommerce's refunds (`gateway`: through Klarna).
    static func order(
        _ status: String?, total: String = "105.00",
        refunds: [(amount: String, gateway: Bool)] = []
    ) throws -> OrderSnapshot {
        var json: [String: Any] = [
            "id": 1, "currency": "EUR", "totals": ["total": total], "klarna": ["order_id": "k"],
            "refunds": refunds.enumerated().map {
                ["id": $0.offset + 1, "amount": $0.element.amount, "refunded_payment": $0.element.gateway]
            },
        ]
        if let status { json["status"] = status }
        return try decodeOrder(json)
    }

    static func klarna(
        _ status: String, authorized: Int64 = 10_500, captured: Int64 = 0, refunded: Int64 = 0,
        remaining: Int64? = nil
    ) -> KlarnaState {
        var state = KlarnaState(source: .read)
        state.status = status
        state.authorized = authorized
        state.captured = captured
        state.refunded = refunded
        state.remaining = remaining ?? (status == "AUTHORIZED" || status == "PART_CAPTURED" ? authorized - captured : 0)
        return state
    }

    static func found(_ order: OrderSnapshot, _ klarna: KlarnaState) throws -> [String] {
        try Disagreements.find(order, klarna: klarna).map { d in
            ([d.code.rawValue, d.fix.rawValue]
                + d.params.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.text($0.value))" })
                .joined(separator: " ")
        }
    }

    static func text(_ param: NoteParam) -> String {
        switch param {
        case .money(let money): String(money.minorUnits)
        case .text(let text): text
        case .integer(let number): String(number)
        case .flag(let flag): String(flag)
        }
    }

    @Test func completedButNothingCapturedIsACaptureWhileKlarnaHoldsTheAuthorization() throws {
        #expect(
            try Self.found(Self.order("completed"), Self.klarna("AUTHORIZED"))
                == ["completed_not_captured capture klarna_status=AUTHORIZED"])
        #expect(
            try Self.found(Self.order("completed"), Self.klarna("EXPIRED"))
                == ["completed_not_captured review klarna_status=EXPIRED"], "nothing can be captured any more")
    }

    @Test func completedButPartCapturedNamesWhatIsNotCaptured() throws {
        #expect(
            try Self.found(Self.order("completed"), Self.klarna("PART_CAPTURED", captured: 5_500))
                == ["completed_part_captured capture uncaptured=5000"])
        // A refund by hand (in cash) lowers what WooCommerce expects captured; one through Klarna does not.
        #expect(
            try Self.found(
                Self.order("completed", refunds: [("50.00", false)]),
                Self.klarna("PART_CAPTURED", captured: 5_500)) == [])
        #expect(
            try Self.found(
                Self.order("completed", refunds: [("50.00", true)]),
                Self.klarna("PART_CAPTURED", captured: 5_500, refunded: 5_000))
                == ["completed_part_captured capture uncaptured=5000"])
    }

    @Test func cancelledOrRefundedWhileKlarnaHoldsMoneyIsARefund() throws {
        for status in ["cancelled", "refunded"] {
            #expect(
                try Self.found(Self.order(status), Self.klarna("CAPTURED", captured: 10_500))
                    == ["money_held refund refundable=10500"])
            // Refunded through Klarna in part, the rest by hand: nothing held. The cancel's own rule.
            #expect(
                try Self.found(
                    Self.order(status, refunds: [("50.00", true), ("55.00", false)]),
                    Self.klarna("CAPTURED", captured: 10_500, refunded: 5_000)) == [])
        }
    }

    @Test func cancelledWithAnAuthorizationLeftIsACancel() throws {
        #expect(
            try Self.found(Self.order("cancelled"), Self.klarna("AUTHORIZED"))
                == ["authorization_open cancel remaining=10500"])
        #expect(
            try Self.found(Self.order("cancelled"), Self.klarna("PART_CAPTURED", captured: 5_500))
                == ["money_held refund refundable=5500", "authorization_open cancel remaining=5000"])
        #expect(try Self.found(Self.order("cancelled"), Self.klarna("CANCELLED", remaining: 0)) == [])
    }

    @Test func anAuthorizationOtherThanTheTotalIsAnUpdateBeforeAnyCapture() throws {
        #expect(
            try Self.found(Self.order("processing"), Self.klarna("AUTHORIZED", authorized: 12_000))
                == ["amount_differs update klarna=12000 woocommerce=10500"])
        #expect(
            try Self.found(Self.order("on-hold", total: "90.00"), Self.klarna("AUTHORIZED"))
                == ["amount_differs update klarna=10500 woocommerce=9000"])
        #expect(
            try Self.found(Self.order("processing"), Self.klarna("PART_CAPTURED", authorized: 12_000, captured: 100))
                == [], "after a capture Klarna's amount cannot be updated: the capture's rules decide")
    }

    @Test func capturedBeyondTheTotalIsForTheMerchantToReview() throws {
        #expect(
            try Self.found(Self.order("completed", total: "90.00"), Self.klarna("CAPTURED", captured: 10_500))
                == ["over_captured review excess=1500"])
        // Klarna refunded the excess in the Merchant Portal (WooCommerce records no gateway refund): nothing beyond.
        #expect(
            try Self.found(
                Self.order("completed", total: "90.00"),
                Self.klarna("CAPTURED", captured: 10_500, refunded: 1_500)) == [])
    }

    @Test func klarnasOrderClosedUnderAStatusThatShipsIsForReview() throws {
        for status in ["CANCELLED", "EXPIRED"] {
            #expect(
                try Self.found(Self.order("processing"), Self.klarna(status, remaining: 0))
                    == ["klarna_order_closed review klarna_status=\(status)"])
        }
    }

    @Test func agreementAndUnknownsListNothing() throws {
        #expect(try Self.found(Self.order("completed"), Self.klarna("CAPTURED", captured: 10_500)) == [])
        #expect(try Self.found(Self.order("processing"), Self.klarna("AUTHORIZED")) == [])
        #expect(
            try Self.found(Self.order(nil), Self.klarna("AUTHORIZED", authorized: 1)) == [], "no status, no comparison")
        var unread = Self.klarna("AUTHORIZED")
        unread.captured = nil
        #expect(try Self.found(Self.order("completed"), unread) == [], "an amount Klarna did not give is not guessed")
    }

    @Test func everyDisagreementHasItsTextInBothLanguagesWithTheSamePlaceholders() throws {
        let keys = Set(NoteCatalog.disagreementTemplates.keys)
        #expect(Set(Disagreement.Code.all.map(\.rawValue)).isSubset(of: keys))
        for (key, texts) in NoteCatalog.disagreementTemplates {
            let english = try #require(texts[.english], "\(key)")
            let vietnamese = try #require(texts[.vietnamese], "\(key)")
            #expect(VocabularyTests.placeholders(english) == VocabularyTests.placeholders(vietnamese), "\(key)")
        }
        let listed = NoteCatalog.listed(
            Disagreement(
                .moneyHeld, fix: .refund,
                params: ["refundable": .money(Money(minorUnits: 10_500, currency: try Currency(code: "EUR")))]),
            language: .english)
        #expect(
            listed.text
                == "The order is Cancelled or Refunded in WooCommerce, but Klarna still holds EUR 105.00 of the customer's money: refund it in WooCommerce (Refund via Klarna)."
        )
        #expect(listed.params["refundable_minor"] == .integer(10_500))
    }

    @Test func everyDisagreementIsInTheContract() {
        for code in Disagreement.Code.all {
            #expect(
                VocabularyTests.contract.contains("| `\(code.rawValue)` |"), "\(code) is not in \"What sync finds\"")
        }
    }
}
