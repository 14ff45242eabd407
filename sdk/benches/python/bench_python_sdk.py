#!/usr/bin/env python3
"""Times the official Python SDK's `messages.stream(...)` on the transcripts the Rust
benchmark generates, and compares with the Rust numbers if they are there.

Usage (see README.md beside this file):

    cargo bench -p anthropic --bench streaming        # writes target/streaming-bench/*.sse
    python3 -m venv /tmp/anthropic-py && /tmp/anthropic-py/bin/pip install anthropic==0.74.0
    /tmp/anthropic-py/bin/python sdk/benches/python/bench_python_sdk.py

The HTTP layer is an `httpx.MockTransport` that serves the transcript in 16 KiB chunks (as the
Rust benchmark feeds it), so only the SDK's own work is measured: SSE decoding, event
parsing, accumulation (including its re-parse of the whole tool input on every
`input_json_delta`) and the helper events.
"""
import argparse
import glob
import json
import os
import platform
import statistics
import sys
import time

import anthropic
import httpx

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
TRANSCRIPTS = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "streaming-bench")
CHUNK = 16 * 1024


def client_for(body: bytes) -> anthropic.Anthropic:
    def handler(request: httpx.Request) -> httpx.Response:
        chunks = [body[i : i + CHUNK] for i in range(0, len(body), CHUNK)]
        return httpx.Response(
            200,
            headers={"content-type": "text/event-stream", "request-id": "req_bench"},
            content=iter(chunks),
        )

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return anthropic.Anthropic(api_key="sk-ant-bench", base_url="http://bench.invalid", http_client=http, max_retries=0)


def run_once(client: anthropic.Anthropic) -> tuple[float, int, object]:
    start = time.perf_counter()
    events = 0
    with client.messages.stream(
        model="claude-sonnet-4-5-20250929",
        max_tokens=64000,
        messages=[{"role": "user", "content": "bench"}],
    ) as stream:
        for _ in stream:
            events += 1
        message = stream.get_final_message()
    return time.perf_counter() - start, events, message


def rust_seconds(name: str):
    """The Rust `accumulate` numbers (minimum per-iteration time over criterion's samples)."""
    out = {}
    base = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "criterion", name, "accumulate")
    for path in glob.glob(os.path.join(base, "*", "new", "sample.json")):
        data = json.load(open(path))
        per_iter = [t / i for t, i in zip(data["times"], data["iters"])]
        out[os.path.basename(os.path.dirname(os.path.dirname(path)))] = min(per_iter) / 1e9
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="timed runs per transcript (the minimum is reported)")
    args = parser.parse_args()
    print(f"anthropic {anthropic.__version__}, httpx {httpx.__version__}, Python {platform.python_version()} on {platform.machine()}")
    for name in ("mixed", "tool", "tool_records"):
        path = os.path.join(TRANSCRIPTS, f"{name}.sse")
        if not os.path.exists(path):
            print(f"{path} is missing: run `cargo bench -p anthropic --bench streaming` first", file=sys.stderr)
            return 1
        body = open(path, "rb").read()
        client = client_for(body)
        run_once(client)  # warm-up (imports, pydantic model building)
        times = []
        for _ in range(args.runs):
            seconds, events, message = run_once(client)
            times.append(seconds)
        tool = next(b for b in message.content if b.type == "tool_use")
        best = min(times)
        print(
            f"{name}: {len(body)} bytes, {events} stream events, tool input {len(json.dumps(tool.input))} chars; "
            f"min {best:.3f} s, median {statistics.median(times):.3f} s over {args.runs} runs; "
            f"{len(body) / best / 1e6:.2f} MB/s"
        )
        for variant, seconds in sorted(rust_seconds(name).items()):
            print(f"    Rust accumulate/{variant}: {seconds * 1e3:.3f} ms -> {best / seconds:,.0f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
