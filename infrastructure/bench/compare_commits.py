"""`make bench-compare BASE=<rev>`: `make bench` on an older commit and on this checkout, back to back.

    .venv/bin/python infrastructure/bench/compare_commits.py --base 13cdd8b [--rounds 2] [-- --seconds 5]

The VM this project is measured on drifts by up to ~30% within minutes, so a change is judged only
against its base measured in the same minutes. The runs go in A-B-B-A order (base, this checkout,
this checkout, base, repeated `--rounds / 2` times) so that a steady drift falls on both sides
equally; the table gives every run and the change of the means. The base is checked out as a
detached git worktree under .data/bench-base/<rev> with its own environment (`make install` there).
Each run's log and JSON are kept in test-artifacts/bench-compare/.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import statistics
import subprocess
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "test-artifacts" / "bench-compare"

# (label, path into bench.json, higher is better). pgbench is the machine's yardstick, not ours.
FIGURES: tuple[tuple[str, str, bool], ...] = (
    ("(1) e2e transfers/s, best concurrency", "transfers.best.ok_per_s", True),
    ("(1) e2e p99 ms at that concurrency", "transfers.best.p99_ms", False),
    ("(2) pgbench tpcb-like tps (the yardstick)", "pgbench.tps", True),
    ("ratio (1)/(2)", "transfers_over_pgbench", True),
    ("(1b) synchronous path / pgbench", "sync_path_over_pgbench", True),
    ("(3) GET /wallet gateway req/s", "wallet.gateway.rps_median", True),
    ("gateway / nginx", "wallet.gateway_over_nginx", True),
    ("gateway / direct", "wallet.gateway_over_direct", True),
    ("(4) history p95 ms, worst scenario", "others.history.p95_ms_worst", False),
    ("(5) summary p95 ms, day", "others.events.summary.day.p95_ms", False),
    ("(5) summary p95 ms, week", "others.events.summary.week.p95_ms", False),
    ("(5) summary p95 ms, month", "others.events.summary.month.p95_ms", False),
    ("reporting writer events/s, one by one", "others.events.summary.projector.events_per_second", True),
    ("reporting writer events/s, batches", "others.events.summary.projector.batched.events_per_second", True),
    ("(6) outbox relay events/s", "others.events.relay.events_per_second", True),
)


def figure(result: dict[str, Any], path: str) -> float | None:
    node: Any = result
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return float(node) if isinstance(node, int | float) else None


def base_checkout(rev: str) -> Path:
    sha = subprocess.run(["git", "rev-parse", "--short", rev], cwd=REPO, check=True, capture_output=True, text=True)
    path = REPO / ".data" / "bench-base" / sha.stdout.strip()
    if not path.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(path), rev], cwd=REPO, check=True)
    return path


def run_bench(checkout: Path, label: str, bench_args: list[str]) -> dict[str, Any]:
    log = OUT / f"{label}.log"
    print(f"==> {label}: make bench in {checkout} (log: {log})", flush=True)
    with log.open("w") as out:
        done = subprocess.run(
            ["make", "--no-print-directory", "bench", f"BENCH_ARGS={shlex.join(bench_args)}"],
            cwd=checkout,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if done.returncode:
        raise SystemExit(f"make bench failed in {checkout}; see {log}")
    target = OUT / f"{label}.json"
    shutil.copy(checkout / "test-artifacts" / "bench.json", target)
    result: dict[str, Any] = json.loads(target.read_text())
    return result


def table(base: list[dict[str, Any]], head: list[dict[str, Any]]) -> str:
    lines = ["| measure | base runs | this checkout's runs | change of the means |", "|---|---|---|---|"]
    for label, path, higher_is_better in FIGURES:
        before = [v for r in base if (v := figure(r, path)) is not None]
        after = [v for r in head if (v := figure(r, path)) is not None]
        if not before or not after:
            continue
        change = statistics.mean(after) / statistics.mean(before) - 1
        verdict = "same" if abs(change) < 0.005 else "better" if (change > 0) == higher_is_better else "worse"
        lines.append(
            f"| {label} | {' / '.join(f'{v:g}' for v in before)} | {' / '.join(f'{v:g}' for v in after)} "
            f"| {change:+.1%} ({verdict}) |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--base", required=True, help="the commit to compare with (any git revision)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each side, even (A-B-B-A per two)")
    parser.add_argument("bench_args", nargs="*", help="passed to bench_all.py (after --)")
    args = parser.parse_args(argv)
    if args.rounds < 2 or args.rounds % 2:
        parser.error("--rounds must be an even number of at least 2")
    OUT.mkdir(parents=True, exist_ok=True)
    base_dir = base_checkout(args.base)
    base: list[dict[str, Any]] = []
    head: list[dict[str, Any]] = []
    for pair in range(args.rounds // 2):
        base.append(run_bench(base_dir, f"base-{2 * pair + 1}", args.bench_args))
        head.append(run_bench(REPO, f"head-{2 * pair + 1}", args.bench_args))
        head.append(run_bench(REPO, f"head-{2 * pair + 2}", args.bench_args))
        base.append(run_bench(base_dir, f"base-{2 * pair + 2}", args.bench_args))
    print(f"\nbase {args.base} against this checkout, A-B-B-A x {args.rounds // 2}:\n")
    print(table(base, head))
    print(f"\nJSON of every run: {OUT}")


if __name__ == "__main__":
    main()
