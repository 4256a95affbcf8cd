"""Where a page's time goes (issues 4 and 5): Python against SQL, query by query.

Runs in one process against a data directory that ``bench/run.py --reuse DIR`` seeded
(production settings, SQLite), signs in through the test client and requests each page
``--repeat`` times; prints the median total, the median time spent in SQL and, for the
last request, every query with its time (slowest first).

    .venv/bin/python bench/profile_pages.py /tmp/bench-data/province
    .venv/bin/python bench/profile_pages.py /tmp/bench-data/province --cprofile "/projects/"
    .venv/bin/python bench/profile_pages.py /tmp/bench-data/province --only supervision --queries

``PROF_SORT``, ``PROF_FILTER`` and ``PROF_DUMP`` (a file for the raw stats) tune --cprofile.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

PAGES = {
    "key": [
        ("/healthz", "/healthz", "office"),
        ("home", "/", "office"),
        ("project list", "/projects/", "office"),
        ("project list ?q=污水", "/projects/?" + urlencode({"q": "污水"}), "office"),
        ("project page", "FIRST", "office"),
        ("reporting (reporter_fgj)", "/projects/reporting/", "reporter_fgj"),
    ],
    "supervision": [
        ("/healthz", "/healthz", "office"),
        ("item inbox (reporter_fgj)", "/supervision/inbox/", "reporter_fgj"),
        ("overdue items", "/supervision/overdue/", "office"),
        ("meeting page", "BUSY", "office"),
        ("ledger", "/supervision/ledger/", "office"),
        ("ledger ?lamp=red", "/supervision/ledger/?" + urlencode({"lamp": "red"}), "office"),
        ("overdue ?kind=acceptance", "/supervision/overdue/?kind=acceptance", "office"),
    ],
}


def _resolve(path: str, client) -> str:
    """FIRST: the first project the list links to; BUSY: the meeting with most items."""
    if path == "FIRST":
        body = client.get("/projects/").content
        return re.search(rb'href="(/projects/\d+/)"', body).group(1).decode()
    if path == "BUSY":
        from django.db.models import Count

        from luoshi.supervision.models import Meeting

        busy = Meeting.objects.annotate(n=Count("decisions__items")).order_by("-n", "pk")[0]
        return f"/supervision/meetings/{busy.pk}/"
    return path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--cprofile", metavar="PATH", help="profile this page and print stats")
    parser.add_argument("--queries", action="store_true", help="print each query")
    parser.add_argument("--only", choices=sorted(PAGES), default="key", help="which pages")
    args = parser.parse_args()
    chosen = PAGES[args.only]
    os.environ.update(
        LUOSHI_MODE="production",
        LUOSHI_DATA_DIR=str(args.data_dir.resolve()),
        LUOSHI_HTTPS="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import Client
    from django.test.client import RequestFactory

    handler = WSGIHandler()
    factory = RequestFactory()

    class Raw:
        """The WSGI handler called directly: the test client's own bookkeeping (signals,
        copies of every template context) would cost more than some pages."""

        def __init__(self, client: Client) -> None:
            self.cookie = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())

        def get(self, path: str):
            environ = factory.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").environ
            environ["HTTP_COOKIE"] = self.cookie
            status = []
            body = b"".join(handler(environ, lambda s, h, *a: status.append(s)))
            return type("R", (), {"status_code": int(status[0][:3]), "content": body})

    clients = {}
    for user in {u for *_, u in chosen}:
        c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        c.post("/login/", {"username": user, "password": "Luoshi@2026"})
        clients[user] = c
    pages = [(label, _resolve(path, clients[user]), user) for label, path, user in chosen]
    clients = {u: Raw(c) for u, c in clients.items()}

    if args.cprofile:
        import cProfile
        import pstats

        label_or_path = args.cprofile
        who, args.cprofile = next((u, p) for lab, p, u in pages if label_or_path in (lab, p))
        for _ in range(3):
            clients[who].get(args.cprofile)
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(args.repeat):
            clients[who].get(args.cprofile)
        prof.disable()
        if os.environ.get("PROF_DUMP"):
            prof.dump_stats(os.environ["PROF_DUMP"])
        st = pstats.Stats(prof).sort_stats(os.environ.get("PROF_SORT", "cumulative"))
        st.print_stats(os.environ.get("PROF_FILTER", ""), 60)
        return 0

    for label, path, user in pages:
        totals: list[float] = []
        # CPU time of this process: steadier than wall time on a shared machine.
        cpus: list[float] = []
        last: list = []
        for i in range(args.repeat + 3):
            log: list[tuple[float, str]] = []

            def wrapper(execute, sql, params, many, context, log=log):
                t = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    log.append((time.perf_counter() - t, sql, params))

            t, c = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(wrapper):
                response = clients[user].get(path)
            total, cpu = time.perf_counter() - t, time.process_time() - c
            if i >= 3:
                totals.append(total * 1000)
                cpus.append(cpu * 1000)
                last = log
        # execute() only steps to the first row: replay each query to its last row, the
        # fastest of five, for what SQL really costs.
        replayed = []
        for _, sql, params in last:
            best = float("inf")
            for _ in range(5):
                with connection.cursor() as cursor:
                    t = time.perf_counter()
                    cursor.execute(sql, params)
                    cursor.fetchall()
                    best = min(best, time.perf_counter() - t)
            replayed.append(best * 1000)
        print(
            f"{label:28} {response.status_code} total {statistics.median(totals):7.1f} ms (min {min(totals):5.1f}) cpu {statistics.median(cpus):5.1f}"
            f"  sql {sum(replayed):7.1f} ms  queries {len(last)}"
        )
        if args.queries:
            for d, (_, sql, _) in sorted(zip(replayed, last, strict=True), key=lambda x: -x[0]):
                print(f"    {d:7.2f}  {sql[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
