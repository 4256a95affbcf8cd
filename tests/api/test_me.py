"""GET /api/v1/me: who the caller is, as each role sees it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_reporter_sees_their_unit_role_and_capabilities(role_users, unit_a, make_bearer_client):
    body = make_bearer_client(role_users["reporter"]).get("/api/v1/me").json()
    assert body == {
        "username": "reporter_a",
        "full_name": role_users["reporter"].full_name,
        "unit": {"id": unit_a.pk, "code": "FGJ", "name": "县发展和改革局"},
        "roles": [{"code": "reporter", "label": "Unit reporter"}],
        "permissions": [
            "orgs.view_units",
            "projects.fill_reports",
            "projects.view",
            "supervision.handle",
            "supervision.view",
        ],
    }


def test_a_supervision_officer_has_no_unit_and_reads_the_whole_county(
    role_users, make_bearer_client
):
    body = make_bearer_client(role_users["officer"]).get("/api/v1/me").json()
    assert body["unit"] is None
    assert body["roles"] == [{"code": "officer", "label": "Supervision officer"}]
    assert "core.view_all_units" in body["permissions"]


def test_the_audit_admin_holds_only_the_audit_capability(role_users, make_bearer_client):
    body = make_bearer_client(role_users["auditadmin"]).get("/api/v1/me").json()
    assert body["roles"] == [{"code": "auditadmin", "label": "Audit administrator"}]
    assert body["permissions"] == ["core.view_audit"]


def test_role_labels_follow_the_callers_language(role_users, make_client):
    client = make_client(role_users["leader"])
    body = client.get("/api/v1/me", headers={"Accept-Language": "en"}).json()
    assert body["roles"][0]["label"] == "Leader"


def test_the_browser_session_works_as_well_as_a_token(role_users, make_client):
    response = make_client(role_users["sysadmin"]).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "sysadmin"
