"""The sandbox must refuse what Klarna refuses: otherwise a green test proves nothing about the real Klarna."""
import http.client
import uuid

import pytest

from conftest import PASSWORD, USER

LINE = {"type": "physical", "name": "Hoodie", "quantity": 2, "unit_price": 5000, "total_amount": 10000,
        "tax_rate": 2500, "total_tax_amount": 2000}


def key():
    return str(uuid.uuid4())


def error_code(answer):
    return answer[2]["error_code"] if isinstance(answer[2], dict) else None


# --- schema validation -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("body,what", [
    ({}, "captured_amount missing"),
    ({"captured_amount": "100"}, "amount as a string"),
    ({"captured_amount": 100.5}, "amount with a fraction"),
    ({"captured_amount": -1}, "negative amount"),
    ({"captured_amount": 100000001}, "amount above the maximum"),
    ({"captured_amount": 100, "description": "x" * 256}, "description too long"),
    ({"captured_amount": 100, "order_lines": [{"name": "x", "quantity": 1, "unit_price": 100}]}, "line without total_amount"),
    ({"captured_amount": 100, "order_lines": [dict(LINE, name="n" * 256)]}, "line name too long"),
    ({"captured_amount": 100, "order_lines": [dict(LINE, tax_rate=-1)]}, "negative tax rate"),
    ({"captured_amount": 100, "order_lines": "lines"}, "lines not an array"),
])
def test_capture_bodies_invalid_against_klarnas_schema_are_refused(client, body, what):
    order = client.seed()
    answer = client.om("POST", order["order_id"], "/captures", body, key=key())
    assert answer[0] == 422, what
    assert error_code(answer) == "UNPROCESSABLE_ENTITY"
    assert client.control("GET", f"/orders/{order['order_id']}")["captured_amount"] == 0


@pytest.mark.parametrize("suffix,body", [
    ("/refunds", {"refunded_amount": "1"}),
    ("/authorization", {"description": "no amount"}),
    ("/merchant-references", {"merchant_reference1": "r" * 256}),
    ("/captures/none/shipping-info", {"shipping_info": []}),
])
def test_other_bodies_are_validated_too(client, suffix, body):
    order = client.seed()
    method = "PATCH" if suffix in ("/authorization", "/merchant-references") else "POST"
    assert client.om(method, order["order_id"], suffix, body, key=key())[0] == 422


def test_invalid_json_is_a_400(client):
    order = client.seed()
    answer = client.om("POST", order["order_id"], "/captures", raw=b"{not json", key=key())
    assert answer[0] == 400


# --- line arithmetic ---------------------------------------------------------------------------------------------

def test_a_line_whose_total_is_not_quantity_times_price_is_refused(client):
    order = client.seed()
    bad = dict(LINE, total_amount=9999)
    answer = client.om("POST", order["order_id"], "/captures", {"captured_amount": 9999, "order_lines": [bad]}, key=key())
    assert answer[0] == 422 and "quantity * unit_price" in answer[2]["error_messages"][0]


def test_lines_that_do_not_add_up_to_the_amount_are_refused(client):
    order = client.seed()
    answer = client.om("POST", order["order_id"], "/captures", {"captured_amount": 10001, "order_lines": [LINE]}, key=key())
    assert answer[0] == 422 and "add up to 10000" in answer[2]["error_messages"][0]


def test_discounts_count_in_the_arithmetic(client):
    order = client.seed(order_lines=[dict(LINE, total_discount_amount=1000, total_amount=9000)])
    assert client.om("POST", order["order_id"], "/captures",
                     {"captured_amount": 9000, "order_lines": [dict(LINE, total_discount_amount=1000, total_amount=9000)]},
                     key=key())[0] == 201


# --- Klarna's rules ----------------------------------------------------------------------------------------------

def test_capture_moves_status_and_amounts(client):
    order = client.seed()
    oid = order["order_id"]
    status, headers, _ = client.om("POST", oid, "/captures", {"captured_amount": 4000}, key=key())
    assert status == 201
    assert headers["location"] == f"http://127.0.0.1:{client.port}/ordermanagement/v1/orders/{oid}/captures/{headers['capture-id']}"
    assert "klarna-correlation-id" in headers
    state = client.control("GET", f"/orders/{oid}")
    assert (state["status"], state["captured_amount"], state["remaining_authorized_amount"]) == ("PART_CAPTURED", 4000, 6000)
    assert client.om("POST", oid, "/captures", {"captured_amount": 6001}, key=key())[0] == 403
    assert client.om("POST", oid, "/captures", {"captured_amount": 6000}, key=key())[0] == 201
    assert client.control("GET", f"/orders/{oid}")["status"] == "CAPTURED"


@pytest.mark.parametrize("seed,code", [
    ({"status": "CANCELLED"}, "CAPTURE_NOT_ALLOWED"),
    ({"fraud_status": "PENDING"}, "CAPTURE_NOT_ALLOWED"),
    ({"fraud_status": "REJECTED"}, "CAPTURE_NOT_ALLOWED"),
    ({"expires_at": "2000-01-01T00:00:00+00:00"}, "CAPTURE_NOT_ALLOWED"),
])
def test_capture_is_refused_on_cancelled_expired_and_unaccepted_orders(client, seed, code):
    order = client.seed(**seed)
    answer = client.om("POST", order["order_id"], "/captures", {"captured_amount": 100}, key=key())
    assert (answer[0], error_code(answer)) == (403, code)


def test_cancel_only_without_captures(client):
    order = client.seed()
    assert client.om("POST", order["order_id"], "/cancel", key=key())[0] == 204
    assert client.control("GET", f"/orders/{order['order_id']}")["status"] == "CANCELLED"
    assert error_code(client.om("POST", order["order_id"], "/cancel", key=key())) == "CANCEL_NOT_ALLOWED"
    captured = client.seed()
    client.om("POST", captured["order_id"], "/captures", {"captured_amount": 100}, key=key())
    answer = client.om("POST", captured["order_id"], "/cancel", key=key())
    assert (answer[0], error_code(answer)) == (403, "CANCEL_NOT_ALLOWED")
    assert answer[2]["error_messages"] == ["Order has previous captures. Cancel not possible."]


def test_refund_at_most_captured_minus_refunded(client):
    order = client.seed()
    oid = order["order_id"]
    assert error_code(client.om("POST", oid, "/refunds", {"refunded_amount": 1}, key=key())) == "REFUND_NOT_ALLOWED"
    client.om("POST", oid, "/captures", {"captured_amount": 6000}, key=key())
    assert client.om("POST", oid, "/refunds", {"refunded_amount": 4000}, key=key())[0] == 201
    assert error_code(client.om("POST", oid, "/refunds", {"refunded_amount": 2001}, key=key())) == "REFUND_NOT_ALLOWED"
    status, headers, _ = client.om("POST", oid, "/refunds", {"refunded_amount": 2000}, key=key())
    assert status == 201 and headers["refund-id"]
    assert client.om("GET", oid, f"/refunds/{headers['refund-id']}")[2]["refunded_amount"] == 2000
    assert error_code(client.call("POST", "/ordermanagement/v1/orders/nope/refunds", {"refunded_amount": 1})) == "NOT_FOUND"


def test_update_authorization_rules(client):
    order = client.seed()
    oid = order["order_id"]
    line = dict(LINE, quantity=1, total_amount=5000, total_tax_amount=1000)
    assert client.om("PATCH", oid, "/authorization", {"order_amount": 5000, "order_lines": [line]}, key=key())[0] == 204
    state = client.control("GET", f"/orders/{oid}")
    assert (state["order_amount"], state["original_order_amount"], state["order_lines"]) == (5000, 10000, [line])
    client.om("POST", oid, "/captures", {"captured_amount": 3000}, key=key())
    answer = client.om("PATCH", oid, "/authorization", {"order_amount": 2000}, key=key())
    assert (answer[0], error_code(answer)) == (403, "NOT_ALLOWED")
    declined = client.seed(decline_increase=True)
    assert error_code(client.om("PATCH", declined["order_id"], "/authorization", {"order_amount": 10001}, key=key())) == "NOT_ALLOWED"
    assert client.om("PATCH", declined["order_id"], "/authorization", {"order_amount": 9000}, key=key())[0] == 204


def test_release_only_when_part_captured(client):
    order = client.seed()
    oid = order["order_id"]
    assert client.om("POST", oid, "/release-remaining-authorization", key=key())[0] == 403
    client.om("POST", oid, "/captures", {"captured_amount": 1000}, key=key())
    assert client.om("POST", oid, "/release-remaining-authorization", key=key())[0] == 204
    state = client.control("GET", f"/orders/{oid}")
    assert (state["status"], state["remaining_authorized_amount"]) == ("CLOSED", 0)
    assert client.om("POST", oid, "/captures", {"captured_amount": 1}, key=key())[0] == 403


def test_expiry_follows_the_sandbox_clock_and_extension_moves_it(client):
    order = client.seed()
    oid = order["order_id"]
    assert client.om("POST", oid, "/extend-authorization-time", key=key())[0] == 204
    client.control("POST", "/clock", {"advance_seconds": 200 * 86400})
    assert client.control("GET", f"/orders/{oid}")["status"] == "EXPIRED"
    assert client.om("POST", oid, "/extend-authorization-time", key=key())[0] == 403


def test_unknown_orders_and_captures(client):
    assert error_code(client.om("GET", "nope")) == "NO_SUCH_ORDER"
    order = client.seed()
    assert error_code(client.om("GET", order["order_id"], "/captures/none")) == "NO_SUCH_CAPTURE"
    assert client.call("GET", "/ordermanagement/v1/nothing")[0] == 404


# --- idempotency, auth, faults, log ---------------------------------------------------------------------------

def test_same_key_replays_the_first_answer_and_captures_once(client):
    order = client.seed()
    k = key()
    first = client.om("POST", order["order_id"], "/captures", {"captured_amount": 1000}, key=k)
    second = client.om("POST", order["order_id"], "/captures", {"captured_amount": 5000}, key=k)
    assert first[0] == second[0] == 201
    assert first[1]["capture-id"] == second[1]["capture-id"]
    state = client.control("GET", f"/orders/{order['order_id']}")
    assert (len(state["captures"]), state["captured_amount"]) == (1, 1000)


def test_basic_auth_is_checked_and_401_is_not_json(client):
    order = client.seed()
    answer = client.om("GET", order["order_id"], auth=(USER, "wrong"))
    assert answer[0] == 401 and b"401 Authorization Required" in answer[2]
    assert client.om("GET", order["order_id"], auth=None)[0] == 401
    client.control("POST", "/settings", {"unauthorized_body": "json"})
    assert client.om("GET", order["order_id"], auth=("someone", PASSWORD))[2]["error_code"] == "PERMISSION_DENIED"


def test_injected_failures_answer_klarna_errors_and_do_not_execute(client):
    order = client.seed()
    client.control("POST", "/faults", {"fail_next": {"count": 2, "status": 503}})
    k = key()
    assert client.om("POST", order["order_id"], "/captures", {"captured_amount": 1000}, key=k)[0] == 503
    assert error_code(client.om("POST", order["order_id"], "/captures", {"captured_amount": 1000}, key=k)) == "TEMPORARILY_UNAVAILABLE"
    assert client.om("POST", order["order_id"], "/captures", {"captured_amount": 1000}, key=k)[0] == 201
    assert client.control("GET", f"/orders/{order['order_id']}")["captured_amount"] == 1000


def test_drop_commits_then_breaks_the_connection(client):
    order = client.seed()
    client.control("POST", "/faults", {"drop_next_mutating": 1})
    k = key()
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        client.om("POST", order["order_id"], "/captures", {"captured_amount": 1000}, key=k)
    assert client.control("GET", f"/orders/{order['order_id']}")["captured_amount"] == 1000
    replay = client.om("POST", order["order_id"], "/captures", {"captured_amount": 1000}, key=k)
    assert replay[0] == 201
    assert len(client.control("GET", f"/orders/{order['order_id']}")["captures"]) == 1


def test_drop_loses_replayed_answers_too(client):
    order = client.seed()
    client.control("POST", "/faults", {"order_id": order["order_id"], "drop_next_mutating": 2})
    k = key()
    for _ in range(2):  # the commit's answer, then the replay's: both lost on the way
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            client.om("POST", order["order_id"], "/captures", {"captured_amount": 1000}, key=k)
    assert client.om("POST", order["order_id"], "/captures", {"captured_amount": 1000}, key=k)[0] == 201
    assert len(client.control("GET", f"/orders/{order['order_id']}")["captures"]) == 1


def test_request_log_has_no_secret(client):
    order = client.seed()
    client.om("POST", order["order_id"], "/captures", {"captured_amount": 100}, key="log-key-" + key())
    log = client.control("GET", f"/requests?order_id={order['order_id']}")
    assert [e["path"] for e in log] == [f"/ordermanagement/v1/orders/{order['order_id']}/captures"]
    assert log[0]["body"] == {"captured_amount": 100}
    assert log[0]["headers"]["Authorization"] == f"Basic {USER}:[redacted]"
    assert PASSWORD not in str(client.control("GET", "/requests"))
