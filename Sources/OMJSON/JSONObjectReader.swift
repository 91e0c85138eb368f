/// A type read from one JSON object of Klarna's answers.
///
/// `init(json:)` does not throw: a member of the wrong type reads as nil and is recorded on the reader, and
/// `JSONObjectReader.read` throws the first such problem once the object is read. A throwing initializer needed
/// clean-up code for every member read so far at every member, and that code, run cold on every answer, was the
/// largest part of reading one (`scripts/bench-footprint`).
public protocol JSONReadable {
    init(json: JSONObjectReader)
}

/// Why an answer could not be read: where (a field path such as `order_lines[0].quantity`) and what was wrong.
/// Never the value itself: answers carry personal data.
public struct JSONReadError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let problem: String
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }
    public var description: String { "\(path.isEmpty ? "(answer)" : path): \(problem)" }
}

/// Typed, explicit reading of one object's members, for the read models' `init(json:)`. A member of the wrong type,
/// or a required member that is missing, reads as nil and is recorded; the read as a whole then fails with the first
/// problem met, so a model never sees an error and never has to clean up after one.
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

    /// Shared by all readers of one answer (one allocation per answer, not per object): where the next member
    /// lookup starts, and the first problem met. Klarna sends members in the order the models read them, so each
    /// lookup starts after the last match. A position counts only for the object it was recorded in: it is always
    /// a member name of that object.
    private final class Cursor {
        var object = -1
        var nameToken = 0
        var problem: JSONReadError?
    }

    private init(_ document: JSONDocument, token: Int, parentPath: String, name: String, index: Int?, cursor: Cursor) {
        self.document = document
        self.token = token
        self.parentPath = parentPath
        self.name = name
        self.index = index
        self.cursor = cursor
    }

    /// Where this object sits in the answer (a field path such as `order_lines[0]`); "" for the answer itself.
    public var path: String {
        let member = parentPath.isEmpty || name.isEmpty ? name : parentPath + "." + name
        return index.map { member + "[\($0)]" } ?? member
    }

    /// Parses `bytes` and reads a `T` from the object they hold; throws the first problem met.
    public static func read<T: JSONReadable>(_ type: T.Type, from bytes: [UInt8]) throws(JSONReadError) -> T {
        let document: JSONDocument
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw JSONReadError(path: "", problem: "not JSON (\(error))")
        }
        guard document.kind(at: 0) == .object else {
            throw JSONReadError(path: "", problem: "expected an object, found \(describe(document.kind(at: 0)))")
        }
        let cursor = Cursor()
        let value = T(json: JSONObjectReader(document, token: 0, parentPath: "", name: "", index: nil, cursor: cursor))
        if let problem = cursor.problem { throw problem }
        return value
    }

    /// Records a problem; the first one recorded is what the read fails with.
    private func record(_ path: String, _ problem: String) {
        if cursor.problem == nil { cursor.problem = JSONReadError(path: path, problem: problem) }
    }

    /// Records a problem and reads as nil.
    private func fail<T>(_ path: String, _ problem: String) -> T? {
        record(path, problem)
        return nil
    }

    /// The member's value token and the name token after it, or nil when it is missing.
    private func find(_ name: String) -> (value: Int, next: Int)? {
        let start = cursor.object == token ? cursor.nameToken : token + 1
        guard let found = document.member(of: token, named: name, from: start) else { return nil }
        (cursor.object, cursor.nameToken) = (token, found.next)
        return found
    }

    /// The token of the member's value when it has the `kind` wanted; nil when it is missing or null, and nil with
    /// a problem recorded when it is something else.
    private func member(_ name: String, _ kind: JSONDocument.Token.Kind, _ expected: String) -> Int? {
        guard let found = find(name) else { return nil }
        switch document.kind(at: found.value) {
        case .null: return nil
        case kind: return found.value
        case let other: return fail(childPath(name), "expected \(expected), found \(Self.describe(other))")
        }
    }

    public func string(_ name: String) -> String? {
        member(name, .string, "a string").map(document.string(at:))
    }

    public func bool(_ name: String) -> Bool? {
        guard let found = find(name) else { return nil }
        switch document.kind(at: found.value) {
        case .null: return nil
        case .true: return true
        case .false: return false
        case let other: return fail(childPath(name), "expected true or false, found \(Self.describe(other))")
        }
    }

    public func int64(_ name: String) -> Int64? {
        integer(name)
    }

    public func int(_ name: String) -> Int? {
        integer(name)
    }

    /// A member that must be present: nil, with the problem recorded, when it is missing.
    public func required<T>(_ name: String, _ read: (String) -> T?) -> T? {
        read(name) ?? fail(childPath(name), "missing")
    }

    public func object<T: JSONReadable>(_ name: String, as type: T.Type = T.self) -> T? {
        guard let value = member(name, .object, "an object") else { return nil }
        let resume = cursor.nameToken
        let object = T(json: JSONObjectReader(document, token: value, parentPath: path, name: name, index: nil,
                                              cursor: cursor))
        (cursor.object, cursor.nameToken) = (token, resume)  // back to this object's members
        return object
    }

    /// An array of objects.
    public func objects<T: JSONReadable>(_ name: String, as type: T.Type = T.self) -> [T]? {
        guard let array = member(name, .array, "an array") else { return nil }
        let resume = cursor.nameToken
        var result: [T] = []
        var (item, index) = (array + 1, 0)
        while item < document.tokens[array].next {
            if document.kind(at: item) == .object {
                result.append(T(json: JSONObjectReader(document, token: item, parentPath: path, name: name,
                                                       index: index, cursor: cursor)))
            } else {
                record(childPath(name) + "[\(index)]",
                       "expected an object, found \(Self.describe(document.kind(at: item)))")
            }
            (item, index) = (document.tokens[item].next, index + 1)
        }
        (cursor.object, cursor.nameToken) = (token, resume)
        return result
    }

    /// An array of strings.
    public func strings(_ name: String) -> [String]? {
        guard let array = member(name, .array, "an array") else { return nil }
        var result: [String] = []
        var (item, index) = (array + 1, 0)
        while item < document.tokens[array].next {
            if document.kind(at: item) == .string {
                result.append(document.string(at: item))
            } else {
                record(childPath(name) + "[\(index)]",
                       "expected a string, found \(Self.describe(document.kind(at: item)))")
            }
            (item, index) = (document.tokens[item].next, index + 1)
        }
        return result
    }

    private func integer<T: FixedWidthInteger>(_ name: String) -> T? {
        guard let value = member(name, .number, "an integer") else { return nil }
        guard let number = document.integer(at: value, as: T.self) else {
            return fail(childPath(name), "expected a whole number that fits \(T.self)")
        }
        return number
    }

    private func childPath(_ name: String) -> String {
        path.isEmpty ? name : path + "." + name
    }


    /// What kind of value a token is, for error messages (never the value itself: it may be personal data).
    fileprivate static func describe(_ kind: JSONDocument.Token.Kind) -> String {
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
