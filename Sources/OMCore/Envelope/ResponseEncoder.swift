import FoundationEssentials

/// Encodes responses as compact JSON with sorted keys, so that equal responses are equal bytes.
public enum ResponseEncoder {
    /// Used only if encoding itself fails, which no input can cause: the envelope stays valid JSON regardless.
    public static let encodingFailure =
        #"{"error":{"code":"internal_error","message":"response could not be encoded"},"ok":false,"version":1}"#

    public static func encode(_ response: OMResponse) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(response), let text = String(data: data, encoding: .utf8) else {
            return encodingFailure
        }
        return text
    }
}
