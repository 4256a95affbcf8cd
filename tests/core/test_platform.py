"""Health check, security headers, settings refusal, static assets served by the app."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client

from luoshi.orgs.choices import Role
from tests.helpers import assert_queries_independent_of_size
from tests.orgs.factories import UnitFactory, UserFactory


@pytest.mark.django_db
def test_healthz_answers_200_with_json_when_the_database_answers():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not():
    with mock.patch("luoshi.core.views.connection.cursor", side_effect=Exception("down")):
        response = Client().get("/healthz")
    assert response.status_code == 503


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy_and_frame_denial():
    response = Client().get("/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_pages_contain_no_inline_script_or_style():
    user = UserFactory(roles=[Role.SUPERVISION_OFFICER])
    client = Client()
    client.force_login(user)
    for url in ["/login/", "/"]:
        html = client.get(url).content.decode()
        for line in html.splitlines():
            if "<script" in line:
                assert "src=" in line or 'type="application/json"' in line, line
        assert " style=" not in html and "onclick=" not in html


def _run_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "LUOSHI_MODE", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(env)
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='luoshi.settings'; django.setup(); from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run_settings({"LUOSHI_DATA_DIR": str(tmp_path), "ALLOWED_HOSTS": "gov.example"})
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = _run_settings({"LUOSHI_DATA_DIR": str(tmp_path), "SECRET_KEY": "k" * 50})
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_production_defaults_are_safe(tmp_path):
    result = _run_settings(
        {"LUOSHI_DATA_DIR": str(tmp_path), "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "gov.example"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "31536000"]


def test_the_demo_generates_its_secret_once_and_keeps_it(tmp_path):
    env = {"LUOSHI_DATA_DIR": str(tmp_path), "LUOSHI_MODE": "demo"}
    assert _run_settings(env).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert _run_settings(env).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='luoshi.settings'; django.setup();"
        "from django.db import connection; c=connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]);"
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"LUOSHI_DATA_DIR": str(tmp_path), "LUOSHI_MODE": "demo"})
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["wal", "20000"], result.stderr


def test_echarts_is_vendored_from_npm_at_the_pinned_version():
    import json

    root = Path(__file__).resolve().parents[2]
    pinned = json.loads((root / "package.json").read_text())["dependencies"]["echarts"]
    assert pinned.count(".") == 2 and pinned[0].isdigit(), (
        "ECharts must be pinned to an exact version"
    )
    vendored = Path(settings.BASE_DIR) / "static/vendor/echarts/echarts.min.js"
    assert vendored.exists(), "run `make assets`"
    assert pinned in vendored.read_text(encoding="utf-8", errors="ignore")[:200000]


@pytest.mark.django_db
def test_htmx_and_echarts_are_served_by_the_app_itself():
    user = UserFactory(roles=[Role.SUPERVISION_OFFICER])
    UnitFactory()
    client = Client()
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "/static/django_htmx/htmx" in html and "/static/vendor/echarts/echarts.min.js" in html
    assert "http://" not in html.split("<body")[0] and "https://" not in html.split("<body")[0]


@pytest.mark.django_db
def test_the_home_page_runs_the_same_number_of_queries_for_few_and_many_units():
    user = UserFactory(roles=[Role.SUPERVISION_OFFICER])
    UnitFactory.create_batch(5)
    client = Client()
    client.force_login(user)
    assert_queries_independent_of_size(
        lambda: client.get("/"), lambda: UnitFactory.create_batch(120)
    )
