"""Ways in and out of the office's pages: the import and settings pages are reached from
the ledger and lead back to it; leaders see the ledger without the office's buttons."""

from __future__ import annotations

import pytest

from tests.conftest import login_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


def test_the_ledger_leads_the_office_to_import_and_settings(people):
    page = login_client(people["office"]).get("/supervision/ledger/").content.decode()
    assert 'href="/supervision/items/import/">Import item list</a>' in page
    assert 'href="/supervision/settings/">Supervision settings</a>' in page
    leader = login_client(people["leader"]).get("/supervision/ledger/").content.decode()
    assert "/supervision/items/import/" not in leader and "/supervision/settings/" not in leader


@pytest.mark.parametrize("url", ["/supervision/items/import/", "/supervision/settings/"])
def test_import_and_settings_lead_back_to_the_ledger(people, url):
    page = login_client(people["office"]).get(url).content.decode()
    assert '<a href="/supervision/ledger/">← Supervision ledger</a>' in page
