"""GET /api/v1/units and /api/v1/units/{id}: the same unit isolation as the pages,
filters, and pagination that refuses nonsense with 422 instead of failing."""

from __future__ import annotations

import pytest

from tests.helpers import assert_queries_independent_of_size
from tests.orgs.factories import UnitClassFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [u["code"] for u in response.json()["items"]]


def test_a_reporter_lists_only_their_own_unit(role_users, unit_a, unit_b, make_bearer_client):
    response = make_bearer_client(role_users["reporter"]).get("/api/v1/units")
    assert _codes(response) == ["FGJ"]
    assert response.json()["count"] == 1


def test_a_unit_head_lists_only_their_own_unit(role_users, unit_a, unit_b, make_bearer_client):
    assert _codes(make_bearer_client(role_users["unit_head"]).get("/api/v1/units")) == ["FGJ"]


@pytest.mark.parametrize("role", ["officer", "leader", "sysadmin", "secadmin"])
def test_county_wide_roles_list_every_unit(
    role, role_users, unit_a, unit_b, township, make_bearer_client
):
    assert sorted(_codes(make_bearer_client(role_users[role]).get("/api/v1/units"))) == [
        "CGZ",
        "FGJ",
        "JTJ",
    ]


def test_the_audit_admin_may_not_list_units(role_users, make_bearer_client):
    response = make_bearer_client(role_users["auditadmin"]).get("/api/v1/units")
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to do this."}


def test_a_reporter_gets_404_for_another_units_record(role_users, unit_b, make_bearer_client):
    response = make_bearer_client(role_users["reporter"]).get(f"/api/v1/units/{unit_b.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found, or you may not see it."}


def test_the_unit_detail_shows_class_and_parent(role_users, unit_a, make_bearer_client):
    child = UnitFactory(code="FGJ-1", name="县发改局下属中心", parent=unit_a)
    body = make_bearer_client(role_users["officer"]).get(f"/api/v1/units/{child.pk}").json()
    assert body["parent"] == {"id": unit_a.pk, "code": "FGJ", "name": "县发展和改革局"}
    assert body["unit_class"]["id"] == child.unit_class_id
    assert body["is_active"] is True


def test_filters_narrow_the_list(role_users, unit_a, unit_b, township, make_bearer_client):
    client = make_bearer_client(role_users["officer"])
    UnitFactory(code="OLD", name="已撤销单位", is_active=False)
    child = UnitFactory(code="FGJ-1", name="县发改局下属中心", parent=unit_a)
    assert _codes(client.get("/api/v1/units", {"q": "交通"})) == ["JTJ"]
    assert _codes(client.get("/api/v1/units", {"q": "cgz"})) == ["CGZ"]
    assert _codes(client.get("/api/v1/units", {"unit_class": township.unit_class_id})) == ["CGZ"]
    assert _codes(client.get("/api/v1/units", {"is_active": "false"})) == ["OLD"]
    assert _codes(client.get("/api/v1/units", {"parent": unit_a.pk})) == [child.code]


def test_pages_split_the_list_and_a_page_past_the_end_is_empty(role_users, make_bearer_client):
    UnitFactory.create_batch(4)  # and unit_a of the role users: five in all
    client = make_bearer_client(role_users["officer"])
    first = client.get("/api/v1/units", {"page_size": 2}).json()
    third = client.get("/api/v1/units", {"page_size": 2, "page": 3}).json()
    beyond = client.get("/api/v1/units", {"page_size": 2, "page": 99}).json()
    assert (first["count"], first["page"], first["page_size"], len(first["items"])) == (5, 1, 2, 2)
    assert len(third["items"]) == 1
    assert beyond["items"] == [] and beyond["count"] == 5


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"page": "two"}, "page"),
        ({"page_size": 0}, "page_size"),
        ({"page_size": 201}, "page_size"),
        ({"page_size": 10000}, "page_size"),
        ({"is_active": "maybe"}, "is_active"),
        ({"unit_class": "abc"}, "unit_class"),
        ({"parent": 2**70}, "parent"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_bad_list_parameters_get_422_naming_the_field(
    params, field, role_users, make_bearer_client
):
    response = make_bearer_client(role_users["officer"]).get("/api/v1/units", params)
    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == [field]


@pytest.mark.parametrize("unit_id", ["abc", "0", "-3", "1.5", str(2**64)])
def test_bad_unit_ids_get_a_4xx_not_a_crash(unit_id, role_users, make_bearer_client):
    response = make_bearer_client(role_users["officer"]).get(f"/api/v1/units/{unit_id}")
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")


def test_a_search_with_a_nul_character_does_not_crash(role_users, unit_a, make_bearer_client):
    # PostgreSQL refuses NUL in text parameters; the API must not turn that into a 500.
    response = make_bearer_client(role_users["officer"]).get("/api/v1/units", {"q": "发改\x00"})
    assert response.status_code == 200


def test_the_unit_list_runs_the_same_queries_for_few_and_many_units(role_users, make_bearer_client):
    cls = UnitClassFactory(code="dept", name="县直部门")
    parents = UnitFactory.create_batch(3, unit_class=cls)
    client = make_bearer_client(role_users["officer"])

    def grow() -> None:
        for i in range(300):
            UnitFactory(unit_class=cls, parent=parents[i % 3])

    assert_queries_independent_of_size(
        lambda: client.get("/api/v1/units", {"page_size": 200}), grow
    )


def test_the_unit_class_list_runs_the_same_queries_for_few_and_many_classes(
    role_users, make_bearer_client
):
    client = make_bearer_client(role_users["officer"])
    UnitClassFactory()
    assert_queries_independent_of_size(
        lambda: client.get("/api/v1/unit-classes"), lambda: UnitClassFactory.create_batch(50)
    )


def test_unit_classes_list_code_name_and_kind(role_users, township, make_bearer_client):
    body = make_bearer_client(role_users["reporter"]).get("/api/v1/unit-classes").json()
    town = next(c for c in body if c["code"] == "town")
    assert town == {
        "id": township.unit_class_id,
        "code": "town",
        "name": "乡镇（街道）",
        "kind": "department",
        "kind_label": "County department",
        "order": 0,
    }
