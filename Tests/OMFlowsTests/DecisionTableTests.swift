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
    static let klarnaOrderId = "0b1d9815-165e-42e2-8867-35bc03789e00"

    /// Runs a row's request, changed by `change`, over a transport scripted with the row's answers.
    static func run(
        _ row: DecisionRow, change: (inout [String: Any]) -> Void = { _ in }
    ) throws
        -> (response: [String: Any], transport: RecordingTransport)
    {
        var request = DecisionTable.standardRequest(klarnaOrderId: klarnaOrderId)
        row.snapshot(&request)
        change(&request)
        let transport = RecordingTransport(row.answers)
        let flows = OrderManagement(libraryVersion: "0.0.0-test", operatingSystem: "Linux") { _, _ in transport }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        let operation = try #require(OrderOperation(rawValue: row.operation))
        let encoded = ResponseEncoder.encode(try flows.run(operation, RequestDecoder.decode(text, for: operation)))
        return (try #require(try JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? [String: Any]), transport)
    }

    @Test(arguments: DecisionTable.rows)
    func row(_ row: DecisionRow) throws {
        let (response, transport) = try Self.run(row)
        #expect(response["outcome"] as? String == row.outcome, "\(response)")
        #expect((response["note"] as? [String: Any])?["code"] as? String == row.note)
        #expect(response["order_status"] as? String == row.status)
        #expect(transport.sentSuffixes(klarnaOrderId: Self.klarnaOrderId) == row.requests)
        #expect(row.checkResponse(response) == [])
    }

    /// The same rows for a shop that writes "1.234,50 €": no note names an amount as "EUR 105.00", and each amount in
    /// the params has its minor units beside it.
    @Test(arguments: DecisionTable.rows)
    func rowWithTheShopsMoneyFormat(_ row: DecisionRow) throws {
        let (response, _) = try Self.run(row) {
            $0["format"] = [
                "symbol": "€", "position": "right_space", "decimal_separator": ",", "thousand_separator": ".",
                "decimals": 2,
            ]
        }
        let note = response["note"] as? [String: Any] ?? [:]
        #expect(response["outcome"] as? String == row.outcome)
        #expect(!(note["text"] as? String ?? "").contains("EUR"), "\(note)")
        let params = note["params"] as? [String: Any] ?? [:]
        for name in params.keys where name.hasSuffix("_minor") {
            let amount = params[String(name.dropLast("_minor".count))] as? String
            #expect(amount?.hasSuffix("\u{00A0}€") == true, "\(name): \(String(describing: amount))")
        }
    }

    @Test func everyRowScriptsOneAnswerPerRequest() {
        for row in DecisionTable.rows {
            #expect(row.answers.count == row.requests.count, "\(row.name)")
        }
    }
}

/// A shipment the order cannot hold is the request's fault: refused as `invalid_field` before Klarna is asked
/// anything, whatever Klarna would have answered (docs/contract.md, "Capture of one shipment").
@Suite struct ShipmentRequestTests {
    @Test(arguments: [[(99, 1)], [(11, 3)], [(11, 1), (11, 1)]])
    func aShipmentTheOrderCannotHoldSendsNothing(items: [(Int, Int)]) throws {
        var request = DecisionTable.standardRequest(klarnaOrderId: DecisionTableTests.klarnaOrderId)
        DecisionTable.shipment(&request, items: items)
        let transport = RecordingTransport([])
        let flows = OrderManagement(libraryVersion: "0.0.0-test", operatingSystem: "Linux") { _, _ in transport }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        do {
            let response = try flows.run(.capture, RequestDecoder.decode(text, for: .capture))
            Issue.record("answered \(response.outcome ?? "") instead of refusing the request")
        } catch {
            #expect(error.code == .invalidField && error.field?.hasPrefix("capture.items") == true, "\(error)")
        }
        #expect(transport.sentSuffixes(klarnaOrderId: DecisionTableTests.klarnaOrderId) == [], "nothing reached Klarna")
    }
}
