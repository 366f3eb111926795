"""Uploaded files: what they really are (by content, not name), how big, and images without metadata.

Photos from phones carry EXIF with GPS positions and device serials; every stored image is re-encoded from
its pixels so none of that survives.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from taizhang.core import clock
from taizhang.core.errors import InvalidInput

MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel phone photo; anything larger is refused as a bomb
THUMBNAIL_SIZE = (480, 480)


@dataclass(frozen=True)
class FileType:
    name: str
    content_type: str
    extensions: tuple[str, ...]
    is_image: bool


IMAGE_TYPES = {
    "JPEG": FileType("JPEG", "image/jpeg", (".jpg", ".jpeg"), True),
    "PNG": FileType("PNG", "image/png", (".png",), True),
    "WEBP": FileType("WEBP", "image/webp", (".webp",), True),
}
PDF = FileType("PDF", "application/pdf", (".pdf",), False)
OFFICE = {
    ".docx": FileType(
        "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), False
    ),
    ".xlsx": FileType(
        "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), False
    ),
}


def dated_name(prefix: str, filename: str) -> str:
    """Files go in folders by the month of `clock.now()`, so a replay of 2014 files its photos under 2014."""
    return f"{prefix}/{clock.now():%Y/%m}/{filename}"


def max_upload_bytes() -> int:
    return int(getattr(settings, "TAIZHANG_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def _head(upload: UploadedFile[Any], size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def sniff(upload: UploadedFile[Any], *, images_only: bool = False) -> FileType:
    """The file's real type, checked against its extension; InvalidInput with a clear reason otherwise."""
    name = upload.name or ""
    extension = PurePath(name).suffix.lower()
    size = upload.size or 0
    if size == 0:
        raise InvalidInput(_("The file “%(name)s” is empty.") % {"name": name}, field="file")
    if size > max_upload_bytes():
        raise InvalidInput(
            _("The file “%(name)s” is larger than %(limit)d MB.")
            % {"name": name, "limit": max_upload_bytes() // (1024 * 1024)},
            field="file",
        )
    head = _head(upload)
    found: FileType | None = None
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"PK\x03\x04") and extension in OFFICE:
        found = OFFICE[extension]
    else:
        found = _sniff_image(upload)
    allowed = ", ".join(
        sorted(
            {ext for t in IMAGE_TYPES.values() for ext in t.extensions}
            | (set() if images_only else {".pdf", ".docx", ".xlsx"})
        )
    )
    if found is None or (images_only and not found.is_image):
        raise InvalidInput(
            _("“%(name)s” is not an accepted file. Accepted: %(allowed)s.")
            % {"name": name, "allowed": allowed},
            field="file",
        )
    if extension not in found.extensions:
        raise InvalidInput(
            _("“%(name)s” says it is %(claimed)s but it is a %(real)s file.")
            % {"name": name, "claimed": extension or _("(no extension)"), "real": found.name},
            field="file",
        )
    return found


def _sniff_image(upload: UploadedFile[Any]) -> FileType | None:
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise InvalidInput(
                        _("The image is too large (%(w)d×%(h)d pixels).")
                        % {"w": image.width, "h": image.height},
                        field="file",
                    )
                image.verify()
                kind = IMAGE_TYPES.get(image.format or "")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput(_("The image is too large to open safely."), field="file") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(0)
    return kind


def validate_upload(upload: UploadedFile[Any], *, images_only: bool = False) -> FileType:
    return sniff(upload, images_only=images_only)


def _reencode(image: Image.Image, file_type: FileType) -> bytes:
    buffer = io.BytesIO()
    if file_type.name == "JPEG":
        image.convert("RGB").save(buffer, format="JPEG", quality=88, optimize=True)
    else:
        image.save(buffer, format=file_type.name)
    return buffer.getvalue()


def strip_metadata(upload: UploadedFile[Any], file_type: FileType) -> ContentFile[bytes]:
    """The image re-encoded from its pixels (orientation applied), without EXIF, GPS or comments."""
    upload.seek(0)
    with Image.open(upload) as opened:
        image = ImageOps.exif_transpose(opened) or opened
        clean = Image.new(image.mode, image.size)
        clean.paste(image)
        data = _reencode(clean, file_type)
    upload.seek(0)
    return ContentFile(data, name=upload.name)


def thumbnail(content: bytes, file_type: FileType) -> ContentFile[bytes]:
    with Image.open(io.BytesIO(content)) as opened:
        image = opened.copy()
    image.thumbnail(THUMBNAIL_SIZE)
    return ContentFile(_reencode(image, file_type))
