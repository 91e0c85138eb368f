import OMCore
import Testing

@Suite struct ResponseEncodingTests {
    @Test func errorEnvelopeHasExactlyVersionOkAndError() {
        let text = ResponseEncoder.encode(OMResponse(error: OMError(.invalidJSON, "request is not valid JSON")))
        #expect(
            text == #"{"error":{"code":"invalid_json","message":"request is not valid JSON"},"ok":false,"version":1}"#)
    }

    @Test func errorEnvelopeNamesTheField() {
        let text = ResponseEncoder.encode(OMResponse(error: OMError.missingField("order.id")))
        #expect(
            text
                == #"{"error":{"code":"missing_field","field":"order.id","message":"required field `order.id` is missing"},"ok":false,"version":1}"#
        )
    }

    @Test func outcomeEnvelopeUsesSnakeCaseKeysInOrder() {
        var response = OMResponse(operation: .capture, outcome: "captured", success: true)
        response.note = Note(
            code: "captured", text: "Klarna captured EUR 264.00.",
            params: ["amount_minor": .integer(26400), "currency": .text("EUR")])
        response.record = OrderRecord(captureId: "c-1")
        response.orderStatus = nil
        response.klarna = KlarnaDetails(httpStatus: 201, correlationId: "corr-1", captureId: "c-1")
        let text = ResponseEncoder.encode(response)
        #expect(
            text
                == #"{"klarna":{"capture_id":"c-1","correlation_id":"corr-1","http_status":201},"log":[],"note":{"code":"captured","params":{"amount_minor":26400,"currency":"EUR"},"text":"Klarna captured EUR 264.00."},"ok":true,"operation":"capture","order_meta":{"_wc_klarna_capture_id":"c-1"},"outcome":"captured","record":{"capture_id":"c-1"},"success":true,"version":1}"#
        )
    }

    /// `record` says what to store; version 1's `order_meta` carries the same facts under the established plugin's
    /// keys, for readers from before `record` (the plugin reads `record` alone).
    @Test func theRecordAndItsVersion1MetaSayTheSame() {
        let record = OrderRecord(
            captureId: "c-1", cancelled: true, linesFingerprint: "f",
            refund: RecordedRefund(id: 77, klarnaRefundId: "r-1"))
        var response = OMResponse(operation: .refund, outcome: "refunded", success: true)
        response.record = record
        let text = ResponseEncoder.encode(response)
        #expect(
            text.contains(
                #""record":{"cancelled":true,"capture_id":"c-1","lines_fingerprint":"f","refund":{"id":77,"klarna_refund_id":"r-1"}}"#
            ))
        #expect(
            text.contains(
                #""order_meta":{"_klarna_om_lines_fingerprint":"f","_klarna_om_refund_id_77":"r-1","_wc_klarna_cancelled":"yes","_wc_klarna_capture_id":"c-1"}"#
            ))
        #expect(OrderRecord().isEmpty && !OrderRecord(cancelled: true).isEmpty)
    }

    @Test func errorCodesAreSnakeCase() {
        let codes: [OMError.Code] = [
            .nullRequest, .requestTooLarge, .invalidUTF8, .invalidJSON, .nestingTooDeep,
            .missingField, .invalidField, .unsupportedVersion, .operationMismatch,
            .invalidAmount, .unknownCurrency, .amountOverflow, .currencyMismatch,
            .networkTimeout, .networkConnect, .networkDNS, .networkTLS,
            .networkInterrupted, .networkOther, .responseTooLarge, .notImplemented,
            .internalError,
        ]
        for code in codes {
            #expect(code.rawValue.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) })
        }
        #expect(Set(codes.map(\.rawValue)).count == codes.count)
    }
}
