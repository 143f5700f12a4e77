"""Writes to meetings, called alike by the pages, the admin and the demo: each in one transaction."""

from __future__ import annotations

import io
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from apps.meetings import models as meeting_models
from apps.meetings.models import Meeting, MeetingDocument

# The gallery's thumbnails: the longer side, in pixels (sharp on a phone's two-column grid).
THUMBNAIL_SIZE = 320


def _refused(message: str, **params) -> ValidationError:
    return ValidationError({"file": ValidationError(message, params=params)})


def _reencoded(image: Image.Image) -> tuple[bytes, bytes]:
    """The photo encoded anew from its pixels, and its thumbnail (JPEG).

    Only the pixels are kept: EXIF (the phone's GPS location, its serial number), comments
    and any other chunk a crafted file could carry are left behind. The camera's
    orientation is applied to the pixels first, so the photo stays upright without it.
    """
    image_format = image.format
    upright = ImageOps.exif_transpose(image)
    # Pillow writes back what it read (comments, EXIF, ICC, text chunks) unless told otherwise:
    # only a palette picture's transparent colour is kept, as it is part of the pixels.
    upright.info = {key: value for key, value in upright.info.items() if key == "transparency"}
    if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    photo = io.BytesIO()
    if image_format == "JPEG":
        upright.save(photo, "JPEG", quality=90, optimize=True)
    else:
        upright.save(photo, "PNG", optimize=True)
    small = upright.copy()
    small.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    if small.mode in ("RGBA", "LA", "P"):
        small = small.convert("RGBA")
        background = Image.new("RGB", small.size, "white")
        background.paste(small, mask=small.getchannel("A"))
        small = background
    elif small.mode != "RGB":
        small = small.convert("RGB")
    thumbnail = io.BytesIO()
    small.save(thumbnail, "JPEG", quality=82)
    return photo.getvalue(), thumbnail.getvalue()


@transaction.atomic
def add_document(meeting: Meeting, uploaded: UploadedFile, *, title: str = "") -> MeetingDocument:
    """Attach a photo or file to ``meeting``, checked (type, size) before anything is stored.

    The type is read from the content, not only the name; a photo is stored re-encoded
    (without its EXIF data) with a thumbnail. Raises ``ValidationError`` naming the file
    (nothing saved, no file left on disk) for a file that may not be attached.
    """
    name = PurePath(uploaded.name).name
    extension = meeting_models.extension_of(name)
    if extension not in meeting_models.DOCUMENT_EXTENSIONS:
        raise _refused(
            _("The file “%(name)s” cannot be attached: attach a PDF, an office document, a text file or a photo."),
            name=name,
        )
    if uploaded.size > meeting_models.DOCUMENT_MAX_BYTES:
        raise _refused(
            _("The file “%(name)s” is %(size)s; a meeting document may be at most %(limit)s."),
            name=name,
            size=filesizeformat(uploaded.size),
            limit=filesizeformat(meeting_models.DOCUMENT_MAX_BYTES),
        )
    try:
        meeting_models.validate_document_content(uploaded)  # its message names the file
    except ValidationError as error:
        raise ValidationError({"file": error}) from None
    document = MeetingDocument(meeting=meeting, title=title or name.rsplit(".", 1)[0], file=uploaded)
    if extension in meeting_models.DOCUMENT_IMAGE_EXTENSIONS:
        photo, thumbnail = _reencoded(meeting_models.open_checked_image(uploaded))
        document.file = ContentFile(photo, name=name)
        document.thumbnail = ContentFile(thumbnail, name=f"{PurePath(name).stem}.jpg")
    document.full_clean()
    try:
        document.save()
    except BaseException:
        # Whichever file was already written goes: nothing of a refused upload stays on disk.
        for stored in (document.file, document.thumbnail):
            if stored and getattr(stored, "_committed", False):
                stored.storage.delete(stored.name)
        raise
    return document
