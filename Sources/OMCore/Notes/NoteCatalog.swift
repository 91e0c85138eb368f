/// The order notes, in English and Vietnamese. A note names the amount with its currency and the Klarna ids
/// involved; a failure note carries Klarna's error code, message and correlation id and the merchant's next step.
///
/// Templates use `{name}` placeholders filled from the note's parameters. Klarna's own texts (its error messages)
/// stay as Klarna wrote them. Any locale other than Vietnamese falls back to English.
package enum NoteCatalog {
    package enum Language: String, Sendable {
        case english = "en"
        case vietnamese = "vi"

        /// `vi`, `vi_VN`, `vi-VN` → Vietnamese; anything else → English.
        package init(locale: String?) {
            let lowered = (locale ?? "").lowercased()
            self = lowered == "vi" || lowered.hasPrefix("vi_") || lowered.hasPrefix("vi-") ? .vietnamese : .english
        }
    }

    /// Renders a note: its text in the language, and its parameters for shops that reword notes by code. Amounts
    /// are written in the shop's `format` (`EUR 105.00` without one), each with its minor units beside it.
    package static func note(
        _ code: NoteCode, _ params: [String: NoteParam], language: Language,
        format: MoneyFormat? = nil
    ) -> Note {
        let template = templates[code]?[language] ?? templates[code]?[.english] ?? code.rawValue
        let rendered = render(params, format: format)
        return Note(code: code.rawValue, text: fill(template, rendered), params: rendered)
    }

    /// Every `money` parameter `name` as text in the format, plus `name_minor`: its minor units.
    static func render(_ params: [String: NoteParam], format: MoneyFormat?) -> [String: NoteParam] {
        var rendered = params
        for (name, param) in params {
            guard case .money(let money) = param else { continue }
            rendered[name] = .text(format?.string(money) ?? money.description)
            rendered[name + "_minor"] = .integer(money.minorUnits)
        }
        return rendered
    }

    /// The template with each `{name}` replaced by its parameter, in one pass: a value that itself holds `{…}`
    /// stays as it is. A placeholder without a parameter stays as written.
    static func fill(_ template: String, _ params: [String: NoteParam]) -> String {
        var text = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            text += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            switch params[name] {
            case .text(let string)?: text += string
            case .integer(let number)?: text += String(number)
            case .flag(let flag)?: text += flag ? "yes" : "no"
            case .money(let money)?: text += money.description
            case nil: text += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return text + rest
    }

    /// Every note code with its English and Vietnamese template.
    package static let templates: [NoteCode: [Language: String]] = [
        .cancelled: [
            .english: "Klarna order {klarna_order_id} cancelled. The authorization of {amount} is released.",
            .vietnamese: "Hoàn tất hủy đơn hàng Klarna {klarna_order_id}. Khoản ủy quyền {amount} đã được giải phóng.",
        ],
        .alreadyCancelled: [
            .english: "Klarna order {klarna_order_id} was already cancelled; nothing was sent to Klarna.",
            .vietnamese: "Đơn hàng Klarna {klarna_order_id} đã được hủy trước đó; không gửi yêu cầu nào tới Klarna.",
        ],
        .cancelRefusedCaptured: [
            .english:
                "Klarna did not cancel order {klarna_order_id} because it has been captured{klarna_error}: Klarna still holds {refundable} of the customer's money. The order was put On hold. Refund {refundable} first (Refund button, \"via Klarna\"; or in Klarna's Merchant Portal when WooCommerce has no more left to refund), then cancel the order.",
            .vietnamese:
                "Klarna không hủy đơn hàng {klarna_order_id} vì đơn đã được thu tiền{klarna_error}: Klarna vẫn giữ {refundable} tiền của khách hàng. Đơn hàng đã được chuyển sang Tạm giữ. Hãy hoàn {refundable} trước (nút Hoàn tiền, \"qua Klarna\"; hoặc trên Klarna Merchant Portal khi WooCommerce không còn gì để hoàn), sau đó hủy đơn hàng.",
        ],
        .refundedStatusRefused: [
            .english:
                "The order was not set to Refunded: Klarna still holds {refundable} of the customer's money for order {klarna_order_id}, and changing the status does not return it. The order was put On hold. Refund {refundable} with the Refund button (\"via Klarna\"); the order then becomes Refunded by itself.",
            .vietnamese:
                "Đơn hàng không được chuyển sang Đã hoàn tiền: Klarna vẫn giữ {refundable} tiền của khách hàng cho đơn hàng {klarna_order_id}, và việc đổi trạng thái không trả lại số tiền này. Đơn hàng đã được chuyển sang Tạm giữ. Hãy hoàn {refundable} bằng nút Hoàn tiền (\"qua Klarna\"); sau đó đơn hàng sẽ tự chuyển sang Đã hoàn tiền.",
        ],
        .nothingHeld: [
            .english:
                "Klarna order {klarna_order_id} has been captured and fully refunded, so Klarna holds none of the customer's money; nothing was sent to Klarna.",
            .vietnamese:
                "Đơn hàng Klarna {klarna_order_id} đã được thu tiền và hoàn tiền đầy đủ, nên Klarna không giữ khoản tiền nào của khách hàng; không gửi yêu cầu nào tới Klarna.",
        ],
        .authorizationExpired: [
            .english:
                "The authorization of Klarna order {klarna_order_id} has expired and nothing was captured, so Klarna holds none of the customer's money; nothing was sent to Klarna.",
            .vietnamese:
                "Ủy quyền của đơn hàng Klarna {klarna_order_id} đã hết hạn và chưa có khoản nào được thu, nên Klarna không giữ khoản tiền nào của khách hàng; không gửi yêu cầu nào tới Klarna.",
        ],
        .nothingHeldReleased: [
            .english:
                "Klarna order {klarna_order_id} has been captured and fully refunded; the {remaining} Klarna still authorized was released, so nothing of the customer's stays open at Klarna.",
            .vietnamese:
                "Đơn hàng Klarna {klarna_order_id} đã được thu tiền và hoàn tiền đầy đủ; khoản ủy quyền {remaining} mà Klarna còn giữ đã được giải phóng, nên không còn khoản nào của khách hàng mở tại Klarna.",
        ],
        .cancelFailed: [
            .english:
                "Klarna order {klarna_order_id} could not be cancelled: {error}. The order was put On hold; set it to Cancelled again to retry.",
            .vietnamese:
                "Không thể hủy đơn hàng Klarna {klarna_order_id}: {error}. Đơn hàng đã được chuyển sang Tạm giữ; hãy chuyển lại sang Đã hủy để thử lại.",
        ],
        .updated: [
            .english: "Klarna order {klarna_order_id} updated to the edited items. New amount: {amount}.",
            .vietnamese:
                "Đã cập nhật đơn hàng Klarna {klarna_order_id} theo các sản phẩm đã sửa. Số tiền mới: {amount}.",
        ],
        .updateUnchanged: [
            .english:
                "Klarna order {klarna_order_id} already holds these items and the amount {amount}; nothing was sent.",
            .vietnamese:
                "Đơn hàng Klarna {klarna_order_id} đã có đúng các sản phẩm này và số tiền {amount}; không gửi yêu cầu nào.",
        ],
        .updateRefusedCaptured: [
            .english:
                "Klarna order {klarna_order_id} was not updated: it has been captured, and Klarna does not change a captured order. The order stays On hold; refund the difference with the Refund button instead.",
            .vietnamese:
                "Không cập nhật đơn hàng Klarna {klarna_order_id}: đơn đã được thu tiền và Klarna không thay đổi đơn đã thu. Đơn hàng vẫn ở trạng thái Tạm giữ; hãy hoàn lại phần chênh lệch bằng nút Hoàn tiền.",
        ],
        .updateRefused: [
            .english:
                "Klarna refused to update order {klarna_order_id} to {amount}{klarna_error}. The order stays On hold. Lower the amount to what Klarna authorized, or ask the customer to pay the extra items in a new order.",
            .vietnamese:
                "Klarna từ chối cập nhật đơn hàng {klarna_order_id} thành {amount}{klarna_error}. Đơn hàng vẫn ở trạng thái Tạm giữ. Hãy giảm số tiền về mức Klarna đã ủy quyền, hoặc đề nghị khách hàng thanh toán phần thêm bằng một đơn hàng mới.",
        ],
        .updateRefusedCancelled: [
            .english:
                "Klarna order {klarna_order_id} is cancelled, so the customer has not paid for this order{klarna_error}. The order was put On hold so it is not shipped; ask the customer to pay again (a new order).",
            .vietnamese:
                "Đơn hàng Klarna {klarna_order_id} đã bị hủy, nên khách hàng chưa thanh toán cho đơn hàng này{klarna_error}. Đơn hàng đã được chuyển sang Tạm giữ để không bị giao; hãy đề nghị khách hàng thanh toán lại (một đơn hàng mới).",
        ],
        .updateFailed: [
            .english:
                "Klarna order {klarna_order_id} could not be updated: {error}. The order stays On hold; set it to Processing again to retry.",
            .vietnamese:
                "Không thể cập nhật đơn hàng Klarna {klarna_order_id}: {error}. Đơn hàng vẫn ở trạng thái Tạm giữ; hãy chuyển lại sang Đang xử lý để thử lại.",
        ],
        .captured: [
            .english:
                "Klarna captured {amount} for order {klarna_order_id}. Capture id (invoice number): {capture_id}.",
            .vietnamese:
                "Klarna đã thu {amount} cho đơn hàng {klarna_order_id}. Mã thu tiền (số hóa đơn): {capture_id}.",
        ],
        .alreadyCaptured: [
            .english:
                "Klarna order {klarna_order_id} is already captured (capture id {capture_id}); no second capture was made.",
            .vietnamese:
                "Đơn hàng Klarna {klarna_order_id} đã được thu tiền (mã thu tiền {capture_id}); không thu tiền lần thứ hai.",
        ],
        .overCaptured: [
            .english:
                "Klarna has captured {captured} for order {klarna_order_id}, {excess} more than the order total {amount}. The order was put On hold. Refund {excess} to the customer in Klarna's Merchant Portal (WooCommerce's Refund button would record it against the order's items), then set the order to Completed again.",
            .vietnamese:
                "Klarna đã thu {captured} cho đơn hàng {klarna_order_id}, nhiều hơn tổng đơn hàng {amount} là {excess}. Đơn hàng đã được chuyển sang Tạm giữ. Hãy hoàn {excess} cho khách hàng trên Klarna Merchant Portal (nút Hoàn tiền của WooCommerce sẽ ghi nhận khoản này vào các sản phẩm của đơn), sau đó chuyển đơn hàng sang Hoàn thành lần nữa.",
        ],
        .nothingToCapture: [
            .english:
                "The order total is {amount}, so there is nothing for Klarna to capture on order {klarna_order_id}.",
            .vietnamese:
                "Tổng đơn hàng là {amount} nên không có khoản nào để Klarna thu cho đơn hàng {klarna_order_id}.",
        ],
        .captureRefusedNoKlarnaOrder: [
            .english:
                "This order has no Klarna order id, so nothing could be captured. The order was put On hold so it is not shipped; check the payment in the Klarna Merchant Portal.",
            .vietnamese:
                "Đơn hàng này không có mã đơn hàng Klarna nên không thể thu tiền. Đơn hàng đã được chuyển sang Tạm giữ để không bị giao nhầm; hãy kiểm tra thanh toán trên Klarna Merchant Portal.",
        ],
        .captureRefusedCancelled: [
            .english:
                "Klarna did not capture {amount}: Klarna order {klarna_order_id} is cancelled{klarna_error}. The order was put On hold so it is not shipped; the customer has not paid. Cancel the order, or ask the customer to pay again (a new order).",
            .vietnamese:
                "Klarna không thu {amount}: đơn hàng Klarna {klarna_order_id} đã bị hủy{klarna_error}. Đơn hàng đã được chuyển sang Tạm giữ để không bị giao; khách hàng chưa thanh toán. Hãy hủy đơn hàng, hoặc đề nghị khách hàng thanh toán lại (một đơn hàng mới).",
        ],
        .captureRefusedExpired: [
            .english:
                "Klarna did not capture {amount}: the authorization of Klarna order {klarna_order_id} has expired{klarna_error}. The order was put On hold so it is not shipped; ask the customer to pay again.",
            .vietnamese:
                "Klarna không thu {amount}: ủy quyền của đơn hàng Klarna {klarna_order_id} đã hết hạn{klarna_error}. Đơn hàng đã được chuyển sang Tạm giữ để không bị giao; hãy đề nghị khách hàng thanh toán lại.",
        ],
        .captureRefusedFraud: [
            .english:
                "Klarna did not capture {amount}: Klarna order {klarna_order_id} has fraud status {fraud_status}{klarna_error}. The order was put On hold; do not ship it until Klarna accepts the order (Klarna's Merchant Portal shows the review), then set it to Completed again.",
            .vietnamese:
                "Klarna không thu {amount}: đơn hàng Klarna {klarna_order_id} có trạng thái gian lận {fraud_status}{klarna_error}. Đơn hàng đã được chuyển sang Tạm giữ; không giao hàng cho đến khi Klarna chấp nhận đơn (Klarna Merchant Portal hiển thị việc xét duyệt), sau đó chuyển lại sang Hoàn thành.",
        ],
        .captureRefusedAmount: [
            .english:
                "Klarna did not capture {amount}: it is {difference} more than the {remaining} Klarna still holds for order {klarna_order_id}{klarna_error}. The order was put On hold. Update the order at Klarna first (On hold, edit the items, Processing), or capture what Klarna holds and release the rest.",
            .vietnamese:
                "Klarna không thu {amount}: số tiền này lớn hơn {difference} so với {remaining} mà Klarna còn giữ cho đơn hàng {klarna_order_id}{klarna_error}. Đơn hàng đã được chuyển sang Tạm giữ. Hãy cập nhật đơn hàng tại Klarna trước (Tạm giữ, sửa sản phẩm, Đang xử lý), hoặc thu số tiền Klarna đang giữ và giải phóng phần còn lại.",
        ],
        .captureRefused: [
            .english:
                "Klarna did not capture {amount} for order {klarna_order_id}{klarna_error}. The order was put On hold so it is not shipped. Check the order in Klarna's Merchant Portal, then set it to Completed again.",
            .vietnamese:
                "Klarna không thu {amount} cho đơn hàng {klarna_order_id}{klarna_error}. Đơn hàng đã được chuyển sang Tạm giữ để không bị giao. Hãy kiểm tra đơn hàng trên Klarna Merchant Portal, sau đó chuyển lại sang Hoàn thành.",
        ],
        .captureFailed: [
            .english:
                "Klarna order {klarna_order_id} could not be captured: {error}. The order was put On hold; set it to Completed again to retry. It will not be captured twice.",
            .vietnamese:
                "Không thể thu tiền đơn hàng Klarna {klarna_order_id}: {error}. Đơn hàng đã được chuyển sang Tạm giữ; hãy chuyển lại sang Hoàn thành để thử lại. Đơn sẽ không bị thu tiền hai lần.",
        ],
        .refunded: [
            .english: "Klarna refunded {amount} for order {klarna_order_id}. Klarna refund id: {refund_id}.",
            .vietnamese: "Klarna đã hoàn {amount} cho đơn hàng {klarna_order_id}. Mã hoàn tiền Klarna: {refund_id}.",
        ],
        .refundedWithRest: [
            .english:
                "Klarna refunded {amount} for order {klarna_order_id}: the refunded items, and {rest} beyond them as one \"Refund\" line. Klarna refund id: {refund_id}.",
            .vietnamese:
                "Klarna đã hoàn {amount} cho đơn hàng {klarna_order_id}: các sản phẩm được hoàn, và {rest} ngoài các sản phẩm đó dưới dạng một dòng \"Hoàn tiền\". Mã hoàn tiền Klarna: {refund_id}.",
        ],
        .refundedAmountOnly: [
            .english:
                "Klarna refunded {amount} for order {klarna_order_id} as an amount without item lines, because the refunded items add up to {items_total}, more than the amount. Klarna refund id: {refund_id}.",
            .vietnamese:
                "Klarna đã hoàn {amount} cho đơn hàng {klarna_order_id} dưới dạng một số tiền không kèm dòng sản phẩm, vì các sản phẩm được hoàn cộng lại thành {items_total}, lớn hơn số tiền này. Mã hoàn tiền Klarna: {refund_id}.",
        ],
        .refundRefused: [
            .english:
                "Klarna did not refund {amount} for order {klarna_order_id}{klarna_error}. Nothing was refunded. Check the refund's amount and items against the order in Klarna's Merchant Portal, then refund again.",
            .vietnamese:
                "Klarna không hoàn {amount} cho đơn hàng {klarna_order_id}{klarna_error}. Chưa có khoản nào được hoàn. Hãy đối chiếu số tiền và sản phẩm hoàn với đơn hàng trên Klarna Merchant Portal, rồi hoàn tiền lại.",
        ],
        .refundRefusedEarlierAttempt: [
            .english:
                "Klarna did not refund {amount} for order {klarna_order_id}: an earlier refund attempt whose answer was lost has been carried out by Klarna, refunding {earlier_amount} (Klarna refund id {refund_id}, in Klarna's Merchant Portal). WooCommerce does not list it. Refund again only what is still due beyond {earlier_amount}.",
            .vietnamese:
                "Klarna không hoàn {amount} cho đơn hàng {klarna_order_id}: một lần hoàn tiền trước đó bị mất phản hồi đã được Klarna thực hiện, hoàn {earlier_amount} (mã hoàn tiền Klarna {refund_id}, xem trên Klarna Merchant Portal). WooCommerce không hiển thị khoản này. Chỉ hoàn tiếp phần còn thiếu ngoài {earlier_amount}.",
        ],
        .refundRefusedNotCaptured: [
            .english:
                "Klarna did not refund {amount}: order {klarna_order_id} has not been captured, so there is nothing to refund. Cancel the order instead.",
            .vietnamese:
                "Klarna không hoàn {amount}: đơn hàng {klarna_order_id} chưa được thu tiền nên không có gì để hoàn. Hãy hủy đơn hàng thay vào đó.",
        ],
        .refundRefusedNoKlarnaOrder: [
            .english:
                "This order has no Klarna order id, so {amount} could not be refunded through Klarna. Refund the customer in Klarna's Merchant Portal, then record it here with \"Refund manually\".",
            .vietnamese:
                "Đơn hàng này không có mã đơn hàng Klarna nên không thể hoàn {amount} qua Klarna. Hãy hoàn tiền cho khách hàng trên Klarna Merchant Portal, rồi ghi nhận tại đây bằng \"Hoàn tiền thủ công\".",
        ],
        .refundFailed: [
            .english:
                "Klarna order {klarna_order_id}: the refund of {amount} failed: {error}. Nothing is recorded as refunded; try the refund again (it will not be made twice).",
            .vietnamese:
                "Đơn hàng Klarna {klarna_order_id}: hoàn {amount} không thành công: {error}. Chưa ghi nhận khoản hoàn nào; hãy thử hoàn tiền lại (sẽ không bị hoàn hai lần).",
        ],
        .capturedShipment: [
            .english:
                "Klarna captured {amount} for a shipment of order {klarna_order_id}. Capture id (invoice number): {capture_id}. Still to capture: {left}; set the order to Completed once the rest has shipped.",
            .vietnamese:
                "Klarna đã thu {amount} cho một lần giao hàng của đơn hàng {klarna_order_id}. Mã thu tiền (số hóa đơn): {capture_id}. Còn phải thu: {left}; hãy chuyển đơn hàng sang Hoàn thành khi phần còn lại đã được giao.",
        ],
        .captureRefusedMoreThanLeft: [
            .english:
                "Nothing was captured for order {klarna_order_id}: this shipment comes to {amount}, more than the {left} WooCommerce still expects for the order. The order was put On hold. Check the shipment's items and quantities against what is still to ship, then capture it again.",
            .vietnamese:
                "Chưa thu tiền cho đơn hàng {klarna_order_id}: lần giao hàng này có giá trị {amount}, nhiều hơn số {left} mà WooCommerce còn chờ thu cho đơn hàng. Đơn hàng đã được chuyển sang Tạm giữ. Hãy đối chiếu sản phẩm và số lượng của lần giao hàng với phần còn phải giao, rồi thu tiền lại.",
        ],
        .refundRefusedOverRefund: [
            .english:
                "Klarna did not refund {amount} for order {klarna_order_id}: only {refundable} can still be refunded{klarna_error}. Nothing was refunded; refund at most {refundable}.",
            .vietnamese:
                "Klarna không hoàn {amount} cho đơn hàng {klarna_order_id}: chỉ còn có thể hoàn {refundable}{klarna_error}. Chưa có khoản nào được hoàn; hãy hoàn tối đa {refundable}.",
        ],
        .credentialsRefused: [
            .english:
                "Klarna refused this shop's API credentials for order {klarna_order_id}{klarna_error}, so nothing was done at Klarna. Check the Klarna API username and password, and that they are for the order's environment (test or live) and region, in WooCommerce → Settings → Payments → Klarna; then do it again.",
            .vietnamese:
                "Klarna từ chối thông tin xác thực API của cửa hàng cho đơn hàng {klarna_order_id}{klarna_error}, nên không có thao tác nào được thực hiện tại Klarna. Hãy kiểm tra tên người dùng và mật khẩu API Klarna, và rằng chúng dành cho đúng môi trường (thử nghiệm hay thật) và khu vực của đơn hàng, tại WooCommerce → Cài đặt → Thanh toán → Klarna; sau đó thực hiện lại.",
        ],
        .syncFailed: [
            .english:
                "Klarna order {klarna_order_id} could not be read: {error}. The Klarna details shown for this order may be out of date; try again later.",
            .vietnamese:
                "Không thể đọc đơn hàng Klarna {klarna_order_id}: {error}. Thông tin Klarna hiển thị cho đơn hàng này có thể đã cũ; hãy thử lại sau.",
        ],
        .released: [
            .english:
                "Klarna released the rest of the authorization of order {klarna_order_id}: nothing more can be captured for it, and the customer is not charged for what was not captured.",
            .vietnamese:
                "Klarna đã giải phóng phần ủy quyền còn lại của đơn hàng {klarna_order_id}: không thể thu thêm tiền cho đơn này, và khách hàng không bị tính tiền cho phần chưa thu.",
        ],
        .releaseRefused: [
            .english:
                "Klarna did not release the rest of the authorization of order {klarna_order_id}{klarna_error}. Check the order in Klarna's Merchant Portal.",
            .vietnamese:
                "Klarna không giải phóng phần ủy quyền còn lại của đơn hàng {klarna_order_id}{klarna_error}. Hãy kiểm tra đơn hàng trên Klarna Merchant Portal.",
        ],
        .releaseRefusedNotCaptured: [
            .english:
                "Klarna did not release the authorization of order {klarna_order_id}: nothing has been captured yet{klarna_error}. To release all of it, cancel the order (status Cancelled); to charge the customer for what shipped, capture it first.",
            .vietnamese:
                "Klarna không giải phóng ủy quyền của đơn hàng {klarna_order_id}: chưa có khoản nào được thu{klarna_error}. Để giải phóng toàn bộ, hãy hủy đơn hàng (trạng thái Đã hủy); để thu tiền cho phần đã giao, hãy thu tiền trước.",
        ],
        .releaseRefusedNothingLeft: [
            .english:
                "Klarna order {klarna_order_id} holds no authorization to release{klarna_error}: it is fully captured, released before, cancelled or expired. Nothing changed.",
            .vietnamese:
                "Đơn hàng Klarna {klarna_order_id} không còn ủy quyền nào để giải phóng{klarna_error}: đơn đã được thu đủ, đã được giải phóng trước đó, đã bị hủy hoặc đã hết hạn. Không có gì thay đổi.",
        ],
        .releaseFailed: [
            .english:
                "The rest of the authorization of Klarna order {klarna_order_id} could not be released: {error}. Try again; it will not be sent twice.",
            .vietnamese:
                "Không thể giải phóng phần ủy quyền còn lại của đơn hàng Klarna {klarna_order_id}: {error}. Hãy thử lại; yêu cầu sẽ không bị gửi hai lần.",
        ],
        .extended: [
            .english:
                "Klarna extended the authorization of order {klarna_order_id}: it can now be captured until {expires_at}.",
            .vietnamese:
                "Klarna đã gia hạn ủy quyền của đơn hàng {klarna_order_id}: đơn có thể được thu tiền đến {expires_at}.",
        ],
        .extendedExpiryUnread: [
            .english:
                "Klarna extended the authorization of order {klarna_order_id}, but its new expiry could not be read ({error}); Klarna's Merchant Portal shows it.",
            .vietnamese:
                "Klarna đã gia hạn ủy quyền của đơn hàng {klarna_order_id}, nhưng không đọc được thời hạn mới ({error}); Klarna Merchant Portal có hiển thị thời hạn này.",
        ],
        .extendRefused: [
            .english:
                "Klarna did not extend the authorization of order {klarna_order_id}{klarna_error}. Klarna extends an authorization only while it is neither expired nor cancelled, and to at most 180 days after the purchase; check the order in Klarna's Merchant Portal.",
            .vietnamese:
                "Klarna không gia hạn ủy quyền của đơn hàng {klarna_order_id}{klarna_error}. Klarna chỉ gia hạn khi ủy quyền chưa hết hạn và chưa bị hủy, và tối đa đến 180 ngày sau khi mua; hãy kiểm tra đơn hàng trên Klarna Merchant Portal.",
        ],
        .extendFailed: [
            .english:
                "The authorization of Klarna order {klarna_order_id} could not be extended: {error}. Try again; it will not be sent twice.",
            .vietnamese:
                "Không thể gia hạn ủy quyền của đơn hàng Klarna {klarna_order_id}: {error}. Hãy thử lại; yêu cầu sẽ không bị gửi hai lần.",
        ],
        .skippedDisconnected: [
            .english: "Klarna order management is switched off for this order; nothing was sent to Klarna.",
            .vietnamese: "Quản lý đơn hàng Klarna đang tắt cho đơn hàng này; không gửi yêu cầu nào tới Klarna.",
        ],
        .notProcessed: [
            .english: "Klarna order management could not process this order: {error}. Nothing was sent to Klarna.",
            .vietnamese:
                "Quản lý đơn hàng Klarna không thể xử lý đơn hàng này: {error}. Không gửi yêu cầu nào tới Klarna.",
        ],
    ]
}
