import FoundationEssentials

/// Any JSON value. Used only to explain a decoding failure the typed decoder cannot place: a number that is not an
/// integer, or too large for one, where an integer is expected, which it reports without a coding path.
enum JSONTree: Decodable {
    case integer
    case number
    case other
    case array([JSONTree])
    case object([String: JSONTree])

    init(from decoder: any Decoder) throws {
        if var array = try? decoder.unkeyedContainer() {
            var items: [JSONTree] = []
            while !array.isAtEnd { items.append(try array.decode(JSONTree.self)) }
            self = .array(items)
        } else if let object = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [String: JSONTree] = [:]
            for key in object.allKeys { members[key.stringValue] = try object.decode(JSONTree.self, forKey: key) }
            self = .object(members)
        } else {
            let value = try decoder.singleValueContainer()
            if (try? value.decode(Int64.self)) != nil {
                self = .integer
            } else if (try? value.decode(Double.self)) != nil {
                self = .number
            } else {
                self = .other
            }
        }
    }

    /// The path of the first number that is not an `Int64`, visiting object members in key order.
    func firstNonInteger(path: [String] = []) -> [String]? {
        switch self {
        case .number:
            return path
        case .integer, .other:
            return nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = item.firstNonInteger(path: path + ["[\(index)]"]) { return found }
            }
            return nil
        case .object(let members):
            for key in members.keys.sorted() {
                if let found = members[key]?.firstNonInteger(path: path + [key]) { return found }
            }
            return nil
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
