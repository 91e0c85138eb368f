#!/usr/bin/env python3
"""A local, stateful stand-in for Klarna's Order Management API (ordermanagement/v1).

Tests and the demo start it on an ephemeral loopback port; a developer can run it by hand:

    scripts/klarna-sandbox --port 8765 --credentials PK_demo:demo-secret

It answers every Order Management endpoint the product uses with Klarna's status codes, headers and error bodies,
applies Klarna's rules (Klarna's API reference, §4 and §8), checks the order-line arithmetic, replays
Klarna-Idempotency-Key answers and checks HTTP Basic credentials. It needs nothing outside the repository.

Request bodies are validated with a real JSON-schema validator, always against the sandbox's own schema
(request_bodies.schema.json beside this file: Klarna's documented fields, types, patterns, required fields, lengths
and bounds), and in addition against Klarna's full OpenAPI document (klarna-orders.json) when one is given with
--spec PATH or KLARNA_SPEC. A refused body is answered 422 UNPROCESSABLE_ENTITY with one message per violation,
naming the field as Klarna does ("The size of the description value must be between 0 and 255").

Idempotency: a POST or PATCH with a Klarna-Idempotency-Key is executed once; its answer (4xx included, never 5xx or
429) is replayed, whatever the new body, to every request with that key for 24 hours after the first request, on the
sandbox's clock; then the key is new again. A request whose key is still being processed gets 409 CONFLICT.

Control API (not part of Klarna's surface), JSON in and out, no authentication:
    GET    /_sandbox/health                      {"ok": true, "klarna_spec": path or null}
    POST   /_sandbox/credentials                 {"username", "password"}: accept these credentials
    POST   /_sandbox/orders                      seed an order (see seed_order); returns the order as Klarna holds it
    GET    /_sandbox/orders/{id}                 the order as Klarna holds it: status, the amounts (order, captured,
                                                 refunded, remaining authorized), captures[] and refunds[] each with
                                                 its id and amount (captured_amount / refunded_amount)
    POST   /_sandbox/faults                      faults for requests on one order ("order_id"), or on any order without
                                                 faults of its own (no "order_id"); every field is optional and one
                                                 given replaces its setting; answers the settings now in force, or 400
                                                 on a malformed field (nothing changes then):
        "latency_ms": ms                         every request waits this long before it is handled at all
        "fail_next": {"count": n, "status": s, "retry_after": secs}
                                                 the next n requests are answered s (429, 5xx; 409 too) in Klarna's
                                                 error shape and not executed; with retry_after (integer >= 0) the
                                                 answer carries "Retry-After: secs". count defaults to 1, status to 500
        "drop_next_mutating": n                  the next n successful POST/PATCH answers are lost: the request is
                                                 committed (or its stored answer replayed), then the connection
                                                 breaks before any answer
        "slow_next_mutating": {"count": n, "latency_ms": ms}
                                                 the next n POST/PATCH that will execute (not replays, 409s or
                                                 injected failures) are registered in flight under their idempotency
                                                 key first, then held ms, then executed, committed and answered (to a
                                                 client that has usually timed out and gone). A request with the same
                                                 key meanwhile gets 409 CONFLICT. Their log entries carry "held_ms"
    POST   /_sandbox/settings                    {"strict_lines": bool, "unauthorized_body": "html"|"json"|"none",
                                                  "rate_limit": {"requests_per_second": n, "retry_after": secs}};
                                                 answers the settings now in force, or 400 on a malformed rate_limit
        "rate_limit"                             Klarna's rate limit, per merchant (Klarna's API reference, §9.1): a
                                                 merchant's request arriving when n of its requests arrived in the
                                                 second before is answered 429 TOO_MANY_REQUESTS with
                                                 "Retry-After: secs" (default 1) and not executed, and so is every
                                                 request of that merchant until secs have passed ("once limited,
                                                 every request gets 429 until the window resets"). Refused requests
                                                 do not count. Their log entries carry "rate_limited": true. n 0 (the
                                                 default) switches it off
    POST   /_sandbox/clock                       {"advance_seconds": n}: move the sandbox's clock forward (order
                                                 expiry, idempotency keys' 24 hours)
    GET    /_sandbox/requests[?order_id=…]       the request log (Authorization secrets removed); an entry has method,
                                                 path, headers, body, idempotency_key, order_id, status, replayed,
                                                 and where they apply injected, dropped, held_ms
    DELETE /_sandbox/requests                    clear the log
    POST   /_sandbox/reset                       forget everything but credentials given on the command line
"""
import argparse
import base64
import bisect
import datetime
import json
import os
import pathlib
import re
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

try:
    import jsonschema
except ImportError:  # pragma: no cover - reported once, clearly
    sys.exit("klarna-sandbox needs the Python package jsonschema: pip install jsonschema (or apt-get install python3-jsonschema)")
try:
    import referencing
    import referencing.jsonschema
except ImportError:  # jsonschema before 4.18 (Debian 12's python3-jsonschema) resolves $ref itself
    referencing = None

OWN_SCHEMA = pathlib.Path(__file__).resolve().with_name("request_bodies.schema.json")
MAX_BODY = 1_000_000
AUTH_PERIOD = datetime.timedelta(days=28)
MAX_AUTH = datetime.timedelta(days=180)
IDEMPOTENCY_TTL = datetime.timedelta(hours=24)  # a key's answer is replayed for 24 h after its first request


class KlarnaError(Exception):
    """An error answer in Klarna's shape: {error_code, error_messages, correlation_id}."""

    def __init__(self, status, code, *messages):
        super().__init__(code)
        self.status, self.code, self.messages = status, code, list(messages)


class Schemas:
    """Validates request bodies: always against the project's own schema (request_bodies.schema.json, beside this
    file, written from Klarna's documented fields, types and limits), and also against Klarna's full OpenAPI document
    when one is given (--spec or KLARNA_SPEC). A body refused by either is answered 422 UNPROCESSABLE_ENTITY, one message
    per violation, each naming its field."""

    BODIES = {  # the kind of body -> its schema's name, the same in both documents
        "capture": "CaptureObject",
        "refund": "RefundObject",
        "authorization": "Update_authorization",
        "merchant_references": "Update_merchant_references",
        "customer_details": "UpdateConsumer",
        "shipping_info": "UpdateShippingInfo",
    }

    def __init__(self, spec_path=None):
        own = json.loads(OWN_SCHEMA.read_text(encoding="utf-8"))
        self.own = {kind: jsonschema.Draft4Validator({**own, "$ref": f"#/definitions/{name}"})
                    for kind, name in self.BODIES.items()}
        self.spec = self.load_spec(spec_path) if spec_path else None
        self.spec_path = str(pathlib.Path(spec_path).resolve()) if spec_path else None

    @classmethod
    def load_spec(cls, spec_path):
        path = pathlib.Path(spec_path)
        if not path.is_file():
            sys.exit(f"klarna-sandbox: no Klarna OpenAPI document at {path} (--spec or KLARNA_SPEC)")
        spec = json.loads(path.read_text(encoding="utf-8"))
        if referencing is not None:
            resource = referencing.Resource.from_contents(spec, default_specification=referencing.jsonschema.DRAFT4)
            registry = referencing.Registry().with_resource("urn:klarna-orders", resource)
            make = lambda name: jsonschema.Draft4Validator(
                {"$ref": f"urn:klarna-orders#/components/schemas/{name}"}, registry=registry)
        else:
            resolver = jsonschema.RefResolver(base_uri="urn:klarna-orders", referrer=spec)
            make = lambda name: jsonschema.Draft4Validator(
                {"$ref": f"urn:klarna-orders#/components/schemas/{name}"}, resolver=resolver)
        return {kind: make(name) for kind, name in cls.BODIES.items()}

    @staticmethod
    def messages(validator, body):
        """Klarna-style messages for every violation, in field order, without repeats."""
        errors = sorted(validator.iter_errors(body), key=lambda e: [str(p) for p in e.absolute_path])
        return list(dict.fromkeys(message for error in errors for message in describe(error)))

    def errors(self, kind, body):
        """What the own schema refuses; when it accepts, what Klarna's full document refuses (if given)."""
        found = self.messages(self.own[kind], body)
        if not found and self.spec:
            found = self.messages(self.spec[kind], body)
        return found

    def check(self, kind, body):
        found = self.errors(kind, body)
        if found:
            raise KlarnaError(422, "UNPROCESSABLE_ENTITY", *found)


def describe(error):
    """One schema violation in Klarna's words ("The size of the shipping_info/shipping_company value must be between
    0 and 100"): the field is named by its path of names, array positions left out, as Klarna does."""
    names = [str(p) for p in error.absolute_path if not isinstance(p, int)]
    schema, kind, value = error.schema, error.validator, error.validator_value
    if kind == "required":
        return [f"The {'/'.join(names + [name])} value is required" for name in value
                if isinstance(error.instance, dict) and name not in error.instance]
    field = "/".join(names) or "request body"
    if kind in ("maxLength", "minLength", "maxItems", "minItems"):  # Klarna words a string's and a list's size alike
        unit = "Length" if kind.endswith("Length") else "Items"
        return [f"The size of the {field} value must be between {schema.get('min' + unit, 0)} and "
                f"{schema.get('max' + unit, 'unlimited')}"]
    if kind in ("maximum", "minimum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        bounds = (f"between {low} and {high}" if low is not None and high is not None
                  else f"at least {low}" if low is not None else f"at most {high}")
        return [f"The {field} value must be {bounds}"]
    if kind == "type":
        return [f"The {field} value must be of type {value}"]
    if kind == "pattern":
        return [f"The {field} value must match {value}"]
    return [f"The {field} value is invalid: {error.message}"]


class Sandbox:
    """All state; every method runs under self.lock."""

    def __init__(self, schemas, credentials):
        self.schemas = schemas
        self.lock = threading.RLock()
        self.base_credentials = dict(credentials)
        self.reset()

    def reset(self):
        self.credentials = dict(self.base_credentials)
        self.orders = {}
        self.idempotent = {}          # (merchant, key) -> (status, headers, body, time of the first request)
        self.in_flight = set()        # (merchant, key) of requests being processed (or held: slow_next_mutating)
        self.log = []
        self.clock_offset = 0.0
        self.faults = {}              # order id (None: any order) -> fault settings, see faults_for
        self.settings = {"strict_lines": True, "unauthorized_body": "html",
                         "rate_limit": {"requests_per_second": 0, "retry_after": 1}}
        self.arrivals = {}            # merchant -> arrival times (time.monotonic()) of its accepted requests, sorted
        self.limited_until = {}       # merchant -> until when every request of it gets 429

    def set_settings(self, body):
        """Applies a POST /_sandbox/settings body; ValueError when rate_limit is malformed (nothing changes then)."""
        changes = {k: v for k, v in body.items() if k in self.settings and k != "rate_limit"}
        if "rate_limit" in body:
            limit = body["rate_limit"]
            if not isinstance(limit, dict):
                raise ValueError("rate_limit must be an object")
            values = {"requests_per_second": limit.get("requests_per_second", 0), "retry_after": limit.get("retry_after", 1)}
            if any(type(v) is not int or v < 0 for v in values.values()):
                raise ValueError("rate_limit.requests_per_second and rate_limit.retry_after must be integers >= 0")
            changes["rate_limit"] = values
        self.settings.update(changes)
        return self.settings

    def rate_limited(self, merchant, arrived):
        """Whether Klarna's rate limit refuses this merchant's request that arrived at `arrived` (time.monotonic());
        an accepted one is counted. Call with the lock held."""
        limit = self.settings["rate_limit"]
        if limit["requests_per_second"] <= 0:
            return False
        arrivals = self.arrivals.setdefault(merchant, [])
        del arrivals[:bisect.bisect_right(arrivals, arrived - 2.0)]  # older ones can never count again
        in_window = len(arrivals) - bisect.bisect_right(arrivals, arrived - 1.0)
        if arrived < self.limited_until.get(merchant, 0.0):
            return True
        if in_window >= limit["requests_per_second"]:
            self.limited_until[merchant] = arrived + limit["retry_after"]
            return True
        bisect.insort(arrivals, arrived)
        return False

    def now(self):
        return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=self.clock_offset)

    def faults_for(self, order_id, create=False):
        """The faults that apply to a request on this order: the order's own if set, else the global ones."""
        key = order_id if order_id in self.faults or create else None
        if key not in self.faults:
            self.faults[key] = {"latency_ms": 0, "fail_next": {"count": 0, "status": 500, "retry_after": None},
                                "drop_next_mutating": 0, "slow_next_mutating": {"count": 0, "latency_ms": 0}}
        return self.faults[key]

    def set_faults(self, body):
        """Applies a POST /_sandbox/faults body; ValueError when a field is malformed (nothing is changed then)."""
        def number(value, name, default=None):
            value = default if value is None else value
            if type(value) is not int or value < 0:
                raise ValueError(f"{name} must be an integer >= 0")
            return value
        def fields(name):
            value = body[name]
            if not isinstance(value, dict):
                raise ValueError(f"{name} must be an object")
            return value
        changes = {}
        if "latency_ms" in body:
            changes["latency_ms"] = number(body["latency_ms"], "latency_ms")
        if "fail_next" in body:
            fail = fields("fail_next")
            retry_after = fail.get("retry_after")
            changes["fail_next"] = {"count": number(fail.get("count"), "fail_next.count", 1),
                                    "status": number(fail.get("status"), "fail_next.status", 500),
                                    "retry_after": None if retry_after is None else number(retry_after, "fail_next.retry_after")}
        if "drop_next_mutating" in body:
            changes["drop_next_mutating"] = number(body["drop_next_mutating"], "drop_next_mutating")
        if "slow_next_mutating" in body:
            slow = fields("slow_next_mutating")
            changes["slow_next_mutating"] = {"count": number(slow.get("count"), "slow_next_mutating.count", 1),
                                             "latency_ms": number(slow.get("latency_ms"), "slow_next_mutating.latency_ms", 0)}
        faults = self.faults_for(body.get("order_id"), create=True)
        faults.update(changes)
        return faults

    def stored_answer(self, merchant, key):
        """The answer stored for this idempotency key, or None; it expires IDEMPOTENCY_TTL after the first request,
        on the sandbox's clock, and the key is new again."""
        stored = self.idempotent.get((merchant, key))
        if stored and self.now() >= stored[3] + IDEMPOTENCY_TTL:
            del self.idempotent[(merchant, key)]
            return None
        return stored

    # --- seeding -------------------------------------------------------------------------------------------

    def seed_order(self, spec):
        merchant = spec.get("merchant") or next(iter(self.credentials), "merchant")
        order_id = spec.get("order_id") or str(uuid.uuid4())
        lines = spec.get("order_lines", [])
        amount = spec.get("order_amount", sum(l.get("total_amount", 0) for l in lines))
        created = self.now()
        expires = spec.get("expires_at") or (created + AUTH_PERIOD).replace(hour=0, minute=0, second=0, microsecond=0).isoformat()
        order = {
            "order_id": order_id, "merchant": merchant, "status": spec.get("status", "AUTHORIZED"),
            "fraud_status": spec.get("fraud_status", "ACCEPTED"),
            "order_amount": amount, "original_order_amount": amount, "captured_amount": 0, "refunded_amount": 0,
            "remaining_authorized_amount": amount,
            "purchase_currency": spec.get("purchase_currency", "EUR"), "purchase_country": spec.get("purchase_country", "SE"),
            "locale": spec.get("locale", "en-SE"), "order_lines": lines,
            "merchant_reference1": spec.get("merchant_reference1", ""), "merchant_reference2": spec.get("merchant_reference2", ""),
            "klarna_reference": spec.get("klarna_reference", uuid.uuid4().hex[:8].upper()),
            "billing_address": spec.get("billing_address", {}), "shipping_address": spec.get("shipping_address", {}),
            "created_at": created.isoformat(), "expires_at": expires,
            "captures": [], "refunds": [], "shipping_info": [],
            "initial_payment_method": spec.get("initial_payment_method", {"type": "INVOICE", "description": "Pay later"}),
            "decline_increase": bool(spec.get("decline_increase", False)),
        }
        if order["status"] == "CANCELLED":
            order["remaining_authorized_amount"] = 0
        self.orders[order_id] = order
        return self.public(order)

    @staticmethod
    def public(order):
        return {k: v for k, v in order.items() if k not in ("merchant", "decline_increase")}

    # --- Klarna's rules -------------------------------------------------------------------------------------

    def order(self, merchant, order_id, not_found=("NO_SUCH_ORDER", "Order {} cannot be found")):
        order = self.orders.get(order_id)
        if order is None or order["merchant"] != merchant:
            code, text = not_found
            raise KlarnaError(404, code, text.format(order_id))
        self.expire(order)
        return order

    def expire(self, order):
        if order["status"] in ("AUTHORIZED", "PART_CAPTURED"):
            expires = datetime.datetime.fromisoformat(order["expires_at"].replace("Z", "+00:00"))
            if self.now() >= expires:
                order["status"] = "EXPIRED" if order["status"] == "AUTHORIZED" else "CLOSED"
                order["remaining_authorized_amount"] = 0

    def check_lines(self, lines, amount, amount_field):
        if not self.settings["strict_lines"] or lines is None:
            return
        total = 0
        for index, line in enumerate(lines):
            expected = line["quantity"] * line["unit_price"] - line.get("total_discount_amount", 0)
            if line["total_amount"] != expected:
                raise KlarnaError(422, "UNPROCESSABLE_ENTITY",
                                  f"order_lines[{index}].total_amount {line['total_amount']} is not quantity * unit_price - total_discount_amount = {expected}")
            total += line["total_amount"]
        if lines and total != amount:
            raise KlarnaError(422, "UNPROCESSABLE_ENTITY",
                              f"The order lines add up to {total}, which is not {amount_field} {amount}")

    def cancel(self, merchant, order_id, body):
        order = self.order(merchant, order_id)
        if order["captures"]:
            raise KlarnaError(403, "CANCEL_NOT_ALLOWED", "Order has previous captures. Cancel not possible.")
        if order["status"] != "AUTHORIZED":
            raise KlarnaError(403, "CANCEL_NOT_ALLOWED", f"Order is {order['status'].lower()}. Cancel not possible.")
        order["status"] = "CANCELLED"
        order["remaining_authorized_amount"] = 0
        return 204, {}, None

    def capture(self, merchant, order_id, body):
        self.schemas.check("capture", body)
        order = self.order(merchant, order_id)
        amount = body["captured_amount"]
        self.check_lines(body.get("order_lines"), amount, "captured_amount")
        if order["status"] == "CANCELLED":
            raise KlarnaError(403, "CAPTURE_NOT_ALLOWED", f"Order {order_id} is cancelled. Capture not possible.")
        if order["status"] in ("EXPIRED", "CLOSED"):
            raise KlarnaError(403, "CAPTURE_NOT_ALLOWED", f"Order {order_id} is expired. Capture not possible.")
        if order["fraud_status"] != "ACCEPTED":
            raise KlarnaError(403, "CAPTURE_NOT_ALLOWED", f"Order {order_id} is pending fraud review or rejected. Capture not possible.")
        if amount < 1:
            raise KlarnaError(403, "CAPTURE_NOT_ALLOWED", "Captured amount must be positive. Capture not possible.")
        if amount > order["remaining_authorized_amount"]:
            raise KlarnaError(403, "CAPTURE_NOT_ALLOWED",
                              "Captured amount is higher than the remaining authorized amount. Capture not possible.")
        capture_id = str(uuid.uuid4())
        order["captures"].append({
            "capture_id": capture_id, "klarna_reference": f"{order['klarna_reference']}-{len(order['captures']) + 1}",
            "captured_amount": amount, "captured_at": self.now().isoformat(),
            "description": body.get("description", ""), "reference": body.get("reference", ""),
            "order_lines": body.get("order_lines", []), "refunded_amount": 0,
            "shipping_info": body.get("shipping_info", []),
            "billing_address": order["billing_address"], "shipping_address": order["shipping_address"],
        })
        order["captured_amount"] += amount
        order["remaining_authorized_amount"] = order["order_amount"] - order["captured_amount"]
        order["status"] = "CAPTURED" if order["captured_amount"] >= order["order_amount"] else "PART_CAPTURED"
        return 201, {"Capture-Id": capture_id,
                     "Location": f"{self.base_url}/ordermanagement/v1/orders/{order_id}/captures/{capture_id}"}, None

    def refund(self, merchant, order_id, body):
        self.schemas.check("refund", body)
        order = self.order(merchant, order_id, not_found=("NOT_FOUND", "Order {} cannot be found"))
        amount = body["refunded_amount"]
        self.check_lines(body.get("order_lines"), amount, "refunded_amount")
        if order["status"] == "CANCELLED":
            raise KlarnaError(403, "REFUND_NOT_ALLOWED", "Order is cancelled. Refund not possible.")
        if not order["captures"]:
            raise KlarnaError(403, "REFUND_NOT_ALLOWED", "Order has no captures. Refund not possible")
        if amount < 1 or order["refunded_amount"] + amount > order["captured_amount"]:
            raise KlarnaError(403, "REFUND_NOT_ALLOWED", "Over refund is not allowed. Refund not possible.")
        refund_id = str(uuid.uuid4())
        order["refunds"].append({
            "refund_id": refund_id, "refunded_amount": amount, "refunded_at": self.now().isoformat(),
            "description": body.get("description", ""), "reference": body.get("reference", ""),
            "order_lines": body.get("order_lines", []),
        })
        order["refunded_amount"] += amount
        remaining = amount
        for capture in order["captures"]:  # oldest first
            share = min(remaining, capture["captured_amount"] - capture["refunded_amount"])
            capture["refunded_amount"] += share
            remaining -= share
        return 201, {"Refund-Id": refund_id,
                     "Location": f"{self.base_url}/ordermanagement/v1/orders/{order_id}/refunds/{refund_id}"}, None

    def update_authorization(self, merchant, order_id, body):
        self.schemas.check("authorization", body)
        order = self.order(merchant, order_id)
        amount = body["order_amount"]
        self.check_lines(body.get("order_lines"), amount, "order_amount")
        if order["status"] in ("CAPTURED", "CANCELLED", "EXPIRED", "CLOSED"):
            raise KlarnaError(403, "NOT_ALLOWED", "Update not allowed.")
        if amount < order["captured_amount"]:
            raise KlarnaError(403, "NOT_ALLOWED",
                              f"Resulting authorization amount {amount} cannot be less than the captured amount "
                              f"{order['captured_amount']} for order. Order authorization cannot be updated")
        if amount > order["order_amount"] and order["decline_increase"]:
            raise KlarnaError(403, "NOT_ALLOWED", "Update not allowed. The increased amount was not approved.")
        order["order_amount"] = amount
        order["order_lines"] = body.get("order_lines", [])
        order["remaining_authorized_amount"] = amount - order["captured_amount"]
        if order["captures"] and order["remaining_authorized_amount"] == 0:
            order["status"] = "CAPTURED"
        return 204, {}, None

    def extend_authorization(self, merchant, order_id, body):
        order = self.order(merchant, order_id)
        if order["status"] in ("CANCELLED", "EXPIRED", "CLOSED"):
            raise KlarnaError(403, "NOT_ALLOWED", "Order is expired. Authorization time cannot be extended.")
        created = datetime.datetime.fromisoformat(order["created_at"])
        new = min((self.now() + AUTH_PERIOD).replace(hour=0, minute=0, second=0, microsecond=0), created + MAX_AUTH)
        order["expires_at"] = new.isoformat()
        return 204, {}, None

    def release_authorization(self, merchant, order_id, body):
        order = self.order(merchant, order_id)
        if order["status"] == "CANCELLED" or not order["captures"]:
            raise KlarnaError(403, "NOT_ALLOWED", "Can not release when order is cancelled or has no captures.")
        if order["status"] != "PART_CAPTURED":
            raise KlarnaError(403, "NOT_ALLOWED", "Order is fully captured. Remaining authorization cannot be released.")
        order["remaining_authorized_amount"] = 0
        order["status"] = "CLOSED"
        return 204, {}, None

    def merchant_references(self, merchant, order_id, body):
        self.schemas.check("merchant_references", body)
        order = self.order(merchant, order_id)
        if order["status"] == "CANCELLED":
            raise KlarnaError(403, "NOT_ALLOWED", "Can not update a cancelled order.")
        for key in ("merchant_reference1", "merchant_reference2"):
            if key in body:
                order[key] = body[key]
        return 204, {}, None

    def customer_details(self, merchant, order_id, body):
        self.schemas.check("customer_details", body)
        order = self.order(merchant, order_id)
        if "billing_address" in body:
            raise KlarnaError(403, "NOT_ALLOWED",
                              "Billing address cannot be updated for user account order. Customer details cannot be updated.")
        if order["status"] in ("CANCELLED", "EXPIRED", "CLOSED"):
            raise KlarnaError(403, "NOT_ALLOWED", "Update not allowed.")
        address = body.get("shipping_address", {})
        if address.get("country") and not re.fullmatch(r"[A-Za-z]{2}", address["country"]):
            raise KlarnaError(422, "INVALID_ADDRESS", "The shipping and/or billing address is invalid")
        order["shipping_address"] = {**order["shipping_address"], **address}
        return 204, {}, None

    def capture_shipping_info(self, merchant, order_id, body, capture_id):
        self.schemas.check("shipping_info", body)
        order = self.order(merchant, order_id)
        if not order["captures"]:
            raise KlarnaError(403, "NOT_ALLOWED", "Order has no captures.")
        capture = self.find_capture(order, capture_id)
        capture["shipping_info"].extend(body["shipping_info"])
        return 204, {}, None

    @staticmethod
    def find_capture(order, capture_id):
        for capture in order["captures"]:
            if capture["capture_id"] == capture_id:
                return capture
        raise KlarnaError(404, "NO_SUCH_CAPTURE", f"Capture {capture_id} could not be found.")

    def get_order(self, merchant, order_id):
        return 200, {}, self.public(self.order(merchant, order_id))

    def get_capture(self, merchant, order_id, capture_id):
        return 200, {}, self.find_capture(self.order(merchant, order_id), capture_id)

    def get_refund(self, merchant, order_id, refund_id):
        order = self.order(merchant, order_id, not_found=("NOT_FOUND", "Order {} cannot be found"))
        for refund in order["refunds"]:
            if refund["refund_id"] == refund_id:
                return 200, {}, refund
        raise KlarnaError(404, "NOT_FOUND", f"Refund {refund_id} cannot be found for order {order_id}")


# Klarna's error code and message for the statuses fail_next injects (409 is also the in-flight key's answer).
INJECTED = {409: ("CONFLICT", "This request conflicts with the current state of the target resource"),
            429: ("TOO_MANY_REQUESTS", "Too many requests"),
            500: ("INTERNAL_SERVER_ERROR", "Unexpected server error"),
            503: ("TEMPORARILY_UNAVAILABLE", "Temporarily unavailable")}

ORDER = r"/ordermanagement/v1/orders/(?P<order>[^/]+)"
ROUTES = [  # (method, pattern, handler name, mutating, reads body)
    ("GET", ORDER + r"$", "get_order", False, False),
    ("POST", ORDER + r"/cancel$", "cancel", True, False),
    ("PATCH", ORDER + r"/authorization$", "update_authorization", True, True),
    ("POST", ORDER + r"/extend-authorization-time$", "extend_authorization", True, False),
    ("POST", ORDER + r"/release-remaining-authorization$", "release_authorization", True, False),
    ("PATCH", ORDER + r"/merchant-references$", "merchant_references", True, True),
    ("PATCH", ORDER + r"/customer-details$", "customer_details", True, True),
    ("POST", ORDER + r"/captures$", "capture", True, True),
    ("GET", ORDER + r"/captures/(?P<sub>[^/]+)$", "get_capture", False, False),
    ("POST", ORDER + r"/captures/(?P<sub>[^/]+)/shipping-info$", "capture_shipping_info", True, True),
    ("POST", ORDER + r"/refunds$", "refund", True, True),
    ("GET", ORDER + r"/refunds/(?P<sub>[^/]+)$", "get_refund", False, False),
]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"       # keep-alive, as Klarna
    disable_nagle_algorithm = True      # one write per answer would do too; this avoids the 40 ms Nagle stall
    server_version = "KlarnaSandbox/1"
    sandbox: Sandbox = None

    def log_message(self, *args):       # quiet: the request log is the record
        pass

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PATCH(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    # --- plumbing -------------------------------------------------------------------------------------------

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.rfile.read(length)
            raise KlarnaError(413, "REQUEST_TOO_LARGE", "Request is too large")
        return self.rfile.read(length) if length else b""

    def send(self, status, headers=None, body=None, correlation_id=None):
        payload = b"" if body is None else json.dumps(body).encode()
        head = [f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}"]
        headers = dict(headers or {})
        if correlation_id:
            headers["Klarna-Correlation-Id"] = correlation_id
        if payload:
            headers.setdefault("Content-Type", "application/json")
        headers["Content-Length"] = str(len(payload))
        head += [f"{k}: {v}" for k, v in headers.items()]
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)  # one write per answer

    def dispatch(self):
        try:
            url = urlsplit(self.path)
            if url.path.startswith("/_sandbox/"):
                return self.control(url)
            return self.klarna(url)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # --- the Klarna surface ---------------------------------------------------------------------------------

    def klarna(self, url):
        sandbox = self.sandbox
        correlation_id = str(uuid.uuid4())
        raw = b""
        arrived = time.monotonic()
        entry = {"method": self.command, "path": url.path, "headers": self.redacted_headers(), "time": time.time()}
        try:
            raw = self.read_body()
        except KlarnaError as error:
            return self.answer_error(error, correlation_id, entry)
        entry["body"] = self.parse_for_log(raw)
        route = self.route(url.path)
        with sandbox.lock:
            faults = sandbox.faults_for(route[1].get("order") if route else None)
            latency = faults["latency_ms"]
        if latency:
            time.sleep(latency / 1000)

        key = self.headers.get("Klarna-Idempotency-Key")
        entry["idempotency_key"] = key
        entry["order_id"] = route[1].get("order") if route else None
        merchant = self.authenticate()
        if merchant is None:
            return self.answer_unauthorized(correlation_id, entry)
        if route is None:
            return self.answer_error(KlarnaError(404, "NOT_FOUND", f"No such endpoint: {self.command} {url.path}"),
                                     correlation_id, entry)
        (name, mutating, has_body), params = route

        with sandbox.lock:
            if sandbox.rate_limited(merchant, arrived):
                entry["rate_limited"] = True
                retry_after = sandbox.settings["rate_limit"]["retry_after"]
                return self.answer_error(KlarnaError(429, *INJECTED[429]), correlation_id, entry,
                                         headers={"Retry-After": str(retry_after)})
            fail = faults["fail_next"]
            if fail["count"] > 0:
                fail["count"] -= 1
                status = fail["status"]
                code, text = INJECTED.get(status, INJECTED[503])
                headers = {} if fail["retry_after"] is None else {"Retry-After": str(fail["retry_after"])}
                return self.answer_error(KlarnaError(status, code, text), correlation_id, entry, injected=True,
                                         headers=headers)
            if mutating and key:
                stored = sandbox.stored_answer(merchant, key)
                if stored:
                    status, headers, body, _ = stored
                    entry.update(status=status, replayed=True)
                    sandbox.log.append(entry)
                    if self.lose_answer(faults, status, entry):
                        return
                    return self.send(status, headers, body, correlation_id)
                if (merchant, key) in sandbox.in_flight:
                    return self.answer_error(KlarnaError(409, *INJECTED[409]), correlation_id, entry)
                sandbox.in_flight.add((merchant, key))
            first_request = sandbox.now()
            slow, hold_ms = faults["slow_next_mutating"], 0
            if mutating and slow["count"] > 0:  # in flight under its key from here on, then held, then processed
                slow["count"] -= 1
                hold_ms = entry["held_ms"] = slow["latency_ms"]
        try:
            if hold_ms:
                time.sleep(hold_ms / 1000)
            status, headers, answer = self.process(name, mutating, has_body, merchant, params, raw, correlation_id)
        finally:
            with sandbox.lock:
                sandbox.in_flight.discard((merchant, key))
        with sandbox.lock:
            if mutating and key and status < 500 and status != 429:
                sandbox.idempotent[(merchant, key)] = (status, headers, answer, first_request)
            entry.update(status=status, replayed=False)
            sandbox.log.append(entry)
            lost = mutating and self.lose_answer(faults, status, entry)
        if not lost:
            self.send(status, headers, answer, correlation_id)

    def lose_answer(self, faults, status, entry):
        """Under drop_next_mutating, breaks the connection instead of sending a successful answer (the request is
        committed, or was before); whether it did. Call with the sandbox's lock held."""
        if status >= 300 or faults["drop_next_mutating"] <= 0:
            return False
        faults["drop_next_mutating"] -= 1
        entry["dropped"] = True
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return True

    def process(self, name, mutating, has_body, merchant, params, raw, correlation_id):
        """Runs one Klarna operation: (status, headers, answer), Klarna's errors included."""
        sandbox = self.sandbox
        try:
            body = None
            if has_body:
                try:
                    body = json.loads(raw.decode("utf-8")) if raw else None
                except (UnicodeDecodeError, json.JSONDecodeError):
                    raise KlarnaError(400, "BAD_REQUEST", "The request body is not valid JSON")
                if not isinstance(body, dict):
                    raise KlarnaError(400, "BAD_REQUEST", "The request body must be a JSON object")
            with sandbox.lock:
                handler = getattr(sandbox, name)
                args = [merchant, params["order"]]
                if mutating:
                    args.append(body)
                if "sub" in params:
                    args.append(params["sub"])
                return handler(*args)
        except KlarnaError as error:
            return error.status, {}, {"error_code": error.code, "error_messages": error.messages,
                                      "correlation_id": correlation_id}

    def route(self, path):
        for method, pattern, name, mutating, has_body in ROUTES:
            match = re.match(pattern, path)
            if match and method == self.command:
                return (name, mutating, has_body), match.groupdict()
        return None

    def authenticate(self):
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return None
        try:
            username, _, password = base64.b64decode(header[6:], validate=True).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return None
        with self.sandbox.lock:
            return username if self.sandbox.credentials.get(username) == password and password else None

    def redacted_headers(self):
        headers = {}
        for name, value in self.headers.items():
            if name.lower() == "authorization":
                try:
                    username = base64.b64decode(value.split(" ", 1)[1]).decode("utf-8", "replace").partition(":")[0]
                except (ValueError, IndexError):
                    username = "?"
                value = f"Basic {username}:[redacted]"
            headers[name] = value
        return headers

    @staticmethod
    def parse_for_log(raw):
        if not raw:
            return None
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return {"unparsed": raw[:200].decode("utf-8", "replace")}

    def answer_error(self, error, correlation_id, entry, injected=False, headers=None):
        entry.update(status=error.status, replayed=False, injected=injected)
        with self.sandbox.lock:
            self.sandbox.log.append(entry)
        self.send(error.status, headers, {"error_code": error.code, "error_messages": error.messages,
                                     "correlation_id": correlation_id}, correlation_id)

    def answer_unauthorized(self, correlation_id, entry):
        entry.update(status=401, replayed=False)
        with self.sandbox.lock:
            self.sandbox.log.append(entry)
            style = self.sandbox.settings["unauthorized_body"]
        if style == "json":
            return self.send(401, {}, {"error_code": "PERMISSION_DENIED",
                                       "error_message": "Authentication failed or permission not granted"}, correlation_id)
        page = b"" if style == "none" else b"<html><head><title>401 Authorization Required</title></head><body><h1>401 Authorization Required</h1></body></html>"
        self.wfile.write((f"HTTP/1.1 401 Unauthorized\r\nKlarna-Correlation-Id: {correlation_id}\r\n"
                          f"WWW-Authenticate: Basic realm=\"Klarna\"\r\nContent-Type: text/html\r\n"
                          f"Content-Length: {len(page)}\r\n\r\n").encode() + page)

    # --- the control API ------------------------------------------------------------------------------------

    def control(self, url):
        sandbox = self.sandbox
        path = url.path[len("/_sandbox"):]
        try:
            raw = self.read_body()
            body = json.loads(raw) if raw else {}
        except (KlarnaError, json.JSONDecodeError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            return self.send(400, {}, {"error": "body must be a JSON object"})
        with sandbox.lock:
            if self.command == "GET" and path == "/health":
                return self.send(200, {}, {"ok": True, "klarna_spec": sandbox.schemas.spec_path})
            if self.command == "POST" and path == "/credentials":
                sandbox.credentials[body["username"]] = body["password"]
                return self.send(204)
            if self.command == "POST" and path == "/orders":
                return self.send(201, {}, sandbox.seed_order(body))
            if self.command == "GET" and path.startswith("/orders/"):
                order = sandbox.orders.get(path[len("/orders/"):])
                if order is None:
                    return self.send(404, {}, {"error": "no such order"})
                sandbox.expire(order)
                return self.send(200, {}, sandbox.public(order))
            if self.command == "POST" and path == "/faults":
                try:
                    return self.send(200, {}, sandbox.set_faults(body))
                except ValueError as error:
                    return self.send(400, {}, {"error": str(error)})
            if self.command == "POST" and path == "/settings":
                try:
                    return self.send(200, {}, sandbox.set_settings(body))
                except ValueError as error:
                    return self.send(400, {}, {"error": str(error)})
            if self.command == "POST" and path == "/clock":
                sandbox.clock_offset += float(body.get("advance_seconds", 0))
                return self.send(200, {}, {"now": sandbox.now().isoformat()})
            if self.command == "GET" and path == "/requests":
                wanted = parse_qs(url.query).get("order_id", [None])[0]
                entries = [e for e in sandbox.log if wanted is None or e.get("order_id") == wanted]
                return self.send(200, {}, entries)
            if self.command == "DELETE" and path == "/requests":
                sandbox.log.clear()
                return self.send(204)
            if self.command == "POST" and path == "/reset":
                sandbox.reset()
                return self.send(204)
        return self.send(404, {}, {"error": "no such control endpoint"})


class Server(ThreadingHTTPServer):
    """One thread per connection. A batch opens many connections at once: the listen backlog must hold them, where
    socketserver's default of 5 makes the kernel drop connection attempts, which then wait a second or more."""
    request_queue_size = 128


def serve(host, port, spec, credentials, port_file=None, parent_pid=None):
    sandbox = Sandbox(Schemas(spec), credentials)
    handler = type("BoundHandler", (Handler,), {"sandbox": sandbox})
    server = Server((host, port), handler)
    server.daemon_threads = True
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    sandbox.base_url = f"http://{shown}:{bound_port}"
    if parent_pid:  # stop with the test run that started us, even if it dies without cleaning up
        def watch():
            # A dead parent may linger as a zombie (kill(pid, 0) still succeeds), but its children are re-parented
            # the moment it exits: watch our own parent id.
            while True:
                time.sleep(0.2)
                if os.getppid() != parent_pid:
                    os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    if port_file:
        tmp = pathlib.Path(str(port_file) + ".tmp")
        tmp.write_text(str(bound_port))
        tmp.replace(port_file)
    checked = "its own schema" + (f" and {sandbox.schemas.spec_path}" if sandbox.schemas.spec_path else "")
    print(f"klarna-sandbox listening on {sandbox.base_url}; request bodies checked against {checked}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument("--port-file", help="write the bound port here once ready")
    parser.add_argument("--spec", default=os.environ.get("KLARNA_SPEC") or None,
                        help="also validate request bodies against Klarna's full OpenAPI document (klarna-orders.json) "
                             "at this path (default: $KLARNA_SPEC; none: the sandbox's own schema only)")
    parser.add_argument("--credentials", action="append", default=[], metavar="USER:PASSWORD",
                        help="accepted credentials; repeatable")
    parser.add_argument("--parent-pid", type=int, help="exit when our parent, which must have this pid, is gone")
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost") and not args.host.startswith("127."):
        parser.error("the sandbox binds loopback addresses only")
    credentials = dict(c.split(":", 1) for c in args.credentials)
    serve(args.host, args.port, args.spec, credentials, args.port_file, args.parent_pid)


if __name__ == "__main__":
    main()
