/// A type read from one JSON object of Klarna's answers.
public protocol JSONReadable {
    init(json: JSONObjectReader) throws(JSONReadError)
}

/// Why an answer could not be read: where (a field path such as `order_lines[0].quantity`) and what was wrong.
/// Never the value itself: answers carry personal data.
public struct JSONReadError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let problem: String
    public var description: String { "\(path.isEmpty ? "(answer)" : path): \(problem)" }
}

/// Typed, explicit reading of one object's members, for the read models' `init(json:)`.
///
/// Why not `Decodable`: on a cold call, which every WooCommerce request is, decoding Klarna's order through Codable
/// cost ~45 µs of the client's time (`scripts/bench`). Missing and `null` members read as nil; unknown members are
/// ignored; a member of the wrong type is an error. Integers come from the number's text, exactly: `12.0`, `1e3` or
/// an out-of-range value is an error, never a rounded amount.
public struct JSONObjectReader {
    private let document: JSONDocument
    /// The object's token in `document`.
    private let token: Int
    /// Where this object sits, in parts; `path` joins them only when an error needs it.
    private let parentPath: String
    private let name: String
    private let index: Int?
    private let cursor: Cursor

    /// Where the next member lookup starts, shared by all readers of one answer (one allocation per answer, not
    /// per object). Klarna sends members in the order the models read them, so each lookup starts after the last
    /// match. A position counts only for the object it was recorded in: it is always a member name of that object.
    private final class Cursor {
        var object = -1
        var nameToken = 0
    }

    private init(_ document: JSONDocument, token: Int, parentPath: String, name: String, index: Int?,
                 cursor: Cursor) throws(JSONReadError) {
        self.document = document
        self.token = token
        self.parentPath = parentPath
        self.name = name
        self.index = index
        self.cursor = cursor
        guard document.kind(at: token) == .object else {
            throw JSONReadError(path: path, problem: "expected an object, found \(Self.describe(document.kind(at: token)))")
        }
    }

    /// Where this object sits in the answer (a field path such as `order_lines[0]`); "" for the answer itself.
    public var path: String {
        let member = parentPath.isEmpty || name.isEmpty ? name : parentPath + "." + name
        return index.map { member + "[\($0)]" } ?? member
    }

    /// Parses `bytes` and reads a `T` from the object they hold.
    public static func read<T: JSONReadable>(_ type: T.Type, from bytes: [UInt8]) throws(JSONReadError) -> T {
        let document: JSONDocument
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw JSONReadError(path: "", problem: "not JSON (\(error))")
        }
        return try T(json: JSONObjectReader(document, token: 0, parentPath: "", name: "", index: nil, cursor: Cursor()))
    }

    /// The member's value token and the name token after it, or nil when it is missing.
    private func find(_ name: String) -> (value: Int, next: Int)? {
        let start = cursor.object == token ? cursor.nameToken : token + 1
        guard let found = document.member(of: token, named: name, from: start) else { return nil }
        (cursor.object, cursor.nameToken) = (token, found.next)
        return found
    }

    /// The token of the member's value, or nil when it is missing or null.
    private func member(_ name: String) -> Int? {
        guard let found = find(name), document.kind(at: found.value) != .null else { return nil }
        return found.value
    }

    public func string(_ name: String) throws(JSONReadError) -> String? {
        guard let value = member(name) else { return nil }
        guard document.kind(at: value) == .string else { throw mismatch(name, "a string", value) }
        return document.string(at: value)
    }

    public func bool(_ name: String) throws(JSONReadError) -> Bool? {
        guard let value = member(name) else { return nil }
        switch document.kind(at: value) {
        case .true: return true
        case .false: return false
        default: throw mismatch(name, "true or false", value)
        }
    }

    public func int64(_ name: String) throws(JSONReadError) -> Int64? {
        try integer(name)
    }

    public func int(_ name: String) throws(JSONReadError) -> Int? {
        try integer(name)
    }

    /// A member that must be present.
    public func required<T>(_ name: String, _ read: (String) throws(JSONReadError) -> T?) throws(JSONReadError) -> T {
        guard let value = try read(name) else { throw JSONReadError(path: childPath(name), problem: "missing") }
        return value
    }

    public func object<T: JSONReadable>(_ name: String, as type: T.Type = T.self) throws(JSONReadError) -> T? {
        guard let found = find(name), document.kind(at: found.value) != .null else { return nil }
        let object = try T(json: JSONObjectReader(document, token: found.value, parentPath: path, name: name, index: nil,
                                                  cursor: cursor))
        (cursor.object, cursor.nameToken) = (token, found.next)  // back to this object's members
        return object
    }

    /// An array of objects.
    public func objects<T: JSONReadable>(_ name: String, as type: T.Type = T.self) throws(JSONReadError) -> [T]? {
        guard let found = find(name), document.kind(at: found.value) != .null else { return nil }
        guard document.kind(at: found.value) == .array else { throw mismatch(name, "an array", found.value) }
        var result: [T] = []
        var (item, index) = (found.value + 1, 0)
        while item < document.tokens[found.value].next {
            result.append(try T(json: JSONObjectReader(document, token: item, parentPath: path, name: name, index: index,
                                                       cursor: cursor)))
            (item, index) = (document.tokens[item].next, index + 1)
        }
        (cursor.object, cursor.nameToken) = (token, found.next)
        return result
    }

    /// An array of strings.
    public func strings(_ name: String) throws(JSONReadError) -> [String]? {
        guard let value = member(name) else { return nil }
        guard document.kind(at: value) == .array else { throw mismatch(name, "an array", value) }
        var result: [String] = []
        for (index, item) in document.children(of: value).enumerated() {
            guard document.kind(at: item) == .string else {
                throw JSONReadError(path: childPath(name) + "[\(index)]",
                                    problem: "expected a string, found \(Self.describe(document.kind(at: item)))")
            }
            result.append(document.string(at: item))
        }
        return result
    }

    private func integer<T: FixedWidthInteger>(_ name: String) throws(JSONReadError) -> T? {
        guard let value = member(name) else { return nil }
        guard document.kind(at: value) == .number else { throw mismatch(name, "an integer", value) }
        guard let number = document.integer(at: value, as: T.self) else {
            throw JSONReadError(path: childPath(name), problem: "expected a whole number that fits \(T.self)")
        }
        return number
    }

    private func childPath(_ name: String) -> String {
        path.isEmpty ? name : path + "." + name
    }

    private func mismatch(_ name: String, _ expected: String, _ value: Int) -> JSONReadError {
        JSONReadError(path: childPath(name), problem: "expected \(expected), found \(Self.describe(document.kind(at: value)))")
    }

    /// What kind of value a token is, for error messages (never the value itself: it may be personal data).
    private static func describe(_ kind: JSONDocument.Token.Kind) -> String {
        switch kind {
        case .null: return "null"
        case .true, .false: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
