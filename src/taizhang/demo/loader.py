"""`load_demo()`: the article (demo/data.py) replayed through the services, in the order things happened.

Every opinion is submitted, triaged and rated, and every problem moved through the close-out workflow, by the
same services the application uses, each step at its 2014 moment (`clock.frozen_at`), so the event chains,
ratings, evidence and receipts are what real use would have produced. The load is one transaction: it lands
whole or not at all. A loaded demo is detected by its campaign and left alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from taizhang.campaigns import services as campaigns
from taizhang.campaigns.models import (
    Campaign,
    ContactPoint,
    Document,
    Meeting,
    MeetingItem,
    Reflection,
    Revision,
    StudySession,
    Visit,
)
from taizhang.core import clock
from taizhang.core.errors import DomainError
from taizhang.core.options import options_override
from taizhang.demo import campaign_data as cdata
from taizhang.demo import data
from taizhang.demo.expenses import load_demo_expenses
from taizhang.dispatch import services as dispatch
from taizhang.intake import services as intake
from taizhang.intake.models import Channel, Opinion, Place
from taizhang.ledger import services as ledger
from taizhang.ledger.models import Category, Event, Problem, Rating, Verdict
from taizhang.ledger.workflow import ACTOR_LABELS, Actor
from taizhang.org import services as org
from taizhang.org.models import Person, Role, Unit
from taizhang.reports.selectors import achievement_lines

type Progress = Callable[[str], None]

ZONE = ZoneInfo(data.TIME_ZONE)

#: The close-out rules the demo's history was written under; the site's own settings may differ.
DEMO_RULES: dict[str, Any] = {
    "rating_window_days": 3,
    "rating_quorum": 0.5,
    "unsatisfied_max_share": 0.5,
    "notice_days": 0,
}

# Offsets that order the triage desk's work around the moment a problem is listed.
_MERGE_BEFORE_LISTING = dt.timedelta(minutes=30)
_ATTACH_AFTER_LISTING = dt.timedelta(minutes=5)
_JOIN_LATER = dt.timedelta(hours=2)


class DemoError(Exception):
    """The demo could not be loaded; nothing was written."""


@dataclass(frozen=True)
class DemoSummary:
    created: bool  # False when the demo was already loaded and nothing was done
    units: int
    people: int
    opinions: int
    problems: int
    events: int
    ratings: int
    achievements: tuple[str, ...]
    seconds: float


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: str
    unit: str
    title: str


def _moment(text: str, year: int = data.YEAR) -> dt.datetime:
    """ "MM-DD" or "MM-DD HH:MM" in the demo's year (or `year`) and time zone; a bare date means 10:00."""
    day, _, hour = text.partition(" ")
    month, day_of_month = (int(part) for part in day.split("-"))
    hours, minutes = (int(part) for part in (hour or "10:00").split(":"))
    return dt.datetime(year, month, day_of_month, hours, minutes, tzinfo=ZONE)


def _date(text: str) -> dt.date:
    month, day_of_month = (int(part) for part in text.split("-"))
    return dt.date(data.YEAR, month, day_of_month)


def all_opinions() -> tuple[data.OpinionSpec, ...]:
    return (*data.OPINIONS, *cdata.OPINIONS)


def all_problems() -> tuple[data.ProblemSpec, ...]:
    return (*data.PROBLEMS, *cdata.PROBLEMS)


def expected_opinions() -> int:
    """Opinions the demo creates: the listed ones and the “me too” voices added on problems."""
    me_too = sum(isinstance(step, data.MeToo) for spec in all_problems() for step in spec.steps)
    return len(all_opinions()) + me_too


def demo_campaign() -> Campaign | None:
    return Campaign.objects.filter(code=data.CAMPAIGN.code).first()


def is_loaded() -> bool:
    campaign = demo_campaign()
    return campaign is not None and Opinion.objects.filter(campaign=campaign).count() >= expected_opinions()


def demo_logins() -> list[DemoLogin]:
    """The demo's people with what they may do, for the command's table."""
    unit_names = {spec.code: spec.name for spec in data.UNITS}
    logins = []
    for spec in data.PEOPLE:
        roles = [f"{Role(role).label}·{unit_names[scope]}" for role, scope in spec.roles]
        logins.append(
            DemoLogin(
                username=spec.username,
                name=spec.name,
                role=" / ".join(roles) or str(ACTOR_LABELS[Actor.EMPLOYEE]),
                unit=unit_names[spec.unit],
                title=spec.title,
            )
        )
    return logins


# --- evidence photos ------------------------------------------------------------------------------------


def _photo(problem: Problem, kind: str, index: int) -> SimpleUploadedFile:
    """A small labelled JPEG standing in for a site photo (before/after, progress)."""
    seed = hashlib.sha256(f"{problem.code}{kind}{index}".encode()).digest()
    background = (40 + seed[0] % 120, 60 + seed[1] % 120, 60 + seed[2] % 120)
    image = Image.new("RGB", (320, 240), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 12, 307, 227), outline=(255, 255, 255), width=3)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.load_default(size=22)
    except (OSError, TypeError):  # Pillow without FreeType: the bitmap font takes no size
        font = ImageFont.load_default()
    stamp = clock.now().astimezone(ZONE).strftime("%Y-%m-%d")
    for line, text in enumerate((problem.code, kind.upper(), stamp)):
        draw.text((28, 40 + 56 * line), text, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return SimpleUploadedFile(
        f"{problem.code}-{kind}-{index}.jpg", buffer.getvalue(), content_type="image/jpeg"
    )


# --- the replay -----------------------------------------------------------------------------------------


@dataclass(order=True)
class _Action:
    at: dt.datetime
    seq: int
    label: str = field(compare=False)
    run: Callable[[], None] = field(compare=False)


@dataclass
class _Loader:
    say: Progress
    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    campaign: Campaign | None = None
    opinions: dict[str, Opinion] = field(default_factory=dict)
    problems: dict[str, int] = field(default_factory=dict)
    actions: list[_Action] = field(default_factory=list)
    contact_points: dict[tuple[str, str], ContactPoint] = field(default_factory=dict)
    visits: dict[str, Visit] = field(default_factory=dict)
    sessions: dict[str, StudySession] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    items: dict[str, MeetingItem] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)

    # --- configuration and people

    def organisation(self) -> None:
        for spec in data.UNITS:
            existing = Unit.objects.filter(code=spec.code).first()
            self.units[spec.code] = existing or org.unit_create(
                name=spec.name,
                code=spec.code,
                parent=self.units[spec.parent] if spec.parent else None,
                kind=spec.kind,
                sort_order=spec.order,
            )
        # One hash for everyone: they share the published demo password, and hashing is slow by design.
        password = make_password(settings.TAIZHANG_DEMO_PASSWORD)
        for person_spec in data.PEOPLE:
            person = Person.objects.filter(username=person_spec.username).first()
            if person is None:
                person = org.person_create(
                    username=person_spec.username,
                    name=person_spec.name,
                    unit=self.units[person_spec.unit],
                    title=person_spec.title,
                    is_superuser=person_spec.superuser,
                    password_hash=password,
                )
            else:
                self.say(f"  kept the existing login {person.username} (its password is unchanged)")
            for role, scope in person_spec.roles:
                org.role_grant(person=person, role=Role(role), unit=self.units[scope])
            self.people[person_spec.username] = person
        self.say(f"Organisation: {len(self.units)} units, {len(self.people)} people")

    def configuration(self) -> None:
        for spec in data.CATEGORIES:
            self.categories[spec.code], _created = Category.objects.update_or_create(
                code=spec.code,
                defaults={
                    "name": spec.name,
                    "group": spec.group,
                    "achievement_noun": spec.noun,
                    "achievement_verb": spec.verb,
                    "measure_word": spec.measure,
                    "evidence_required": spec.evidence,
                    "deadline_days": spec.deadline_days,
                    "look_back_days": spec.look_back_days,
                    "sort_order": spec.order,
                },
            )
        for place_spec in data.PLACES:
            self.places[place_spec.code], _created = Place.objects.update_or_create(
                code=place_spec.code,
                defaults={
                    "name": place_spec.name,
                    "unit": self.units[place_spec.unit],
                    "description": place_spec.description,
                },
            )
        campaign = data.CAMPAIGN
        self.campaign = campaigns.campaign_create(
            user=self.people["admin"],
            code=campaign.code,
            name=campaign.name,
            description=campaign.description,
            starts_on=_date(campaign.starts),
            ends_on=_date(campaign.ends),
            organiser=self.units[campaign.organiser],
            phases=[
                campaigns.PhaseInput(phase.name, _date(phase.starts), _date(phase.ends))
                for phase in campaign.phases
            ],
        )
        self.say(
            f"Configuration: {len(self.categories)} categories, {len(self.places)} places, "
            f"campaign “{campaign.name}” with {len(campaign.phases)} phases"
        )

    @property
    def campaign_id(self) -> int:
        if self.campaign is None:
            raise DemoError("The campaign must be created before opinions and problems.")
        return self.campaign.pk

    # --- planning

    def plan(self, at: dt.datetime, label: str, run: Callable[[], None]) -> None:
        self.actions.append(_Action(at=at, seq=len(self.actions), label=label, run=run))

    def plan_all(self) -> None:
        self.plan_campaign()
        by_problem: dict[str, list[data.OpinionSpec]] = {}
        for spec in all_opinions():
            self.plan(_moment(spec.at), f"opinion {spec.key}", partial(self.submit, spec))
            if spec.problem:
                by_problem.setdefault(spec.problem, []).append(spec)
            elif spec.answer or spec.decline or spec.withdraw:
                handled = _moment(spec.at) + dt.timedelta(days=spec.handled_days)
                self.plan(handled, f"opinion {spec.key} handled", partial(self.respond, spec))
        known = {spec.key for spec in all_problems()}
        unknown = sorted(set(by_problem) - known)
        if unknown:
            raise DemoError(f"Opinions name problems that are not in the data: {', '.join(unknown)}")
        for problem in all_problems():
            self.plan_problem(problem, by_problem.get(problem.key, []))

    def plan_problem(self, spec: data.ProblemSpec, opinions: list[data.OpinionSpec]) -> None:
        listed = _moment(spec.listed)
        lead = opinions[0] if opinions else None
        if lead is not None and _moment(lead.at) >= listed:
            raise DemoError(f"{spec.key}: listed before its first opinion {lead.key} was received")
        for spec_opinion in opinions[1:]:
            received = _moment(spec_opinion.at)
            if received >= listed:
                when = received + _JOIN_LATER
            elif spec_opinion.merge:
                when = listed - _MERGE_BEFORE_LISTING
                if received >= when:
                    raise DemoError(f"{spec_opinion.key}: received too close to the listing of {spec.key}")
            else:
                when = listed + _ATTACH_AFTER_LISTING
            self.plan(
                when,
                f"{spec.key}: opinion {spec_opinion.key} joins",
                partial(self.join, spec, spec_opinion, opinions[0].key),
            )
        self.plan(listed, f"{spec.key}: listed", partial(self.list_problem, spec, lead))
        for step in spec.steps:
            at = _moment(step.at)
            if at <= listed:
                raise DemoError(f"{spec.key}: step {type(step).__name__} at {step.at} precedes the listing")
            self.plan(at, f"{spec.key}: {type(step).__name__} {step.at}", partial(self.step, spec, step))

    # --- the campaign: contact points, visits, study, meetings, check materials

    def check_campaign_links(self) -> None:
        """Opinions from visits and problems from meetings are planned with the other opinions and problems;
        check here that what they come from exists and comes first."""
        by_key = {spec.key: spec for spec in all_opinions()}
        for opinion_key, visit_key in cdata.VISIT_OF_OPINION.items():
            visit = next((v for v in cdata.VISITS if v.key == visit_key), None)
            opinion = by_key.get(opinion_key)
            if visit is None or opinion is None:
                raise DemoError(f"Visit link {opinion_key} → {visit_key}: one of them is not in the data")
            if opinion.channel != data.VISIT or _moment(opinion.at) <= _moment(visit.at) or opinion.place:
                raise DemoError(
                    f"{opinion_key}: not a visit opinion raised after visit {visit_key} was recorded"
                )
        items = {item.key for meeting in cdata.MEETINGS for item in meeting.items}
        for problem_key, item_key in cdata.PROBLEM_FROM_ITEM.items():
            if item_key not in items:
                raise DemoError(f"{problem_key}: no meeting item {item_key}")

    def plan_campaign(self) -> None:
        """Plan the campaign's own records, each at its moment."""
        self.check_campaign_links()
        for point in cdata.CONTACT_POINTS:
            self.plan(
                _moment(point.since),
                f"contact point {point.leader} {point.unit}",
                partial(self.assign, point),
            )
        for visit in cdata.VISITS:
            self.plan(_moment(visit.at), f"visit {visit.key}", partial(self.record_visit, visit))
        for session in cdata.STUDY:
            self.plan(_moment(session.at), f"study {session.key}", partial(self.record_study, session))
        sessions = {session.key: session for session in cdata.STUDY}
        for reflection in cdata.REFLECTIONS:
            if reflection.session and _moment(sessions[reflection.session].at) >= _moment(reflection.at):
                raise DemoError(f"reflection of {reflection.by}: written before its study session")
            self.plan(_moment(reflection.at), f"reflection {reflection.by}", partial(self.write, reflection))
        for meeting in (*cdata.MEETINGS, *cdata.ordinary_meetings()):
            held = _moment(meeting.at, meeting.year)
            self.plan(held, f"meeting {meeting.key}", partial(self.record_meeting, meeting))
            for index, item in enumerate(meeting.items):
                at = held + dt.timedelta(hours=2, minutes=index)
                self.plan(at, f"meeting item {item.key}", partial(self.record_item, meeting, item))
        for document in cdata.DOCUMENTS:
            self.plan_document(document)

    def plan_document(self, spec: cdata.DocumentSpec) -> None:
        """The first draft, its comments, each rewrite with its comments, the approval: in this order."""
        steps: list[tuple[str, str, Callable[[], None]]] = [
            ("first draft", spec.at, partial(self.start_document, spec))
        ]
        steps += [("comment", c.at, partial(self.comment, spec, 1, c)) for c in spec.comments]
        text = spec.text
        for number, revision in enumerate(spec.revisions, start=2):
            for old, new in revision.edits:
                if text.count(old) != 1:
                    raise DemoError(f"{spec.key} revision {number}: “{old[:20]}” is not found exactly once")
                text = text.replace(old, new)
            steps.append(("revision", revision.at, partial(self.revise, spec, number, revision, text)))
            steps += [("comment", c.at, partial(self.comment, spec, number, c)) for c in revision.comments]
        if spec.approved is not None:
            steps.append(("approval", spec.approved.at, partial(self.approve, spec, spec.approved)))
        moments = [_moment(at) for _label, at, _run in steps]
        if moments != sorted(moments) or len(set(moments)) != len(moments):
            raise DemoError(f"{spec.key}: drafts, comments and approval are not in time order")
        for label, at, run in steps:
            self.plan(_moment(at), f"{spec.key}: {label} {at}", run)

    def assign(self, spec: cdata.ContactPointSpec) -> None:
        self.contact_points[(spec.leader, spec.unit)] = campaigns.contact_point_assign(
            user=self.people[cdata.OFFICE_DESK],
            campaign_id=self.campaign_id,
            leader=self.people[spec.leader],
            unit=self.units[spec.unit],
            since=_date(spec.since),
            note=spec.note,
        )

    def record_visit(self, spec: cdata.VisitSpec) -> None:
        point = self.contact_points[(spec.leader, spec.unit)]
        self.visits[spec.key] = campaigns.visit_record(
            user=self.people[spec.leader],
            contact_point_id=point.pk,
            data=campaigns.VisitInput(
                visited_on=_moment(spec.at).date(), people_met=spec.people_met, raised=spec.raised
            ),
        )

    def submit_from_visit(self, spec: data.OpinionSpec, visit: Visit) -> None:
        """What someone said on a visit, entered by the visiting leader (who is not its submitter)."""
        self.opinions[spec.key] = campaigns.visit_opinion_add(
            user=Person.objects.get(pk=visit.contact_point.leader_id),
            visit_id=visit.pk,
            data=campaigns.VisitOpinionInput(
                text=spec.text,
                unit=self.units[spec.unit],
                category=self.categories[spec.category] if spec.category else None,
                contact_name=spec.contact,
                contact_phone=spec.phone,
                anonymous=spec.anonymous,
            ),
            idempotency_key=f"demo-{data.CAMPAIGN.code}-{spec.key}",
        )

    def record_study(self, spec: cdata.StudySpec) -> None:
        self.sessions[spec.key] = campaigns.study_session_record(
            user=self.people[spec.by],
            campaign_id=self.campaign_id,
            data=campaigns.StudyInput(
                unit=self.units[spec.unit],
                kind=spec.kind,
                topic=spec.topic,
                held_on=_moment(spec.at).date(),
                speaker=spec.speaker,
                notes=spec.notes,
                attendees=tuple(self.people[name] for name in spec.attendees),
            ),
        )

    def write(self, spec: cdata.ReflectionSpec) -> None:
        campaigns.reflection_write(
            user=self.people[spec.by],
            campaign_id=self.campaign_id,
            title=spec.title,
            text=spec.text,
            session_id=self.sessions[spec.session].pk if spec.session else None,
            written_on=_moment(spec.at).date(),
        )

    def record_meeting(self, spec: cdata.MeetingSpec) -> None:
        self.meetings[spec.key] = campaigns.meeting_record(
            user=self.people[spec.by],
            campaign_id=self.campaign_id if spec.campaign else None,
            data=campaigns.MeetingInput(
                unit=self.units[spec.unit],
                kind=spec.kind,
                title=spec.title,
                held_on=_moment(spec.at, spec.year).date(),
                place=spec.place,
                attendees=tuple(self.people[name] for name in spec.attendees),
                guests=spec.guests,
                minutes=spec.minutes,
            ),
        )

    def record_item(self, meeting: cdata.MeetingSpec, spec: cdata.ItemSpec) -> None:
        self.items[spec.key] = campaigns.meeting_item_add(
            user=self.people[meeting.by],
            meeting_id=self.meetings[meeting.key].pk,
            kind=spec.kind,
            text=spec.text,
            speaker=self.people[spec.speaker] if spec.speaker else None,
            speaker_name=spec.speaker_name,
            subject=self.people[spec.subject] if spec.subject else None,
        )

    def start_document(self, spec: cdata.DocumentSpec) -> None:
        self.documents[spec.key] = campaigns.document_start(
            user=self.people[spec.author],
            campaign_id=self.campaign_id,
            kind=spec.kind,
            title=spec.title,
            unit=self.units[spec.unit],
            text=spec.text,
            note=spec.note,
        )

    def revise(self, spec: cdata.DocumentSpec, number: int, revision: cdata.RevisionSpec, text: str) -> None:
        campaigns.revision_add(
            user=self.people[spec.author],
            document_id=self.documents[spec.key].pk,
            text=text,
            note=revision.note,
            based_on=number - 1,
        )

    def comment(self, spec: cdata.DocumentSpec, number: int, comment: cdata.CommentSpec) -> None:
        revision = Revision.objects.get(document=self.documents[spec.key], number=number)
        campaigns.review_comment_add(user=self.people[comment.by], revision_id=revision.pk, text=comment.text)

    def approve(self, spec: cdata.DocumentSpec, approval: cdata.ApprovalSpec) -> None:
        campaigns.document_approve(
            user=self.people[approval.by],
            document_id=self.documents[spec.key].pk,
            revision_number=len(spec.revisions) + 1,
            note=approval.note,
        )

    # --- intake

    def submit(self, spec: data.OpinionSpec) -> None:
        if spec.channel not in Channel.values:
            raise DemoError(f"{spec.key}: unknown channel {spec.channel}")
        visit_key = cdata.VISIT_OF_OPINION.get(spec.key)
        if visit_key is not None:
            self.submit_from_visit(spec, self.visits[visit_key])
            return
        self.opinions[spec.key] = intake.opinion_submit(
            user=self.people[spec.by] if spec.by else None,
            data=intake.OpinionInput(
                text=spec.text,
                channel=spec.channel,
                anonymous=spec.anonymous,
                place=self.places[spec.place] if spec.place else None,
                unit=self.units[spec.unit],
                category=self.categories[spec.category] if spec.category else None,
                contact_name=spec.contact,
                contact_phone=spec.phone,
                campaign_id=self.campaign_id,
            ),
            idempotency_key=f"demo-{data.CAMPAIGN.code}-{spec.key}",
        )

    def respond(self, spec: data.OpinionSpec) -> None:
        opinion = self.opinions[spec.key]
        desk = self.people["wangzhiqiang"]
        if spec.answer:
            intake.opinion_answer(user=desk, opinion_id=opinion.pk, response=spec.answer)
        elif spec.decline:
            intake.opinion_decline(user=desk, opinion_id=opinion.pk, reason=spec.decline)
        else:
            intake.opinion_withdraw(user=None, receipt_code=opinion.receipt_code)

    def list_problem(self, spec: data.ProblemSpec, lead: data.OpinionSpec | None) -> None:
        draft = ledger.ProblemDraft(
            title=spec.title,
            category=self.categories[spec.category],
            lead_unit=self.units[spec.unit],
            description=spec.description,
            source=spec.source or (data.SOURCE_BY_CHANNEL[lead.channel] if lead else "督导组检查"),
            assisting_units=tuple(self.units[code] for code in spec.assisting),
            leader=self.people[spec.leader],
            owner=self.people[spec.owner],
            measures=spec.measures,
            deadline=_date(spec.deadline) if spec.deadline else None,
            is_long_term=spec.long_term,
            target_quantity=spec.target,
            priority=spec.priority,
            campaign_id=self.campaign_id,
            parent=Problem.objects.get(pk=self.problems[spec.parent]) if spec.parent else None,
            weight=spec.weight,
        )
        desk = self.people[spec.listed_by]
        item_key = cdata.PROBLEM_FROM_ITEM.get(spec.key)
        if item_key is not None:
            problem = campaigns.meeting_item_to_problem(
                user=desk, item_id=self.items[item_key].pk, draft=draft
            )
        elif lead is None:
            problem = ledger.problem_create(user=desk, draft=draft)
        else:
            problem = intake.opinion_triage(user=desk, opinion_id=self.opinions[lead.key].pk, draft=draft)
        self.problems[spec.key] = problem.pk

    def join(self, problem: data.ProblemSpec, spec: data.OpinionSpec, lead_key: str) -> None:
        desk = self.people[problem.listed_by]
        opinion = self.opinions[spec.key]
        if spec.merge:
            intake.opinion_merge(user=desk, opinion_id=opinion.pk, into_id=self.opinions[lead_key].pk)
        else:
            intake.opinion_attach(user=desk, opinion_id=opinion.pk, problem_id=self.problems[problem.key])

    # --- the ledger

    def raiser(self, key: str) -> tuple[Person | None, str | None]:
        """Who rates or objects for an opinion: its signed-in submitter, or anyone holding its receipt."""
        opinion = self.opinions[key]
        if opinion.submitter_id is not None:
            return Person.objects.get(pk=opinion.submitter_id), None
        return None, opinion.receipt_code

    def step(self, spec: data.ProblemSpec, step: data.Step) -> None:  # noqa: PLR0912  # one branch per kind of step
        problem_id = self.problems[spec.key]
        people = self.people
        match step:
            case data.Start():
                ledger.problem_start(user=people[step.by], problem_id=problem_id, note=step.note)
            case data.Progress():
                problem = Problem.objects.get(pk=problem_id)
                ledger.problem_record_progress(
                    user=people[step.by],
                    problem_id=problem_id,
                    note=step.note,
                    done_quantity=step.done,
                    photos=[_photo(problem, "progress", 1)] if step.photo else [],
                )
            case data.AskExtension():
                ledger.problem_request_extension(
                    user=people[step.by],
                    problem_id=problem_id,
                    new_deadline=_date(step.until),
                    reason=step.reason,
                )
            case data.DecideExtension():
                ledger.problem_decide_extension(
                    user=people[step.by], problem_id=problem_id, approve=step.approve, note=step.note
                )
            case data.AskCloseout():
                problem = Problem.objects.get(pk=problem_id)
                ledger.problem_request_closeout(
                    user=people[step.by],
                    problem_id=problem_id,
                    completion_note=step.note,
                    done_quantity=step.done,
                    evidence=[_photo(problem, "after", n) for n in range(1, step.photos + 1)]
                    if problem.category.evidence_required
                    else [],
                )
            case data.Sign():
                ledger.problem_sign(user=people[step.by], problem_id=problem_id, note=step.note)
            case data.Reject():
                ledger.problem_reject(user=people[step.by], problem_id=problem_id, reason=step.reason)
            case data.Verify():
                ledger.problem_verify(
                    user=people[step.by], problem_id=problem_id, note=step.note, notice_days=step.notice_days
                )
            case data.Object():
                user, receipt = self.raiser(step.raiser)
                ledger.problem_object(
                    user=user, problem_id=problem_id, reason=step.reason, receipt_code=receipt
                )
            case data.DecideObjection():
                ledger.problem_decide_objection(
                    user=people[step.by], problem_id=problem_id, uphold=step.uphold, reason=step.reason
                )
            case data.ConcludeNotice():
                ledger.problem_conclude_notice(user=people[step.by], problem_id=problem_id, note=step.note)
            case data.Rate():
                if step.verdict not in Verdict.values:
                    raise DemoError(f"{spec.key}: unknown verdict {step.verdict}")
                user, receipt = self.raiser(step.raiser)
                ledger.problem_rate(
                    user=user,
                    problem_id=problem_id,
                    verdict=step.verdict,
                    comment=step.comment,
                    receipt_code=receipt,
                )
            case data.LookBack():
                ledger.problem_look_back(
                    user=people[step.by], problem_id=problem_id, holds=step.holds, note=step.note
                )
            case data.Urge():
                ledger.problem_urge(user=people[step.by], problem_id=problem_id, note=step.note)
            case data.Return():
                ledger.problem_return(user=people[step.by], problem_id=problem_id, reason=step.reason)
            case data.Reassign():
                ledger.problem_reassign(
                    user=people[step.by],
                    problem_id=problem_id,
                    lead_unit=self.units[step.unit],
                    leader=people[step.leader],
                    owner=people[step.owner],
                    deadline=_date(step.deadline),
                    note=step.note,
                )
            case data.Cancel():
                ledger.problem_cancel(user=people[step.by], problem_id=problem_id, reason=step.reason)
            case data.MeToo():
                self.opinions[step.key] = intake.opinion_me_too(
                    user=people[step.by] if step.by else None,
                    problem_id=problem_id,
                    text=step.text,
                    anonymous=step.by is None,
                )
            case data.Support():
                ledger.problem_support(user=people[step.by], problem_id=problem_id, support=True)

    def replay(self) -> None:
        month = ""
        done = 0
        for action in sorted(self.actions):
            current = action.at.strftime("%Y-%m")
            if current != month:
                if month:
                    self.say(f"  {month}: {done} steps")
                month, done = current, 0
            with clock.frozen_at(action.at):
                try:
                    action.run()
                except (DomainError, KeyError, ValueError) as error:
                    raise DemoError(f"{action.label}: {error}") from error
            done += 1
        if month:
            self.say(f"  {month}: {done} steps")


def _summary(*, created: bool, started: float) -> DemoSummary:
    campaign = demo_campaign()
    campaign_id = campaign.pk if campaign else -1  # no campaign: every count below is zero
    problems = Problem.objects.filter(campaign_id=campaign_id)
    lines = achievement_lines(campaign_id=campaign_id) if campaign else []
    return DemoSummary(
        created=created,
        units=Unit.objects.filter(code__in=[spec.code for spec in data.UNITS]).count(),
        people=Person.objects.filter(username__in=[spec.username for spec in data.PEOPLE]).count(),
        opinions=Opinion.objects.filter(campaign_id=campaign_id).count(),
        problems=problems.count(),
        events=Event.objects.filter(problem__in=problems).count(),
        ratings=Rating.objects.filter(problem__in=problems).count(),
        achievements=tuple(str(line) for line in lines),
        seconds=time.monotonic() - started,
    )


def _campaign_line() -> str:
    campaign = demo_campaign()
    return (
        f"Campaign: {ContactPoint.objects.filter(campaign=campaign).count()} contact points, "
        f"{Visit.objects.filter(contact_point__campaign=campaign).count()} visits, "
        f"{StudySession.objects.filter(campaign=campaign).count()} study sessions, "
        f"{Reflection.objects.filter(campaign=campaign).count()} reflections, "
        f"{Meeting.objects.filter(campaign=campaign).count()} campaign meetings "
        f"({Meeting.objects.filter(campaign__isnull=True).count()} ordinary ones in 2013–2014), "
        f"{Document.objects.filter(campaign=campaign).count()} documents in "
        f"{Revision.objects.filter(document__campaign=campaign).count()} drafts"
    )


def _train_dispatch(say: Progress) -> None:
    """Smart dispatch learns from the demo's triaged opinions: the triage desk shows suggestions at once."""
    try:
        model = dispatch.model_train(note="demo")
    except DomainError as refusal:
        say(f"Smart dispatch: {refusal}")
        return
    say(f"Smart dispatch: model v{model.version} learned from {model.sample_count} triaged opinions")


def load_demo(*, progress: Progress | None = None) -> DemoSummary:
    """Load the article as data, once. Re-running finds the loaded demo and changes nothing."""
    say: Progress = progress or (lambda _line: None)
    started = time.monotonic()
    if is_loaded():
        say("The demo is already loaded; nothing to do.")
        return _summary(created=False, started=started)
    if demo_campaign() is not None:
        raise DemoError(
            f"A campaign with the code {data.CAMPAIGN.code} exists but does not hold the complete demo; "
            "the demo will not load on top of it."
        )
    loader = _Loader(say=say)
    with transaction.atomic(), options_override(**DEMO_RULES):
        loader.organisation()
        loader.configuration()
        loader.plan_all()
        say(f"Replaying {len(loader.actions)} steps (2013 meetings, then 2014), up to the article's date")
        loader.replay()
        figures = load_demo_expenses(list(Unit.objects.all()))
        say(f"Expenses and meetings: {figures} monthly figures for 2013 and 2014")
        summary = _summary(created=True, started=started)
        if summary.achievements != data.ACHIEVEMENTS:
            found = "; ".join(summary.achievements) or "(nothing)"
            raise DemoError(f"The ledger does not add up to the article's figures: {found}")
    say(_campaign_line())
    _train_dispatch(say)
    states = Counter(Problem.objects.filter(campaign=demo_campaign()).values_list("state", flat=True))
    say("Problems by state: " + ", ".join(f"{state} {count}" for state, count in sorted(states.items())))
    say("成绩单: " + "，".join(summary.achievements))
    return summary
