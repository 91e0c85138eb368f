import Foundation
import OMCore
import OMExport
import Testing

/// The request/response path shared by the C ABI and the executable, driven in-process.
@Suite struct EntryTests {
    func respond(_ operation: OrderOperation, _ text: String?) -> [String: Any] {
        let reply: String
        if let text {
            reply = text.withCString { Entry.respond(to: operation, cString: $0) }
        } else {
            reply = Entry.respond(to: operation, cString: nil)
        }
        return (try? JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any]) ?? [:]
    }

    func errorCode(_ envelope: [String: Any]) -> String? {
        (envelope["error"] as? [String: Any])?["code"] as? String
    }

    @Test(arguments: OrderOperation.allCases)
    func everyOperationAnswersNullWithAnEnvelope(operation: OrderOperation) {
        let envelope = respond(operation, nil)
        #expect(envelope["version"] as? Int == 1)
        #expect(envelope["ok"] as? Bool == false)
        #expect(errorCode(envelope) == "null_request")
    }

    @Test(arguments: [
        ("", "invalid_json"), ("{", "invalid_json"), ("null", "invalid_json"), ("\"text\"", "invalid_json"),
        ("{}", "missing_field"), (#"{"version":1.5}"#, "invalid_field"), (#"{"version":-1}"#, "unsupported_version"),
    ])
    func malformedRequestsGetStableCodes(text: String, code: String) {
        #expect(errorCode(respond(.capture, text)) == code)
    }

    @Test func aValidRequestReachesTheRules() {
        let text = #"""
            {"version":1,"config":{"environment":"sandbox","base_url":"http://127.0.0.1:9","username":"u","password":"p"},
             "order":{"id":1,"currency":"SEK","totals":{"total":"100.00"},"payment_method":"kco"}}
            """#
        let cancel = respond(.cancel, text)
        #expect(cancel["ok"] as? Bool == true)
        #expect(cancel["outcome"] as? String == "skipped_no_klarna_order")
        #expect(cancel["note"] == nil)
        let capture = respond(.capture, text)
        #expect(capture["outcome"] as? String == "capture_refused")
        #expect(capture["success"] as? Bool == false)
        #expect(capture["order_status"] as? String == "on-hold")
        #expect((capture["note"] as? [String: Any])?["code"] as? String == "capture_refused_no_klarna_order")
    }

    @Test func errorEnvelopesCarryOnlyVersionOkAndError() {
        let envelope = respond(.refund, "[")
        #expect(Set(envelope.keys) == ["version", "ok", "error"])
        let error = envelope["error"] as? [String: Any]
        #expect(Set(error?.keys ?? [:].keys) == ["code", "message"])
    }
}
