import OMCore
package import OMJSON

extension JSONValue {
    /// A string field with a `maxLength` in Klarna's schema, cut to it (`KlarnaText.cut`): a longer value would make
    /// Klarna refuse the whole request.
    package static func string(_ value: String?, maxLength: Int) -> JSONValue? {
        value.map { .string(KlarnaText.cut($0, toLength: maxLength)) }
    }
}
