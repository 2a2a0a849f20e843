"""`make bench`: measure Upstream's main jobs as ratios taken side by side in one run.

For each size (BENCH_SIZE=small|medium|large, or BENCH_SCALE=small,large for the scale curve) it
prepares a dedicated PostgreSQL database (generated once, then reused), starts gunicorn with two
workers on loopback, warms up and drives each endpoint with wrk at concurrency 8 for a fixed
duration, counts queries per request in-process, times the review against the single-SQL floor,
and samples peak memory. Notification throughput is measured against no-op Celery tasks on the
same Redis broker and worker. Results: bench/results/latest.json and bench/RESULTS.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
BIN = Path(PY).parent
PG_BASE = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
CONCURRENCY = 8
ENDPOINTS = ["list", "detail", "board", "review", "notifications", "ceiling", "textbook"]


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def base_env(db_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=db_url,
        REDIS_URL=REDIS_URL,
        SECRET_KEY="bench-only-key-" + "x" * 40,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        BENCH_ENDPOINTS="1",
        THROTTLE_USER="100000000/min",
        THROTTLE_ANON="100000000/min",
        LOG_LEVEL="WARNING",
        CONN_MAX_AGE="600",
    )
    return env


def ensure_database(size: str) -> str:
    name = f"upstream_bench_{size}"
    url = f"{PG_BASE}/{name}"
    admin = f"{PG_BASE}/postgres"
    exists = subprocess.run(
        ["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    env = base_env(url)
    if exists:
        has_data = subprocess.run(
            ["psql", url, "-tAc", "SELECT EXISTS (SELECT 1 FROM products_domain)"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        if has_data == "t":
            subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
            return url
        subprocess.run(["psql", admin, "-qc", f'DROP DATABASE "{name}"'], check=True)
    subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)
    log(f"generating {size} data set into {name} (once; later runs reuse it)")
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [PY, "manage.py", "bench_generate", "--size", size], cwd=ROOT, env=env, check=True
    )
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PeakMemory(threading.Thread):
    """Samples the resident memory of a process tree; keeps the peak of any one child."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                procs = psutil.Process(self.pid).children(recursive=True) or [
                    psutil.Process(self.pid)
                ]
                self.peak = max([self.peak] + [p.memory_info().rss for p in procs])
            except psutil.Error:
                pass
            self.stop.wait(0.25)


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def drive(url: str, token: str, seconds: int) -> dict:
    """wrk at concurrency 8; returns rps and latency percentiles (ms)."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONCURRENCY}",
            f"-d{seconds}s",
            "-s",
            str(ROOT / "bench" / "wrk_report.lua"),
            "-H",
            f"Authorization: Token {token}",
            url,
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = [ln for ln in out.splitlines() if ln.startswith("{")][-1]
    data = json.loads(line)
    return {
        "rps": round(data["rps"], 1),
        "p50_ms": round(data["p50_us"] / 1000, 2),
        "p95_ms": round(data["p95_us"] / 1000, 2),
        "p99_ms": round(data["p99_us"] / 1000, 2),
        "errors": data["errors"] + data["non2xx"],
    }


def measure_size(size: str) -> dict:
    url = ensure_database(size)
    env = base_env(url)
    probe = subprocess.run(
        [PY, "-m", "bench.probe"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if probe.returncode:
        raise SystemExit(probe.stderr)
    facts = json.loads(probe.stdout)
    port = free_port()
    web = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
    )
    memory = PeakMemory(web.pid)
    memory.start()
    endpoints = {}
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz")
        for name in ENDPOINTS:
            target = f"http://127.0.0.1:{port}{facts['paths'][name]}"
            drive(target, facts["token"], WARMUP)
            result = drive(target, facts["token"], DURATION)
            result["queries"] = facts["queries"].get(name)
            result["status"] = facts["statuses"].get(name, 200)
            endpoints[name] = result
            log(f"{size:6} {name:14} {result['rps']:8.1f} rps  p50 {result['p50_ms']:7.2f} ms  "
                f"p95 {result['p95_ms']:7.2f} ms  queries {result['queries']}")  # fmt: skip
    finally:
        memory.stop.set()
        web.terminate()
        web.wait(10)
    return {
        "requests": facts["requests"],
        "endpoints": endpoints,
        "review_ms": round(facts["review_ms"], 2),
        "floor_ms": round(facts["floor_ms"], 3),
        "web_peak_rss_mb": round(memory.peak / 2**20, 1),
        "list_body_bytes": facts["list_body_bytes"],
    }


def measure_notifications(size: str) -> dict | None:
    """Drain throughput of the outbox vs no-op tasks, on one worker and the same Redis broker."""
    env = base_env(ensure_database(size))
    out = subprocess.run(
        [PY, "-m", "bench.notify_probe"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode:
        log("notification throughput failed:\n" + out.stderr[-2000:])
        return None
    return json.loads(out.stdout)


def ratio(a, b, digits=2):
    return round(a / b, digits) if a and b else None


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    sizes = os.environ.get("BENCH_SCALE") or os.environ.get("BENCH_SIZE", "small")
    sizes = [s.strip() for s in sizes.split(",") if s.strip()]
    by_size = {size: measure_size(size) for size in sizes}
    first, last = by_size[sizes[0]], by_size[sizes[-1]]
    notify = measure_notifications(sizes[0])
    eps = first["endpoints"]
    ratios = {
        "list_vs_ceiling": ratio(eps["list"]["rps"], eps["ceiling"]["rps"]),
        "list_vs_textbook": ratio(eps["list"]["rps"], eps["textbook"]["rps"]),
        "list_scale_large_vs_small": ratio(
            last["endpoints"]["list"]["p95_ms"], first["endpoints"]["list"]["p95_ms"]
        )
        if len(sizes) > 1
        else None,
        "review_vs_sql_floor": {
            s: ratio(m["review_ms"], m["floor_ms"]) for s, m in by_size.items()
        },
        "notify_vs_noop": notify and ratio(notify["notify_per_s"], notify["noop_per_s"]),
    }
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "size": {s: m["requests"] for s, m in by_size.items()},
        "endpoints": eps,
        "by_size": by_size,
        "notifications": notify,
        "ratios": ratios,
    }
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2) + "\n")
    table = render_markdown(result)
    (ROOT / "bench" / "RESULTS.md").write_text(table)
    print(table)


def render_markdown(r: dict) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Run {r['date']} on {r['machine']['cpus']} CPUs, {r['machine']['memory_gb']} GiB, "
        f"Python {r['machine']['python']} ({r['machine']['platform']}). Sizes: "
        + ", ".join(f"{k} = {v:,} requests" for k, v in r["size"].items())
        + f". gunicorn 2 workers, wrk concurrency {CONCURRENCY}, {DURATION} s per endpoint.",
        "",
    ]
    for size, m in r["by_size"].items():
        lines += [
            f"## {size}",
            "",
            "| endpoint | req/s | p50 ms | p95 ms | queries |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for name, e in m["endpoints"].items():
            lines.append(
                f"| {name} | {e['rps']} | {e['p50_ms']} | {e['p95_ms']} | {e['queries'] if e['queries'] is not None else '–'} |"
            )
        lines += [
            "",
            f"Review computed in {m['review_ms']} ms against a single-SQL floor of {m['floor_ms']} ms; "
            f"web worker peak RSS {m['web_peak_rss_mb']} MB.",
            "",
        ]
    if r["notifications"]:
        n = r["notifications"]
        lines += [
            "## Notifications",
            "",
            f"{n['count']:,} notifications drained at {n['notify_per_s']}/s; {n['count']:,} no-op "
            f"tasks at {n['noop_per_s']}/s on the same broker and worker (peak worker RSS "
            f"{n.get('worker_peak_rss_mb')} MB).",
            "",
        ]
    lines += ["## Ratios", "", "| ratio | value | target |", "| --- | ---: | --- |"]
    targets = {
        "list_vs_ceiling": "≥ 0.5",
        "list_vs_textbook": "≥ 3",
        "list_scale_large_vs_small": "≤ 1.3",
        "review_vs_sql_floor": "≤ 5",
        "notify_vs_noop": "≥ 0.8",
    }
    for key, value in r["ratios"].items():
        lines.append(f"| {key} | {value} | {targets[key]} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
