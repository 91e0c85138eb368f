#!/usr/bin/env python3
"""What a merchant waits for, measured on the release artifacts in dist/ (scripts/bench builds them and runs this).

Prints, never judges (a benchmark, not a test):
  sizes        the stripped libklarna_om.so and the installable plugin zip
  cpu          one cold om_capture end to end: a fresh process (bench/cold_capture.c) loads the library, decodes the
               request, reads Klarna's order (GET), builds the lines, captures (POST) over libcurl and encodes the
               response; the HTTP answers are Klarna's as the sandbox sent them (bench/fixtures/order-200.http,
               capture-201.http), replayed on loopback. The process's own CPU from getrusage, median of many fresh
               processes
  instructions the same process under callgrind (deterministic hashing): instructions in total, in dlopen, in om_capture
  trips        Klarna round trips per operation, counted in the Klarna sandbox's request log, for each operation's
               success path and its common refusals, through the library as PHP calls it

usage: e2e.py --dist DIST --harness COLD_CAPTURE [--runs N] [--only sizes,cpu,instructions,trips]
"""
import argparse
import copy
import ctypes
import json
import os
import pathlib
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs/examples/capture-request.json"
RECORDED = {"GET": ROOT / "bench/fixtures/order-200.http", "POST": ROOT / "bench/fixtures/capture-201.http"}
SANDBOX = ROOT / "scripts/sandbox/klarna_sandbox.py"
USERNAME, PASSWORD = "PK_demo", "demo-secret"


# --- sizes ---------------------------------------------------------------------------------------------------------

def sizes(dist):
    print("## Sizes")
    print()
    print("| artifact | bytes | MiB |")
    print("|---|---|---|")
    for name in ("lib/libklarna_om.so", "bin/klarna-om", "klarna-order-management.zip"):
        path = dist / name
        if path.exists():
            size = path.stat().st_size
            print(f"| {name} | {size:,} | {size / 2**20:.1f} |")
    print()


# --- one cold om_capture --------------------------------------------------------------------------------------------

class ReplayServer:
    """Answers each HTTP request on loopback with the recorded answer for its method, keeping the connection open."""

    def __init__(self, answers):
        self.answers = answers
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            connection, _ = self.listener.accept()
            threading.Thread(target=self.serve, args=(connection,), daemon=True).start()

    def serve(self, connection):
        with connection:
            pending = b""
            while True:
                while b"\r\n\r\n" not in pending:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    pending += chunk
                head, pending = pending.split(b"\r\n\r\n", 1)
                length = int((re.search(rb"(?im)^content-length:\s*(\d+)", head) or [0, b"0"])[1])
                while len(pending) < length:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    pending += chunk
                pending = pending[length:]
                connection.sendall(self.answers[head.split(b" ", 1)[0].decode()])


def recorded_answers():
    """Each method's answer as bytes on the wire: the file's header lines, CRLF-ended, and its body, if any."""
    answers = {}
    for method, path in RECORDED.items():
        head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        body = body.strip().encode()
        lines = [line for line in head.splitlines() if not line.lower().startswith("content-length:")]
        answers[method] = ("\r\n".join(lines + [f"Content-Length: {len(body)}"]) + "\r\n\r\n").encode() + body
    return answers


def capture_request(folder, base_url):
    request = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    request["config"]["base_url"] = base_url
    path = pathlib.Path(folder) / "capture-request.json"
    path.write_text(json.dumps(request), encoding="utf-8")
    return path


def run_harness(harness, library, request, prefix=()):
    done = subprocess.run([*prefix, str(harness), str(library), str(request)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench: cold_capture failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return done


def cpu(harness, library, request, runs):
    samples = []
    run_harness(harness, library, request)  # the library's pages in the page cache, as on a live shop
    for _ in range(runs):
        line = run_harness(harness, library, request).stdout
        samples.append({key: int(value) for key, value in re.findall(r"(\w+)_us=(\d+)", line)})
    print(f"## One cold om_capture, CPU of a fresh process (getrusage, user + system; {runs} processes)")
    print()
    print("| part | median µs | p10 µs | p90 µs |")
    print("|---|---|---|---|")
    for key, what in (("process", "the whole process (exec to the response)"), ("load", "dlopen + dlsym"),
                      ("call", "om_capture")):
        values = sorted(sample[key] for sample in samples)
        print(f"| {what} | {statistics.median(values):,.0f} | {values[len(values) // 10]:,} | "
              f"{values[len(values) * 9 // 10]:,} |")
    print()


def instructions(harness, library, request):
    with tempfile.TemporaryDirectory() as folder:
        out = pathlib.Path(folder) / "callgrind.out"
        env = dict(os.environ, SWIFT_DETERMINISTIC_HASHING="1")
        done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", str(harness),
                               str(library), str(request)], capture_output=True, text=True, env=env)
        if done.returncode != 0:
            sys.exit(f"bench: cold_capture under callgrind failed: {done.stderr.strip()[-2000:]}")
        total = int(re.search(r"(?m)^(?:summary|totals):\s*(\d+)", out.read_text()).group(1))
        annotated = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(out)],
                                   capture_output=True, text=True).stdout
    def inclusive(function):
        found = re.search(r"(?m)^\s*([\d,]+)\s.*[:\s]" + re.escape(function) + r"(?:'2)?\s", annotated)
        return int(found.group(1).replace(",", "")) if found else None
    print("## One cold om_capture, instructions (callgrind, SWIFT_DETERMINISTIC_HASHING=1)")
    print()
    print("| part | instructions |")
    print("|---|---|")
    for what, count in (("the whole process", total), ("dlopen (loading the library)", inclusive("dlopen@@GLIBC_2.34")
                                                                                         or inclusive("dlopen")),
                        ("om_capture", inclusive("om_capture"))):
        print(f"| {what} | {count:,} |" if count is not None else f"| {what} | (not found) |")
    print()


# --- round trips ----------------------------------------------------------------------------------------------------

class Sandbox:
    def __init__(self, folder):
        port_file = pathlib.Path(folder) / "port"
        self.process = subprocess.Popen([sys.executable, str(SANDBOX), "--port", "0", "--port-file", str(port_file),
                                         "--credentials", f"{USERNAME}:{PASSWORD}", "--parent-pid", str(os.getpid())],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{port_file.read_text().strip()}"

    def call(self, method, path, body=None, auth=False):
        request = urllib.request.Request(self.url + path, method=method,
                                         data=None if body is None else json.dumps(body).encode())
        request.add_header("Content-Type", "application/json")
        if auth:
            import base64
            request.add_header("Authorization", "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode())
        with urllib.request.urlopen(request) as answer:
            text = answer.read()
            return json.loads(text) if text else {}

    def stop(self):
        self.process.terminate()
        self.process.wait()


class Library:
    """libklarna_om.so through its C ABI, as PHP FFI calls it."""

    def __init__(self, path):
        self.library = ctypes.CDLL(str(path))
        for name in ("om_cancel", "om_capture", "om_update", "om_refund", "om_sync", "om_release", "om_extend"):
            function = getattr(self.library, name)
            function.restype, function.argtypes = ctypes.c_void_p, [ctypes.c_char_p]
        self.library.om_free.argtypes = [ctypes.c_void_p]

    def call(self, operation, request):
        pointer = getattr(self.library, "om_" + operation)(json.dumps(request).encode())
        try:
            return json.loads(ctypes.string_at(pointer).decode())
        finally:
            self.library.om_free(pointer)


def snapshot(operation, base_url, klarna_order_id, quantity=2, meta=None, refund=None):
    """The example request, for `operation`, with the product line's quantity changed (100.00 + 25 % each)."""
    request = copy.deepcopy(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    request["operation"] = operation
    request["config"]["base_url"] = base_url
    order = request["order"]
    order["klarna"]["order_id"] = klarna_order_id
    item = order["items"][0]
    net, tax = 100 * quantity, 25 * quantity
    item.update(quantity=quantity, subtotal=f"{net}.00", subtotal_tax=f"{tax}.00", total=f"{net}.00",
                total_tax=f"{tax}.00")
    item["taxes"][0]["amount"] = f"{tax}.00"
    order["totals"].update(total=f"{net + tax + 5}.00", total_tax=f"{tax + 1}.00")
    order["meta"].update(meta or {})
    if refund:
        request["refund"] = refund
        order["refunds"] = [{"id": refund["id"], "amount": refund["amount"]}]
    return request


FULL_REFUND = {"id": 501, "amount": "255.00", "reason": "returned"}

# (operation, situation, Klarna's side before the call, changes to the snapshot)
SCENARIOS = [
    ("cancel", "authorized", {}, {}),
    ("cancel", "captured at Klarna, not in meta", {"capture": True}, {}),
    ("cancel", "cancelled at Klarna, not in meta", {"status": "CANCELLED"}, {}),
    ("cancel", "Klarna down (503 three times)", {"fail": 503}, {}),
    ("update", "items edited", {}, {"quantity": 1}),
    ("update", "Klarna declines a higher amount", {"decline_increase": True}, {"quantity": 3}),
    ("update", "captured at Klarna", {"capture": True}, {"quantity": 1}),
    ("capture", "authorized (what Klarna captured is read first)", {}, {}),
    ("capture", "Klarna holds exactly the order's lines (an update left them)", {"updated": True}, {}),
    ("capture", "capture id in meta, captured at Klarna", {"capture": True}, {"meta": {"capture_ids": ["earlier"]}}),
    ("capture", "Klarna order cancelled", {"status": "CANCELLED"}, {}),
    ("capture", "fraud review pending", {"fraud_status": "PENDING"}, {}),
    ("capture", "total above what Klarna authorized", {"order_amount": 20000}, {}),
    ("capture", "Klarna down (500 three times)", {"fail": 500}, {}),
    ("refund", "the full amount", {"capture": True}, {"refund": FULL_REFUND}),
    ("refund", "nothing captured", {}, {"refund": FULL_REFUND}),
    ("refund", "Klarna down (503 three times)", {"capture": True, "fail": 503}, {"refund": FULL_REFUND}),
    ("sync", "the order box's Refresh", {}, {}),
    ("release", "part-captured", {"capture": 10000}, {}),
    ("extend", "authorized", {}, {}),
]


def trips(library_path):
    library = Library(library_path)
    with tempfile.TemporaryDirectory() as folder:
        sandbox = Sandbox(folder)
        try:
            print("## Klarna round trips per operation (the sandbox's request log)")
            print()
            print("| operation | situation | round trips | requests | outcome / note |")
            print("|---|---|---|---|---|")
            for number, (operation, situation, klarna, changes) in enumerate(SCENARIOS):
                order_id = f"00000000-0000-4000-8000-{number:012d}"
                seed = {"order_id": order_id, "order_amount": klarna.get("order_amount", 25500)}
                seed.update({k: klarna[k] for k in ("status", "fraud_status", "decline_increase") if k in klarna})
                sandbox.call("POST", "/_sandbox/orders", seed)
                if klarna.get("capture"):
                    amount = 25500 if klarna["capture"] is True else klarna["capture"]
                    sandbox.call("POST", f"/ordermanagement/v1/orders/{order_id}/captures", {"captured_amount": amount},
                                 auth=True)
                if klarna.get("updated"):  # the update's lines fingerprint, stored as the plugin stores it
                    updated = library.call("update", snapshot("update", sandbox.url, order_id))
                    changes = {"meta": {"lines_fingerprint": updated["record"]["lines_fingerprint"]}}
                if klarna.get("fail"):
                    sandbox.call("POST", "/_sandbox/faults",
                                 {"order_id": order_id, "fail_next": {"count": 3, "status": klarna["fail"]}})
                sandbox.call("DELETE", "/_sandbox/requests")
                response = library.call(operation, snapshot(operation, sandbox.url, order_id, **changes))
                log = sandbox.call("GET", f"/_sandbox/requests?order_id={order_id}")
                prefix = f"/ordermanagement/v1/orders/{order_id}"
                sent = ", ".join(f"{entry['method']} {entry['path'][len(prefix):] or '(order)'}" for entry in log)
                outcome = response.get("outcome") or response.get("error", {}).get("code")
                note = (response.get("note") or {}).get("code")
                if note and note != outcome:
                    outcome += f" / {note}"
                print(f"| {operation} | {situation} | {len(log)} | {sent or 'none'} | {outcome} |")
            print()
        finally:
            sandbox.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=pathlib.Path, default=ROOT / "dist")
    parser.add_argument("--harness", type=pathlib.Path, required=True)
    parser.add_argument("--runs", type=int, default=101)
    parser.add_argument("--only", default="sizes,cpu,instructions,trips")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    library = args.dist / "lib/libklarna_om.so"
    if "sizes" in parts:
        sizes(args.dist)
    if parts & {"cpu", "instructions"}:
        server = ReplayServer(recorded_answers())
        with tempfile.TemporaryDirectory() as folder:
            request = capture_request(folder, f"http://127.0.0.1:{server.port}")
            if "cpu" in parts:
                cpu(args.harness, library, request, args.runs)
            if "instructions" in parts:
                instructions(args.harness, library, request)
    if "trips" in parts:
        trips(library)


if __name__ == "__main__":
    main()
