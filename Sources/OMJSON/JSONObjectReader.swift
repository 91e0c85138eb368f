/// A type read from one JSON object, member by member, through a `JSONObjectReader`.
package protocol JSONReadable {
    init(json: JSONObjectReader) throws(JSONReadError)
}

/// Typed, explicit reading of one object's members, for the readable types' `init(json:)`.
///
/// A missing or `null` member reads as nil (`required` makes either an error); unknown members are ignored, so
/// fields can be added to a format without breaking its readers. A member of the wrong kind is an error that names
/// its field path. Integers come from the number's text, exactly: `12.0`, `1e3` or an out-of-range value is an
/// error, never a rounded amount. The first problem met ends the read, so a type reads its members in the order
/// its errors should be reported.
package struct JSONObjectReader {
    private let document: JSONDocument
    /// The object's token in `document`.
    private let token: Int
    /// Where this object sits (`order.items[2]`); "" for the top level.
    package let path: String

    private init(_ document: JSONDocument, token: Int, path: String) {
        self.document = document
        self.token = token
        self.path = path
    }

    /// The document's top-level value, which must be an object.
    package init(_ document: JSONDocument) throws(JSONReadError) {
        guard document.kind(at: 0) == .object else {
            throw JSONReadError(
                path: "", problem: .wrongType(expected: .object, found: Self.kind(document.kind(at: 0))))
        }
        self.init(document, token: 0, path: "")
    }

    /// Parses `bytes`, nested at most `maxDepth` levels, and reads a `T` from the object they hold.
    package static func read<T: JSONReadable>(
        _ type: T.Type, from bytes: [UInt8], maxDepth: Int
    )
        throws(JSONReadError) -> T
    {
        let document: JSONDocument
        do {
            document = try JSONParser.parse(bytes, maxDepth: maxDepth)
        } catch {
            throw JSONReadError(path: "", problem: .notJSON(error))
        }
        return try T(json: JSONObjectReader(document))
    }

    // MARK: - Members

    package func string(_ name: String) throws(JSONReadError) -> String? {
        try member(name, .string, expected: .string).map(document.string(at:))
    }

    package func bool(_ name: String) throws(JSONReadError) -> Bool? {
        guard let value = document.member(of: token, named: name) else { return nil }
        switch document.kind(at: value) {
        case .null: return nil
        case .true: return true
        case .false: return false
        case let other: throw error(at: childPath(name), .wrongType(expected: .boolean, found: Self.kind(other)))
        }
    }

    /// An integer that fits `T`, from a JSON number without fraction or exponent.
    package func integer<T: FixedWidthInteger>(_ name: String) throws(JSONReadError) -> T? {
        guard let value = try member(name, .number, expected: .integer) else { return nil }
        guard let number = document.integer(at: value, as: T.self) else {
            throw error(at: childPath(name), .notAnInteger(type: "\(T.self)"))
        }
        return number
    }

    package func int64(_ name: String) throws(JSONReadError) -> Int64? {
        try integer(name)
    }

    package func int(_ name: String) throws(JSONReadError) -> Int? {
        try integer(name)
    }

    /// A string naming one of `T`'s values.
    package func value<T: RawRepresentable>(_ name: String) throws(JSONReadError) -> T? where T.RawValue == String {
        guard let text = try string(name) else { return nil }
        guard let value = T(rawValue: text) else { throw error(at: childPath(name), .notAllowed) }
        return value
    }

    /// A string turned into a `T` by `parse`; what `parse` throws is the problem, at this member's path.
    package func parsed<T, Failure: Error>(
        _ name: String, by parse: (String) throws(Failure) -> T
    )
        throws(JSONReadError) -> T?
    {
        guard let text = try string(name) else { return nil }
        do {
            return try parse(text)
        } catch {
            throw self.error(at: childPath(name), .invalid(error))
        }
    }

    package func object<T: JSONReadable>(_ name: String) throws(JSONReadError) -> T? {
        guard let value = try member(name, .object, expected: .object) else { return nil }
        return try T(json: JSONObjectReader(document, token: value, path: childPath(name)))
    }

    /// An array of objects.
    package func objects<T: JSONReadable>(_ name: String) throws(JSONReadError) -> [T]? {
        try array(name) { (item, path) throws(JSONReadError) in
            guard document.kind(at: item) == .object else {
                throw error(at: path, .wrongType(expected: .object, found: Self.kind(document.kind(at: item))))
            }
            return try T(json: JSONObjectReader(document, token: item, path: path))
        }
    }

    /// An array of objects read one by one: each item's own result, so that a malformed item stops only itself.
    /// Throws only when the member is not an array.
    package func eachObject<T: JSONReadable>(_ name: String) throws(JSONReadError) -> [Result<T, JSONReadError>]? {
        try array(name) { (item, path) throws(JSONReadError) in
            Result { () throws(JSONReadError) in
                guard document.kind(at: item) == .object else {
                    throw error(at: path, .wrongType(expected: .object, found: Self.kind(document.kind(at: item))))
                }
                return try T(json: JSONObjectReader(document, token: item, path: path))
            }
        }
    }

    /// An object member's text exactly as it was sent, brackets included: for a document that carries another one
    /// its reader reads on its own (a batch carries whole requests).
    package func rawObject(_ name: String) throws(JSONReadError) -> [UInt8]? {
        try member(name, .object, expected: .object).map { Array(document.text(of: $0)) }
    }

    /// An array of strings.
    package func strings(_ name: String) throws(JSONReadError) -> [String]? {
        try array(name) { (item, path) throws(JSONReadError) in
            guard document.kind(at: item) == .string else {
                throw error(at: path, .wrongType(expected: .string, found: Self.kind(document.kind(at: item))))
            }
            return document.string(at: item)
        }
    }

    /// The names of this object's members, in the order they were sent: for objects keyed by data rather than by
    /// field names.
    package var memberNames: [String] {
        var names: [String] = []
        var name = token + 1  // a member is a name token followed by its value's tokens
        while name < document.tokens[token].next {
            names.append(document.string(at: name))
            name = document.tokens[name + 1].next
        }
        return names
    }

    /// A member that must be present and not null, read by `read` (one of the readers above).
    package func required<T>(_ name: String, _ read: (String) throws(JSONReadError) -> T?) throws(JSONReadError) -> T {
        if let value = try read(name) { return value }
        throw error(at: childPath(name), document.member(of: token, named: name) == nil ? .missing : .null)
    }

    // MARK: - Helpers

    /// The token of the member's value when it has the `kind` wanted; nil when it is missing or null.
    private func member(
        _ name: String, _ kind: JSONDocument.Token.Kind, expected: JSONReadError.ValueKind
    )
        throws(JSONReadError) -> Int?
    {
        guard let value = document.member(of: token, named: name) else { return nil }
        switch document.kind(at: value) {
        case .null: return nil
        case kind: return value
        case let other: throw error(at: childPath(name), .wrongType(expected: expected, found: Self.kind(other)))
        }
    }

    /// Each item of an array member, read by `item` with its token and its path (`items[2]`).
    private func array<T>(
        _ name: String, _ item: (Int, String) throws(JSONReadError) -> T
    ) throws(JSONReadError)
        -> [T]?
    {
        guard let array = try member(name, .array, expected: .array) else { return nil }
        var result: [T] = []
        var (child, index) = (array + 1, 0)
        while child < document.tokens[array].next {
            result.append(try item(child, childPath(name) + "[\(index)]"))
            (child, index) = (document.tokens[child].next, index + 1)
        }
        return result
    }

    private func childPath(_ name: String) -> String {
        path.isEmpty ? name : path + "." + name
    }

    private func error(at path: String, _ problem: JSONReadError.Problem) -> JSONReadError {
        JSONReadError(path: path, problem: problem)
    }

    private static func kind(_ kind: JSONDocument.Token.Kind) -> JSONReadError.ValueKind {
        switch kind {
        case .null: .null
        case .true, .false: .boolean
        case .number: .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }
}
