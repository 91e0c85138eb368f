import OMCore
import OMJSON
import Testing

/// Review (branch wt-review): the ledger as docs/contract.md describes it. "answered | integer | how many intents of
/// this operation Klarna has definitely answered on this order (0 when absent)"; php-glue's Ledger.php sends an empty
/// entry as `{}`. The reader requires `answered`, so such a request is refused (`missing_field`) before anything runs:
/// a status change is put On hold "could not run", a refund fails.
@Suite struct ReviewLedgerTests {
    @Test func anEntryWithoutAnsweredCountsAsZeroAsTheContractSays() throws {
        let json = #"{"refund":{},"capture":{"pending":"abc"}}"#
        let ledger = try JSONObjectReader.read(IntentLedger.self, from: Array(json.utf8), maxDepth: 2)
        #expect(ledger[.refund] == LedgerEntry(answered: 0))
        #expect(ledger[.capture] == LedgerEntry(answered: 0, pending: "abc"))
    }
}
