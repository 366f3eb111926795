"""QR codes for places, and the printable poster (PNG and PDF) that invites people to report there."""

from __future__ import annotations

import io

import qrcode
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M

from taizhang.core.fonts import cjk_font_path
from taizhang.intake.models import Place

A4_AT_150_DPI = (1240, 1754)
RED = (185, 28, 28)


def qr_image(url: str, *, box_size: int = 12) -> Image.Image:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=2)
    code.add_data(url)
    code.make(fit=True)
    image: Image.Image = code.make_image(fill_color="black", back_color="white").get_image()
    return image.convert("RGB")


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    qr_image(url).save(buffer, format="PNG")
    return buffer.getvalue()


def _centered(
    draw: ImageDraw.ImageDraw,
    y: int,
    text: str,
    *,
    font: ImageFont.FreeTypeFont,
    fill: tuple[int, int, int],
    width: int,
) -> int:
    """Draw a line centred; return where the next line starts."""
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text(((width - (right - left)) // 2, y), text, font=font, fill=fill)
    return y + int(bottom - top)


def poster(place: Place, url: str, *, organisation: str) -> Image.Image:
    """An A4 poster: a headline, the place, the code, and how to use it."""
    width, height = A4_AT_150_DPI
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font_path = str(cjk_font_path())

    def font(size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(font_path, size)

    draw.rectangle((0, 0, width, 40), fill=RED)
    y = _centered(draw, 140, _("Tell us what needs fixing"), font=font(96), fill=RED, width=width) + 60
    y = _centered(draw, y, place.name, font=font(64), fill=(20, 20, 20), width=width) + 50
    code = qr_image(url, box_size=18).resize((760, 760), Image.Resampling.NEAREST)
    image.paste(code, ((width - 760) // 2, y))
    y += 760 + 50
    for text, size, grey, gap in (
        (_("Scan with your phone's camera or WeChat"), 40, 40, 30),
        (_("You may write anonymously; you get a receipt code to follow your opinion."), 30, 90, 20),
        (url, 30, 120, 0),
    ):
        y = _centered(draw, y, text, font=font(size), fill=(grey, grey, grey), width=width) + gap
    _centered(draw, height - 110, organisation, font=font(40), fill=RED, width=width)
    draw.rectangle((0, height - 40, width, height), fill=RED)
    return image


def poster_png(place: Place, url: str, *, organisation: str) -> bytes:
    buffer = io.BytesIO()
    poster(place, url, organisation=organisation).save(buffer, format="PNG", dpi=(150, 150))
    return buffer.getvalue()


def poster_pdf(place: Place, url: str, *, organisation: str) -> bytes:
    """One A4 page; the text is drawn as pixels, so the PDF needs no fonts to print right."""
    buffer = io.BytesIO()
    poster(place, url, organisation=organisation).save(
        buffer, format="PDF", resolution=150.0, title=f"{place.name} QR"
    )
    return buffer.getvalue()
