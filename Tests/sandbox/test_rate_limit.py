"""Klarna's rate limit, per merchant (Klarna's API reference, §9.1): what a batch of many orders meets when it sends
faster than Klarna allows. Each test has a merchant of its own, so its requests count for nobody else."""
import threading
import time
import uuid

import pytest


def merchant(client):
    """New credentials: a merchant whose requests nobody else sends."""
    user, password = f"PK_{uuid.uuid4().hex[:8]}", "limited-secret"
    client.call("POST", "/_sandbox/credentials", {"username": user, "password": password}, auth=None)
    return (user, password)


def capture(client, auth, order_id, amount=1000, key=None):
    return client.call("POST", f"/ordermanagement/v1/orders/{order_id}/captures", {"captured_amount": amount},
                       auth=auth, headers={"Klarna-Idempotency-Key": key or str(uuid.uuid4())})


def test_a_request_over_the_limit_gets_429_with_retry_after_and_is_not_executed(client):
    auth = merchant(client)
    oid = client.seed(merchant=auth[0])["order_id"]
    client.control("POST", "/settings", {"rate_limit": {"requests_per_second": 2, "retry_after": 30}})
    answers = [capture(client, auth, oid) for _ in range(4)]
    assert [a[0] for a in answers] == [201, 201, 429, 429]
    status, headers, body = answers[2]
    assert (headers["retry-after"], body["error_code"], body["error_messages"]) == ("30", "TOO_MANY_REQUESTS",
                                                                                    ["Too many requests"])
    assert client.control("GET", f"/orders/{oid}")["captured_amount"] == 2000
    log = client.control("GET", f"/requests?order_id={oid}")
    assert [(e["status"], e.get("rate_limited")) for e in log] == [(201, None), (201, None), (429, True), (429, True)]


def test_once_limited_every_request_waits_for_retry_after_then_the_window_is_new(client):
    auth = merchant(client)
    oid = client.seed(merchant=auth[0])["order_id"]
    client.control("POST", "/settings", {"rate_limit": {"requests_per_second": 1, "retry_after": 2}})
    assert capture(client, auth, oid)[0] == 201
    assert capture(client, auth, oid)[0] == 429          # the second in the same second: limited for 2 s
    time.sleep(1.2)                                       # the window has moved on, the limit has not
    assert client.call("GET", f"/ordermanagement/v1/orders/{oid}", auth=auth)[0] == 429
    time.sleep(1.0)
    assert client.call("GET", f"/ordermanagement/v1/orders/{oid}", auth=auth)[0] == 200
    assert capture(client, auth, oid)[0] == 429          # reads count like the rest


def test_the_limit_is_per_merchant(client):
    first, second = merchant(client), merchant(client)
    orders = {m: client.seed(merchant=m[0])["order_id"] for m in (first, second)}
    client.control("POST", "/settings", {"rate_limit": {"requests_per_second": 1, "retry_after": 30}})
    assert [capture(client, first, orders[first])[0] for _ in range(2)] == [201, 429]
    assert capture(client, second, orders[second])[0] == 201


def test_concurrent_requests_never_pass_more_than_the_limit(client):
    auth = merchant(client)
    oids = [client.seed(merchant=auth[0])["order_id"] for _ in range(12)]
    client.control("POST", "/settings", {"rate_limit": {"requests_per_second": 5, "retry_after": 30}})
    answers = {}
    threads = [threading.Thread(target=lambda o=o: answers.__setitem__(o, capture(client, auth, o)[0])) for o in oids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers.values()).count(201) <= 5
    assert sum(client.control("GET", f"/orders/{o}")["captured_amount"] for o in oids) == 1000 * list(answers.values()).count(201)


def test_off_by_default_and_switched_off_with_zero(client):
    auth = merchant(client)
    oid = client.seed(merchant=auth[0])["order_id"]
    assert client.control("POST", "/settings", {})["rate_limit"] == {"requests_per_second": 0, "retry_after": 1}
    assert [capture(client, auth, oid)[0] for _ in range(5)] == [201] * 5
    client.control("POST", "/settings", {"rate_limit": {"requests_per_second": 1, "retry_after": 30}})
    assert [capture(client, auth, oid)[0] for _ in range(2)] == [201, 429]
    client.control("POST", "/settings", {"rate_limit": {"requests_per_second": 0}})
    assert capture(client, auth, oid)[0] == 201


@pytest.mark.parametrize("limit", [7, "fast", {"requests_per_second": -1}, {"requests_per_second": 1.5},
                                   {"requests_per_second": 2, "retry_after": "soon"}])
def test_a_malformed_rate_limit_is_refused_and_changes_nothing(client, limit):
    status, _, body = client.call("POST", "/_sandbox/settings", {"rate_limit": limit, "strict_lines": False}, auth=None)
    assert status == 400 and "error" in body
    assert client.control("POST", "/settings", {}) == {"strict_lines": True, "unauthorized_body": "html",
                                                       "rate_limit": {"requests_per_second": 0, "retry_after": 1}}
