"""What the triage page shows of dispatch: for people who may triage the opinion, and only them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from taizhang.dispatch import services
from taizhang.dispatch.models import DispatchModel, DispatchRule, Suggestion
from taizhang.intake.models import Opinion
from taizhang.intake.selectors import opinions_visible_to
from taizhang.intake.services import AnyUser, may_triage
from taizhang.ledger.models import Category
from taizhang.org.models import Unit


@dataclass(frozen=True)
class Choice:
    pk: int
    name: str
    percent: int


@dataclass(frozen=True)
class Neighbour:
    opinion: Opinion
    similarity: int  # percent


@dataclass(frozen=True)
class SuggestionView:
    suggestion: Suggestion
    history: services.HistoryStatus | None
    categories: list[Choice]
    units: list[Choice]
    category_words: list[str]
    unit_words: list[str]
    neighbours: list[Neighbour]
    rules: list[DispatchRule]

    @property
    def refused(self) -> bool:
        return (
            bool(self.suggestion.refusal)
            and self.suggestion.category_id is None
            and self.suggestion.unit_id is None
        )

    @property
    def has_suggestion(self) -> bool:
        return self.suggestion.category_id is not None or self.suggestion.unit_id is not None

    @property
    def category_percent(self) -> int:
        return round(self.suggestion.category_confidence * 100)

    @property
    def unit_percent(self) -> int:
        return round(self.suggestion.unit_confidence * 100)


def _choices(model: type[Category] | type[Unit], ranked: list[list[float]]) -> list[Choice]:
    ids = [int(pk) for pk, _p in ranked]
    names = dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [Choice(int(pk), names[int(pk)], round(p * 100)) for pk, p in ranked if int(pk) in names]


def _current_suggestion(opinion: Opinion) -> Suggestion:
    """The stored suggestion when it is the active version's (or was applied automatically: that record
    stays). Otherwise what the active version says now, computed and not stored: a page writes nothing. The
    services store it again when a version is trained or rolled back (`services.suggestions_refresh`); only
    an opinion beyond that bound, or one that arrived while suggesting failed, is computed here."""
    stored = Suggestion.objects.filter(opinion=opinion).select_related("category", "unit").first()
    active = DispatchModel.objects.filter(is_active=True).values_list("version", flat=True).first()
    if stored is not None and (stored.model_version == active or stored.applied_automatically):
        return stored
    return Suggestion(opinion=opinion, **services.propose(opinion).values())


def suggestion_for(user: AnyUser, opinion: Opinion) -> SuggestionView | None:
    """None for anyone who may not triage this opinion: they see no trace of the suggestion."""
    if user is None or not may_triage(user, opinion):
        return None
    suggestion = _current_suggestion(opinion)
    reasons = suggestion.reasons or {}
    neighbour_ids = {int(pk): sim for pk, sim in reasons.get("neighbours", [])}
    # Past opinions outside the person's scope are not shown, not even as "similar".
    visible = (
        opinions_visible_to(user)
        .filter(pk__in=list(neighbour_ids))
        .exclude(pk=opinion.pk)
        .select_related("problem", "problem__category", "problem__lead_unit")
    )
    neighbours = sorted(
        (Neighbour(item, round(neighbour_ids[item.pk] * 100)) for item in visible),
        key=lambda n: -n.similarity,
    )
    top = suggestion.top or {}
    return SuggestionView(
        suggestion=suggestion,
        history=services.history_status() if suggestion.refusal else None,
        categories=_choices(Category, top.get("categories", [])),
        units=_choices(Unit, top.get("units", [])),
        # A target a rule decided has the rule as its reason, not the model's words.
        category_words=[]
        if "category" in reasons.get("overridden", [])
        else [word for word, _w in reasons.get("category_words", [])],
        unit_words=[]
        if "unit" in reasons.get("overridden", [])
        else [word for word, _w in reasons.get("unit_words", [])],
        neighbours=neighbours,
        rules=list(
            DispatchRule.objects.filter(pk__in=reasons.get("rules", [])).select_related(
                "category", "unit", "place"
            )
        ),
    )


@dataclass(frozen=True)
class Outcome:
    """How often triage kept a version's suggestions (of the opinions triaged since it suggested)."""

    version: int
    triaged: int
    category_kept: int | None  # percent
    unit_kept: int | None


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def model_versions() -> list[tuple[DispatchModel, Outcome | None]]:
    counts = {
        row["model_version"]: row
        for row in Suggestion.objects.filter(decided_at__isnull=False, model_version__isnull=False)
        .values("model_version")
        .annotate(
            triaged=Count("pk"),
            category_judged=Count("pk", filter=Q(category_kept__isnull=False)),
            category_kept=Count("pk", filter=Q(category_kept=True)),
            unit_judged=Count("pk", filter=Q(unit_kept__isnull=False)),
            unit_kept=Count("pk", filter=Q(unit_kept=True)),
        )
    }
    versions = []
    for model in DispatchModel.objects.defer("payload").order_by("-version"):
        row = counts.get(model.version)
        outcome = (
            Outcome(
                version=model.version,
                triaged=row["triaged"],
                category_kept=_percent(row["category_kept"], row["category_judged"]),
                unit_kept=_percent(row["unit_kept"], row["unit_judged"]),
            )
            if row
            else None
        )
        versions.append((model, outcome))
    return versions
