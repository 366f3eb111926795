"""The printable report (成绩单 / weekly report) of a unit and period, as PDF (reportlab) and .docx
(python-docx): the rates, achievements, expenses year on year, the ranking of the unit's children, a chart.

Chinese in the PDF needs a TrueType CJK font to embed (reportlab cannot embed the CFF outlines of Noto CJK):
the first found of `settings.TAIZHANG.report_font` and the Debian fonts that
`scripts/ensure-system-packages` installs (WenQuanYi Micro Hei / Zen Hei, AR PL UMing). Without one, the
PDF names Adobe's STSong-Light, which viewers supply (see docs/adr/0072-report-fonts.md). The .docx names a
font and leaves the rendering to Word.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from taizhang.campaigns.models import Campaign
from taizhang.core.options import current_options
from taizhang.org.models import Unit
from taizhang.reports import charts, measures, selectors
from taizhang.reports.measures import Measures, Ranking
from taizhang.reports.period import Period
from taizhang.reports.scope import UnitScope

#: TrueType CJK fonts, in order of preference: (path, index in a .ttc).
TRUETYPE_FONTS = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
)
#: Fonts Pillow (FreeType) can draw with, CFF outlines included, for the chart image.
IMAGE_FONTS = (*TRUETYPE_FONTS, ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2))
PDF_FONT = "TaizhangCJK"
CID_FONT = "STSong-Light"
DOCX_FONT = "宋体"  # what Chinese Word users have; other viewers substitute their CJK font


@dataclass(frozen=True)
class ReportData:
    unit_name: str
    period: Period
    campaign_name: str
    generated_on: dt.date
    measures: Measures
    achievements_in_period: list[selectors.AchievementLine]
    achievements_to_date: list[selectors.AchievementLine]
    expenses: list[selectors.YearOnYear]
    ranking: Ranking | None
    chart: charts.Chart

    @property
    def title(self) -> str:
        return _("%(unit)s: report for %(start)s – %(end)s") % {
            "unit": self.unit_name,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
        }


def gather(
    *,
    scope: UnitScope,
    unit: Unit | None,
    period: Period,
    campaign: Campaign | None,
    today: dt.date,
) -> ReportData:
    """Everything the report shows, for a scope the caller has already checked (reports.scope)."""
    campaign_id = campaign.pk if campaign else None
    selection = measures.Selection(scope=scope, period=period, campaign_id=campaign_id)
    result = measures.compute_for(selection)
    ranking = measures.ranking_for(selection, unit) if unit is not None else None
    return ReportData(
        unit_name=unit.name if unit else _("All units"),
        period=period,
        campaign_name=campaign.name if campaign else "",
        generated_on=today,
        measures=result,
        achievements_in_period=selectors.achievement_lines(
            scope=scope, campaign_id=campaign_id, closed_in=period
        ),
        achievements_to_date=selectors.achievement_lines(scope=scope, campaign_id=campaign_id),
        expenses=selectors.expenses_year_on_year(scope=scope, period=period),
        ranking=ranking if ranking is not None and (ranking.ranked or ranking.too_few) else None,
        chart=charts.rates_chart(result),
    )


# --- what the report says, as rows (shared by both formats) ---------------------------------------------


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _number(value: float | None, places: int = 1) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def measure_rows(data: ReportData) -> list[list[str]]:
    m = data.measures
    c = m.counts
    return [
        [_("Measure"), _("Value"), _("Based on")],
        [
            _("Response rate"),
            _pct(m.response_rate),
            f"{c.opinions_responded_in_time} / {c.opinions_due_response}",
        ],
        [_("Resolution rate"), _pct(m.resolution_rate), f"{c.problems_resolved} / {c.problems_due}"],
        [
            _("Satisfaction rate"),
            _pct(m.satisfaction_rate),
            f"{c.ratings_satisfied} + {c.ratings_basic} / {c.ratings}",
        ],
        [_("On-time rate"), _pct(m.on_time_rate), f"{c.problems_on_time} / {c.problems_due}"],
        [_("Overdue items"), str(m.overdue), ""],
        [_("Reopened"), str(m.reopens), ""],
        [_("Urges"), str(m.urges), ""],
        [_("Average days to close"), _number(m.average_days_to_close), str(c.problems_closed)],
        [_("Composite score"), _number(m.score), ""],
    ]


def achievement_rows(lines: list[selectors.AchievementLine]) -> list[list[str]]:
    return [[f"{line.verb}{line.noun}", f"{line.quantity} {line.measure_word}"] for line in lines]


def expense_rows(lines: list[selectors.YearOnYear]) -> list[list[str]]:
    rows = [[_("Kind"), _("A year earlier"), _("This period"), _("Year-on-year change")]]
    for line in lines:
        change = "—" if line.change_percent is None else f"{line.change_percent:+d}%"
        rows.append(
            [
                f"{line.kind} ({line.unit_of_measure})",
                f"{line.previous:,.2f}".rstrip("0").rstrip("."),
                f"{line.current:,.2f}".rstrip("0").rstrip("."),
                change,
            ]
        )
    return rows


def ranking_rows(ranking: Ranking) -> list[list[str]]:
    rows = [[_("Rank"), _("Unit"), _("Score"), _("Items")]]
    rows += [
        [str(entry.rank), entry.name, _number(entry.measures.score), str(entry.measures.counts.items)]
        for entry in ranking.ranked
    ]
    rows += [
        ["", f"{entry.name} ({_('too few items')})", "—", str(entry.measures.counts.items)]
        for entry in ranking.too_few
    ]
    return rows


# --- fonts ----------------------------------------------------------------------------------------------


def _configured() -> list[tuple[str, int]]:
    options = current_options()
    return [(options.report_font, 0)] if options.report_font else []


def truetype_font() -> tuple[str, int] | None:
    for path, index in [*_configured(), *TRUETYPE_FONTS]:
        if Path(path).is_file():
            return path, index
    return None


def image_font() -> tuple[str, int] | None:
    for path, index in [*_configured(), *IMAGE_FONTS]:
        if Path(path).is_file():
            return path, index
    return None


@cache
def _register_pdf_font(path: str, index: int) -> str:
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415  # only reports need reportlab
    from reportlab.pdfbase.ttfonts import TTFont  # noqa: PLC0415

    pdfmetrics.registerFont(TTFont(PDF_FONT, path, subfontIndex=index))
    return PDF_FONT


def pdf_font() -> str:
    """The font name for reportlab: an embedded TrueType CJK font, or the CID font viewers supply."""
    found = truetype_font()
    if found is not None:
        return _register_pdf_font(*found)
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: PLC0415

    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


# --- the chart ------------------------------------------------------------------------------------------


def chart_png(chart: charts.Chart, *, width: int = 1200, height: int = 600) -> bytes:
    """A bar chart of the chart's first series, drawn with Pillow (for the .docx)."""
    from PIL import Image, ImageDraw, ImageFont  # noqa: PLC0415

    found = image_font()
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    small: ImageFont.FreeTypeFont | ImageFont.ImageFont
    if found is not None:
        font = ImageFont.truetype(found[0], 30, index=found[1])
        small = ImageFont.truetype(found[0], 24, index=found[1])
    else:
        font = small = ImageFont.load_default()
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 20), chart.title, fill="#1f2328", font=font)
    values = [float(v) if v is not None else None for v in chart.series[0].data] if chart.series else []
    top = max([100.0 if chart.unit == "%" else 0.0, *(v for v in values if v is not None)])
    bottom = min([0.0, *(v for v in values if v is not None)])
    span = (top - bottom) or 1.0
    left, right, upper, lower = 100, width - 40, 90, height - 90
    zero = lower - (0 - bottom) / span * (lower - upper)
    draw.line((left, zero, right, zero), fill="#6b7280", width=2)
    slot = (right - left) / max(1, len(values))
    colour = (chart.series[0].colour if chart.series else None) or "#b91c1c"
    for position, (label, value) in enumerate(zip(chart.categories, values, strict=False)):
        x0 = left + position * slot + slot * 0.2
        x1 = left + (position + 1) * slot - slot * 0.2
        if value is not None:
            y = lower - (value - bottom) / span * (lower - upper)
            draw.rectangle((x0, min(y, zero), x1, max(y, zero)), fill=colour)
            text = f"{value:g}{chart.unit}"
            draw.text(((x0 + x1) / 2, min(y, zero) - 8), text, fill="#1f2328", font=small, anchor="md")
        else:
            draw.text(((x0 + x1) / 2, zero - 8), "—", fill="#6b7280", font=small, anchor="md")
        draw.text(((x0 + x1) / 2, lower + 20), label, fill="#1f2328", font=small, anchor="ma")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _chart_drawing(chart: charts.Chart, font: str) -> object:
    """The same chart as a reportlab vector drawing (for the PDF)."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart  # noqa: PLC0415
    from reportlab.graphics.shapes import Drawing, String  # noqa: PLC0415
    from reportlab.lib import colors  # noqa: PLC0415

    drawing = Drawing(460, 220)
    drawing.add(String(0, 205, chart.title, fontName=font, fontSize=11))
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 40, 30, 400, 160
    raw = [float(v) if v is not None else None for v in chart.series[0].data] if chart.series else []
    values = [v for v in raw if v is not None]
    bars.data = [raw]  # None: nothing to measure, no bar
    bars.categoryAxis.categoryNames = chart.categories
    bars.categoryAxis.labels.fontName = font
    bars.categoryAxis.labels.fontSize = 8
    bars.valueAxis.labels.fontName = font
    bars.valueAxis.valueMin = min(0.0, *values) if values else 0.0
    bars.valueAxis.valueMax = max(100.0 if chart.unit == "%" else 1.0, *values) if values else 100.0
    colour = (chart.series[0].colour if chart.series else None) or "#b91c1c"
    bars.bars[0].fillColor = colors.HexColor(colour)
    bars.barLabels.fontName = font
    bars.barLabels.fontSize = 8
    bars.barLabelFormat = "%g" + chart.unit.replace("%", "%%")
    bars.barLabels.nudge = 7
    drawing.add(bars)
    return drawing


# --- PDF ------------------------------------------------------------------------------------------------


def render_pdf(data: ReportData) -> bytes:
    from reportlab.lib import colors  # noqa: PLC0415
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415
    from reportlab.lib.styles import ParagraphStyle  # noqa: PLC0415
    from reportlab.lib.units import mm  # noqa: PLC0415
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle  # noqa: PLC0415
    from reportlab.platypus.flowables import Flowable  # noqa: PLC0415

    font = pdf_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=body, fontSize=13, leading=20, spaceBefore=10, spaceAfter=4)
    title = ParagraphStyle("title", parent=body, fontSize=17, leading=24, spaceAfter=6)

    def table(rows: list[list[str]], widths: list[float], header: bool = True) -> Table:
        styled = Table(
            [[Paragraph(cell, body) for cell in row] for row in rows], colWidths=[w * mm for w in widths]
        )
        commands: list[Any] = [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9ca3af")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f4f6")))
        styled.setStyle(TableStyle(commands))
        return styled

    story: list[Flowable] = [Paragraph(data.title, title)]
    subtitle = _("Made on %(day)s") % {"day": data.generated_on.isoformat()}
    if data.campaign_name:
        subtitle = f"{data.campaign_name} · {subtitle}"
    story += [Paragraph(subtitle, body), Paragraph(_("The measures"), heading)]
    story.append(table(measure_rows(data), [60, 40, 60]))
    story += [Spacer(1, 4 * mm), _chart_drawing(data.chart, font)]  # type: ignore[list-item]  # a Drawing is a Flowable
    story.append(Paragraph(_("Achievements (成绩单)"), heading))
    if data.achievements_in_period:
        story += [Paragraph(_("Closed out in the period"), body)]
        story.append(table(achievement_rows(data.achievements_in_period), [80, 50], header=False))
    story += [Spacer(1, 2 * mm), Paragraph(_("To date"), body)]
    if data.achievements_to_date:
        story.append(table(achievement_rows(data.achievements_to_date), [80, 50], header=False))
    else:
        story.append(Paragraph(_("Nothing yet."), body))
    story.append(Paragraph(_("Expenses and meetings, year on year"), heading))
    story.append(table(expense_rows(data.expenses), [60, 35, 35, 30]))
    if data.ranking is not None:
        story.append(Paragraph(_("Ranking of the units"), heading))
        story.append(table(ranking_rows(data.ranking), [20, 80, 30, 30]))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=data.title,
        author="taizhang",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    document.build(story)
    return buffer.getvalue()


# --- .docx ----------------------------------------------------------------------------------------------


def render_docx(data: ReportData) -> bytes:
    from docx import Document  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415
    from docx.shared import Cm, Pt  # noqa: PLC0415

    document = Document()
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        style = document.styles[style_name]
        font = style.font
        font.name = DOCX_FONT
        run_properties = style.element.get_or_add_rPr()
        run_properties.get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_FONT)
    document.styles["Normal"].font.size = Pt(10.5)

    def table(rows: list[list[str]], header: bool = True) -> None:
        grid = document.add_table(rows=len(rows), cols=len(rows[0]) if rows else 1)
        grid.style = document.styles["Table Grid"]
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                cell = grid.cell(r, c)
                cell.text = value
                if header and r == 0:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True

    document.add_heading(data.title, level=0)
    subtitle = _("Made on %(day)s") % {"day": data.generated_on.isoformat()}
    document.add_paragraph(f"{data.campaign_name} · {subtitle}" if data.campaign_name else subtitle)
    document.add_heading(_("The measures"), level=1)
    table(measure_rows(data))
    document.add_picture(io.BytesIO(chart_png(data.chart)), width=Cm(15))
    document.add_heading(_("Achievements (成绩单)"), level=1)
    if data.achievements_in_period:
        document.add_paragraph(_("Closed out in the period"))
        table(achievement_rows(data.achievements_in_period), header=False)
    document.add_paragraph(_("To date"))
    if data.achievements_to_date:
        table(achievement_rows(data.achievements_to_date), header=False)
    else:
        document.add_paragraph(_("Nothing yet."))
    document.add_heading(_("Expenses and meetings, year on year"), level=1)
    table(expense_rows(data.expenses))
    if data.ranking is not None:
        document.add_heading(_("Ranking of the units"), level=1)
        table(ranking_rows(data.ranking))
    document.core_properties.title = data.title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
