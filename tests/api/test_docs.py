"""The OpenAPI schema and the docs page: for signed-in users and token holders only,
served without any CDN and without inline script (the CSP forbids it)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_schema_refuses_anonymous_callers_with_401():
    response = Client().get("/api/v1/openapi.json", headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert "Sign in" in response.json()["detail"]


def test_the_schema_is_served_to_a_token_holder(role_users, make_bearer_client):
    response = make_bearer_client(role_users["reporter"]).get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/v1/me",
        "/api/v1/units",
        "/api/v1/units/{unit_id}",
        "/api/v1/unit-classes",
    } <= set(paths)


def test_the_schema_refuses_a_bad_token_even_for_reading_docs():
    response = Client().get(
        "/api/v1/openapi.json", headers={"Authorization": "Bearer ls_" + "z" * 43}
    )
    assert response.status_code == 401


def test_the_schema_documents_both_ways_to_authenticate(role_users, make_client):
    schemes = (
        make_client(role_users["officer"])
        .get("/api/v1/openapi.json")
        .json()["components"]["securitySchemes"]
    )
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["AccessTokenAuth"].items()
    assert schemes["BrowserSessionAuth"]["in"] == "cookie"


def test_anonymous_visitors_of_the_docs_are_sent_to_sign_in():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/api/v1/docs")


def test_the_docs_page_loads_local_assets_only_and_no_inline_script(role_users, make_client):
    response = make_client(role_users["reporter"]).get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    # Executable scripts come from our own static files; the one inline block is JSON data.
    for attrs, body in scripts:
        assert 'src="/static/' in attrs or 'type="application/json"' in attrs, attrs
        if "src=" in attrs:
            assert not body.strip()
    assert "cdn" not in html.lower() and "//unpkg" not in html and "jsdelivr" not in html


def test_an_unknown_api_path_answers_json_404(db):
    from django.test import Client

    response = Client().get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "no such API endpoint" in response.json()["detail"]
