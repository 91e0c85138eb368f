#!/usr/bin/env python3
"""Many captures at once (issue 15), measured on the release library in dist/ against the local Klarna sandbox with
latency injected on every Klarna request (scripts/bench-batch builds dist/ and runs this). Prints, never judges.

  sandbox      the sandbox's own cost per capture (CPU of its process, and wall time, om_capture one after another
               without latency), so that its share of the figures below is known: it is one Python process
               (ThreadingHTTPServer, a thread per connection, one core at a time)
  batch        N captures through om_batch (--concurrency, --rps): each reads Klarna's order, then captures (the
               capture's rule, docs/contract.md "What a capture captures"); then the same for orders whose lines Klarna
               is known to hold (an update sent them), which capture in one request
  sequential   the same N captures one after another through om_capture, as the plugin does without a batch
  established  the established plugin's pattern: per order a read of Klarna's order, then the capture, one order
               after another (a keep-alive HTTP client, no library: the requests it sends)
  limits       N captures through om_batch while Klarna limits the merchant to --limit requests per second (429 with
               Retry-After), then again with the first --burst requests answered 429 besides: every order must be
               captured once
  reconcile    --reconcile orders (1,000) read through om_batch as the reconciliation reads them (sync items with the
               order's WooCommerce status), a quarter of them disagreeing: the wall time, the disagreements found and
               the peak memory of the process (its resident set before and after)

For each run: the wall time; the sandbox's CPU per request (its process, from /proc); from the sandbox's request log,
the requests by status and the most requests that arrived in any one second; from Klarna's orders, how many were
captured once with the right amount, how many not at all (lost) and how many more than once or for more (doubled).

usage: batch.py --dist DIST [--orders 100] [--latency-ms 100] [--concurrency 32] [--rps 200] [--limit 50]
                [--burst 20] [--reconcile 1000] [--only sandbox,batch,sequential,established,limits,reconcile]

--rps 200 is Klarna's production limit for Order Management per merchant (the plugin's default is 20, playground's
limit 50).
"""
import argparse
import base64
import ctypes
import http.client
import json
import os
import pathlib
import resource
import sys
import tempfile
import time
import uuid
from collections import Counter

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from e2e import USERNAME, PASSWORD, Library, Sandbox, snapshot  # noqa: E402

AMOUNT = 25500  # the example order's total: 2 × 100.00 + 25 % VAT + 5.00 shipping


class BatchLibrary(Library):
    def __init__(self, path):
        super().__init__(path)
        self.library.om_batch.restype, self.library.om_batch.argtypes = ctypes.c_void_p, [ctypes.c_char_p]

    def batch(self, items, concurrency, rps):
        body = {"version": 1, "items": items, "concurrency": concurrency, "requests_per_second": rps}
        return self.call("batch", body)


def cpu_seconds(pid):
    """User + system CPU of a process so far, from /proc."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Klarna:
    """A keep-alive client of the sandbox's Klarna API, as a PHP plugin talks to Klarna."""

    def __init__(self, url):
        host, port = url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port))
        self.auth = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()

    def call(self, method, path, body=None, key=None):
        headers = {"Authorization": self.auth, "Content-Type": "application/json"}
        if key:
            headers["Klarna-Idempotency-Key"] = key
        self.connection.request(method, "/ordermanagement/v1/orders/" + path,
                                body=None if body is None else json.dumps(body), headers=headers)
        answer = self.connection.getresponse()
        answer.read()
        return answer.status


class Bench:
    def __init__(self, library, sandbox, args):
        self.library, self.sandbox, self.args = library, sandbox, args

    def orders(self):
        ids = [str(uuid.uuid4()) for _ in range(self.args.orders)]
        for order_id in ids:
            self.sandbox.call("POST", "/_sandbox/orders", {"order_id": order_id, "order_amount": AMOUNT})
        self.sandbox.call("DELETE", "/_sandbox/requests")
        return ids

    def faults(self, **faults):
        self.sandbox.call("POST", "/_sandbox/faults", {"latency_ms": self.args.latency_ms, **faults})

    def report(self, name, ids, seconds, cpu, extra=""):
        log = self.sandbox.call("GET", "/_sandbox/requests")
        arrivals = sorted(entry["time"] for entry in log)
        busiest, first = 0, 0
        for index, arrival in enumerate(arrivals):
            while arrival - arrivals[first] >= 1.0:
                first += 1
            busiest = max(busiest, index - first + 1)
        statuses = Counter(str(entry["status"]) + (" (rate limit)" if entry.get("rate_limited") else "")
                           + (" (injected)" if entry.get("injected") else "") for entry in log)
        captured = lost = doubled = 0
        for order_id in ids:
            order = self.sandbox.call("GET", f"/_sandbox/orders/{order_id}")
            count, amount = len(order["captures"]), order["captured_amount"]
            captured += count == 1 and amount == AMOUNT
            lost += count == 0
            doubled += count > 1 or amount > AMOUNT
        shown = ", ".join(f"{count}× {status}" for status, count in sorted(statuses.items()))
        print(f"| {name} | {seconds:.2f} s | {1000 * cpu / max(len(log), 1):.2f} ms | {len(log)} ({shown}) | {busiest} | "
              f"{captured} | {lost} | {doubled} | {extra} |")

    def batch(self, name, concurrency, rps, lines_held=False):
        ids = self.orders()
        if lines_held:  # the fingerprint an update of these lines stores (the example order, as seeded)
            fingerprint = self.library.call("update", snapshot("update", self.sandbox.url, ids[0]))
            fingerprint = fingerprint["record"]["lines_fingerprint"]
            self.sandbox.call("DELETE", "/_sandbox/requests")
        meta = {"meta": {"lines_fingerprint": fingerprint}} if lines_held else {}
        items = [{"operation": "capture", "request": snapshot("capture", self.sandbox.url, i, **meta)} for i in ids]
        cpu, started = self.sandbox_cpu(), time.monotonic()
        answer = self.library.batch(items, concurrency, rps)
        seconds, cpu = time.monotonic() - started, self.sandbox_cpu() - cpu
        outcomes = Counter(result.get("outcome") or result.get("error", {}).get("code") for result in answer["results"])
        said = "; ".join(f"{entry['message']} {entry['context']}" for entry in answer.get("log", [])) or "-"
        self.report(name, ids, seconds, cpu, ", ".join(f"{n}× {o}" for o, n in outcomes.items()) + f"; batch log: {said}")

    def sequential(self):
        ids = self.orders()
        cpu, started = self.sandbox_cpu(), time.monotonic()
        outcomes = Counter(self.library.call("capture", snapshot("capture", self.sandbox.url, i))["outcome"] for i in ids)
        self.report("one after another through om_capture", ids, time.monotonic() - started, self.sandbox_cpu() - cpu,
                    ", ".join(f"{n}× {o}" for o, n in outcomes.items()))

    def established(self):
        ids = self.orders()
        klarna = Klarna(self.sandbox.url)
        cpu, started = self.sandbox_cpu(), time.monotonic()
        for order_id in ids:
            klarna.call("GET", order_id)
            klarna.call("POST", order_id + "/captures", {"captured_amount": AMOUNT}, key=str(uuid.uuid4()))
        self.report("the established pattern: read, then capture, per order", ids, time.monotonic() - started,
                    self.sandbox_cpu() - cpu, "(no library: the requests it sends)")

    def reconcile(self, count, concurrency, rps):
        """The reconciliation's reads: one om_batch of sync items (the contract's 1,000 at most), a quarter of the
        orders Completed in WooCommerce while Klarna captured nothing."""
        ids = [str(uuid.uuid4()) for _ in range(count)]
        for order_id in ids:
            self.sandbox.call("POST", "/_sandbox/orders", {"order_id": order_id, "order_amount": AMOUNT})
        items = []
        for index, order_id in enumerate(ids):
            request = snapshot("sync", self.sandbox.url, order_id)
            request["order"]["status"] = "completed" if index % 4 == 0 else "processing"
            items.append({"operation": "sync", "request": request})
        self.sandbox.call("DELETE", "/_sandbox/requests")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.monotonic()
        answer = self.library.batch(items, concurrency, rps)
        seconds = time.monotonic() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        found = Counter(d["code"] for result in answer["results"] for d in result.get("disagreements", []))
        read = sum(result.get("outcome") == "synced" for result in answer["results"])
        requests = len(self.sandbox.call("GET", "/_sandbox/requests"))
        print(f"## {count} orders reconciled: sync items of one om_batch, concurrency {concurrency}, {rps} requests/s, "
              f"{self.args.latency_ms} ms latency")
        print()
        print("| orders read | Klarna requests | wall | disagreements | peak resident memory of the process |")
        print("|---|---|---|---|---|")
        print(f"| {read} | {requests} | {seconds:.2f} s | {dict(found)} | {peak / 1024:.1f} MiB (before the batch: "
              f"{before / 1024:.1f} MiB; the request {len(json.dumps(items)) / 2**20:.1f} MiB of JSON) |")
        print()

    def sandbox_cpu(self):
        return cpu_seconds(self.sandbox.process.pid)

    def sandbox_cost(self):
        self.faults(latency_ms=0)
        ids = self.orders()
        cpu, started = self.sandbox_cpu(), time.monotonic()
        for order_id in ids:
            self.library.call("capture", snapshot("capture", self.sandbox.url, order_id))
        wall, cpu = time.monotonic() - started, self.sandbox_cpu() - cpu
        print("## The sandbox's own cost (no latency: om_capture one after another, its bodies with order lines)")
        print()
        print("| captures | wall per capture (library and sandbox) | sandbox CPU per capture | the sandbox's ceiling |")
        print("|---|---|---|---|")
        print(f"| {len(ids)} | {1000 * wall / len(ids):.2f} ms | {1000 * cpu / len(ids):.2f} ms | about "
              f"{len(ids) / cpu:,.0f} requests per second: one Python process, one core (the GIL) |")
        print()
        self.faults()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=pathlib.Path, required=True)
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rps", type=int, default=200)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--reconcile", type=int, default=1000)
    parser.add_argument("--only", default="sandbox,batch,sequential,established,limits,reconcile")
    args = parser.parse_args()
    parts = args.only.split(",")
    library = BatchLibrary(args.dist / "lib/libklarna_om.so")
    with tempfile.TemporaryDirectory() as folder:
        sandbox = Sandbox(folder)
        bench = Bench(library, sandbox, args)
        try:
            if "sandbox" in parts:
                bench.sandbox_cost()
            bench.faults()
            print(f"## {args.orders} captures, {args.latency_ms} ms latency on every Klarna request")
            print()
            print("| how | wall | sandbox CPU per request | Klarna requests (by status) | most in any 1 s | captured once | "
                  "lost | doubled | outcomes |")
            print("|---|---|---|---|---|---|---|---|---|")
            if "batch" in parts:
                bench.batch(f"om_batch, concurrency {args.concurrency}, {args.rps} requests/s", args.concurrency,
                            args.rps)
                bench.batch(f"the same, Klarna known to hold the orders' lines (after an update)", args.concurrency,
                            args.rps, lines_held=True)
            if "sequential" in parts:
                bench.sequential()
            if "established" in parts:
                bench.established()
            if "limits" in parts:
                sandbox.call("POST", "/_sandbox/settings",
                             {"rate_limit": {"requests_per_second": args.limit, "retry_after": 1}})
                bench.batch(f"om_batch at {args.rps} requests/s while Klarna allows {args.limit}/s (429, Retry-After: 1)",
                            args.concurrency, args.rps)
                bench.faults(fail_next={"count": args.burst, "status": 429, "retry_after": 1})
                bench.batch(f"the same, and the first {args.burst} requests answered 429 (Retry-After: 1)",
                            args.concurrency, args.rps)
                sandbox.call("POST", "/_sandbox/settings", {"rate_limit": {"requests_per_second": 0}})
            print()
            if "reconcile" in parts:
                bench.faults()
                bench.reconcile(args.reconcile, args.concurrency, args.rps)
        finally:
            sandbox.stop()


if __name__ == "__main__":
    main()
