"""Export of every project of a province year (issue 4: memory growth under 100 MB,
streamed to the client), in one run.

Uses a seeded province data directory (``--data-dir``, e.g. the one ``bench/run.py``
seeded; it is read, only the export's audit entries and a session are written) or seeds
one in a temporary directory (``migrate`` + ``seed --scale province``, a few minutes).
Then, in this process:

- ``luoshi export-projects --year Y --month M -o F`` and the same without a month (the
  project list with the monthly plans);
- the page download ``/projects/import/export.xlsx?year=Y&month=M`` as the demo ``office``
  user, read chunk by chunk as a browser does.

Prints for each: wall time, the queries, the file size, and the peak memory growth (the
process's peak resident size after the run minus its resident size before, the peak reset
through /proc/self/clear_refs between runs). Exits 1 when a growth reaches 100 MB.

    .venv/bin/python bench/export_projects.py --data-dir /tmp/province   # reuse
    .venv/bin/python bench/export_projects.py                            # seed first
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LIMIT_MB = 100


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    # "5" resets VmHWM to the current resident size (Linux ≥ 4.0).
    Path("/proc/self/clear_refs").write_text("5")


def measure(label: str, run) -> float:
    import gc

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    gc.collect()
    _reset_peak()
    before = _status_kb("VmRSS")
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        detail = run()
    elapsed = time.monotonic() - started
    growth_mb = (_status_kb("VmHWM") - before) / 1024
    print(
        f"{label:<44} {elapsed:6.1f} s   peak memory growth {growth_mb:6.1f} MB   "
        f"{len(queries):3d} queries   {detail}"
    )
    return growth_mb


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", help="a data directory seeded at province scale")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--month", type=int, default=10)
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="luoshi-bench-export-")
    env = {**os.environ, "LUOSHI_MODE": "demo", "LUOSHI_DATA_DIR": data_dir}
    env.pop("DATABASE_URL", None)
    if not args.data_dir:
        started = time.monotonic()
        for cmd in (["migrate", "-v", "0"], ["seed", "--scale", "province"]):
            subprocess.run([str(BIN / "luoshi"), *cmd], env=env, check=True, cwd=ROOT)
        print(f"seeded a province in {data_dir} in {time.monotonic() - started:.0f} s")
    os.environ.update(LUOSHI_MODE="demo", LUOSHI_DATA_DIR=data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from luoshi.orgs.models import User
    from luoshi.projects.models import Project

    settings.DEBUG = False
    # No collected static files here: the download renders no page.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    n = Project.objects.filter(year=args.year).count()
    print(f"{n:,} projects in {args.year}, data directory {data_dir}")
    out = Path(tempfile.mkdtemp(prefix="luoshi-export-")) / "projects.xlsx"
    growths = []
    # Warm-up: imports and first-use caches are the process's, not the export's growth.
    call_command("export_projects", year=1999, output=str(out), stdout=open(os.devnull, "w"))

    def cli(month):
        def run():
            opts = {"year": args.year, "output": str(out), "stdout": open(os.devnull, "w")}
            if month:
                opts["month"] = month
            call_command("export_projects", **opts)
            return f"{out.stat().st_size / 1048576:.1f} MB file"

        return run

    growths.append(
        measure(f"export-projects --year {args.year} --month {args.month}", cli(args.month))
    )
    growths.append(measure(f"export-projects --year {args.year} (list)", cli(None)))

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="office"))

    def page():
        response = client.get(f"/projects/import/export.xlsx?year={args.year}&month={args.month}")
        assert response.status_code == 200, response.status_code
        assert response.streaming, "the export is not streamed"
        size = chunks = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            chunks += 1
        response.close()
        return f"{size / 1048576:.1f} MB in {chunks} chunks"

    growths.append(measure("page download as office (streamed)", page))
    worst = max(growths)
    print(f"largest memory growth {worst:.1f} MB (limit {LIMIT_MB} MB)")
    return 1 if worst >= LIMIT_MB else 0


if __name__ == "__main__":
    sys.exit(main())
