import Foundation
import OMCore
import OMTestSupport
import Testing

/// Outcome and note codes are one vocabulary in three places: the typed codes, the note templates, and the
/// contract's registry (docs/contract.md, "Outcome codes"). These tests keep them in step.
@Suite struct VocabularyTests {
    static let contract = (try? String(contentsOf: SandboxServer.root.appendingPathComponent("docs/contract.md"),
                                       encoding: .utf8)) ?? ""

    /// The outcome registry's rows: the outcome in the first column, every code named in the note column.
    static let registry: [(outcome: String, notes: [String])] = {
        guard let start = contract.range(of: "## Outcome codes") else { return [] }
        let table = contract[start.upperBound...].components(separatedBy: "\n## ").first ?? ""
        return table.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 5, cells[1].hasPrefix("`") else { return nil }
            let codes = { (cell: String) in
                cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            }
            return (codes(cells[1]).first ?? "", codes(cells[4]))
        }
    }()

    @Test func everyOutcomeIsInTheContractAndEveryContractOutcomeIsTyped() {
        let documented = Set(Self.registry.map(\.outcome))
        #expect(!documented.isEmpty)
        #expect(Set(OutcomeCode.all.map(\.rawValue)) == documented)
    }

    @Test func everyNoteHasItsTemplatesInBothLanguagesWithTheSamePlaceholders() throws {
        #expect(Set(NoteCatalog.templates.keys) == Set(NoteCode.all))
        for code in NoteCode.all {
            let english = try #require(NoteCatalog.templates[code]?[.english], "\(code) has no English note")
            let vietnamese = try #require(NoteCatalog.templates[code]?[.vietnamese], "\(code) has no Vietnamese note")
            #expect(Self.placeholders(english) == Self.placeholders(vietnamese), "\(code)")
        }
    }

    @Test func everyNoteTheCoreWritesIsNamedInTheContract() {
        let documented = Set(Self.registry.flatMap(\.notes))
        for code in NoteCode.all where code != .notProcessed {
            #expect(documented.contains(code.rawValue) || documented.contains(where: { code.rawValue.hasSuffix($0) }),
                    "\(code) is not in the contract's outcome registry")
        }
    }

    @Test func anOutcomeSaysItselfUnlessANoteIsNamedOrItIsASilentSkip() {
        #expect(Outcome(.capture, .captured, success: true).noteCode == .captured)
        #expect(Outcome(.capture, .captureRefused, success: false, note: .captureRefusedFraud).noteCode == .captureRefusedFraud)
        #expect(Outcome(.capture, .skippedNotKlarna, success: true).noteCode == nil)
        #expect(Outcome(.refund, .refundRefused, success: false).response(locale: "vi").note?.code == "refund_refused")
    }

    @Test func notesAreFilledInOnePassWhateverTheValuesHold() {
        let note = NoteCatalog.note(.refundRefused, ["amount": .text("EUR {klarna_order_id}"), "klarna_order_id": .text("k-1"),
                                                     "klarna_error": .text(" ({amount})")], language: .english)
        #expect(note.text == "Klarna did not refund EUR {klarna_order_id} for order k-1 ({amount}). Nothing was refunded.")
    }

    static func placeholders(_ template: String) -> Set<String> {
        var names: Set<String> = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
