import Foundation
import OMCore
import OMTestSupport
import Testing

/// Outcome and note codes are one vocabulary in three places: the typed codes, the note templates, and the
/// contract's registry (docs/contract.md, "Outcome codes"). These tests keep them in step.
@Suite struct VocabularyTests {
    static let docs = SandboxServer.root.appendingPathComponent("docs")

    /// The contract, and contract text written for it that is not merged into it yet (docs/contract-pending-*.md,
    /// deleted once it is).
    static let contract: String = {
        let pending = ((try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? [])
            .filter { $0.hasPrefix("contract-pending-") && $0.hasSuffix(".md") }.sorted()
        return (["contract.md"] + pending).compactMap {
            try? String(contentsOf: docs.appendingPathComponent($0), encoding: .utf8)
        }.joined(separator: "\n")
    }()

    /// The outcome registry's rows: the outcome in the first column, every code named in the note column, from every
    /// table with the registry's header ("Outcome codes", and the outcomes a later section adds).
    static let registry: [(outcome: String, notes: [String])] = {
        let header = "| outcome | success | hold | note codes | meaning |"
        let tables = contract.components(separatedBy: header).dropFirst().map {
            $0.components(separatedBy: "\n\n").first ?? ""
        }
        return tables.joined(separator: "\n").split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count > 5, cells[1].hasPrefix("`") else { return nil }
            let codes = { (cell: String) in
                cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }
                    .map { String($0.element) }
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
            #expect(
                documented.contains(code.rawValue) || documented.contains(where: { code.rawValue.hasSuffix($0) }),
                "\(code) is not in the contract's outcome registry")
        }
    }

    @Test func anOutcomeSaysItselfUnlessANoteIsNamedOrItIsASilentSkip() {
        #expect(Outcome(.capture, .captured, success: true).noteCode == .captured)
        #expect(
            Outcome(.capture, .captureRefused, success: false, note: .captureRefusedFraud).noteCode
                == .captureRefusedFraud)
        #expect(Outcome(.capture, .skippedNotKlarna, success: true).noteCode == nil)
        #expect(Outcome(.refund, .refundRefused, success: false).response(locale: "vi").note?.code == "refund_refused")
    }

    @Test func notesAreFilledInOnePassWhateverTheValuesHold() {
        let note = NoteCatalog.note(
            .refundRefused,
            [
                "amount": .text("EUR {klarna_order_id}"), "klarna_order_id": .text("k-1"),
                "klarna_error": .text(" ({amount})"),
            ], language: .english)
        #expect(
            note.text.hasPrefix(
                "Klarna did not refund EUR {klarna_order_id} for order k-1 ({amount}). Nothing was refunded."))
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
