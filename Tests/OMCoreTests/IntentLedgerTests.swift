import OMCore
import OMJSON
import Testing

/// The intent ledger's arithmetic (docs/contract.md, "Exactly once") and how it arrives in a request.
@Suite struct IntentLedgerTests {
    @Test func aDefiniteAnswerAdvancesTheSlotAndAnUnknownOneKeepsIt() {
        let fresh = LedgerEntry()
        #expect(fresh.answered == 0 && fresh.pending == nil)
        let pending = fresh.awaiting("fp-a")
        #expect(pending == LedgerEntry(answered: 0, pending: "fp-a"))
        #expect(pending.awaiting("fp-a") == pending, "the same intent again keeps its mark")
        #expect(pending.advanced == LedgerEntry(answered: 1, pending: nil))
        #expect(LedgerEntry(answered: Int64.max).advanced.answered == Int64.max, "never traps")
    }

    @Test func aPendingIntentKeepsTheSlotsKeyAndAnotherIntentUnderItIsMarked() {
        let pending = LedgerEntry().awaiting("fp-a")
        #expect(
            pending.keyFingerprint(for: "fp-b") == "fp-a", "a retry of anything reuses the unresolved attempt's key")
        #expect(
            LedgerEntry().keyFingerprint(for: "fp-b") == "fp-b", "with nothing pending, each intent has its own key")
        let both = pending.awaiting("fp-b")
        #expect(both == LedgerEntry(answered: 0, pending: "fp-a", mixed: true))
        #expect(both.mayReplayAnother(than: "fp-a"), "fp-b went out under fp-a's key: an answer may be either's")
        #expect(both.mayReplayAnother(than: "fp-b"))
        #expect(both.awaiting("fp-a").mixed)
        #expect(!pending.mayReplayAnother(than: "fp-a"))
        #expect(pending.mayReplayAnother(than: "fp-b"))
        #expect(!LedgerEntry().mayReplayAnother(than: "fp-a"))
        #expect(both.advanced == LedgerEntry(answered: 1))
    }

    @Test func theLedgerIsReadFromTheSnapshotsMetaAndUnknownOperationsAreIgnored() throws {
        let json =
            #"{"capture":{"answered":2,"pending":"abc","mixed":true},"refund":{"answered":5},"update":{},"shipping":{"answered":9}}"#
        let ledger = try JSONObjectReader.read(IntentLedger.self, from: Array(json.utf8), maxDepth: 2)
        #expect(ledger[.capture] == LedgerEntry(answered: 2, pending: "abc", mixed: true))
        #expect(ledger[.refund] == LedgerEntry(answered: 5))
        #expect(ledger[.update] == LedgerEntry(), "an entry without answered counts as 0, as the contract says")
        #expect(ledger[.cancel] == LedgerEntry())
        #expect(ledger.entries.count == 3)
    }

    @Test func theOperationsBudgetIsBounded() {
        func config(_ timeout: Int?, connect: Int? = nil) -> KlarnaConfig {
            KlarnaConfig(
                environment: .playground, username: "u", password: "p", connectTimeoutMs: connect, timeoutMs: timeout)
        }
        #expect(config(nil).budgetMs == 20_000)
        #expect(config(5_000).budgetMs == 5_000)
        #expect(config(Int.max).budgetMs == 60_000)
        #expect(config(-5).budgetMs == 1)
        #expect(config(2_000, connect: 9_000).connectBudgetMs == 2_000, "a connection never outlasts the operation")
    }

    @Test func refundsAddUpExactlyFromTheirDecimalStrings() throws {
        let json = #"""
            {"id":1,"currency":"SEK","totals":{"total":"0.30"},"payment_method":"kco",
             "refunds":[{"id":7,"amount":"0.10","refunded_payment":true},{"id":8,"amount":"0.20"},{"id":9,"amount":"-0.05"}]}
            """#
        let order = try JSONObjectReader.read(OrderSnapshot.self, from: Array(json.utf8), maxDepth: 3)
        #expect(try order.refundedMinorUnits() == 35)
        #expect(try order.refundedMinorUnits(excluding: 8) == 15)
        #expect(try order.refundedMinorUnits(gatewayOnly: true) == 10)
    }
}
