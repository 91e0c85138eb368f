/// One JSON value as a tree: what a written document is built as (`JSONWritable`, written by `JSONWriter`), and
/// what a parsed document looks like as a whole (`JSONDocument.root`).
///
/// Numbers keep their literal text, so an amount never passes through `Double`. Object members keep their order.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's literal, e.g. `-12`, `0.5`, `1e3`; valid by RFC 8259's grammar.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(name: String, value: JSONValue)])

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.name == $1.name && $0.value == $1.value }
        default: return false
        }
    }
}
