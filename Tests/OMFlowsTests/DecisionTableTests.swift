import Foundation
import OMCore
import OMFlows
import OMKlarna
import OMTestSupport
import Testing

/// The decision table of docs/contract.md (DecisionTable) in memory: the flows over a `RecordingTransport` that
/// answers as Klarna does in each row's situation, in milliseconds. Each row asserts the outcome, the note, the status,
/// the response's own checks, and exactly which requests were sent. The same rows run against the sandbox in
/// Tests/OMExportTests/FlowTableTests.
@Suite struct DecisionTableTests {
    @Test(arguments: DecisionTable.rows)
    func row(_ row: DecisionRow) throws {
        let klarnaOrderId = "0b1d9815-165e-42e2-8867-35bc03789e00"
        var request = DecisionTable.standardRequest(klarnaOrderId: klarnaOrderId)
        row.snapshot(&request)
        let transport = RecordingTransport(row.answers)
        let flows = OrderManagement(libraryVersion: "0.0.0-test", operatingSystem: "Linux") { _, _ in transport }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        let operation = try #require(OrderOperation(rawValue: row.operation))
        let encoded = ResponseEncoder.encode(try flows.run(operation, RequestDecoder.decode(text, for: operation)))
        let response = try #require(try JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? [String: Any])

        #expect(response["outcome"] as? String == row.outcome, "\(response)")
        #expect((response["note"] as? [String: Any])?["code"] as? String == row.note)
        #expect(response["order_status"] as? String == row.status)
        #expect(transport.sentSuffixes(klarnaOrderId: klarnaOrderId) == row.requests)
        #expect(row.checkResponse(response) == [])
    }

    @Test func everyRowScriptsOneAnswerPerRequest() {
        for row in DecisionTable.rows {
            #expect(row.answers.count == row.requests.count, "\(row.name)")
        }
    }
}
