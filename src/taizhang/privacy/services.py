"""What China's Personal Information Protection Law (个人信息保护法) asks of us, for the people in the system:
see everything held about you, take back what you said before it is handled, have your details removed from
your opinions afterwards, and have photos and contact details kept no longer than needed.

The ledger's history holds no personal details of raisers (events name the acting staff, not the people who
raised a problem), so removing them never breaks a chain.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q

from taizhang.core import clock, hooks
from taizhang.core.options import current_options
from taizhang.intake.models import Opinion, OpinionPhoto
from taizhang.ledger.models import Event, Rating, Support
from taizhang.ledger.workflow import FINAL_STATES
from taizhang.org.models import Person


def personal_data(person: Person) -> dict[str, Any]:
    """Everything the system holds about the person, as plain data."""
    opinions = (
        Opinion.objects.filter(submitter=person).select_related("problem", "unit", "place").order_by("pk")
    )
    return {
        "person": {
            "username": person.username,
            "name": person.name,
            "unit": str(person.unit or ""),
            "title": person.title,
            "phone": person.phone,
            "email": person.email,
            "date_joined": person.date_joined,
            "last_login": person.last_login,
        },
        "roles": [
            {"role": role.role, "unit": role.unit.name} for role in person.roles.select_related("unit")
        ],
        "opinions": [
            {
                "receipt_code": opinion.receipt_display,
                "received": opinion.created_at,
                "channel": opinion.channel,
                "text": opinion.text,
                "place": opinion.place_label,
                "unit": opinion.unit.name,
                "contact_name": opinion.contact_name,
                "contact_phone": opinion.contact_phone,
                "state": opinion.state,
                "response": opinion.response,
                "problem": opinion.problem.code if opinion.problem else None,
                "additions": [{"at": a.created_at, "text": a.text} for a in opinion.additions.all()],
                "photos": [photo.image.name for photo in opinion.photos.all()],
                "ratings": [
                    {
                        "problem": r.problem.code,
                        "round": r.round,
                        "verdict": r.verdict,
                        "comment": r.comment,
                        "at": r.created_at,
                    }
                    for r in Rating.objects.filter(opinion=opinion).select_related("problem")
                ],
            }
            for opinion in opinions
        ],
        "supports": [
            {"problem": s.problem.code, "at": s.created_at}
            for s in Support.objects.filter(person=person).select_related("problem")
        ],
        "actions_in_the_ledger": [
            {"problem": e.problem.code, "at": e.at, "kind": e.kind, "note": e.note}
            for e in Event.objects.filter(actor=person).select_related("problem")
        ],
    }


def personal_data_archive(person: Person) -> bytes:
    """A .zip: the data as JSON, and the photos the person sent with their opinions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "personal-data.json",
            json.dumps(personal_data(person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for photo in OpinionPhoto.objects.filter(opinion__submitter=person):
            with photo.image.open("rb") as handle:
                archive.writestr(f"photos/{Path(photo.image.name or str(photo.pk)).name}", handle.read())
    return buffer.getvalue()


@dataclass(frozen=True)
class Erased:
    opinions: int


@transaction.atomic
def erase_from_opinions(person: Person) -> Erased:
    """Remove the person from their opinions: the opinions (and problems, and history) stay, anonymously.

    They can no longer follow these opinions by login; their receipt codes still work.
    """
    opinions = list(Opinion.objects.select_for_update().filter(submitter=person))
    for opinion in opinions:
        opinion.submitter = None
        opinion.contact_name = ""
        opinion.contact_phone = ""
        opinion.is_anonymous = True
        opinion.save(update_fields=["submitter", "contact_name", "contact_phone", "is_anonymous"])
        hooks.opinion_saved(opinion)
    return Erased(opinions=len(opinions))


@dataclass(frozen=True)
class Retained:
    photos_deleted: int
    contacts_cleared: int


def _finished_before(cutoff: dt.datetime) -> Q:
    """Opinions whose matter ended before the cutoff: answered/declined/withdrawn, or problem finished."""
    return (Q(problem__isnull=True) & ~Q(state=Opinion.State.NEW) & Q(responded_at__lt=cutoff)) | (
        Q(problem__state__in=[state.value for state in FINAL_STATES])
        & (Q(problem__closed_at__lt=cutoff) | Q(problem__cancelled_at__lt=cutoff))
    )


@transaction.atomic
def enforce_retention(now: dt.datetime | None = None) -> Retained:
    """Delete opinion photos and clear contact details past their retention period (settings)."""
    now = now or clock.now()
    options = current_options()
    photos_deleted = contacts_cleared = 0
    if options.retention_photo_days > 0:
        cutoff = now - dt.timedelta(days=options.retention_photo_days)
        for photo in OpinionPhoto.objects.filter(
            opinion__in=Opinion.objects.filter(_finished_before(cutoff))
        ):
            photo.image.delete(save=False)
            photo.thumbnail.delete(save=False)
            photo.delete()
            photos_deleted += 1
    if options.retention_contact_days > 0:
        cutoff = now - dt.timedelta(days=options.retention_contact_days)
        contacts_cleared = (
            Opinion.objects.filter(_finished_before(cutoff))
            .exclude(contact_name="", contact_phone="")
            .update(contact_name="", contact_phone="")
        )
    return Retained(photos_deleted=photos_deleted, contacts_cleared=contacts_cleared)
