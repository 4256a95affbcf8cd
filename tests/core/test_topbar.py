"""The top bar is kept rendered per (language, user, menu, section, badge): what differs per
request or per user must still be each request's own."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from luoshi.core.notifications import notify
from tests.orgs.factories import UserFactory

pytestmark = pytest.mark.django_db


def _bar(client: Client, url: str = "/") -> str:
    body = client.get(url).content.decode()
    return body[body.index('<header class="topbar">') : body.index("</header>")]


def test_each_user_page_and_badge_gets_its_own_bar():
    a = UserFactory(username="a1", full_name="张三", roles=["officer"])
    b = UserFactory(username="b1", full_name="李四", roles=["auditadmin"])
    ca, cb = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    ca.force_login(a)
    cb.force_login(b)
    first, second = _bar(ca), _bar(cb)
    assert "张三" in first and "李四" not in first and 'data-section="projects"' in first
    assert "李四" in second and 'data-section="projects"' not in second
    assert 'name="next" value="/core/notifications/"' in _bar(ca, "/core/notifications/")
    notify(recipients=[a], kind="t", title="x", dedupe_key="t1")
    assert '<span class="tag">1</span>' in _bar(ca)
    # The language switch posts the token of this request: accepted, and switched.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', _bar(ca)).group(1)
    r = ca.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert r.status_code == 302
    assert "Sign out" in _bar(ca)
