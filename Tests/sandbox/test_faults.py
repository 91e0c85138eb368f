"""The faults an exactly-once harness schedules, and idempotency keys' 24 hours: what the sandbox does must be what
Klarna does when the network or Klarna misbehaves."""
import socket
import threading
import time
import uuid

import pytest

DAY = 24 * 3600


def key():
    return str(uuid.uuid4())


def order_state(client, order_id):
    return client.control("GET", f"/orders/{order_id}")


def wait_until(condition, seconds=5):
    deadline = time.time() + seconds
    while not condition():
        assert time.time() < deadline, "the sandbox did not get there in time"
        time.sleep(0.02)


# --- fail_next with retry_after -----------------------------------------------------------------------------------

@pytest.mark.parametrize("status,code,retry_after", [(429, "TOO_MANY_REQUESTS", 7), (503, "TEMPORARILY_UNAVAILABLE", 0),
                                                     (500, "INTERNAL_SERVER_ERROR", 30), (409, "CONFLICT", 1)])
def test_injected_failures_carry_retry_after_when_asked(client, status, code, retry_after):
    order = client.seed()
    oid = order["order_id"]
    client.control("POST", "/faults", {"order_id": oid, "fail_next": {"count": 2, "status": status, "retry_after": retry_after}})
    k = key()
    for _ in range(2):
        answer = client.om("POST", oid, "/captures", {"captured_amount": 1000}, key=k)
        assert (answer[0], answer[2]["error_code"], answer[1]["retry-after"]) == (status, code, str(retry_after))
        assert answer[2]["correlation_id"] == answer[1]["klarna-correlation-id"]
    answer = client.om("POST", oid, "/captures", {"captured_amount": 1000}, key=k)
    assert answer[0] == 201 and "retry-after" not in answer[1]
    assert order_state(client, oid)["captured_amount"] == 1000


def test_injected_failures_have_no_retry_after_unless_asked(client):
    order = client.seed()
    client.control("POST", "/faults", {"order_id": order["order_id"], "fail_next": {"count": 1, "status": 429}})
    answer = client.om("GET", order["order_id"])
    assert answer[0] == 429 and "retry-after" not in answer[1]


@pytest.mark.parametrize("faults", [
    {"fail_next": {"count": 1, "status": 429, "retry_after": -1}},
    {"fail_next": {"count": 1, "status": 429, "retry_after": "soon"}},
    {"fail_next": {"count": 1, "status": 429, "retry_after": 1.5}},
    {"slow_next_mutating": {"count": -1, "latency_ms": 100}},
    {"slow_next_mutating": {"count": 1, "latency_ms": "long"}},
    {"slow_next_mutating": 3},
    {"slow_next_mutating": 0},
    {"drop_next_mutating": True},
])
def test_malformed_faults_are_refused_and_change_nothing(client, faults):
    order = client.seed()
    oid = order["order_id"]
    status, _, body = client.call("POST", "/_sandbox/faults", dict(faults, order_id=oid), auth=None)
    assert status == 400 and "error" in body
    assert client.om("POST", oid, "/captures", {"captured_amount": 1000}, key=key())[0] == 201


def test_the_faults_answer_shows_the_settings_in_force(client):
    order = client.seed()
    settings = client.control("POST", "/faults", {"order_id": order["order_id"], "fail_next": {"status": 503, "retry_after": 2},
                                                  "slow_next_mutating": {"count": 2, "latency_ms": 50}})
    assert settings == {"latency_ms": 0, "fail_next": {"count": 1, "status": 503, "retry_after": 2},
                        "drop_next_mutating": 0, "slow_next_mutating": {"count": 2, "latency_ms": 50}}


# --- slow_next_mutating -------------------------------------------------------------------------------------------

def test_a_held_request_is_in_flight_under_its_key_then_commits_after_the_client_has_gone(client):
    order = client.seed()
    oid = order["order_id"]
    client.control("POST", "/faults", {"order_id": oid, "slow_next_mutating": {"count": 1, "latency_ms": 1500}})
    k = key()
    with pytest.raises((socket.timeout, TimeoutError)):  # the client gives up long before the sandbox answers
        client.om("POST", oid, "/captures", {"captured_amount": 1000}, key=k, timeout=0.2)

    retry = client.om("POST", oid, "/captures", {"captured_amount": 1000}, key=k)  # still held: Klarna says 409
    assert (retry[0], retry[2]["error_code"]) == (409, "CONFLICT")
    assert retry[2]["error_messages"] == ["This request conflicts with the current state of the target resource"]
    assert retry[2]["correlation_id"] == retry[1]["klarna-correlation-id"]
    assert order_state(client, oid)["captured_amount"] == 0  # registered, not yet processed
    assert client.om("GET", oid)[0] == 200                    # reads are not held

    wait_until(lambda: order_state(client, oid)["captured_amount"] == 1000)  # processed and committed, answer lost
    replay = client.om("POST", oid, "/captures", {"captured_amount": 1000}, key=k)
    assert replay[0] == 201
    state = order_state(client, oid)
    assert [c["capture_id"] for c in state["captures"]] == [replay[1]["capture-id"]]

    log = [e for e in client.control("GET", f"/requests?order_id={oid}") if e["method"] == "POST"]
    assert [(e["status"], e.get("held_ms"), e["replayed"]) for e in log] == [
        (409, None, False), (201, 1500, False), (201, None, True)]  # in the order they ended


def test_a_held_request_answers_a_patient_client(client):
    order = client.seed()
    oid = order["order_id"]
    client.control("POST", "/faults", {"order_id": oid, "slow_next_mutating": {"count": 1, "latency_ms": 300}})
    started = time.monotonic()
    answer = client.om("PATCH", oid, "/authorization", {"order_amount": 9000}, key=key())
    assert answer[0] == 204 and time.monotonic() - started >= 0.3
    assert order_state(client, oid)["order_amount"] == 9000


def test_a_different_key_is_not_blocked_by_a_held_one(client):
    order = client.seed()
    oid = order["order_id"]
    client.control("POST", "/faults", {"order_id": oid, "slow_next_mutating": {"count": 1, "latency_ms": 1500}})
    held = threading.Thread(target=lambda: client.om("POST", oid, "/captures", {"captured_amount": 1000}, key=key()))
    held.start()
    time.sleep(0.2)
    assert client.om("POST", oid, "/captures", {"captured_amount": 2000}, key=key())[0] == 201
    assert held.is_alive()  # answered while the other was still held
    held.join()
    assert sorted(c["captured_amount"] for c in order_state(client, oid)["captures"]) == [1000, 2000]


def test_only_the_next_n_requests_that_execute_are_held(client):
    order = client.seed()
    oid = order["order_id"]
    done = key()
    assert client.om("POST", oid, "/captures", {"captured_amount": 100}, key=done)[0] == 201
    client.control("POST", "/faults", {"order_id": oid, "slow_next_mutating": {"count": 2, "latency_ms": 50}})
    client.om("GET", oid)                                                           # a read: not held
    client.om("POST", oid, "/captures", {"captured_amount": 100}, key=done)         # a replay: not held
    for _ in range(3):
        client.om("POST", oid, "/captures", {"captured_amount": 100}, key=key())    # held, held, not held
    log = client.control("GET", f"/requests?order_id={oid}")[1:]
    assert [e.get("held_ms") for e in log] == [None, None, 50, 50, None]
    assert order_state(client, oid)["captured_amount"] == 400


def test_latency_still_waits_before_anything_else(client):
    order = client.seed()
    oid = order["order_id"]
    client.control("POST", "/faults", {"order_id": oid, "latency_ms": 200})
    started = time.monotonic()
    assert client.om("POST", oid, "/captures", {"captured_amount": 100}, key=key())[0] == 201
    assert time.monotonic() - started >= 0.2
    assert "held_ms" not in client.control("GET", f"/requests?order_id={oid}")[0]


# --- idempotency keys live 24 hours on the sandbox's clock --------------------------------------------------------

def test_a_key_replays_for_24_hours_then_executes_afresh(client):
    order = client.seed()
    oid = order["order_id"]
    k = key()
    first = client.om("POST", oid, "/captures", {"captured_amount": 1000}, key=k)
    client.control("POST", "/clock", {"advance_seconds": DAY - 60})
    replay = client.om("POST", oid, "/captures", {"captured_amount": 1000}, key=k)
    assert replay[0] == 201 and replay[1]["capture-id"] == first[1]["capture-id"]
    assert len(order_state(client, oid)["captures"]) == 1

    client.control("POST", "/clock", {"advance_seconds": 60})  # 24 h after the first request: a new key
    fresh = client.om("POST", oid, "/captures", {"captured_amount": 1000}, key=k)
    assert fresh[0] == 201 and fresh[1]["capture-id"] != first[1]["capture-id"]
    state = order_state(client, oid)
    assert (len(state["captures"]), state["captured_amount"]) == (2, 2000)
    log = client.control("GET", f"/requests?order_id={oid}")
    assert [e["replayed"] for e in log] == [False, True, False]


def test_a_stored_refusal_replays_for_24_hours_too(client):
    order = client.seed()
    oid = order["order_id"]
    k = key()
    refused = client.om("POST", oid, "/refunds", {"refunded_amount": 500}, key=k)  # nothing captured yet
    assert (refused[0], refused[2]["error_code"]) == (403, "REFUND_NOT_ALLOWED")
    assert client.om("POST", oid, "/captures", {"captured_amount": 1000}, key=key())[0] == 201
    client.control("POST", "/clock", {"advance_seconds": DAY - 1})
    again = client.om("POST", oid, "/refunds", {"refunded_amount": 500}, key=k)
    assert (again[0], again[2]) == (403, refused[2])  # the same answer, correlation id included
    client.control("POST", "/clock", {"advance_seconds": 1})
    assert client.om("POST", oid, "/refunds", {"refunded_amount": 500}, key=k)[0] == 201
    assert order_state(client, oid)["refunded_amount"] == 500


# --- the order's counters, for invariants -----------------------------------------------------------------------

def test_the_control_api_reads_captures_and_refunds_with_their_amounts(client):
    order = client.seed()
    oid = order["order_id"]
    captures = [client.om("POST", oid, "/captures", {"captured_amount": amount}, key=key())[1]["capture-id"]
                for amount in (4000, 6000)]
    refund = client.om("POST", oid, "/refunds", {"refunded_amount": 5000}, key=key())[1]["refund-id"]
    state = order_state(client, oid)
    assert [(c["capture_id"], c["captured_amount"], c["refunded_amount"]) for c in state["captures"]] == [
        (captures[0], 4000, 4000), (captures[1], 6000, 1000)]
    assert [(r["refund_id"], r["refunded_amount"]) for r in state["refunds"]] == [(refund, 5000)]
    assert (state["status"], state["order_amount"], state["captured_amount"], state["refunded_amount"],
            state["remaining_authorized_amount"]) == ("CAPTURED", 10000, 10000, 5000, 0)
