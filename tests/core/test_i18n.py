"""Chinese is the primary language: every string has a translation, the compiled catalogue
matches the source, and no string in the code is missing from the catalogue."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def _po_entries(path: Path) -> dict[str, str]:
    """A small .po reader: msgid → msgstr (plural forms joined), fuzzy entries marked. An
    entry with a context (pgettext) is keyed ``context\x04msgid``, as gettext keys it."""
    entries: dict[str, str] = {}
    context = ""
    msgid: list[str] = []
    msgstr: list[str] = []
    current: list[str] | None = None
    fuzzy = False

    def unquote(s: str) -> str:
        return (
            bytes(s.strip()[1:-1], "utf-8")
            .decode("unicode_escape")
            .encode("latin-1")
            .decode("utf-8")
        )

    def flush() -> None:
        nonlocal msgid, msgstr, fuzzy, context
        if msgid and "".join(msgid):
            key = f"{context}\x04{''.join(msgid)}" if context else "".join(msgid)
            entries[key] = ("FUZZY:" if fuzzy else "") + "".join(msgstr)
        msgid, msgstr, fuzzy, context = [], [], False, ""

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            fuzzy = True
        elif line.startswith("msgctxt "):
            if msgstr:
                keep = fuzzy
                flush()
                fuzzy = keep
            context = unquote(line[8:])
        elif line.startswith("msgid "):
            if msgstr:
                keep, keep_context = fuzzy, context
                flush()
                fuzzy, context = keep, keep_context
            msgid, current = [unquote(line[6:])], None
            current = msgid
        elif line.startswith("msgid_plural"):
            current = None
        elif line.startswith("msgstr"):
            msgstr.append(unquote(line.split(" ", 1)[1]))
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(unquote(line))
        elif not line.strip():
            flush()
    flush()
    return entries


def test_every_string_has_a_chinese_translation():
    entries = _po_entries(LOCALE / "django.po")
    assert len(entries) > 100
    missing = [k for k, v in entries.items() if not v or v.startswith("FUZZY:")]
    assert not missing, f"untranslated or fuzzy: {missing[:20]}"


def _lookup(catalogue: gettext.GNUTranslations, key: str) -> str:
    if "\x04" in key:
        return catalogue.pgettext(*key.split("\x04", 1))
    return catalogue.gettext(key)


def test_the_compiled_catalogue_matches_the_source():
    with open(LOCALE / "django.mo", "rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    entries = _po_entries(LOCALE / "django.po")
    stale = [
        k
        for k, v in entries.items()
        if "\x00" not in k and "%(" not in v and _lookup(catalogue, k) != v
    ]
    assert not stale, f"run `make messages`: the .mo is older than the .po for {stale[:10]}"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (xgettext)")
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    copy = tmp_path / "luoshi"
    shutil.copytree(
        settings.BASE_DIR, copy, ignore=shutil.ignore_patterns("vendor", "__pycache__", "*.mo")
    )
    env = dict(os.environ, LUOSHI_MODE="test", PYTHONPATH=str(tmp_path))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
            "-i",
            "static/vendor/*",
        ],
        cwd=copy,
        env=dict(env, DJANGO_SETTINGS_MODULE="luoshi.settings_test"),
        check=True,
        capture_output=True,
    )
    fresh = set(_po_entries(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))
    known = set(_po_entries(LOCALE / "django.po"))
    assert not (fresh - known), f"run `make messages` and translate: {sorted(fresh - known)[:20]}"
