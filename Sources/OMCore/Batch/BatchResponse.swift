import OMJSON

/// The answer to a batch: `{"log":[…],"ok":true,"results":[…],"version":1}`, each result the bytes its own entry
/// point answers, in the items' order; `log` (absent when empty) says what the batch itself met (Klarna's 429s).
/// Keys sorted and compact like every response, so equal answers are equal bytes.
package enum BatchResponse {
    package static func encode(results: [String], log: [LogEntry]) -> String {
        var output: [UInt8] = Array("{".utf8)
        if !log.isEmpty {
            output += Array(#""log":"#.utf8) + JSONWriter.write(.array(log.map(\.json))) + Array(",".utf8)
        }
        output += Array(#""ok":true,"results":["#.utf8)
        for (index, result) in results.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output += Array(result.utf8)
        }
        output += Array(#"],"version":\#(OMResponse.version)}"#.utf8)
        return String(decoding: output, as: UTF8.self)
    }
}
