import FoundationEssentials

/// Turns request text into an `OMRequest`, or into an `OMError` whose message names the offending field.
///
/// Decoding is strict about types and required fields and ignores unknown keys, so that within contract
/// version 1 fields can be added (see `docs/contract.md`, "Versioning").
public enum RequestDecoder {
    /// Decodes and checks a request that arrived at the entry point for `operation`.
    public static func decode(_ text: String, for operation: OrderOperation) throws(OMError) -> OMRequest {
        let data = Data(text.utf8)
        let probe = try decode(VersionProbe.self, from: data)
        guard let version = probe.version else { throw OMError.missingField("version") }
        guard OMRequest.supportedVersions.contains(version) else {
            throw OMError(.unsupportedVersion, "request `version` \(version) is not supported; this library reads version 1",
                          field: "version")
        }
        let request = try decode(OMRequest.self, from: data)
        if let named = request.operation, named != operation {
            throw OMError(.operationMismatch,
                          "request `operation` is \(named.rawValue) but was sent to \(operation.rawValue)",
                          field: "operation")
        }
        if operation == .refund, request.refund == nil {
            throw OMError.missingField("refund")
        }
        return request
    }

    private struct VersionProbe: Decodable {
        var version: Int?
    }

    private static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(OMError) -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw map(error, in: data)
        } catch {
            throw OMError(.internalError, "request could not be decoded")
        }
    }

    /// Maps a `DecodingError` to a stable code and a message built from the field path only: the decoder's own
    /// descriptions can quote input values, and input values may be secrets or personal data.
    static func map(_ error: DecodingError, in data: Data) -> OMError {
        switch error {
        case .keyNotFound(let key, let context):
            return OMError.missingField(path(context.codingPath + [key]))
        case .valueNotFound(_, let context):
            if context.codingPath.isEmpty {
                return OMError(.invalidJSON, "request must be a JSON object")
            }
            let field = path(context.codingPath)
            return OMError(.invalidField, "field `\(field)` must not be null", field: field)
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty {
                return OMError(.invalidJSON, "request must be a JSON object")
            }
            return OMError.invalidField(path(context.codingPath), expected: describe(type))
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            if let cause = context.underlyingError as? OMError {
                return OMError(cause.code, "field `\(field)`: \(cause.message)", field: field)
            }
            if context.codingPath.isEmpty {
                return unplacedFailure(in: data)
            }
            return OMError(.invalidField, "field `\(field)` has a value that is malformed, out of range or not allowed",
                           field: field)
        @unknown default:
            return OMError(.invalidJSON, "request could not be decoded")
        }
    }

    /// The typed decoder reports a number that does not fit an integer field like a syntax error, without a path.
    /// Telling the two apart needs a second, untyped parse; it runs only on this error path.
    private static func unplacedFailure(in data: Data) -> OMError {
        guard let tree = try? JSONDecoder().decode(JSONTree.self, from: data) else {
            return OMError(.invalidJSON, "request is not valid JSON")
        }
        guard let components = tree.firstNonInteger() else {
            return OMError(.invalidField, "request has a value that is malformed or out of range")
        }
        let field = components.reduce("") { path, part in
            part.hasPrefix("[") || path.isEmpty ? path + part : path + "." + part
        }
        return OMError.invalidField(field, expected: "an integer (no fraction, at most 19 digits)")
    }

    /// `order.items[2].item_id` from a coding path; keys go back to the request's snake_case.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += (result.isEmpty ? "" : ".") + snakeCase(key.stringValue)
            }
        }
        return result.isEmpty ? "(request)" : result
    }

    static func snakeCase(_ key: String) -> String {
        var out = ""
        for character in key {
            if character.isUppercase {
                out += "_" + character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: return "an integer"
        case is Bool.Type: return "true or false"
        case is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            return name.hasPrefix("Array") || name.hasPrefix("[") && !name.contains(":") ? "an array" : "an object"
        }
    }
}
