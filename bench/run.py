"""Page timings at county and province scale, as ratios to /healthz (``make bench``).

For each scale: a fresh SQLite database in a temporary data directory, ``migrate``,
``seed``, ``collectstatic``, then gunicorn with 2 workers on a loopback port in production
settings (plain HTTP). One client signs in as the demo ``office`` user (it sees every unit)
and requests the pages sequentially, round-robin (page 1, page 2, …, page 1, …), warm-up
rounds first, then the measured ones.

The ratio's base is /healthz requested by the same signed-in client: it runs the same
middleware (session read, and the session write that SESSION_SAVE_EVERY_REQUEST makes on
every request) and one ``SELECT 1``, so the ratio shows what the page itself costs. A
/healthz without session, as a load balancer sends it, is shown for reference.

Key-project pages (issue 4): the project list and a project page as ``office``, and the
monthly reporting page as the demo reporter of the development and reform bureau
(``reporter_fgj``), each signed in with a client of its own. The project page is the first
project the list links to. Supervision pages (issue 5): the unit's item inbox as
``reporter_fgj``, the office's overdue list, and the page of the meeting with the most
items (found in the database after the seed), and the office's ledger (督办台账). A page whose route answers 404 is skipped
(not built yet).

Prints, per scale and page, the status, p50 and p95 in milliseconds and p50 divided by the
p50 of /healthz in the same run; writes the same table to ``bench/results/latest.txt``,
with the setup timings (the seed's own breakdown for the key projects included).
Exits 1 when a page of ``BAR_PAGES`` at province scale is slower than 3 × /healthz (the bar
set by issues 3, 4 and 5) or does not answer 200. The reminder job has its own bench:
``bench/supervision_jobs.py``.

    .venv/bin/python bench/run.py                 # both scales, 200 requests per page
    .venv/bin/python bench/run.py --requests 50 --scales county
    .venv/bin/python bench/run.py --scales province --only key --reuse /tmp/bench-data

``--reuse DIR`` keeps the seeded data directory of each scale in ``DIR/<scale>`` between
runs: the first run seeds it, later ones only ``migrate`` (new migrations apply to the
seeded data) and ``collectstatic``. The province seed takes minutes; a reused directory
holds whatever earlier runs wrote, so reseed (delete it) before figures that count.
``--only key`` measures /healthz and the key-project pages of issue 4 only, ``--only
supervision`` /healthz and the supervision pages of issue 5.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
DEMO_USER = "office"
REPORTER = "reporter_fgj"
DEMO_PASSWORD = "Luoshi@2026"
BAR = 3.0  # the unit list at province scale must stay within 3 × /healthz p50

# A path resolved at run time: the first project the project list links to.
FIRST_PROJECT = "<first project of the list>"
PROJECT_LINK = re.compile(rb'href="(/projects/\d+/)"')
# Resolved from the database after the seed: the meeting with the most items.
BUSY_MEETING = "<the meeting with the most items>"
BUSY_MEETING_QUERY = (
    "from django.db.models import Count; from luoshi.supervision.models import Meeting; "
    "m = Meeting.objects.annotate(n=Count('decisions__items')).order_by('-n', 'pk').first(); "
    "print(m.pk if m else '')"
)

# (label, path[, user]) per scale; the user is ``office`` unless named. The search terms
# match a realistic share of the units and projects.
KEY_PROJECT_PAGES: list[tuple[str, str, str]] = [
    ("project list", "/projects/", DEMO_USER),
    ("project list ?q=污水", "/projects/?" + urlencode({"q": "污水"}), DEMO_USER),
    ("project page", FIRST_PROJECT, DEMO_USER),
    ("reporting (reporter_fgj)", "/projects/reporting/", REPORTER),
]
# Meetings and supervision items (issue 5): the unit inbox as the bureau's reporter, the
# office's overdue list, and the page of the busiest meeting with the state of its items.
SUPERVISION_PAGES: list[tuple[str, str, str]] = [
    ("item inbox (reporter_fgj)", "/supervision/inbox/", REPORTER),
    ("overdue items", "/supervision/overdue/", DEMO_USER),
    ("meeting page", BUSY_MEETING, DEMO_USER),
    ("ledger", "/supervision/ledger/", DEMO_USER),
]
PAGES: dict[str, list[tuple[str, ...]]] = {
    "county": [
        ("/healthz", "/healthz"),
        ("home", "/"),
        ("unit list", "/orgs/units/"),
        ("unit list ?q=局", "/orgs/units/?" + urlencode({"q": "局"})),
        ("api units", "/api/v1/units"),
        *KEY_PROJECT_PAGES,
        *SUPERVISION_PAGES,
    ],
    "province": [
        ("/healthz", "/healthz"),
        ("home", "/"),
        ("unit list", "/orgs/units/"),
        ("unit list ?q=发展和改革", "/orgs/units/?" + urlencode({"q": "发展和改革"})),
        ("api units", "/api/v1/units"),
        *KEY_PROJECT_PAGES,
        *SUPERVISION_PAGES,
    ],
}
UNIT_LIST = "unit list"
# Pages held to the 3 × /healthz bar at province scale.
BAR_PAGES = [
    UNIT_LIST,
    "project list",
    "project page",
    "reporting (reporter_fgj)",
    *(label for label, _path, _user in SUPERVISION_PAGES),
]
HEALTHZ_ANONYMOUS = "/healthz (no session)"
KEY_LABELS = {"/healthz", *(label for label, *_ in KEY_PROJECT_PAGES)}
SUPERVISION_LABELS = {"/healthz", *(label for label, *_ in SUPERVISION_PAGES)}
# Written after a complete seed, so that an interrupted one is not reused.
SEEDED_MARK = "bench-seeded"


@dataclass
class Row:
    scale: str
    page: str
    status: str
    p50: float | None = None
    p95: float | None = None
    ratio: float | None = None


class Client:
    """A sequential HTTP client with a cookie jar, one connection per request (gunicorn's
    sync workers close the connection after each response anyway)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        headers = {"Host": f"{HOST}:{self.port}", "Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{HOST}:{self.port}"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for key, morsel in cookie.items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
            return response.status, payload
        finally:
            conn.close()

    def login(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or match is None:
            raise SystemExit(f"bench: the login page answered {status} without a CSRF token")
        status, _ = self.request(
            "POST",
            "/login/",
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": match.group(1).decode(),
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"bench: signing in as {username} failed (status {status})")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def server_env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update(
        LUOSHI_MODE="production",
        LUOSHI_DATA_DIR=str(data_dir),
        LUOSHI_HTTPS="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        LOG_LEVEL="WARNING",
    )
    return env


def run(cmd: list[str], env: dict[str, str], output: list[str] | None = None) -> float:
    started = time.monotonic()
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"bench: {' '.join(cmd[:3])} failed")
    if output is not None:
        output.extend(done.stdout.splitlines())
    return time.monotonic() - started


def wait_healthy(client: Client, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("bench: gunicorn exited during start-up")
        try:
            if client.request("GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("bench: the server did not become healthy in time")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(pages: list[tuple[str, str, Client]], warmup: int, requests: int) -> dict:
    """Round-robin over the pages, so that a change in the machine's load (other jobs,
    CPU frequency) hits every page alike and the ratios stay comparable."""
    timings: dict[str, list[float]] = {label: [] for label, _, _ in pages}
    statuses: dict[str, set[int]] = {label: set() for label, _, _ in pages}
    for round_ in range(warmup + requests):
        for label, path, who in pages:
            started = time.perf_counter()
            status, _ = who.request("GET", path)
            elapsed = (time.perf_counter() - started) * 1000
            if round_ >= warmup:
                timings[label].append(elapsed)
                statuses[label].add(status)
    return {
        label: (",".join(str(s) for s in sorted(statuses[label])), timings[label])
        for label in timings
    }


def bench_scale(
    scale: str,
    *,
    warmup: int,
    requests: int,
    keep: bool,
    reuse: Path | None = None,
    only: str = "all",
) -> tuple[list[Row], dict[str, float], str]:
    if reuse is not None:
        data_dir = reuse / scale
        data_dir.mkdir(parents=True, exist_ok=True)
        keep = True
    else:
        data_dir = Path(tempfile.mkdtemp(prefix=f"luoshi-bench-{scale}-"))
    env = server_env(data_dir)
    luoshi = str(BIN / "luoshi")
    seed_log: list[str] = []
    mark = data_dir / SEEDED_MARK
    setup = {"migrate": run([luoshi, "migrate", "--noinput", "-v0"], env)}
    if mark.exists():
        seed_log = mark.read_text().splitlines()
    else:
        setup["seed"] = run(
            [luoshi, "seed", "--scale", scale, "--allow-production", "-v2"], env, seed_log
        )
        if reuse is not None:
            mark.write_text("\n".join(seed_log) + "\n")
    setup["collectstatic"] = run([luoshi, "collectstatic", "--noinput", "-v0"], env)
    port = free_port()
    log = data_dir / "gunicorn.log"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "luoshi.wsgi",
            "-w",
            "2",
            "-b",
            f"{HOST}:{port}",
            "--error-logfile",
            str(log),
            "--timeout",
            "60",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rows: list[Row] = []
    try:
        client = Client(port)
        wait_healthy(client, server)
        client.login(DEMO_USER, DEMO_PASSWORD)
        clients = {DEMO_USER: client}
        pages: list[tuple[str, str, Client]] = []
        for label, path, *user in PAGES[scale]:
            if (only == "key" and label not in KEY_LABELS) or (
                only == "supervision" and label not in SUPERVISION_LABELS
            ):
                continue
            username = user[0] if user else DEMO_USER
            if username not in clients:
                clients[username] = Client(port)
                clients[username].login(username, DEMO_PASSWORD)
            who = clients[username]
            if path == FIRST_PROJECT:
                status, page = who.request("GET", "/projects/")
                link = PROJECT_LINK.search(page) if status == 200 else None
                if link is None:
                    rows.append(Row(scale, label, f"{status} (no project to open, skipped)"))
                    continue
                path = link.group(1).decode()
            if path == BUSY_MEETING:
                out: list[str] = []
                run([luoshi, "shell", "-c", BUSY_MEETING_QUERY], env, out)
                meeting = out[-1].strip() if out else ""
                if not meeting.isdigit():
                    rows.append(Row(scale, label, "no meeting seeded (skipped)"))
                    continue
                path = f"/supervision/meetings/{meeting}/"
            status, _ = who.request("GET", path)
            if status == 404 and (
                label.startswith("api") or path.startswith(("/projects/", "/supervision/"))
            ):
                rows.append(Row(scale, label, "404 (not built yet, skipped)"))
            elif status != 200:
                rows.append(Row(scale, label, f"{status} (not measured)"))
            else:
                pages.append((label, path, who))
        # What a load balancer sees: no session, no cookie. Shown for reference only.
        pages.append((HEALTHZ_ANONYMOUS, "/healthz", Client(port)))
        results = measure(pages, warmup, requests)
        base = (
            statistics.median(results["/healthz"][1])
            if results.get("/healthz", ("", []))[1]
            else None
        )
        for label, (status, timings) in results.items():
            p50, p95 = statistics.median(timings), percentile(timings, 95)
            rows.append(Row(scale, label, status, p50, p95, p50 / base if base else None))
        order = [label for label, *_ in PAGES[scale]] + [HEALTHZ_ANONYMOUS]
        rows.sort(key=lambda r: order.index(r.page))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        if (
            any(r.status != "200" and not r.status.startswith("404 (") for r in rows)
            and log.exists()
        ):
            sys.stderr.write(f"--- gunicorn log ({scale}) ---\n" + log.read_text()[-4000:])
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    # The key-project seed's own breakdown ("timings: setup 0.1 s, …"), when it prints one.
    seed_notes = [
        line.strip().removeprefix("timings:").strip()
        for line in seed_log
        if line.strip().startswith("timings:")
    ]
    return rows, setup, "; ".join(seed_notes)


def format_table(rows: list[Row]) -> str:
    header = ["scale", "page", "status", "p50 ms", "p95 ms", "p50 / healthz"]
    body = [
        [
            r.scale,
            r.page,
            r.status,
            f"{r.p50:.1f}" if r.p50 is not None else "—",
            f"{r.p95:.1f}" if r.p95 is not None else "—",
            f"{r.ratio:.2f}" if r.ratio is not None else "—",
        ]
        for r in rows
    ]

    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    widths = [max(width(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = []
    for n, line in enumerate([header, *body]):
        cells = []
        for i, cell in enumerate(line):
            pad = " " * (widths[i] - width(cell))
            cells.append(pad + cell if i >= 3 else cell + pad)
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def git_head() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="county,province")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per page first")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directories")
    parser.add_argument(
        "--reuse",
        type=Path,
        metavar="DIR",
        help="seed into DIR/<scale> once and reuse it on later runs (kept)",
    )
    parser.add_argument(
        "--only",
        choices=["all", "key", "supervision"],
        default="all",
        help="key / supervision: /healthz and the pages of issue 4 / issue 5 only",
    )
    args = parser.parse_args(argv)

    rows: list[Row] = []
    notes: list[str] = []
    for scale in [s.strip() for s in args.scales.split(",") if s.strip()]:
        if scale not in PAGES:
            parser.error(f"unknown scale {scale!r}")
        print(f"bench: {scale}: migrate, seed, collectstatic, gunicorn -w 2 …", flush=True)
        scale_rows, setup, seed_notes = bench_scale(
            scale,
            warmup=args.warmup,
            requests=args.requests,
            keep=args.keep,
            reuse=args.reuse,
            only=args.only,
        )
        rows.extend(scale_rows)
        notes.append(
            f"{scale}: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in setup.items())
            + (f" (key projects: {seed_notes})" if seed_notes else "")
        )

    table = format_table(rows)
    header = (
        f"luoshi bench {datetime.now().strftime('%Y-%m-%d %H:%M')} · commit {git_head()} · SQLite · "
        f"gunicorn -w 2 · {args.requests} requests per page after {args.warmup} warm-up · user {DEMO_USER}"
    )
    report = "\n".join([header, "", table, "", "setup: " + "; ".join(notes)])

    failures = []
    held = []
    for row in rows:
        if row.scale == "province" and row.page in BAR_PAGES:
            if "skipped" in row.status:
                continue  # not built yet, or nothing to open
            held.append(row.page)
            if row.status != "200":
                failures.append(f"the {row.page} at province scale answered {row.status}, not 200")
            elif row.ratio is not None and row.ratio > BAR:
                failures.append(
                    f"the {row.page} at province scale takes {row.ratio:.2f} × /healthz p50 (bar: {BAR:.0f} ×)"
                )
    verdict = (
        "FAIL: " + "; ".join(failures)
        if failures
        else (
            f"OK: at province scale, {', '.join(held)} within {BAR:.0f} × /healthz p50"
            if any(r.scale == "province" for r in rows)
            else "(province scale not measured)"
        )
    )
    report += "\n" + verdict + "\n"
    print()
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.txt").write_text(report)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
