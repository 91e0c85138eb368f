import OMJSON

/// Encodes responses as compact JSON with sorted keys, so that equal responses are equal bytes.
package enum ResponseEncoder {
    package static func encode(_ response: OMResponse) -> String {
        String(decoding: JSONWriter.write(response.json), as: UTF8.self)
    }
}
