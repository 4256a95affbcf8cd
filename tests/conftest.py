from __future__ import annotations

import pytest
from django.test import Client

from luoshi.orgs.choices import Role
from tests.orgs.factories import UnitClassFactory, UnitFactory, UserFactory


@pytest.fixture
def unit_a(db):
    return UnitFactory(code="FGJ", name="县发展和改革局", short_name="发改局")


@pytest.fixture
def unit_b(db):
    return UnitFactory(code="JTJ", name="县交通运输局", short_name="交通局")


@pytest.fixture
def township(db):
    cls = UnitClassFactory(code="town", name="乡镇（街道）")
    return UnitFactory(code="CGZ", name="城关镇", unit_class=cls)


def login_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def media(settings, tmp_path):
    """Uploads (photos, attachments) go to this test's own directory."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def make_client():
    return login_client


@pytest.fixture
def role_users(db, unit_a):
    """One user per role; unit roles belong to ``unit_a``."""
    return {
        Role.SUPERVISION_OFFICER: UserFactory(username="office", roles=[Role.SUPERVISION_OFFICER]),
        Role.LEADER: UserFactory(username="leader", roles=[Role.LEADER]),
        Role.UNIT_HEAD: UserFactory(username="head_a", unit=unit_a, roles=[Role.UNIT_HEAD]),
        Role.UNIT_REPORTER: UserFactory(
            username="reporter_a", unit=unit_a, roles=[Role.UNIT_REPORTER]
        ),
        Role.SYSTEM_ADMIN: UserFactory(username="sysadmin", roles=[Role.SYSTEM_ADMIN]),
        Role.SECURITY_ADMIN: UserFactory(username="secadmin", roles=[Role.SECURITY_ADMIN]),
        Role.AUDIT_ADMIN: UserFactory(username="auditadmin", roles=[Role.AUDIT_ADMIN]),
    }


@pytest.fixture
def english_ui(settings):
    """Pages and messages in English, for tests that assert the English wording (the
    Chinese catalogue is checked on its own in tests/core/test_i18n.py)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
