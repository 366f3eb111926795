"""Training, refusal, versions and rollback, rules, auto-apply, the tick."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from taizhang.core import clock
from taizhang.core.errors import DomainError
from taizhang.core.options import options_override
from taizhang.dispatch import services
from taizhang.dispatch.models import DispatchModel, DispatchRule, Suggestion
from taizhang.intake import services as intake
from taizhang.intake.models import Opinion, Place
from taizhang.org.models import Person
from tests.dispatch.conftest import Dispatch, build_history, triage


def submit(text: str, place: str = "", channel: str = "web") -> Opinion:
    return intake.opinion_submit(
        user=None, data=intake.OpinionInput(text=text, place_text=place, channel=channel, anonymous=True)
    )


def submit_at(text: str, place: Place) -> Opinion:
    return intake.opinion_submit(
        user=None, data=intake.OpinionInput(text=text, place=place, channel="qr", anonymous=True)
    )


def test_too_little_history_refuses_to_train_and_suggests_nothing(
    dispatch_org: Dispatch, supervisor: Person
) -> None:
    build_history(dispatch_org, supervisor, per_class=5)  # 20 < 30
    with pytest.raises(DomainError) as refused:
        services.model_train()
    assert refused.value.code == services.TOO_LITTLE_HISTORY
    assert not DispatchModel.objects.exists()
    opinion = submit("澡堂的热水又不够用了，洗到一半变凉")
    suggestion = Suggestion.objects.get(opinion=opinion)
    assert suggestion.refusal == services.TOO_LITTLE_HISTORY
    assert suggestion.category_id is None and suggestion.unit_id is None


def test_one_category_is_not_enough_history(dispatch_org: Dispatch, supervisor: Person) -> None:
    world = Dispatch(dispatch_org.org, {"澡堂浴室": dispatch_org.categories["澡堂浴室"]}, dispatch_org.units)
    build_history(world, supervisor, per_class=40)
    status = services.history_status()
    assert status.samples >= 30 and status.categories == 1 and not status.enough
    with pytest.raises(DomainError):
        services.model_train()


def test_training_records_held_out_accuracy_and_suggests_for_new_opinions(
    dispatch_org: Dispatch, history: list[dict[str, Any]]
) -> None:
    model = services.model_train()
    assert model.version == 1 and model.is_active
    assert model.sample_count == 40 and model.held_out_count == 8
    assert model.category_accuracy is not None and 0 <= model.category_accuracy <= 1
    # Opinions it has not seen, one per pair: the suggestion names the category and unit they were given.
    right = 0
    asked = 0
    for row in history[:: max(1, len(history) // 20)]:
        opinion = submit(row["text"], row["place"], row["channel"])
        suggestion = Suggestion.objects.get(opinion=opinion)
        assert suggestion.model_version == 1
        assert len(suggestion.top["categories"]) == 3
        asked += 1
        right += suggestion.category == dispatch_org.categories[row["category"]]
    assert right / asked >= 0.6, (right, asked)


def test_the_reasons_are_words_of_the_text_and_similar_past_opinions(
    dispatch_org: Dispatch, history: list[dict[str, Any]]
) -> None:
    services.model_train()
    opinion = submit("班车司机开车太快，早上的班车还经常晚点", "班车站")
    suggestion = Suggestion.objects.get(opinion=opinion)
    assert suggestion.category == dispatch_org.categories["交通班车"]
    assert suggestion.unit == dispatch_org.units["车队"]
    words = [word for word, _weight in suggestion.reasons["category_words"]]
    assert words and all(word in opinion.text + "班车站" for word in words)
    neighbours = Opinion.objects.filter(pk__in=[pk for pk, _s in suggestion.reasons["neighbours"]])
    assert neighbours.exists()
    assert all(n.problem is not None and n.problem.category.name == "交通班车" for n in neighbours)


def test_versions_are_kept_and_rollback_activates_the_previous_one(
    dispatch_org: Dispatch, history: list[dict[str, Any]]
) -> None:
    first = services.model_train()
    second = services.model_train()
    assert [m.version for m in DispatchModel.objects.filter(is_active=True)] == [2]
    assert services.active_model() is not None
    opinion = submit("食堂的饭菜太咸了")
    assert Suggestion.objects.get(opinion=opinion).model_version == 2
    back = services.model_rollback()
    assert back.pk == first.pk
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_active and not second.is_active
    # The rollback made the waiting opinion's suggestion again, with the version now active.
    assert Suggestion.objects.get(opinion=opinion).model_version == 1
    with pytest.raises(DomainError) as oldest:
        services.model_rollback()
    assert oldest.value.code == "no_previous_version"


def test_a_new_version_suggests_again_for_the_opinions_waiting_for_triage(
    dispatch_org: Dispatch, supervisor: Person, history: list[dict[str, Any]]
) -> None:
    bath, bus = dispatch_org.categories["澡堂浴室"], dispatch_org.categories["交通班车"]
    hq, fleet = dispatch_org.units["后勤服务中心"], dispatch_org.units["车队"]
    # They arrive before there is a model: a refusal is stored for each.
    waiting = [submit("班车司机开车太快，早上的班车还经常晚点", "班车站"), submit("食堂的饭菜太咸了")]
    DispatchRule.objects.create(keyword="喷头", category=bath, unit=hq, overrides_model=True)
    with options_override(dispatch_auto_apply=True):
        applied = submit("澡堂的喷头坏了一半")
    handled = submit("班车太挤了")
    triage(handled, supervisor=supervisor, category=bus, unit=fleet)
    before = {o.pk: Suggestion.objects.get(opinion=o) for o in [*waiting, applied, handled]}
    assert all(s.refusal == services.TOO_LITTLE_HISTORY for s in before.values())
    assert before[applied.pk].applied_automatically

    services.model_train()
    now = {o.pk: Suggestion.objects.get(opinion=o) for o in [*waiting, applied, handled]}
    for opinion in waiting:
        assert now[opinion.pk].model_version == 1 and not now[opinion.pk].refusal
    assert (now[waiting[0].pk].category, now[waiting[0].pk].unit) == (bus, fleet)
    # What was applied on arrival stays the record of it; what was triaged is history, not waiting.
    assert now[applied.pk].model_version is None and now[applied.pk].applied_automatically
    assert now[handled.pk].model_version is None and now[handled.pk].decided_at is not None

    # Bounded, oldest first (as the desk lists them); what is current is not made again.
    assert services.suggestions_refresh(limit=1) == 0
    Suggestion.objects.filter(opinion__in=waiting).update(model_version=None)
    assert services.suggestions_refresh(limit=1) == 1
    assert [Suggestion.objects.get(opinion=o).model_version for o in waiting] == [1, None]


def test_only_the_configured_number_of_versions_is_kept(
    dispatch_org: Dispatch, history: list[dict[str, Any]]
) -> None:
    with options_override(dispatch_keep_versions=2):
        for _round in range(3):
            services.model_train()
    assert list(DispatchModel.objects.values_list("version", flat=True)) == [3, 2]


def test_the_commands_train_and_roll_back(dispatch_org: Dispatch, history: list[dict[str, Any]]) -> None:
    out = io.StringIO()
    call_command("dispatch_train", stdout=out)
    call_command("dispatch_train", stdout=out)
    assert "v2 active" in out.getvalue() and "held-out accuracy" in out.getvalue()
    call_command("dispatch_rollback", stdout=out)
    assert "v1 active again" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("dispatch_rollback", stdout=out)


def test_the_train_command_says_when_history_is_too_little(dispatch_org: Dispatch) -> None:
    with pytest.raises(CommandError, match="历史数据太少"):
        call_command("dispatch_train", stdout=io.StringIO())


def test_an_overriding_rule_wins_over_the_model(
    dispatch_org: Dispatch, history: list[dict[str, Any]]
) -> None:
    services.model_train()
    text = "澡堂的热水时冷时热，洗到一半变凉"
    assert Suggestion.objects.get(opinion=submit(text)).category == dispatch_org.categories["澡堂浴室"]
    rule = DispatchRule.objects.create(
        keyword="热水", category=dispatch_org.categories["路灯照明"], unit=dispatch_org.units["物业公司"],
        overrides_model=True,
    )  # fmt: skip
    suggestion = Suggestion.objects.get(opinion=submit(text))
    assert suggestion.category == dispatch_org.categories["路灯照明"]
    assert suggestion.unit == dispatch_org.units["物业公司"]
    assert suggestion.category_confidence == suggestion.unit_confidence == 1.0
    assert suggestion.reasons["rules"] == [rule.pk]
    assert suggestion.reasons["overridden"] == ["category", "unit"]


def test_a_place_rule_routes_an_opinion_from_that_place_to_its_unit(
    dispatch_org: Dispatch, history: list[dict[str, Any]]
) -> None:
    services.model_train()
    station = Place.objects.create(name="生活区班车站", code="bus-stop", unit=dispatch_org.org.root)
    other = Place.objects.create(name="厂区班车站", code="bus-stop-2", unit=dispatch_org.org.root)
    housing = dispatch_org.units["物业公司"]
    rule = DispatchRule.objects.create(place=station, unit=housing, overrides_model=True)
    text = "班车司机开车太快，早上的班车还经常晚点"
    elsewhere = Suggestion.objects.get(opinion=submit_at(text, other))
    assert elsewhere.unit == dispatch_org.units["车队"] and "rules" not in elsewhere.reasons
    here = Suggestion.objects.get(opinion=submit_at(text, station))
    assert here.unit == housing and here.unit_confidence == 1.0
    assert here.reasons["rules"] == [rule.pk] and here.reasons["overridden"] == ["unit"]
    # The rule names a unit only: the category is still the model's, with the model's confidence.
    assert here.category == dispatch_org.categories["交通班车"] and 0 < here.category_confidence < 1


def test_a_rule_that_does_not_override_leaves_the_model_s_answer(
    dispatch_org: Dispatch, history: list[dict[str, Any]]
) -> None:
    services.model_train()
    DispatchRule.objects.create(keyword="热水", unit=dispatch_org.units["物业公司"])
    suggestion = Suggestion.objects.get(opinion=submit("澡堂的热水时冷时热，洗到一半变凉"))
    assert suggestion.unit == dispatch_org.units["后勤服务中心"]
    assert "rules" not in suggestion.reasons


def test_without_a_model_only_rules_speak(dispatch_org: Dispatch) -> None:
    DispatchRule.objects.create(keyword="班车", unit=dispatch_org.units["车队"])
    suggestion = Suggestion.objects.get(opinion=submit("班车太挤了"))
    assert suggestion.refusal == services.TOO_LITTLE_HISTORY
    assert suggestion.unit == dispatch_org.units["车队"] and suggestion.unit_confidence == 0
    assert suggestion.category is None
    assert Suggestion.objects.get(opinion=submit("食堂太咸")).unit is None


def test_auto_apply_is_off_by_default(dispatch_org: Dispatch, history: list[dict[str, Any]]) -> None:
    services.model_train()
    opinion = submit("班车司机开车太快，早上的班车还经常晚点", "班车站")
    opinion.refresh_from_db()
    assert opinion.unit == dispatch_org.org.root and opinion.category is None
    assert not Suggestion.objects.get(opinion=opinion).applied_automatically


def test_a_confident_suggestion_is_applied_on_arrival_and_recorded(
    dispatch_org: Dispatch, history: list[dict[str, Any]]
) -> None:
    services.model_train()
    with options_override(dispatch_auto_apply=True, dispatch_auto_apply_threshold=0.3):
        opinion = submit("班车司机开车太快，早上的班车还经常晚点", "班车站")
    opinion.refresh_from_db()
    suggestion = Suggestion.objects.get(opinion=opinion)
    assert suggestion.applied_automatically and suggestion.applied_at is not None
    assert suggestion.model_version == 1
    assert suggestion.previous_unit == dispatch_org.org.root and suggestion.previous_category is None
    assert opinion.unit == dispatch_org.units["车队"]
    assert opinion.category == dispatch_org.categories["交通班车"]


def test_a_suggestion_below_the_threshold_is_not_applied(
    dispatch_org: Dispatch, history: list[dict[str, Any]]
) -> None:
    services.model_train()
    with options_override(dispatch_auto_apply=True, dispatch_auto_apply_threshold=0.999):
        opinion = submit("有个地方不太好")
    opinion.refresh_from_db()
    assert opinion.unit == dispatch_org.org.root
    assert not Suggestion.objects.get(opinion=opinion).applied_automatically


def test_the_tick_trains_when_due_and_not_again_until_the_history_grows(
    dispatch_org: Dispatch, supervisor: Person, history: list[dict[str, Any]]
) -> None:
    out = io.StringIO()
    call_command("tick", stdout=out)
    assert "dispatch model retrained (version): 1" in out.getvalue()
    later = clock.now() + dt.timedelta(hours=25)
    with time_machine.travel(later, tick=False):
        assert services.retrain_if_due() is None  # nothing new triaged
    build_history(dispatch_org, supervisor, per_class=11)  # one more of each pair
    assert services.retrain_if_due() is None  # too soon
    with time_machine.travel(later, tick=False):
        retrained = services.retrain_if_due()
    assert retrained is not None and retrained.version == 2
    with options_override(dispatch_retrain_hours=0):
        assert services.retrain_if_due() is None


def test_an_unreadable_model_does_not_stop_submissions(
    dispatch_org: Dispatch, history: list[dict[str, Any]]
) -> None:
    services.model_train()
    DispatchModel.objects.update(payload=b"not a pickle", key="other")
    opinion = submit("班车太挤了")
    suggestion = Suggestion.objects.get(opinion=opinion)
    assert suggestion.category is None and suggestion.unit is None
    retrained = services.retrain_if_due()  # the tick replaces it at once, whatever its age
    assert retrained is not None and retrained.version == 2


def test_a_failing_suggestion_does_not_lose_the_opinion(
    dispatch_org: Dispatch, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(opinion: Opinion) -> services.Proposal:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "propose", broken)
    opinion = submit("班车太挤了")
    assert Opinion.objects.filter(pk=opinion.pk).exists()
    assert not Suggestion.objects.filter(opinion=opinion).exists()
    assert "dispatch could not suggest" in caplog.text
