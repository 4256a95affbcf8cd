"""Photos of physical progress (形象进度照片).

A photo is accepted by what its bytes are, never by its name or the browser's content
type: Pillow must recognise it as JPEG, PNG or WebP and verify it. It is then decoded and
encoded again as a fresh JPEG from its pixels only, which drops EXIF (the GPS position of
the camera above all), XMP and any text chunk; the orientation the camera recorded is
applied first so the picture stays upright. A 320-pixel thumbnail is made beside it.

Files live under ``MEDIA_ROOT/photos/YYYY/MM/<uuid>.jpg`` (MEDIA_ROOT is
``LUOSHI_DATA_DIR/uploads``); they are never served as static media, only through a view
that checks the reader may see the report.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from luoshi.core.audit import audit_record
from luoshi.core.choices import AuditAction
from luoshi.core.clock import now
from luoshi.core.errors import DomainError
from luoshi.projects.models import MonthlyReport, ReportPhoto

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel camera; more is a decompression bomb
MAX_PHOTOS_PER_REPORT = 20
THUMB_SIZE = 320
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
STORED_TYPE = "image/jpeg"

# The first bytes of programs and scripts, so that a renamed executable is named as such.
_PROGRAM_MAGIC = (
    (b"\x7fELF", "ELF"),
    (b"MZ", "Windows"),
    (b"\xcf\xfa\xed\xfe", "Mach-O"),
    (b"\xfe\xed\xfa\xcf", "Mach-O"),
    (b"#!", "script"),
    (b"PK\x03\x04", "archive"),
)


@dataclass(frozen=True)
class PreparedPhoto:
    """A checked photo, re-encoded, ready to be stored."""

    image: bytes
    thumb: bytes
    original_format: str
    caption: str


def _refuse(message: str) -> DomainError:
    return DomainError(message, field="photos", code="photo")


def photo_prepare(*, upload: Any, caption: str = "") -> PreparedPhoto:
    """Check an uploaded file and re-encode it; raises ``DomainError`` with the reason."""
    name = getattr(upload, "name", "") or _("the file")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse(
            _("%(name)s is larger than %(mb)s MB; send a smaller photo.")
            % {"name": name, "mb": MAX_BYTES // (1024 * 1024)}
        )
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise _refuse(
            _("%(name)s is larger than %(mb)s MB; send a smaller photo.")
            % {"name": name, "mb": MAX_BYTES // (1024 * 1024)}
        )
    if not raw:
        raise _refuse(_("%(name)s is empty.") % {"name": name})
    for magic, _kind in _PROGRAM_MAGIC:
        if raw.startswith(magic):
            raise _refuse(
                _("%(name)s is a program or an archive, not a photo; it was refused.")
                % {"name": name}
            )
    not_a_photo = _refuse(
        _("%(name)s is not a JPEG, PNG or WebP photo (whatever its name says).") % {"name": name}
    )
    try:
        with Image.open(io.BytesIO(raw), formats=sorted(ACCEPTED_FORMATS)) as probe:
            fmt = probe.format
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise _refuse(
                    _("%(name)s has too many pixels (%(w)s × %(h)s); send a smaller photo.")
                    % {"name": name, "w": width, "h": height}
                )
            probe.verify()
        with Image.open(io.BytesIO(raw), formats=[fmt]) as im:
            im = ImageOps.exif_transpose(im)
            im.load()
            rgb = _flatten(im)
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_a_photo from None
    if fmt not in ACCEPTED_FORMATS:
        raise not_a_photo
    # A new image from the pixels alone: nothing of the original's metadata comes along.
    clean = Image.frombytes("RGB", rgb.size, rgb.tobytes())
    image = _jpeg(clean, quality=85)
    clean.thumbnail((THUMB_SIZE, THUMB_SIZE))
    thumb = _jpeg(clean, quality=80)
    return PreparedPhoto(
        image=image, thumb=thumb, original_format=fmt, caption=str(caption or "")[:200]
    )


def _flatten(im: Image.Image) -> Image.Image:
    """RGB, with transparency laid on white (a JPEG has no alpha)."""
    if im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return im.convert("RGB")


def _jpeg(im: Image.Image, *, quality: int) -> bytes:
    out = io.BytesIO()
    im.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def photo_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def photo_file(relative: str) -> Path | None:
    """The stored file of ``relative``, or None if it lies outside the photo folder."""
    root = photo_root()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(path)


@transaction.atomic
def photo_add(*, actor: Any, report: MonthlyReport, photo: PreparedPhoto) -> ReportPhoto:
    """Store a prepared photo of ``report``: only its unit's reporter, while it is a draft
    or returned and its period is open."""
    from luoshi.projects import services_reports as rules

    rules.require_editable_by(actor, report)
    count = ReportPhoto.objects.filter(report=report).count()
    if count >= MAX_PHOTOS_PER_REPORT:
        raise _refuse(_("A report holds at most %(n)s photos.") % {"n": MAX_PHOTOS_PER_REPORT})
    local = timezone.localtime(now())
    stem = uuid.uuid4().hex
    folder = Path("photos") / f"{local.year:04d}" / f"{local.month:02d}"
    relative, thumb_relative = folder / f"{stem}.jpg", folder / f"{stem}_thumb.jpg"
    record = ReportPhoto.objects.create(
        report=report,
        path=relative.as_posix(),
        thumb_path=thumb_relative.as_posix(),
        content_type=STORED_TYPE,
        size=len(photo.image),
        sha256=hashlib.sha256(photo.image).hexdigest(),
        caption=photo.caption,
        uploaded_at=now(),
        uploaded_by=actor,
    )
    root = photo_root()
    _write(root / relative, photo.image)
    _write(root / thumb_relative, photo.thumb)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=record,
        after={
            "report": report.pk,
            "sha256": record.sha256,
            "size": record.size,
            "original_format": photo.original_format,
        },
    )
    return record
