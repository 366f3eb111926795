"""Builders for test data. Problems and opinions go through the services, so every fixture has a valid
event chain, exactly as production data would."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from taizhang.core import clock
from taizhang.intake import services as intake
from taizhang.intake.models import Opinion
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category, Problem
from taizhang.org.models import Person, Unit

_codes = itertools.count(1)


def make_category(**fields: Any) -> Category:
    number = next(_codes)
    values: dict[str, Any] = {
        "name": f"类别{number}",
        "code": f"category-{number}",
        "achievement_verb": "修复",
        "measure_word": "处",
    }
    values.update(fields)
    return Category.objects.create(**values)


def jpeg_upload(
    name: str = "photo.jpg", *, exif_gps: bool = False, size: tuple[int, int] = (64, 48)
) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (37.0, 51.0, 0.0), 3: "E", 4: (112.0, 33.0, 0.0)}  # GPSInfo
        exif[0x010F] = "PhoneMaker"  # Make
        image.save(buffer, format="JPEG", exif=exif)
    else:
        image.save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_problem(
    *,
    supervisor: Person,
    lead_unit: Unit,
    category: Category | None = None,
    deadline: dt.date | None = None,
    **fields: Any,
) -> Problem:
    draft = ledger.ProblemDraft(
        title=fields.pop("title", f"问题 {next(_codes)}"),
        category=category or make_category(),
        lead_unit=lead_unit,
        deadline=deadline
        if deadline is not None or fields.get("is_long_term")
        else clock.today() + dt.timedelta(days=30),
        **fields,
    )
    return ledger.problem_create(user=supervisor, draft=draft)


def make_opinion(
    *, user: Any, unit: Unit, text: str = "澡堂的热水不够用", anonymous: bool = False, **fields: Any
) -> Opinion:
    return intake.opinion_submit(
        user=user, data=intake.OpinionInput(text=text, unit=unit, anonymous=anonymous, **fields)
    )


def raised_problem(
    *, supervisor: Person, raiser: Any, unit: Unit, anonymous: bool = False, **fields: Any
) -> tuple[Problem, Opinion]:
    """A problem made from one opinion of `raiser` (who thereby becomes its raiser)."""
    opinion = make_opinion(user=raiser, unit=unit, anonymous=anonymous)
    category = fields.pop("category", None) or make_category()
    draft = ledger.ProblemDraft(
        title=fields.pop("title", "修复路灯"),
        category=category,
        lead_unit=unit,
        deadline=fields.pop("deadline", clock.today() + dt.timedelta(days=30)),
        **fields,
    )
    problem = intake.opinion_triage(user=supervisor, opinion_id=opinion.pk, draft=draft)
    opinion.refresh_from_db()
    return problem, opinion
