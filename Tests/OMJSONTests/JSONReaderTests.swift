import OMJSON
import Testing

/// Reading typed values from objects: missing, null and unknown members, kinds, exact integers, and errors that
/// name the field by its path, never its value.
@Suite struct JSONReaderTests {
    enum Colour: String { case red, green }

    struct Line: JSONReadable, Equatable {
        var name: String
        var quantity: Int64
        var colour: Colour?
        var tags: [String]?

        init(name: String, quantity: Int64, colour: Colour? = nil, tags: [String]? = nil) {
            (self.name, self.quantity, self.colour, self.tags) = (name, quantity, colour, tags)
        }

        init(json: JSONObjectReader) throws(JSONReadError) {
            try self.init(
                name: json.required("name", json.string), quantity: json.required("quantity", json.int64),
                colour: json.value("colour"), tags: json.strings("tags"))
        }
    }

    struct Basket: JSONReadable {
        var id: Int?
        var open: Bool?
        var label: String?
        var weight: Double?
        var lines: [Line]?
        var first: Line?

        init(json: JSONObjectReader) throws(JSONReadError) {
            id = try json.int("id")
            open = try json.bool("open")
            label = try json.string("label")
            weight = try json.parsed("weight") { (text) throws(ParseFailure) in
                guard let number = Double(text) else { throw ParseFailure() }
                return number
            }
            lines = try json.objects("lines")
            first = try json.object("first")
        }
    }

    struct ParseFailure: Error {}

    func read(_ text: String) throws(JSONReadError) -> Basket {
        try JSONObjectReader.read(Basket.self, from: Array(text.utf8), maxDepth: 8)
    }

    /// The error a text gives, as `description` words it; nil when it reads.
    func problem(_ text: String) -> String? {
        do {
            _ = try read(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func readsEveryKindOfMember() throws {
        let basket = try read(
            #"{"id":7,"open":true,"label":"x","weight":"1.5","lines":[{"name":"a","quantity":2,"#
                + #""colour":"red","tags":["t"]}],"first":{"name":"b","quantity":-1}}"#)
        #expect(basket.id == 7 && basket.open == true && basket.label == "x" && basket.weight == 1.5)
        #expect(basket.lines == [Line(name: "a", quantity: 2, colour: .red, tags: ["t"])])
        #expect(basket.first == Line(name: "b", quantity: -1))
    }

    @Test func missingAndNullMembersAreNilAndUnknownOnesIgnored() throws {
        let basket = try read(#"{"id":null,"label":null,"lines":null,"new":{"x":[1,{"y":null}]}}"#)
        #expect(basket.id == nil && basket.open == nil && basket.label == nil && basket.lines == nil)
    }

    @Test func membersAreFoundInAnyOrderAndEscapedNamesMatch() throws {
        let basket = try read(#"{"first":{"quantity":1,"name":"n"},"label":"l","\u0069d":3}"#)
        #expect(basket.id == 3 && basket.label == "l" && basket.first == Line(name: "n", quantity: 1))
    }

    @Test func aNestedObjectsMembersNeverAnswerForTheOuterOne() throws {
        let basket = try read(#"{"first":{"name":"n","quantity":1,"label":"inner"}}"#)
        #expect(basket.label == nil)
    }

    @Test func aRequiredMemberIsMissingOrNull() {
        #expect(problem(#"{"first":{"quantity":1}}"#) == "first.name: missing")
        #expect(problem(#"{"first":{"name":null,"quantity":1}}"#) == "first.name: null where a value is required")
    }

    @Test func errorsNameTheFieldByItsPathNeverTheValue() {
        #expect(problem(#"{"label":["secret"]}"#) == "label: expected a string, found an array")
        #expect(problem(#"{"open":"secret"}"#) == "open: expected true or false, found a string")
        #expect(problem(#"{"id":"secret"}"#) == "id: expected an integer, found a string")
        #expect(problem(#"{"first":"secret"}"#) == "first: expected an object, found a string")
        #expect(problem(#"{"lines":{"a":1}}"#) == "lines: expected an array, found an object")
        #expect(problem(#"{"lines":[{"name":"a","quantity":1},null]}"#) == "lines[1]: expected an object, found null")
        #expect(
            problem(#"{"lines":[{"name":"a","quantity":1,"tags":["x",7]}]}"#)
                == "lines[0].tags[1]: expected a string, found a number")
        #expect(
            problem(#"{"lines":[{"name":"a","quantity":1,"colour":"secret"}]}"#)
                == "lines[0].colour: not one of the values allowed")
        #expect(problem(#"{"weight":"secret"}"#) == "weight: not a valid value")
        #expect(problem("[]") == "(top level): expected an object, found an array")
        #expect(problem("{").map { $0.hasPrefix("(top level): not JSON") } == true)
    }

    @Test func aParsersErrorIsKeptForTheCallerToWord() {
        do {
            _ = try read(#"{"weight":"heavy"}"#)
            Issue.record("read")
        } catch {
            guard case .invalid(let cause) = error.problem else {
                Issue.record("\(error.problem)")
                return
            }
            #expect(cause is ParseFailure && error.path == "weight")
        }
    }

    @Test func integersAreExactAndBounded() throws {
        #expect(
            try JSONObjectReader.read(
                Line.self, from: Array(#"{"name":"a","quantity":9223372036854775807}"#.utf8),
                maxDepth: 2
            ).quantity == .max)
        #expect(
            try JSONObjectReader.read(
                Line.self, from: Array(#"{"name":"a","quantity":-9223372036854775808}"#.utf8),
                maxDepth: 2
            ).quantity == .min)
        for literal in ["9223372036854775808", "-9223372036854775809", "12.0", "1e3", "0.5", "-0.0"] {
            #expect(
                problem(#"{"first":{"name":"a","quantity":\#(literal)}}"#)
                    == "first.quantity: expected a whole number that fits Int64")
        }
        #expect(problem(#"{"id":1e400}"#) == "id: expected a whole number that fits Int")
    }

    /// The first problem in the order the type reads its members ends the read.
    @Test func theFirstProblemInReadingOrderIsReported() {
        #expect(problem(#"{"lines":[{"quantity":"x"}],"id":"y"}"#) == "id: expected an integer, found a string")
        #expect(problem(#"{"lines":[{"quantity":"x"}],"first":7}"#) == "lines[0].name: missing")
    }

    /// A batch's items: each read on its own, a malformed one failing alone, its request kept as the bytes sent.
    struct Carrier: JSONReadable {
        var lines: [Result<Line, JSONReadError>]?
        var raw: [UInt8]?

        init(json: JSONObjectReader) throws(JSONReadError) {
            lines = try json.eachObject("lines")
            raw = try json.rawObject("raw")
        }
    }

    @Test func eachObjectReadsItemsOneByOne() throws {
        let text = #"{"lines":[{"name":"a","quantity":1},7,{"name":"b"},{"name":"c","quantity":3}]}"#
        let lines = try #require(try JSONObjectReader.read(Carrier.self, from: Array(text.utf8), maxDepth: 4).lines)
        #expect(lines.count == 4)
        #expect((try? lines[0].get()) == Line(name: "a", quantity: 1))
        #expect(lines[1].failure?.description == "lines[1]: expected an object, found a number")
        #expect(lines[2].failure?.description == "lines[2].quantity: missing")
        #expect((try? lines[3].get()) == Line(name: "c", quantity: 3))
        let notAnArray = Result { () throws(JSONReadError) in
            try JSONObjectReader.read(Carrier.self, from: Array(#"{"lines":{}}"#.utf8), maxDepth: 4)
        }
        #expect(notAnArray.failure?.description == "lines: expected an array, found an object")
    }

    @Test func aRawObjectIsTheTextAsSent() throws {
        let inner = #"{ "a" : [1, {"b":"\u00e9}"}], "c":{} }"#
        let text = #"{"raw":"# + inner + #" ,"after":[]}"#
        let carrier = try JSONObjectReader.read(Carrier.self, from: Array(text.utf8), maxDepth: 4)
        #expect(carrier.raw == Array(inner.utf8))
        #expect(
            try JSONObjectReader.read(Carrier.self, from: Array(#"{"raw":{}}"#.utf8), maxDepth: 4).raw
                == Array("{}".utf8))
        #expect(try JSONObjectReader.read(Carrier.self, from: Array(#"{"raw":null}"#.utf8), maxDepth: 4).raw == nil)
        let wrong = Result { () throws(JSONReadError) in
            try JSONObjectReader.read(Carrier.self, from: Array(#"{"raw":[]}"#.utf8), maxDepth: 4)
        }
        #expect(wrong.failure?.description == "raw: expected an object, found an array")
    }

    @Test func theDocumentsNestingIsLimited() {
        let deep = #"{"first":{"name":"a","quantity":1,"x":[[[[[[[]]]]]]]}}"#
        #expect(problem(deep)?.contains("nested deeper than 8 levels") == true)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
