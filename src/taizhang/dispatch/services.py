"""Smart dispatch's writes: training (versioned), rollback, the suggestion stored for each opinion, and
auto-apply. See docs/dispatch.md.

A suggestion is made when an opinion arrives (the `opinion_saved` hook, inside the submitting transaction:
web, API, Open311 and campaign visits all go through `intake.services.opinion_submit`), and made again for
the opinions waiting for triage when the active version changes (training, rollback), in that transaction.
Pages only read it (`selectors.suggestion_for`).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from taizhang.core import clock, hooks
from taizhang.core.errors import DomainError
from taizhang.core.options import current_options
from taizhang.dispatch import engine
from taizhang.dispatch.models import DispatchModel, DispatchRule, Suggestion
from taizhang.intake.models import Opinion
from taizhang.ledger.models import Category
from taizhang.org.models import Unit
from taizhang.search import services as search
from taizhang.search.text import normalise

TOO_LITTLE_HISTORY = "too_little_history"
#: Opinions waiting for triage whose suggestion is made again when the active version changes, in the order
#: the triage desk lists them (oldest first). Beyond it, the desk shows the active version's suggestion
#: without storing it (see `selectors.suggestion_for`); about 2 ms each.
RESUGGEST_LIMIT = 500
logger = logging.getLogger(__name__)


# --- history and training -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryStatus:
    samples: int
    categories: int
    units: int
    minimum: int

    @property
    def enough(self) -> bool:
        return self.samples >= self.minimum and self.categories >= 2


def _history() -> list[engine.Sample]:
    """Every opinion put on the problem list, labelled with its problem's category and lead unit as they are
    now (a reassignment after triage is the better answer)."""
    rows = (
        Opinion.objects.filter(state=Opinion.State.TRIAGED, problem__isnull=False)
        .order_by("pk")
        .values_list("pk", "text", "place_text", "channel", "problem__category_id", "problem__lead_unit_id")
    )
    return [
        engine.Sample(text=text, place=place, channel=channel, category=str(cat), unit=str(unit), ref=str(pk))
        for pk, text, place, channel, cat, unit in rows
    ]


def history_status(samples: list[engine.Sample] | None = None) -> HistoryStatus:
    if samples is None:
        samples = _history()
    return HistoryStatus(
        samples=len(samples),
        categories=len({s.category for s in samples}),
        units=len({s.unit for s in samples}),
        minimum=current_options().dispatch_min_history,
    )


def _accuracy(truth: list[str], predictions: list[engine.Prediction], target: str) -> float:
    ranked = [[r.label for r in getattr(p, target)][:1] for p in predictions]
    return engine.top_k_accuracy(truth, ranked, 1)


def model_train(*, note: str = "") -> DispatchModel:
    """Learn a new version from the triaged history and make it active; the previous ones stay for rollback.

    Refuses (DomainError "too_little_history") below the minimum history rather than learn a guess."""
    search.refresh_dictionary()
    samples = _history()
    status = history_status(samples)
    if not status.enough:
        raise DomainError(
            _(
                "Too little history to learn from: %(samples)d triaged opinions in %(categories)d "
                "categories; at least %(minimum)d in two or more categories are needed."
            )
            % {"samples": status.samples, "categories": status.categories, "minimum": status.minimum},
            code=TOO_LITTLE_HISTORY,
        )
    # The accuracy recorded is measured on a held-out fifth; the version itself then learns from everything.
    train, held_out = engine.split(samples)
    trial = engine.fit(train)
    predictions = [engine.predict(trial, s.text, s.place, s.channel) for s in held_out]
    category_accuracy = _accuracy([s.category for s in held_out], predictions, "categories")
    unit_accuracy = _accuracy([s.unit for s in held_out], predictions, "units")
    payload = engine.fit(samples).dumps()
    return _store(
        payload=payload,
        status=status,
        category_accuracy=category_accuracy,
        unit_accuracy=unit_accuracy,
        held_out=len(held_out),
        note=note,
    )


@transaction.atomic
def _store(
    *,
    payload: bytes,
    status: HistoryStatus,
    category_accuracy: float,
    unit_accuracy: float,
    held_out: int,
    note: str,
) -> DispatchModel:
    DispatchModel.objects.select_for_update().filter(is_active=True).update(is_active=False)
    last = DispatchModel.objects.aggregate(last=Max("version"))["last"] or 0
    model = DispatchModel.objects.create(
        version=last + 1,
        trained_at=clock.now(),
        sample_count=status.samples,
        category_count=status.categories,
        unit_count=status.units,
        category_accuracy=category_accuracy,
        unit_accuracy=unit_accuracy,
        held_out_count=held_out,
        payload=payload,
        note=note[:200],
        is_active=True,
    )
    keep = max(2, current_options().dispatch_keep_versions)
    stale = DispatchModel.objects.order_by("-version").values_list("pk", flat=True)[keep:]
    DispatchModel.objects.filter(pk__in=list(stale)).delete()
    suggestions_refresh()
    return model


@transaction.atomic
def model_rollback() -> DispatchModel:
    """Make the version before the active one active again."""
    active = DispatchModel.objects.select_for_update().filter(is_active=True).first()
    if active is None:
        raise DomainError(_("No dispatch model is active; train one first."), code="no_model")
    previous = DispatchModel.objects.filter(version__lt=active.version).order_by("-version").first()
    if previous is None:
        raise DomainError(
            _("Version %(version)d is the oldest kept; there is nothing to roll back to.")
            % {"version": active.version},
            code="no_previous_version",
        )
    active.is_active = False
    active.save(update_fields=["is_active"])
    previous.is_active = True
    previous.save(update_fields=["is_active"])
    suggestions_refresh()
    return previous


def retrain_if_due() -> DispatchModel | None:
    """For `taizhang tick`: retrain when the active model is older than the setting and the history grew
    (or when there is none yet and the history is enough)."""
    hours = current_options().dispatch_retrain_hours
    if hours <= 0:
        return None
    latest = DispatchModel.objects.order_by("-version").first()
    if latest is not None and active_model() is None:
        latest = None  # none active, or one this release cannot read: train afresh when the history allows
    if latest is not None:
        if (clock.now() - latest.trained_at).total_seconds() < hours * 3600:
            return None
        if history_status().samples == latest.sample_count:
            return None
    elif not history_status().enough:
        return None
    try:
        return model_train(note="tick")
    except DomainError:
        return None


# --- the active model, loaded once per process ----------------------------------------------------------

_loaded: dict[str, engine.Bundle] = {}
_loading = threading.Lock()


def active_model() -> tuple[DispatchModel, engine.Bundle] | None:
    model = DispatchModel.objects.filter(is_active=True).defer("payload").first()
    if model is None:
        return None
    bundle = _loaded.get(model.key)
    if bundle is None:
        with _loading:
            data = DispatchModel.objects.filter(pk=model.pk).values_list("payload", flat=True).first()
            if data is None:
                return None
            try:
                bundle = engine.Bundle.loads(bytes(data))
            except ValueError:
                # A version this code cannot read (restored from another release): no suggestion, not a crash.
                logger.warning("dispatch model v%s cannot be loaded; retrain it", model.version)
                return None
            _loaded.clear()  # one version in memory at a time
            _loaded[model.key] = bundle
    return model, bundle


# --- suggesting -----------------------------------------------------------------------------------------


@dataclass
class Proposal:
    """A suggestion before it is stored."""

    category_id: int | None = None
    unit_id: int | None = None
    category_confidence: float = 0.0
    unit_confidence: float = 0.0
    top: dict[str, list[list[Any]]] = dataclasses.field(default_factory=dict)
    reasons: dict[str, list[Any]] = dataclasses.field(default_factory=dict)
    model: DispatchModel | None = None
    refusal: str = ""

    def values(self) -> dict[str, Any]:
        """The fields of a `Suggestion` saying this (an automatic application is not part of it)."""
        return {
            "model": self.model,
            "model_version": self.model.version if self.model else None,
            "category_id": self.category_id,
            "unit_id": self.unit_id,
            "category_confidence": self.category_confidence,
            "unit_confidence": self.unit_confidence,
            "top": self.top,
            "reasons": self.reasons,
            "refusal": self.refusal,
            "created_at": clock.now(),
        }


def matching_rules(opinion: Opinion) -> list[DispatchRule]:
    text = normalise(f"{opinion.text} {opinion.place_text}")
    found = []
    for rule in DispatchRule.objects.filter(is_active=True).order_by("-overrides_model", "pk"):
        if rule.place_id is not None and rule.place_id != opinion.place_id:
            continue
        if rule.keyword and normalise(rule.keyword) not in text:
            continue
        found.append(rule)
    return found


def _valid_ids(model: type[Category] | type[Unit], labels: list[str]) -> set[int]:
    ids = [int(label) for label in labels if label.isdigit()]
    return set(model.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))


def propose(opinion: Opinion) -> Proposal:
    """The model's suggestion (if there is a model), with the admins' rules applied over it."""
    proposal = Proposal()
    loaded = active_model()
    if loaded is None:
        proposal.refusal = TOO_LITTLE_HISTORY
    else:
        model, bundle = loaded
        search.refresh_dictionary()
        prediction = engine.predict(bundle, opinion.text, opinion.place_text, opinion.channel)
        categories = _valid_ids(Category, [r.label for r in prediction.categories])
        units = _valid_ids(Unit, [r.label for r in prediction.units])
        ranked_categories = [
            [int(r.label), r.probability]
            for r in prediction.categories
            if r.label.isdigit() and int(r.label) in categories
        ]
        ranked_units = [
            [int(r.label), r.probability]
            for r in prediction.units
            if r.label.isdigit() and int(r.label) in units
        ]
        proposal.model = model
        proposal.top = {"categories": ranked_categories, "units": ranked_units}
        if ranked_categories:
            proposal.category_id, proposal.category_confidence = (
                int(ranked_categories[0][0]),
                ranked_categories[0][1],
            )
        if ranked_units:
            proposal.unit_id, proposal.unit_confidence = int(ranked_units[0][0]), ranked_units[0][1]
        proposal.reasons = {
            "category_words": [list(w) for w in display_words(prediction.category_words)],
            "unit_words": [list(w) for w in display_words(prediction.unit_words)],
            "neighbours": [[int(ref), round(sim, 3)] for ref, sim in prediction.neighbours if ref.isdigit()],
        }
    _apply_rules(proposal, matching_rules(opinion))
    return proposal


def _apply_rules(proposal: Proposal, rules: list[DispatchRule]) -> None:
    """Overriding rules replace the model's answer (confidence 1: an administrator said so). The others fill
    in only where nothing was suggested, with no confidence (they are never applied automatically)."""
    used: list[int] = []
    overridden: list[str] = []
    for field in ("category", "unit"):
        for rule in rules:
            value = getattr(rule, f"{field}_id")
            if value is None:
                continue
            if rule.overrides_model:
                setattr(proposal, f"{field}_id", value)
                setattr(proposal, f"{field}_confidence", 1.0)
                overridden.append(field)
            elif getattr(proposal, f"{field}_id") is None:
                setattr(proposal, f"{field}_id", value)
                setattr(proposal, f"{field}_confidence", 0.0)
            else:
                continue
            used.append(rule.pk)
            break
    if used:
        proposal.reasons["rules"] = list(dict.fromkeys(used))
        proposal.reasons["overridden"] = overridden


def display_words(weighted: list[tuple[str, float]], limit: int = 5) -> list[tuple[str, float]]:
    """The model's tokens as people read them: words first, then character pairs that share no character
    with a word shown ("作服" is dropped beside "工作服"), place words without their marker, each once."""
    shown: dict[str, float] = {}
    pairs = []
    for token, weight in weighted:
        if token.startswith(engine.CHANNEL_PREFIX):
            continue
        if token.startswith(engine.BIGRAM_PREFIX):
            pairs.append((token.removeprefix(engine.BIGRAM_PREFIX), weight))
            continue
        word = token.removeprefix(engine.PLACE_PREFIX)
        shown[word] = shown.get(word, 0.0) + weight
    for pair, weight in pairs:
        if not any(set(pair) & set(other) for other in shown):
            shown[pair] = weight
    return sorted(shown.items(), key=lambda item: -item[1])[:limit]


def _save(opinion: Opinion, proposal: Proposal) -> Suggestion:
    suggestion, _created = Suggestion.objects.update_or_create(opinion=opinion, defaults=proposal.values())
    return suggestion


def suggestion_make(*, opinion: Opinion) -> Suggestion:
    """Suggest (again) for an opinion waiting for triage and store it. An earlier automatic application stays
    recorded."""
    return _save(opinion, propose(opinion))


def suggestions_refresh(*, limit: int = RESUGGEST_LIMIT, rules_changed: bool = False) -> int:
    """After the active version changed: suggest again for the opinions waiting for triage whose stored
    suggestion is another version's (or missing), the first `limit` as the desk lists them; after the rules
    changed (`rules_changed`), for every waiting opinion, whatever its version. Suggestions applied
    automatically stay as they were: they are the record of what happened on arrival. Returns how many were
    made."""
    active = DispatchModel.objects.filter(is_active=True).values_list("version", flat=True).first()
    if active is None and not rules_changed:
        return 0
    waiting = Opinion.objects.filter(state=Opinion.State.NEW).exclude(
        dispatch_suggestion__applied_automatically=True
    )
    if not rules_changed:
        waiting = waiting.exclude(dispatch_suggestion__model_version=active)
    waiting = waiting.select_related("place").order_by("created_at", "pk")[:limit]
    made = 0
    for opinion in waiting:
        try:
            proposal = propose(opinion)
        except Exception:  # advice again: one opinion the model cannot read must not undo a training
            logger.exception("dispatch could not suggest again for opinion %s", opinion.pk)
            continue
        _save(opinion, proposal)
        made += 1
    return made


def rules_changed() -> int:
    """An administrator added, changed or removed a rule: the opinions waiting for triage are suggested
    again (bounded as after a training), so the desk shows what the rules now say."""
    return suggestions_refresh(rules_changed=True)


def _auto_apply(opinion: Opinion, suggestion: Suggestion) -> None:
    options = current_options()
    if not options.dispatch_auto_apply or (suggestion.refusal and not suggestion.reasons.get("overridden")):
        return
    if suggestion.category_id is None and suggestion.unit_id is None:
        return
    if suggestion.confidence < options.dispatch_auto_apply_threshold:
        return
    suggestion.previous_category_id = opinion.category_id
    suggestion.previous_unit_id = opinion.unit_id
    if suggestion.category is not None:
        opinion.category = suggestion.category
    if suggestion.unit is not None:
        opinion.unit = suggestion.unit
    opinion.save(update_fields=["category", "unit"])
    suggestion.applied_automatically = True
    suggestion.applied_at = clock.now()
    suggestion.save(
        update_fields=["previous_category", "previous_unit", "applied_automatically", "applied_at"]
    )
    hooks.opinion_saved(opinion)  # the search index files it under its new unit


def _record_outcome(opinion: Opinion) -> None:
    """When an opinion is put on the list: did triage keep the suggested category and unit?"""
    problem = opinion.problem
    if problem is None:
        return
    suggestion = Suggestion.objects.filter(opinion=opinion, decided_at__isnull=True).first()
    if suggestion is None:
        return
    if suggestion.category_id is not None:
        suggestion.category_kept = suggestion.category_id == problem.category_id
    if suggestion.unit_id is not None:
        suggestion.unit_kept = suggestion.unit_id == problem.lead_unit_id
    suggestion.decided_at = clock.now()
    suggestion.save(update_fields=["category_kept", "unit_kept", "decided_at"])


def on_opinion_saved(opinion: Any) -> None:
    """A new opinion gets its suggestion on arrival (and, when the setting allows, has it applied); a
    triaged one records whether its suggestion was kept."""
    if not isinstance(opinion, Opinion):
        return
    if opinion.state == Opinion.State.TRIAGED:
        _record_outcome(opinion)
        return
    if opinion.state != Opinion.State.NEW:
        return
    # A row inserted just now has no suggestion yet: no read for one, and a plain INSERT to store it (the
    # update_or_create of a re-suggestion costs a read and two savepoints, on every submission).
    inserted = hooks.just_inserted(opinion)
    if not inserted and Suggestion.objects.filter(opinion=opinion).exists():
        return
    try:
        proposal = propose(opinion)
    except Exception:  # a suggestion is advice: its failure must not lose the opinion being submitted
        logger.exception("dispatch could not suggest for opinion %s", opinion.pk)
        return
    if inserted:
        suggestion = Suggestion.objects.create(opinion=opinion, **proposal.values())
    else:
        suggestion = _save(opinion, proposal)
    _auto_apply(opinion, suggestion)
