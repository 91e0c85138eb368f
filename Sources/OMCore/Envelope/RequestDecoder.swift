import OMJSON

/// Turns a request's bytes into an `OMRequest`, or into an `OMError` whose message names the offending field, with
/// the checks of docs/contract.md ("Limits and checks, in order").
///
/// The text is parsed once (grammar, UTF-8, nesting) and the request types read their members from it
/// (`init(json:)`): strictly typed, ignoring unknown keys, so that within contract version 1 fields can be added.
package enum RequestDecoder {
    /// Requests larger than this are refused. Klarna itself refuses bodies over 1 MB.
    package static let maxBytes = 1 << 20
    /// Deeper JSON is refused; a real request nests about 5 levels.
    package static let maxDepth = 32

    /// Decodes and checks a request that arrived at the entry point for `operation`.
    package static func decode(_ text: String, for operation: OrderOperation) throws(OMError) -> OMRequest {
        try decode(Array(text.utf8), for: operation)
    }

    /// Decodes and checks a request that arrived at the entry point for `operation`.
    package static func decode(_ bytes: [UInt8], for operation: OrderOperation) throws(OMError) -> OMRequest {
        let json = try open(bytes, maxBytes: maxBytes, maxDepth: maxDepth, document: "request")
        let request: OMRequest
        do {
            request = try OMRequest(json: json)
        } catch {
            throw fieldError(error)
        }
        if let named = request.operation, named != operation {
            throw OMError(
                .operationMismatch,
                "request `operation` is \(named.rawValue) but was sent to \(operation.rawValue)",
                field: "operation")
        }
        if operation == .refund, request.refund == nil {
            throw OMError.missingField("refund")
        }
        return request
    }

    /// Opens a document of the contract (a request, or a batch of them, named by `document` in messages) with the
    /// first checks of "Limits and checks, in order": its size, its text (UTF-8, nesting, JSON, an object), its
    /// `version`. A document of another version is refused before anything else in it is read.
    static func open(
        _ bytes: [UInt8], maxBytes: Int, maxDepth: Int, document: String
    ) throws(OMError)
        -> JSONObjectReader
    {
        guard bytes.count <= maxBytes else {
            throw OMError(.requestTooLarge, "\(document) is larger than \(maxBytes) bytes")
        }
        let parsed: JSONDocument
        do {
            parsed = try JSONParser.parse(bytes, maxDepth: maxDepth)
        } catch {
            throw refusal(error, of: bytes, maxDepth: maxDepth, document: document)
        }
        let json: JSONObjectReader
        let version: Int?
        do {
            json = try JSONObjectReader(parsed)
            version = try json.int("version")
        } catch {
            throw fieldError(error, document: document)
        }
        guard let version else { throw OMError.missingField("version") }
        guard OMRequest.supportedVersions.contains(version) else {
            throw OMError(
                .unsupportedVersion,
                "\(document) `version` \(version) is not supported; this library reads version 1",
                field: "version")
        }
        return json
    }

    /// Why the parser refused the text, in the contract's order: not UTF-8 (anywhere in it), then nested too deep,
    /// then not JSON. A text the parser accepts is UTF-8, so only a refused one is checked again.
    static func refusal(_ failure: JSONParser.Failure, of bytes: [UInt8], maxDepth: Int, document: String) -> OMError {
        if String(validating: bytes, as: UTF8.self) == nil {
            return OMError(.invalidUTF8, "\(document) is not valid UTF-8")
        }
        if failure.kind == .tooDeep {
            return OMError(.nestingTooDeep, "\(document) nests deeper than \(maxDepth) levels")
        }
        return OMError(.invalidJSON, "\(document) is not valid JSON")
    }

    /// The contract's error for a member that could not be read. Messages are built from the field path only: the
    /// values may be secrets or personal data.
    static func fieldError(_ error: JSONReadError, document: String = "request") -> OMError {
        let field = error.path
        if field.isEmpty { return OMError(.invalidJSON, "\(document) must be a JSON object") }
        switch error.problem {
        case .missing:
            return OMError.missingField(field)
        case .null, .wrongType(expected: _, found: .null):
            return OMError(.invalidField, "field `\(field)` must not be null", field: field)
        case .wrongType(let expected, found: _):
            return OMError.invalidField(field, expected: expected.expected)
        case .notAnInteger:
            return OMError.invalidField(field, expected: "an integer (no fraction, at most 19 digits)")
        case .invalid(let cause as OMError):
            return OMError(cause.code, "field `\(field)`: \(cause.message)", field: field)
        case .notAllowed, .invalid, .notJSON:
            return OMError(
                .invalidField, "field `\(field)` has a value that is malformed, out of range or not allowed",
                field: field)
        }
    }
}
