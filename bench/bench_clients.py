"""TypeScript and Rust publish/subscribe throughput against raw nats.js and async-nats.

Run: ``.venv/bin/python bench/bench_clients.py [--count 5000] [--rounds 2] [--json]``
(needs node with tools/node/node_modules, and cargo; a language whose tools are missing is
reported as skipped).

One local nats-server for both languages. Each language's program (bench/typescript/
throughput.mjs over a copy of generated/typescript; bench/rust_clients, release
build, over generated/rust) measures, on the same server and with the same method for the
generated and the raw side: sequential publishes (each ack awaited), windowed publishes
(``--window`` in flight, the oldest awaited when full) and a pull consumer reading and acking
the stored events. The raw side publishes bytes the generated codec encoded beforehand; the
generated side builds, validates and encodes every event. Best round of each path; prints
the ratios of this run, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from _common import SITE
from _table import Row, emit, throughput
from bench_languages import REPO, Skipped, build_rust, example_payload, prepare_typescript, run
from specgen_runtime import NatsServer

EVENT = "com.powerflex.orders.order_created.v1"
TS_SCRIPT = REPO / "bench" / "typescript" / "throughput.mjs"
RUST_CRATE = REPO / "bench" / "rust_clients"
PATHS = {
    "seq": ("sequential publish", "raw {client} publish, awaited", ""),
    "win": ("windowed publish", "raw {client} publish, same window", ""),
    "sub": ("subscriber fetch+decode+validate+ack", "raw {client} pull fetch+ack", ""),
}


def _rows(language: str, client: str, rates: dict[str, float], window: int) -> list[Row]:
    rows = []
    for key, (label, base, aim) in PATHS.items():
        path = f"{language} generated {label}"
        if key == "win":
            path += f" (window {window})"
        rows.append(
            throughput(
                "clients",
                path,
                rates[f"{key}_gen"],
                base.format(client=client),
                rates[f"{key}_raw"],
                aim,
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--window", type=int, default=256)
    parser.add_argument("--json", action="store_true", help="end with the rows for run_all.py")
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="specgen-clients-") as tmp:
        work = Path(tmp)
        payload = work / "payload.json"
        payload.write_text(json.dumps(example_payload(EVENT)), encoding="utf-8")
        common = [str(args.count), str(payload), SITE, str(args.window), str(args.rounds)]
        with NatsServer("bench", work / "nats") as server:
            for language, client in (("TypeScript", "nats.js"), ("Rust", "async-nats")):
                try:
                    if language == "TypeScript":
                        node, package = prepare_typescript(work)
                        command = [node, str(TS_SCRIPT), str(package), server.url, *common]
                    else:
                        binary = build_rust(RUST_CRATE, "specgen-bench-clients")
                        command = [str(binary), server.url, *common]
                except Skipped as exc:
                    print(f"{language}: skipped: {exc}")
                    continue
                rates = json.loads(run(command, REPO, 900).strip().splitlines()[-1])
                for row in _rows(language, client, rates, args.window):
                    rows.append(row)
                    print(f"{row.path:58} {row.value:9.0f} msg/s  ratio {row.ratio:.2f}")
    if args.json:
        emit(rows)


if __name__ == "__main__":
    main()
