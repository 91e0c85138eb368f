/// Why a JSON document could not be read as the type asked for: where (a field path such as
/// `order.items[2].quantity`, "" for the top level) and what was wrong. Never the value itself: documents carry
/// secrets and personal data. Each caller words it for its own audience (`description` is the plain wording).
package struct JSONReadError: Error, CustomStringConvertible {
    package enum Problem: Sendable {
        /// The text is not JSON, or nests too deep.
        case notJSON(JSONParser.Failure)
        /// A required member is absent.
        case missing
        /// A required member is null.
        case null
        /// The value is of another kind than the one the field takes.
        case wrongType(expected: ValueKind, found: ValueKind)
        /// A number where an integer is expected, with a fraction or an exponent, or too large for `type`.
        case notAnInteger(type: String)
        /// A string that is not one of the values the field allows.
        case notAllowed
        /// A string the field's own parser refused; its error, which names no value either.
        case invalid(any Error)
    }

    /// The kinds of value a message may name.
    package enum ValueKind: Sendable, Equatable {
        case null, boolean, integer, number, string, array, object

        /// As a message names what a field takes: "a string", "true or false".
        package var expected: String {
            switch self {
            case .boolean: "true or false"
            default: found
            }
        }

        /// As a message names what a field held: "a string", "a boolean".
        package var found: String {
            switch self {
            case .null: "null"
            case .boolean: "a boolean"
            case .integer: "an integer"
            case .number: "a number"
            case .string: "a string"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }

    package let path: String
    package let problem: Problem

    package init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    package var description: String {
        let reason =
            switch problem {
            case .notJSON(let failure): "not JSON (\(failure))"
            case .missing: "missing"
            case .null: "null where a value is required"
            case .wrongType(let expected, let found): "expected \(expected.expected), found \(found.found)"
            case .notAnInteger(let type): "expected a whole number that fits \(type)"
            case .notAllowed: "not one of the values allowed"
            case .invalid: "not a valid value"
            }
        return "\(path.isEmpty ? "(top level)" : path): \(reason)"
    }
}
