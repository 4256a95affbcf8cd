"""Photos of progress: accepted by content, stripped of location, stored under the data
directory, and shown only to those who may see the report."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from luoshi.core.errors import DomainError, NotPermitted
from luoshi.projects import photos
from luoshi.projects import services_reports as services
from luoshi.projects.models import ReportPhoto
from tests.conftest import login_client
from tests.reports.conftest import draft_data

# These tests assert the English wording of messages.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_ui")]


def image_bytes(fmt: str = "JPEG", size=(64, 48), gps: bool = False, mode="RGB") -> bytes:
    im = Image.new(mode, size, (200, 120, 40) if mode == "RGB" else (200, 120, 40, 128))
    out = io.BytesIO()
    kwargs = {}
    if gps:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "TestCam"
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (30.0, 15.0, 12.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (120.0, 9.0, 30.0),
        }
        kwargs["exif"] = exif
    im.save(out, format=fmt, **kwargs)
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def draft(world):
    return services.report_save(
        actor=world.reporter_a,
        project=world.project_a,
        period=world.period,
        data=draft_data(),
        version=0,
    )


def test_a_jpeg_with_gps_is_stored_without_any_location(world, draft, media):
    raw = image_bytes(gps=True)
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the premise
    prepared = photos.photo_prepare(upload=upload(raw))
    record = photos.photo_add(actor=world.reporter_a, report=draft, photo=prepared)

    stored = media / record.path
    assert stored.is_file() and str(stored).startswith(str(media / "photos" / "2026" / "11"))
    data = stored.read_bytes()
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "JPEG"
        assert not im.getexif()  # no EXIF at all, GPS least of all
        assert im.size == (64, 48)
    assert b"TestCam" not in data
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    assert record.size == len(data) and record.content_type == "image/jpeg"
    with Image.open(media / record.thumb_path) as thumb:
        assert max(thumb.size) <= photos.THUMB_SIZE


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted_whatever_their_name(fmt, world, draft):
    prepared = photos.photo_prepare(upload=upload(image_bytes(fmt), name="x.txt"))
    assert prepared.original_format == fmt
    record = photos.photo_add(actor=world.reporter_a, report=draft, photo=prepared)
    assert record.content_type == "image/jpeg"


def test_a_transparent_png_is_laid_on_white():
    prepared = photos.photo_prepare(upload=upload(image_bytes("PNG", mode="RGBA")))
    with Image.open(io.BytesIO(prepared.image)) as im:
        assert im.mode == "RGB"


@pytest.mark.parametrize(
    "header",
    [b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200, b"MZ\x90\x00\x03\x00" + b"\x00" * 200],
    ids=["elf", "windows-pe"],
)
def test_a_program_renamed_jpg_is_refused_as_a_program(header):
    with pytest.raises(DomainError, match="is a program or an archive, not a photo") as info:
        photos.photo_prepare(upload=upload(header, name="site.jpg"))
    assert "site.jpg" in str(info.value.message)


def test_a_file_that_is_no_image_is_refused_whatever_its_name():
    with pytest.raises(DomainError, match="not a JPEG, PNG or WebP photo"):
        photos.photo_prepare(upload=upload(b"GIF89a" + b"\x00" * 100, name="a.jpg"))
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    with pytest.raises(DomainError, match="not a JPEG, PNG or WebP photo"):
        photos.photo_prepare(upload=upload(gif.getvalue(), name="a.png"))


def test_a_truncated_jpeg_is_refused():
    raw = image_bytes(size=(300, 300))
    with pytest.raises(DomainError, match="not a JPEG"):
        photos.photo_prepare(upload=upload(raw[:200]))


def test_an_oversize_file_is_refused(monkeypatch):
    monkeypatch.setattr(photos, "MAX_BYTES", 1000)
    with pytest.raises(DomainError, match="larger than"):
        photos.photo_prepare(upload=upload(image_bytes(size=(400, 400))))


def test_a_decompression_bomb_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 100 * 100)
    with pytest.raises(DomainError, match="too many pixels"):
        photos.photo_prepare(upload=upload(image_bytes(size=(200, 200))))


def test_an_empty_file_is_refused():
    with pytest.raises(DomainError, match="is empty"):
        photos.photo_prepare(upload=upload(b""))


def test_only_the_reporter_of_the_unit_attaches_photos(world, draft):
    prepared = photos.photo_prepare(upload=upload(image_bytes()))
    with pytest.raises(NotPermitted):
        photos.photo_add(actor=world.reporter_b, report=draft, photo=prepared)
    submitted = services.report_submit(actor=world.reporter_a, report=draft)
    with pytest.raises(DomainError, match="cannot be edited"):
        photos.photo_add(actor=world.reporter_a, report=submitted, photo=prepared)
    assert not ReportPhoto.objects.exists()


# ---------------------------------------------------------------------------------------
# Uploading through the form, and serving


def test_the_form_uploads_photos_with_the_draft(world, draft, media):
    client = login_client(world.reporter_a)
    response = client.post(
        f"/projects/reporting/{draft.pk}/edit/",
        {
            **{k: v for k, v in draft_data().items() if k != "milestones"},
            "version": draft.version,
            "action": "save",
            "photos": [upload(image_bytes(gps=True)), upload(image_bytes("PNG"), "b.png")],
        },
    )
    assert response.status_code == 302
    assert ReportPhoto.objects.filter(report=draft).count() == 2


def test_the_form_refuses_an_executable_and_saves_nothing(world, draft):
    client = login_client(world.reporter_a)
    response = client.post(
        f"/projects/reporting/{draft.pk}/edit/",
        {
            **{k: v for k, v in draft_data(investment_month="999").items() if k != "milestones"},
            "version": draft.version,
            "action": "save",
            "photos": [upload(b"MZ" + b"\x00" * 300, "progress.jpg")],
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "is a program or an archive, not a photo" in response.content.decode()
    draft.refresh_from_db()
    assert draft.investment_month != 999 and not ReportPhoto.objects.exists()


def _photo(world, draft):
    prepared = photos.photo_prepare(upload=upload(image_bytes()))
    return photos.photo_add(actor=world.reporter_a, report=draft, photo=prepared)


@pytest.mark.parametrize("suffix", ["", "thumb/"])
def test_a_photo_is_served_as_jpeg_with_nosniff_to_its_unit_and_the_office(world, draft, suffix):
    photo = _photo(world, draft)
    for user in (world.reporter_a, world.head_a, world.office, world.leader):
        response = login_client(user).get(f"/projects/reporting/photos/{photo.pk}/{suffix}")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


@pytest.mark.parametrize("suffix", ["", "thumb/"])
def test_a_photo_is_not_found_for_another_unit_and_refused_to_admins(world, draft, suffix):
    photo = _photo(world, draft)
    url = f"/projects/reporting/photos/{photo.pk}/{suffix}"
    assert login_client(world.reporter_b).get(url).status_code == 404
    assert login_client(world.head_b).get(url).status_code == 404
    assert login_client(world.sysadmin).get(url).status_code == 403
