"""Attachments of feedback and closure requests (附件/佐证材料): PDF, Word, Excel and images.

A file is accepted by what its bytes are, and its name must say the same: a ``.pdf`` must
begin as a PDF, a ``.docx`` must be a Word package, a ``.jpg`` must decode as a JPEG. The
legacy ``.doc``/``.xls`` (OLE2) are accepted as government offices still send them. Macro
packages (.docm, .xlsm) and everything else are refused. Files live under
``MEDIA_ROOT/attachments/YYYY/MM/<uuid>.<ext>`` and are served only through a view that
checks the reader may see the item.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from luoshi.core.clock import now
from luoshi.core.errors import DomainError

MAX_BYTES = 20 * 1024 * 1024
MAX_FILES = 10
# name extension → the kind its content must be
EXTENSIONS = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "doc": "ole",
    "xls": "ole",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "png": "png",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
_KIND_NAMES = {
    "pdf": "PDF",
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "ole": "Word/Excel 97-2003",
    "jpeg": "JPEG",
    "png": "PNG",
}
_PROGRAM_MAGIC = ((b"\x7fELF", "ELF"), (b"MZ", "Windows"), (b"#!", "script"))


@dataclass(frozen=True)
class CheckedFile:
    name: str
    ext: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""
    if "[Content_Types].xml" not in names:
        return "zip"
    if any(n.endswith("vbaProject.bin") for n in names):
        return "macro"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def _image_kind(data: bytes) -> str:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return {"JPEG": "jpeg", "PNG": "png"}.get(image.format or "", "image")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return ""


def content_kind(data: bytes) -> str:
    """What the bytes are: pdf, docx, xlsx, ole, jpeg, png, macro, program, or ''."""
    for magic, _label in _PROGRAM_MAGIC:
        if data.startswith(magic):
            return "program"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return _image_kind(data)
    return ""


def read_uploads(uploaded: Iterable[Any] | None) -> list[tuple[str, bytes]]:
    """(name, content) of uploaded files, for the services. One byte past the limit is
    enough for ``check_file`` to say a file is too large, so no more is read."""
    return [(f.name or "", f.read(MAX_BYTES + 1)) for f in uploaded or []]


def check_file(name: str, data: bytes) -> CheckedFile:
    """The file, if its content is an accepted kind matching its name; else a DomainError
    naming the file and what is wrong."""
    clean = Path(name or "").name.strip()[:200] or "file"
    ext = clean.rsplit(".", 1)[-1].lower() if "." in clean else ""
    if not data:
        raise DomainError(_("%(name)s is empty.") % {"name": clean}, field="files")
    if len(data) > MAX_BYTES:
        raise DomainError(
            _("%(name)s is larger than %(mb)s MB.") % {"name": clean, "mb": MAX_BYTES // 2**20},
            field="files",
        )
    if ext not in EXTENSIONS:
        raise DomainError(
            _("%(name)s: only PDF, Word, Excel, JPEG and PNG files are accepted.")
            % {"name": clean},
            field="files",
        )
    kind = content_kind(data)
    if kind == "program":
        raise DomainError(
            _("%(name)s is a program, not a document; it was refused.") % {"name": clean},
            field="files",
        )
    if kind == "macro":
        raise DomainError(
            _("%(name)s contains macros; save it without macros (.docx/.xlsx) and try again.")
            % {"name": clean},
            field="files",
        )
    expected = EXTENSIONS[ext]
    if kind != expected:
        raise DomainError(
            _(
                "%(name)s is not what its name says: the name says %(expected)s, the content is %(actual)s."
            )
            % {
                "name": clean,
                "expected": _KIND_NAMES[expected],
                "actual": _KIND_NAMES.get(kind, _("unknown")),
            },
            field="files",
        )
    return CheckedFile(clean, ext, data, hashlib.sha256(data).hexdigest())


def store(checked: CheckedFile) -> str:
    """Write the file; returns its path relative to MEDIA_ROOT. The caller removes it with
    ``discard`` if its transaction fails."""
    stamp = now()
    relative = (
        Path("attachments") / f"{stamp:%Y}" / f"{stamp:%m}" / f"{uuid.uuid4().hex}.{checked.ext}"
    )
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(checked.data)
    return relative.as_posix()


def discard(paths: list[str]) -> None:
    for relative in paths:
        (Path(settings.MEDIA_ROOT) / relative).unlink(missing_ok=True)


def absolute(relative: str) -> Path:
    return Path(settings.MEDIA_ROOT) / relative
