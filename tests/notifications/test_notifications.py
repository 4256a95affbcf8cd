"""The notification centre: no message twice, reading marks the in-app delivery, the
top-bar badge costs one query, lists do not grow in queries with the data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from luoshi.core.clock import now
from luoshi.core.models import Delivery, DeliveryStatus, Notification
from luoshi.core.notifications import notifications_mark_read, notify, unread_count
from luoshi.orgs.choices import Role
from tests.helpers import assert_queries_independent_of_size, count_queries
from tests.orgs.factories import UserFactory

pytestmark = pytest.mark.django_db


def _send(users, key="k1"):
    return notify(
        recipients=users, kind="test", title="Hello", body="Body", link="/", dedupe_key=key
    )


def test_a_message_sent_twice_arrives_once(role_users):
    users = [role_users[Role.UNIT_REPORTER], role_users[Role.UNIT_HEAD]]
    assert _send(users) == 2
    assert _send(users) == 0
    assert Notification.objects.count() == 2
    assert Delivery.objects.count() == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}


def test_a_new_recipient_of_a_sent_message_gets_only_their_own(role_users):
    _send([role_users[Role.UNIT_REPORTER]])
    assert _send([role_users[Role.UNIT_REPORTER], role_users[Role.UNIT_HEAD]]) == 1
    assert Notification.objects.count() == 2
    assert Delivery.objects.count() == 2


def test_notify_costs_the_same_queries_for_many_recipients(db):
    few = UserFactory.create_batch(2)
    many = UserFactory.create_batch(30)
    with count_queries() as q_few:
        _send(few, "a")
    with count_queries() as q_many:
        _send(many, "b")
    assert len(q_few) == len(q_many)


def test_a_failing_channel_is_recorded_as_failed(role_users, settings):
    from luoshi.core import notifications

    class Broken:
        channel = "sms"

        def send(self, notification, delivery):
            raise RuntimeError("gateway down")

    notifications.register_notifier(Broken())
    settings.LUOSHI_NOTIFIERS = ["inapp", "sms"]
    _send([role_users[Role.UNIT_REPORTER]])
    failed = Delivery.objects.get(channel="sms")
    assert failed.status == DeliveryStatus.FAILED
    assert "gateway down" in failed.error
    assert Delivery.objects.get(channel="inapp").status == DeliveryStatus.DELIVERED


def test_opening_a_notification_marks_it_read_and_follows_its_link(role_users, make_client):
    user = role_users[Role.UNIT_REPORTER]
    _send([user])
    n = Notification.objects.get(recipient=user)
    response = make_client(user).post(reverse("core:notification_open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/"
    n.refresh_from_db()
    assert n.read_at is not None
    delivery = n.deliveries.get(channel="inapp")
    assert delivery.status == DeliveryStatus.READ and delivery.read_at == n.read_at
    assert unread_count(user=user) == 0


def test_nobody_opens_or_marks_another_users_notification(role_users, make_client):
    _send([role_users[Role.UNIT_REPORTER]])
    n = Notification.objects.get()
    client = make_client(role_users[Role.UNIT_HEAD])
    assert client.post(reverse("core:notification_open", args=[n.pk])).status_code == 404
    assert client.post(reverse("core:notification_read", args=[n.pk])).status_code == 404
    assert notifications_mark_read(user=role_users[Role.UNIT_HEAD]) == 0
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_leaves_the_list_with_nothing_unread(role_users, make_client, english_ui):
    user = role_users[Role.UNIT_REPORTER]
    _send([user], "a")
    _send([user], "b")
    client = make_client(user)
    response = client.post(reverse("core:notifications_read_all"), follow=True)
    assert "2 notifications marked read." in response.content.decode()
    assert unread_count(user=user) == 0


def test_the_list_shows_unread_first(role_users, make_client):
    user = role_users[Role.UNIT_REPORTER]
    notify(recipients=[user], kind="t", title="Old unread", dedupe_key="a")
    notify(recipients=[user], kind="t", title="Newer read", dedupe_key="b")
    notifications_mark_read(
        user=user, ids=Notification.objects.filter(dedupe_key="b").values_list("pk", flat=True)
    )
    page = make_client(user).get(reverse("core:notification_list")).content.decode()
    assert page.index("Old unread") < page.index("Newer read")


def test_the_badge_shows_the_unread_count_with_one_query(role_users, make_client):
    from django.test import RequestFactory

    from luoshi.core.context_processors import notifications as badge

    user = role_users[Role.UNIT_REPORTER]
    _send([user], "a")
    _send([user], "b")
    request = RequestFactory().get("/")
    request.user = user
    with count_queries() as q:
        assert badge(request) == {"unread_notifications": "2"}
    assert len(q) == 1
    assert "COUNT(" not in q.captured_queries[0]["sql"].upper()
    page = make_client(user).get(reverse("home"), follow=True).content.decode()
    assert 'class="notif-badge"' in page and '<span class="tag">2</span>' in page


def test_the_badge_caps_at_99_plus(role_users):
    from luoshi.core.notifications import unread_badge

    user = role_users[Role.UNIT_REPORTER]
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="t", title="t", dedupe_key=str(i), created_at=now())
        for i in range(100)
    )
    assert unread_badge(user=user) == "99+"
    notifications_mark_read(user=user)
    assert unread_badge(user=user) == ""


def test_the_badge_costs_nothing_for_anonymous_visitors():
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from luoshi.core.context_processors import notifications as badge

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with count_queries() as q:
        assert badge(request) == {}
    assert len(q) == 0


def test_the_list_query_count_does_not_grow(role_users, make_client):
    user = role_users[Role.UNIT_REPORTER]
    _send([user], "first")
    client = make_client(user)
    counter = iter(range(1000))

    def grow():
        for _ in range(20):
            _send([user], f"k{next(counter)}")

    assert_queries_independent_of_size(lambda: client.get(reverse("core:notification_list")), grow)


def test_the_deliveries_list_query_count_does_not_grow(role_users, make_client):
    officer = role_users[Role.SUPERVISION_OFFICER]
    notify(recipients=[role_users[Role.UNIT_REPORTER]], kind="report_x", title="t", dedupe_key="0")
    client = make_client(officer)
    counter = iter(range(1000))

    def grow():
        for _ in range(5):
            notify(
                recipients=UserFactory.create_batch(3),
                kind="report_x",
                title="t",
                dedupe_key=f"k{next(counter)}",
            )

    url = reverse("core:notification_deliveries") + "?unread=1"
    assert_queries_independent_of_size(lambda: client.get(url), grow)


def test_the_office_sees_who_never_read_a_reminder(role_users, make_client):
    reporter, head = role_users[Role.UNIT_REPORTER], role_users[Role.UNIT_HEAD]
    reporter.full_name, head.full_name = "Reader Wang", "Ignorer Li"
    reporter.save(), head.save()
    notify(recipients=[reporter, head], kind="report_missing", title="Due", dedupe_key="r")
    notifications_mark_read(user=reporter)
    client = make_client(role_users[Role.SUPERVISION_OFFICER])
    page = client.get(reverse("core:notification_deliveries") + "?unread=1").content.decode()
    assert "Ignorer Li" in page and "Reader Wang" not in page
    page = client.get(reverse("core:notification_deliveries")).content.decode()
    assert "Ignorer Li" in page and "Reader Wang" in page
