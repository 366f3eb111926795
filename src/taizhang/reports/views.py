"""Report pages: the dashboard and its chart data, the ranking, expenses, the printable report. Thin: parse,
check the scope (reports.scope), call the measures and selectors, render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from taizhang.campaigns.models import Campaign
from taizhang.core import clock
from taizhang.core.errors import InvalidInput, NotPermitted
from taizhang.org.models import Person, Unit
from taizhang.reports import charts, measures, printing, selectors
from taizhang.reports.forms import ExpenseImportForm, ExpenseMonthForm, ReportFilterForm
from taizhang.reports.models import ExpenseKind
from taizhang.reports.period import Period
from taizhang.reports.scope import UnitScope, may_report, report_scope, report_units, top_unit
from taizhang.reports.services import ImportRejected, expense_import, expense_month_save
from taizhang.web.auth import user_of


@dataclass(frozen=True)
class Filters:
    unit: Unit | None
    campaign: Campaign | None
    period: Period
    scope: UnitScope

    @property
    def selection(self) -> selectors.Selection:
        return selectors.Selection(
            scope=self.scope, period=self.period, campaign_id=self.campaign.pk if self.campaign else None
        )

    @property
    def measure_selection(self) -> measures.Selection:
        return measures.Selection(
            scope=self.scope, period=self.period, campaign_id=self.campaign.pk if self.campaign else None
        )

    def query(self) -> str:
        values = {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()}
        if self.unit:
            values["unit"] = str(self.unit.pk)
        if self.campaign:
            values["campaign"] = str(self.campaign.pk)
        return urlencode(values)


def default_period() -> Period:
    """The latest campaign up to today, or this year up to today."""
    today = clock.today()
    campaign = Campaign.objects.filter(starts_on__lte=today).order_by("-starts_on").first()
    if campaign is not None:
        return Period(campaign.starts_on, min(campaign.ends_on or today, today))
    return Period(today.replace(month=1, day=1), today)


def _reporter(request: HttpRequest) -> Person:
    user = user_of(request)
    if not isinstance(user, Person) or not may_report(user):
        raise PermissionDenied(_("Reports are for handlers, unit leaders, supervisors and administrators."))
    return user


def _filters(request: HttpRequest, user: Person) -> tuple[ReportFilterForm, Filters | None]:
    period = default_period()
    data = request.GET.copy()
    data.setdefault("start", period.start.isoformat())
    data.setdefault("end", period.end.isoformat())
    form = ReportFilterForm(data, units=report_units(user))
    if not form.is_valid():
        return form, None
    unit: Unit | None = form.cleaned_data["unit"]
    try:
        scope = report_scope(user, unit)
    except NotPermitted:
        return form, None
    return form, Filters(
        unit=unit,
        campaign=form.cleaned_data["campaign"],
        period=Period(form.cleaned_data["start"], form.cleaned_data["end"]),
        scope=scope,
    )


def _ranking_parent(user: Person, filters: Filters) -> Unit | None:
    return filters.unit or top_unit(user)


CHART_KEYS = ("funnel", "flow", "ranking", "lights", "satisfaction", "expenses")


def _chart(key: str, user: Person, filters: Filters) -> charts.Chart:
    builders: dict[str, Callable[[], charts.Chart]] = {
        "funnel": lambda: charts.funnel_chart(*selectors.funnel(filters.selection)),
        "flow": lambda: charts.flow_chart(selectors.monthly_flow(filters.selection)),
        "lights": lambda: charts.lights_chart(
            selectors.light_counts(selectors.problems_for(filters.selection), clock.today())
        ),
        "satisfaction": lambda: charts.satisfaction_chart(selectors.verdict_counts(filters.selection)),
        "expenses": lambda: charts.expenses_chart(
            selectors.expenses_year_on_year(scope=filters.scope, period=filters.period)
        ),
        "ranking": lambda: _ranking_chart(user, filters),
    }
    return builders[key]()


def _ranking_chart(user: Person, filters: Filters) -> charts.Chart:
    parent = _ranking_parent(user, filters)
    if parent is None:
        raise Http404
    return charts.ranking_chart(measures.ranking_for(filters.measure_selection, parent))


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _reporter(request)
    form, filters = _filters(request, user)
    context: dict[str, object] = {"form": form, "filters": filters}
    if filters is not None:
        query = filters.query()
        context.update(
            charts=[(key, f"{reverse('reports:chart', args=[key])}?{query}") for key in CHART_KEYS],
            query=query,
        )
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def kpis(request: HttpRequest) -> HttpResponse:
    """The measures and the 成绩单 of the dashboard, loaded after the page (htmx), as the charts are."""
    user = _reporter(request)
    form, filters = _filters(request, user)
    if filters is None:
        return render(request, "reports/_filters.html", {"form": form}, status=400)
    context = {
        "filters": filters,
        "measures": measures.compute_for(filters.measure_selection),
        "achievements": selectors.achievement_lines(
            scope=filters.scope, campaign_id=filters.campaign.pk if filters.campaign else None
        ),
    }
    return render(request, "reports/_kpis.html", context)


@login_required
@require_GET
def chart_data(request: HttpRequest, key: str) -> JsonResponse:
    if key not in CHART_KEYS:
        raise Http404
    user = _reporter(request)
    form, filters = _filters(request, user)
    if filters is None:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return JsonResponse(_chart(key, user, filters).as_json())


@login_required
@require_GET
def ranking_page(request: HttpRequest) -> HttpResponse:
    user = _reporter(request)
    form, filters = _filters(request, user)
    result = None
    if filters is not None:
        parent = _ranking_parent(user, filters)
        if parent is not None:
            result = measures.ranking_for(filters.measure_selection, parent)
    return render(request, "reports/ranking.html", {"form": form, "filters": filters, "ranking": result})


@login_required
@require_GET
def expenses_page(request: HttpRequest) -> HttpResponse:
    user = _reporter(request)
    form, filters = _filters(request, user)
    lines = selectors.expenses_year_on_year(scope=filters.scope, period=filters.period) if filters else []
    return render(request, "reports/expenses.html", {"form": form, "filters": filters, "lines": lines})


@login_required
@require_http_methods(["GET", "POST"])
def expense_enter(request: HttpRequest) -> HttpResponse:
    user = _reporter(request)
    kinds = list(ExpenseKind.objects.filter(is_active=True))
    units = report_units(user)
    if request.method == "POST":
        form = ExpenseMonthForm(request.POST, units=units, kinds=kinds)
        if form.is_valid():
            try:
                changed = expense_month_save(
                    user=user,
                    unit=form.cleaned_data["unit"],
                    month=form.cleaned_data["month"],
                    figures=form.figures(),
                )
            except InvalidInput as error:
                for name, problems in error.errors.items():
                    for problem in problems:
                        form.add_error(name if name in form.fields else None, str(problem))
                if not error.errors:
                    form.add_error(None, str(error))
            except NotPermitted as error:
                form.add_error("unit", str(error))
            else:
                messages.success(request, _("%(count)d figure(s) saved.") % {"count": changed})
                month: dt.date = form.cleaned_data["month"]
                query = urlencode({"unit": form.cleaned_data["unit"].pk, "month": f"{month:%Y-%m}"})
                return redirect(f"{reverse('reports:expense_enter')}?{query}")
    else:
        chosen = request.GET.get("unit", "")
        unit = units.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        shown = _month_param(request.GET.get("month")) or clock.today().replace(day=1)
        initial: dict[str, object] = {"month": shown}
        counted = None
        if unit is not None:
            initial["unit"] = unit
            stored = selectors.expense_month(unit_id=unit.pk, month=shown)
            initial.update({f"kind_{pk}": f"{amount.normalize():f}" for pk, amount in stored.items()})
            counted = selectors.counted_month(unit=unit, month=shown, kinds=kinds)
        form = ExpenseMonthForm(initial=initial, units=units, kinds=kinds, counted=counted)
    return render(request, "reports/expense_form.html", {"form": form, "kinds": kinds})


def _month_param(value: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime(value or "", "%Y-%m").date()  # noqa: DTZ007  # a month, no time
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def expense_import_view(request: HttpRequest) -> HttpResponse:
    user = _reporter(request)
    errors: list[object] = []
    if request.method == "POST":
        form = ExpenseImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = expense_import(
                    user=user,
                    content=upload.read(),
                    filename=upload.name or "",
                    valid_rows_only=form.cleaned_data["valid_rows_only"],
                )
            except ImportRejected as rejected:
                form.add_error(None, str(rejected))
                errors = list(rejected.errors)
            except InvalidInput as error:
                form.add_error("file", str(error))
            else:
                messages.success(
                    request,
                    _("%(saved)d figure(s) saved, %(same)d unchanged, %(skipped)d row(s) skipped.")
                    % {"saved": result.saved, "same": result.unchanged, "skipped": len(result.errors)},
                )
                if not result.errors:
                    return redirect("reports:expenses")
                errors = list(result.errors)
    else:
        form = ExpenseImportForm()
    return render(request, "reports/expense_import.html", {"form": form, "row_errors": errors})


@login_required
@require_GET
def report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "docx"):
        raise Http404
    user = _reporter(request)
    form, filters = _filters(request, user)
    if filters is None:
        return render(request, "reports/dashboard.html", {"form": form, "filters": None}, status=400)
    data = printing.gather(
        scope=filters.scope,
        unit=filters.unit or top_unit(user),
        period=filters.period,
        campaign=filters.campaign,
        today=timezone.localdate(clock.now()),
    )
    name = f"taizhang-report-{filters.period.start:%Y%m%d}-{filters.period.end:%Y%m%d}"
    if fmt == "pdf":
        response = HttpResponse(printing.render_pdf(data), content_type="application/pdf")
    else:
        response = HttpResponse(
            printing.render_docx(data),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
