"""Starts one Klarna sandbox per test session on an ephemeral loopback port, and gives tests a tiny HTTP client."""
import base64
import http.client
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import uuid

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
USER, PASSWORD = "PK_test", "sandbox-secret-value"


class Client:
    def __init__(self, port):
        self.port = port

    def call(self, method, path, body=None, auth=(USER, PASSWORD), headers=None, raw=None, timeout=10):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        send = dict(headers or {})
        if auth:
            send["Authorization"] = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if payload is not None:
            send["Content-Type"] = "application/json"
        connection.request(method, path, body=payload, headers=send)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        parsed = None
        if data and response.getheader("Content-Type", "").startswith("application/json"):
            parsed = json.loads(data)
        return response.status, {k.lower(): v for k, v in response.getheaders()}, parsed if parsed is not None else data

    def control(self, method, path, body=None):
        return self.call(method, "/_sandbox" + path, body, auth=None)[2]

    def seed(self, **spec):
        spec.setdefault("order_id", str(uuid.uuid4()))
        spec.setdefault("order_lines", [{"type": "physical", "name": "Hoodie", "quantity": 2, "unit_price": 5000,
                                         "total_amount": 10000, "tax_rate": 2500, "total_tax_amount": 2000}])
        return self.control("POST", "/orders", spec)

    def om(self, method, order_id, suffix="", body=None, key=None, **kwargs):
        headers = {"Klarna-Idempotency-Key": key} if key else {}
        return self.call(method, f"/ordermanagement/v1/orders/{order_id}{suffix}", body, headers=headers, **kwargs)


@pytest.fixture(scope="session")
def sandbox():
    with tempfile.TemporaryDirectory() as folder:
        port_file = pathlib.Path(folder) / "port"
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts/sandbox/klarna_sandbox.py"), "--port", "0", "--port-file", str(port_file),
             "--credentials", f"{USER}:{PASSWORD}", "--parent-pid", str(os.getpid())],
            stdout=subprocess.DEVNULL)
        deadline = time.time() + 20
        while not port_file.exists():
            assert process.poll() is None, "the sandbox exited while starting"
            assert time.time() < deadline, "the sandbox did not start"
            time.sleep(0.05)
        client = Client(int(port_file.read_text()))
        yield client
        process.terminate()
        process.wait(5)


@pytest.fixture
def client(sandbox):
    sandbox.control("POST", "/faults", {"latency_ms": 0, "fail_next": {"count": 0}, "drop_next_mutating": 0,
                                        "slow_next_mutating": {"count": 0}})
    sandbox.control("POST", "/settings", {"strict_lines": True, "unauthorized_body": "html",
                                          "rate_limit": {"requests_per_second": 0, "retry_after": 1}})
    return sandbox
