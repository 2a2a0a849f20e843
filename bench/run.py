"""`make bench`: measure Upstream's main jobs as ratios taken side by side in one run.

For each size (BENCH_SIZE=small|medium|large, or BENCH_SCALE=small,large for the scale curve) it
prepares a dedicated PostgreSQL database, upstream_bench_<size> (generated once and reused while
its fingerprint — size, generator version, project migrations — matches; regenerated when the
schema or the generator changed, so a stale database is never measured), starts gunicorn with two
workers on loopback, warms up and drives each endpoint with wrk at concurrency 8 for a fixed
duration, counts queries per request in-process, times the review against the single-SQL floor,
and samples peak memory. Notification throughput is measured against no-op Celery tasks on the
same Redis broker and worker. Results: bench/results/latest.json and bench/RESULTS.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil

from bench import catalog_import

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
BIN = Path(PY).parent
PG_BASE = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
CONCURRENCY = 8
ENDPOINTS = [
    "list", "detail", "board", "review", "notifications", "floor", "peer", "ceiling", "textbook",
]  # fmt: skip
# Pages under load: one round each (their serial ms, queries and bytes come from the probe).
PROBE_ROUNDS = int(os.environ.get("BENCH_PROBE_ROUNDS", "3"))
PAGE_DURATION = int(os.environ.get("BENCH_PAGE_DURATION", "5"))
PAGE_WARMUP = int(os.environ.get("BENCH_PAGE_WARMUP", "2"))


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
        # The API is measured, not static files (collectstatic does not run for the bench).
        PYTHONWARNINGS="ignore:No directory at",
    )
    return env


def fingerprint(size: str) -> str:
    """What a bench database was generated from: the size, the generator's version and every
    project migration. A database with another fingerprint is stale and is regenerated."""
    source = (ROOT / "bench" / "management" / "commands" / "bench_generate.py").read_text()
    version = re.search(r"^GENERATOR_VERSION = (\d+)", source, re.M).group(1)
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/[0-9]*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return f"{size}:v{version}:{digest.hexdigest()[:16]}"


def psql(url: str, sql: str) -> str:
    return subprocess.run(
        ["psql", url, "-tAc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def ensure_database(size: str) -> tuple[str, dict]:
    """The bench database for ``size``: reused when its stored fingerprint matches, otherwise
    (re)created, migrated and generated. Returns its URL and what was stored about it."""
    name = f"upstream_bench_{size}"
    url, admin = f"{PG_BASE}/{name}", f"{PG_BASE}/postgres"
    want = fingerprint(size)
    stored = psql(
        admin,
        f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{name}'",
    )
    try:
        meta = json.loads(stored) if stored else {}
    except ValueError:
        meta = {}
    if meta.get("fingerprint") == want:
        log(f"reusing {name} (generated {meta.get('generated_at')})")
        return url, meta
    if meta:
        log(f"{name} is stale ({meta.get('fingerprint')} ≠ {want}): regenerating")
    psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(admin, f'CREATE DATABASE "{name}"')
    log(f"generating the {size} data set into {name} (once; later runs reuse it)")
    env = base_env(url)
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    started = time.monotonic()
    subprocess.run(
        [PY, "manage.py", "bench_generate", "--size", size], cwd=ROOT, env=env, check=True
    )
    meta = {
        "fingerprint": want,
        "generated_in_s": round(time.monotonic() - started, 1),
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    # Stored last: a generation that failed half-way leaves no fingerprint and is redone.
    comment = json.dumps(meta).replace("'", "''")
    psql(admin, f"COMMENT ON DATABASE \"{name}\" IS '{comment}'")
    log(f"generated {size} in {meta['generated_in_s']} s")
    return url, meta


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PeakMemory(threading.Thread):
    """Samples the resident memory of a process tree; keeps the peak of any one process in it."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                parent = psutil.Process(self.pid)
                for proc in [parent, *parent.children(recursive=True)]:
                    self.peak = max(self.peak, proc.memory_info().rss)
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


def drive(url: str, token: str, seconds: int, header: str | None = None) -> dict:
    """wrk at concurrency 8 (with the token, or ``header`` instead: a page's session cookie);
    returns rps and latency percentiles (ms)."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONCURRENCY}",
            f"-d{seconds}s",
            "--timeout",
            "60s",
            "-s",
            str(ROOT / "bench" / "wrk_report.lua"),
            "-H",
            header or f"Authorization: Token {token}",
            url,
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = [ln for ln in out.splitlines() if ln.startswith("{")][-1]
    data = json.loads(line)
    if not data["requests"]:  # nothing completed within the run: no latency to report
        errors = data["errors"] + data["non2xx"]
        return {"rps": 0.0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "errors": errors}
    return {
        "rps": round(data["rps"], 1),
        "p50_ms": round(data["p50_us"] / 1000, 2),
        "p95_ms": round(data["p95_us"] / 1000, 2),
        "p99_ms": round(data["p99_us"] / 1000, 2),
        "errors": data["errors"] + data["non2xx"],
    }


def listen_queue(port: int) -> int:
    """Connections waiting in the accept queue of a listening socket on ``port`` (Linux)."""
    waiting = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                waiting += int(fields[4].split(":")[1], 16)
    return waiting


def wait_idle(port: int, master: int, timeout: float = 900) -> None:
    """Wait until gunicorn has no request left: wrk stops sending at its deadline, but requests
    already accepted (or queued) keep a sync worker busy; the next endpoint must not queue
    behind them, or a slow endpoint's backlog is measured as the next one's latency."""
    deadline, quiet = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        busy = listen_queue(port) > 0
        try:
            for proc in psutil.Process(master).children():
                busy = busy or any(
                    c.laddr and c.laddr.port == port and c.status != psutil.CONN_LISTEN
                    for c in proc.net_connections("tcp")
                )
        except psutil.Error:
            pass
        quiet = 0 if busy else quiet + 1
        if quiet >= 3:
            return
        time.sleep(0.2)
    log(f"gunicorn still busy after {timeout} s; measuring anyway")


def git_state() -> str:
    """The commit measured, with '+dirty' when tracked product files differ from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "?"
    return head + ("+dirty" if dirty else "")


def probe(size: str, url: str) -> dict:
    """One in-process pass over ``size`` (bench.probe): queries, bytes, serial ms."""
    env = base_env(url)
    found = subprocess.run(
        [PY, "-m", "bench.probe"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if found.returncode:
        raise SystemExit(found.stderr)
    facts = json.loads(found.stdout)
    wrong = {name: status for name, status in facts["statuses"].items() if status != 200}
    if wrong:  # measuring redirects or errors would be meaningless
        raise SystemExit(f"endpoints do not answer 200 at {size}: {wrong}")
    return facts


def fastest(rounds: list[dict]) -> dict:
    """Probe rounds of one size as one: the last round's token, session and paths, and each
    timing the fastest any round measured (noise only ever slows a run down)."""
    facts = dict(rounds[-1])
    facts["serial_ms"] = {
        name: min(r["serial_ms"][name] for r in rounds) for name in facts["serial_ms"]
    }
    facts["pages"] = {
        name: {**page, "serial_ms": min(r["pages"][name]["serial_ms"] for r in rounds)}
        for name, page in facts["pages"].items()
    }
    for key in ("floor_ms", "review_ms", "review_cold_ms"):
        facts[key] = min(r[key] for r in rounds)
    facts["probe_rounds"] = len(rounds)
    return facts


def probe_sizes(sizes: list[str]) -> dict[str, tuple[str, dict, dict]]:
    """Each size's database, prepared, and its probe figures from ``PROBE_ROUNDS`` rounds taken
    in turn over the sizes: on a shared machine a slow minute then slows every size alike,
    instead of making the size measured during it look like it grew."""
    prepared = {}
    for size in sizes:
        url, meta = ensure_database(size)
        # Pages render with DEBUG off, as deployed: their static files must be collected.
        subprocess.run(
            [PY, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=base_env(url),
            check=True,
        )
        prepared[size] = (url, meta, [])
    for round_no in range(1, PROBE_ROUNDS + 1):
        for size, (url, _meta, rounds) in prepared.items():
            rounds.append(probe(size, url))
            log(
                f"{size:6} probe round {round_no}: list {rounds[-1]['serial_ms']['list']} ms serial"
            )
    return {size: (url, meta, fastest(rounds)) for size, (url, meta, rounds) in prepared.items()}


def measure_size(size: str, url: str, meta: dict, facts: dict) -> dict:
    env = base_env(url)
    code = git_state()
    port = free_port()
    web = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            # A slow endpoint at `large` is measured, not killed by the 30 s default.
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
    )
    memory = PeakMemory(web.pid)
    memory.start()
    endpoints: dict[str, dict] = {}
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz")
        # Rounds over all endpoints, keeping each endpoint's best: on a shared machine the
        # noise only ever slows a run down, and alternating spreads it over the endpoints.
        for round_no in range(1, ROUNDS + 1):
            for name in ENDPOINTS:
                target = f"http://127.0.0.1:{port}{facts['paths'][name]}"
                drive(target, facts["token"], WARMUP)
                wait_idle(port, web.pid)
                result = drive(target, facts["token"], DURATION)
                wait_idle(port, web.pid)
                best = endpoints.get(name)
                rounds = [*(best or {}).get("rounds_rps", []), result["rps"]]
                if best is None or result["rps"] > best["rps"]:
                    best = result
                best["rounds_rps"] = rounds
                best["queries"] = facts["queries"].get(name)
                best["serial_ms"] = facts.get("serial_ms", {}).get(name)
                endpoints[name] = best
                log(f"{size:6} {name:14} round {round_no}: {result['rps']:8.1f} rps  "
                    f"p50 {fmt_ms(result['p50_ms'])} ms  p95 {fmt_ms(result['p95_ms'])} ms  "
                    f"queries {best['queries']}"
                    + (f"  ERRORS {result['errors']}" if result["errors"] else ""))  # fmt: skip
        pages = measure_pages(size, port, web.pid, facts)
    finally:
        memory.stop.set()
        web.terminate()
        web.wait(10)
    if git_state() != code:
        log(f"the code changed while {size} was measured ({code} → {git_state()})")
        code = f"{code} → {git_state()}"
    return {
        "url": url,
        "code": code,
        "requests": facts["requests"],
        "rows": facts.get("rows"),
        "generated_in_s": meta.get("generated_in_s"),
        "endpoints": endpoints,
        "pages": pages,
        "review_ms": round(facts["review_ms"], 2),
        "review_cold_ms": round(facts["review_cold_ms"], 2),
        "floor_ms": round(facts["floor_ms"], 3),
        "web_peak_rss_mb": round(memory.peak / 2**20, 1),
        "list_body_bytes": facts["list_body_bytes"],
    }


def measure_pages(size: str, port: int, master: int, facts: dict) -> dict:
    """Each page under load with the lead's session, merged with the probe's serial figures;
    then each web worker's resident memory after the heavy pages."""
    cookie = f"Cookie: sessionid={facts['session']}"
    pages = {}
    for name, page in facts["pages"].items():
        target = f"http://127.0.0.1:{port}{page['path']}"
        drive(target, "", PAGE_WARMUP, cookie)
        wait_idle(port, master)
        result = drive(target, "", PAGE_DURATION, cookie)
        wait_idle(port, master)
        pages[name] = {**page, **result}
        log(f"{size:6} {name:16} {result['rps']:8.1f} rps  p95 {fmt_ms(result['p95_ms'])} ms  "
            f"serial {fmt_ms(page['serial_ms'])} ms  queries {page['queries']}  "
            f"{page['bytes']:,} bytes" + (f"  ERRORS {result['errors']}" if result["errors"] else ""))  # fmt: skip
    try:
        workers = psutil.Process(master).children()
        pages["_worker_rss_mb_after"] = [round(w.memory_info().rss / 2**20, 1) for w in workers]
    except psutil.Error:
        pass
    return pages


def fmt_ms(value) -> str:
    return f"{value:7.2f}" if value is not None else "      –"


def measure_notifications(url: str) -> dict | None:
    """Drain throughput of the outbox vs no-op tasks, on one worker and the same Redis broker."""
    out = subprocess.run(
        [PY, "-m", "bench.notify_probe"],
        cwd=ROOT,
        env=base_env(url),
        stdout=subprocess.PIPE,
        text=True,
    )
    if out.returncode:
        log("notification throughput failed (see the messages above)")
        return None
    return json.loads(out.stdout)


def ratio(a, b, digits=2):
    return round(a / b, digits) if a and b else None


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    sizes = os.environ.get("BENCH_SCALE") or os.environ.get("BENCH_SIZE", "small")
    sizes = [s.strip() for s in sizes.split(",") if s.strip()]
    probed = probe_sizes(sizes)
    by_size = {size: measure_size(size, *probed[size]) for size in sizes}
    first, last = by_size[sizes[0]], by_size[sizes[-1]]
    notify = (
        measure_notifications(first["url"]) if os.environ.get("BENCH_NOTIFY", "1") != "0" else None
    )
    eps = first["endpoints"]
    review = {s: ratio(m["review_ms"], m["floor_ms"]) for s, m in by_size.items()}
    review_cold = {s: ratio(m["review_cold_ms"], m["floor_ms"]) for s, m in by_size.items()}
    pages_first = first.get("pages", {})
    page_scale = {
        name: ratio(last["pages"][name]["serial_ms"], page["serial_ms"])
        for name, page in pages_first.items()
        if not name.startswith("_") and name in last.get("pages", {})
    }
    page_bytes_scale = {
        name: ratio(last["pages"][name]["bytes"], page["bytes"])
        for name, page in pages_first.items()
        if not name.startswith("_") and name in last.get("pages", {})
    }
    worst_page = max(page_scale, key=lambda n: page_scale[n] or 0, default=None)
    ratios = {
        "list_vs_floor": ratio(eps["list"]["rps"], eps["floor"]["rps"]),
        "list_vs_peer": ratio(eps["list"]["rps"], eps["peer"]["rps"]),
        "page_list_vs_api_list": ratio(
            pages_first.get("page_list", {}).get("rps"), eps["list"]["rps"]
        ),
        "pages_scale_large_vs_small": page_scale.get(worst_page) if len(sizes) > 1 else None,
        "board_scale_large_vs_small": ratio(
            last["endpoints"]["board"]["serial_ms"], first["endpoints"]["board"]["serial_ms"]
        )
        if len(sizes) > 1
        else None,
        "review_cold_vs_sql_floor": review_cold.get(sizes[-1]),
        # For the record (the old reference points: no database / N+1).
        "list_vs_ceiling": ratio(eps["list"]["rps"], eps["ceiling"]["rps"]),
        "list_vs_textbook": ratio(eps["list"]["rps"], eps["textbook"]["rps"]),
        # p95 at the largest size measured over the smallest (large vs small when both ran).
        "list_scale_large_vs_small": ratio(
            last["endpoints"]["list"]["p95_ms"], first["endpoints"]["list"]["p95_ms"]
        )
        if len(sizes) > 1
        else None,
        # The worst size: the target holds "at every size".
        "review_vs_sql_floor": max((v for v in review.values() if v), default=None),
        "notify_vs_noop": notify and ratio(notify["notify_per_s"], notify["noop_per_s"]),
    }
    for m in by_size.values():
        del m["url"]
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "cpu": cpu_model(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "load_avg_1m_at_start": round(os.getloadavg()[0], 2),
            "python": platform.python_version(),
            "postgres": postgres_version(),
            "platform": platform.platform(),
        },
        "settings": {
            "duration_s": DURATION,
            "warmup_s": WARMUP,
            "rounds": ROUNDS,
            "probe_rounds": PROBE_ROUNDS,
            "concurrency": CONCURRENCY,
            "gunicorn_workers": 2,
        },
        "size": {s: m["requests"] for s, m in by_size.items()},
        "endpoints": eps,
        "by_size": by_size,
        "notifications": notify,
        "ratios": ratios,
        "ratio_status": {key: target_status(key, value) for key, value in ratios.items()},
        "ratio_notes": {
            "list_scale_large_vs_small": f"list p95 at {sizes[-1]} / at {sizes[0]}"
            if len(sizes) > 1
            else "needs BENCH_SCALE with two sizes or more",
            "review_vs_sql_floor": {
                "by_size": review,
                "cold_by_size": review_cold,
                "reported": "the worst size, as served (warm: cached); cold: cache bypassed",
            },
            "list_vs_ceiling": f"at {sizes[0]} (for the record: a static body, no auth, no DB)",
            "list_vs_textbook": f"at {sizes[0]} (for the record: the peer without select_related)",
            "list_vs_floor": f"API list req/s / bare-Django floor req/s at {sizes[0]}",
            "list_vs_peer": f"API list req/s / ModelViewSet peer req/s at {sizes[0]}",
            "page_list_vs_api_list": f"list page req/s / API list req/s at {sizes[0]}",
            "pages_scale_large_vs_small": {
                "worst": worst_page,
                "serial_ms_by_page": page_scale,
                "bytes_by_page": page_bytes_scale,
                "reported": f"the worst page's serial ms at {sizes[-1]} / at {sizes[0]}",
            }
            if len(sizes) > 1
            else "needs BENCH_SCALE with two sizes or more",
            "board_scale_large_vs_small": f"board API serial ms at {sizes[-1]} / at {sizes[0]}",
            "review_cold_vs_sql_floor": f"review computed cold / single-SQL floor at {sizes[-1]}",
        },
    }
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2) + "\n")
    table = render_markdown(result)
    (ROOT / "bench" / "RESULTS.md").write_text(table)
    catalog_import.write_section()  # keeps the figures of `python -m bench.catalog_import`
    print(table)
    log(f"written: {RESULTS / 'latest.json'} and {ROOT / 'bench' / 'RESULTS.md'}")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def postgres_version() -> str:
    try:
        return psql(f"{PG_BASE}/postgres", "SHOW server_version")
    except (OSError, subprocess.CalledProcessError):
        return "?"


TARGETS = {
    "list_vs_floor": "≥ 0.5",
    "list_vs_peer": "≥ 3",
    "page_list_vs_api_list": "≥ 0.5",
    "pages_scale_large_vs_small": "≤ 1.3",
    "board_scale_large_vs_small": "≤ 1.3",
    "review_cold_vs_sql_floor": "≤ 3",
    "list_vs_ceiling": "(record)",
    "list_vs_textbook": "(record)",
    "list_scale_large_vs_small": "≤ 1.3",
    "review_vs_sql_floor": "≤ 5",
    "notify_vs_noop": "≥ 0.8",
}


def target_status(key: str, value) -> str:
    """Whether a ratio meets its target, and by how much it misses: "met", "missed by ×1.4",
    "unmeasured" or "record" (the old reference points, kept without a target)."""
    target = TARGETS.get(key, "")
    if target[:1] not in ("≥", "≤"):
        return "record"
    if value is None:
        return "unmeasured"
    bound = float(target[1:].strip())
    if (value >= bound) if target[0] == "≥" else (value <= bound):
        return "met"
    factor = bound / value if target[0] == "≥" else value / bound
    return f"missed by ×{factor:.2f}"


def _cell(value) -> str:
    return "–" if value is None else str(value)


def render_markdown(r: dict) -> str:
    m = r["machine"]
    sizes = list(r["by_size"])
    lines = [
        "# Benchmark results",
        "",
        f"Run {r['date']} on {m['cpus']} CPUs ({m['cpu']}), {m['memory_gb']} GiB, load "
        f"{m['load_avg_1m_at_start']} at start; Python {m['python']}, PostgreSQL {m['postgres']} "
        f"({m['platform']}). gunicorn 2 workers, wrk concurrency {CONCURRENCY}, {DURATION} s per "
        f"endpoint after {WARMUP} s of warm-up, best of {ROUNDS} rounds; serial ms is one "
        "request at a time, in-process, the fastest of "
        f"{r['settings'].get('probe_rounds', 1)} probe rounds taken in turn over the sizes "
        "(each the fastest of nine runs). Regenerate with `make bench` "
        "(`BENCH_SIZE=medium`, `BENCH_SCALE=small,medium,large`).",
        "",
        "Sizes: "
        + "; ".join(
            f"{s} = {v['requests']:,} requests"
            + (f" (generated in {v['generated_in_s']} s)" if v.get("generated_in_s") else "")
            for s, v in r["by_size"].items()
        )
        + ".",
        "",
    ]
    for size, sm in r["by_size"].items():
        lines += [
            f"## {size}",
            "",
            "| endpoint | req/s | p50 ms | p95 ms | serial ms | queries |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, e in sm["endpoints"].items():
            flag = f" ({e['errors']} errors)" if e.get("errors") else ""
            cells = [e["rps"], e["p50_ms"], e["p95_ms"], e.get("serial_ms"), e["queries"]]
            lines.append(f"| {name}{flag} | " + " | ".join(_cell(c) for c in cells) + " |")
        pages = {k: v for k, v in (sm.get("pages") or {}).items() if not k.startswith("_")}
        if pages:
            lines += [
                "",
                "| page (signed in) | serial ms | req/s | p95 ms | queries | bytes | gzip bytes |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]
            for name, pg in pages.items():
                cells = [pg["serial_ms"], pg.get("rps"), pg.get("p95_ms"), pg["queries"]]
                cells += [f"{pg['bytes']:,}", f"{pg['gzip_bytes']:,}"]
                lines.append(
                    f"| {name[5:]} `{pg['path']}` | " + " | ".join(_cell(c) for c in cells) + " |"
                )
            rss = (sm.get("pages") or {}).get("_worker_rss_mb_after")
            if rss:
                lines += ["", f"Web workers' RSS after the pages: {rss} MB."]
        rows = ", ".join(f"{v:,} {k}s" for k, v in (sm.get("rows") or {}).items())
        lines += [
            "",
            f"Code {sm.get('code')}. Review in {sm['review_ms']} ms as served (warm, cached) and "
            f"{sm.get('review_cold_ms', '–')} ms computed (cold, cache bypassed) against a "
            f"single-SQL floor of {sm['floor_ms']} ms; web worker peak RSS "
            f"{sm['web_peak_rss_mb']} MB; list page {sm['list_body_bytes']:,} bytes; {rows}.",
            "",
        ]
    if len(sizes) > 1:
        lines += [
            "## Scale curve (p95 ms under load / serial ms / queries)",
            "",
            "| endpoint | " + " | ".join(sizes) + " |",
            "| --- |" + " ---: |" * len(sizes),
        ]
        page_names = [n for n in r["by_size"][sizes[0]].get("pages", {}) if not n.startswith("_")]
        for name in page_names:
            cells = [
                " / ".join(
                    _cell(r["by_size"][s].get("pages", {}).get(name, {}).get(k))
                    for k in ("p95_ms", "serial_ms", "queries", "bytes")
                )
                for s in sizes
            ]
            lines.append(f"| {name} (p95 / serial / queries / bytes) | " + " | ".join(cells) + " |")
        for name in ("list", "detail", "board", "review", "notifications"):
            cells = [
                " / ".join(
                    _cell(r["by_size"][s]["endpoints"][name].get(k))
                    for k in ("p95_ms", "serial_ms", "queries")
                )
                for s in sizes
            ]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
    if r["notifications"]:
        n = r["notifications"]
        lines += [
            "## Notifications",
            "",
            f"{n['count']:,} notifications (half in-app, half email to the file backend) drained "
            f"at {n['notify_per_s']}/s ({n['notify_seconds']} s); {n['count']:,} no-op tasks at "
            f"{n['noop_per_s']}/s ({n['noop_seconds']} s), on the same Redis broker and the same "
            f"single worker process. Emails written: {n['emails_written']:,}; worker peak RSS "
            f"{n['worker_peak_rss_mb']} MB.",
            "",
        ]
    lines += [
        "## Ratios",
        "",
        "| ratio | value | target | status |",
        "| --- | ---: | --- | --- |",
    ]
    notes = r.get("ratio_notes", {})
    for key, value in r["ratios"].items():
        note = notes.get(key)
        if isinstance(note, dict) and "worst" in note:
            note = f"worst: {note['worst']}; " + ", ".join(
                f"{k[5:]} {v}" for k, v in note["serial_ms_by_page"].items()
            )
        elif isinstance(note, dict):
            cold = note.get("cold_by_size")
            note = ", ".join(f"{s} {v}" for s, v in note["by_size"].items()) + (
                "; cold " + ", ".join(f"{s} {v}" for s, v in cold.items()) if cold else ""
            )
        lines.append(
            f"| {key} | {value if value is not None else '–'}"
            + (f" ({note})" if note else "")
            + f" | {TARGETS[key]} | {target_status(key, value)} |"
        )
    notes = ROOT / "bench" / "NOTES.md"  # the analysis of the figures (kept by hand)
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
