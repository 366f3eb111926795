"""The printable report: Chinese that renders in the PDF (text extracted, page rasterised) and in the .docx
(text and an embedded chart image)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]  # ships no type hints
import pytest
from docx import Document
from PIL import Image

from taizhang.core import clock
from taizhang.ledger import services as ledger
from taizhang.org.models import Person
from taizhang.reports import printing
from taizhang.reports.models import ExpenseKind, ExpenseRecord
from taizhang.reports.period import Period
from taizhang.reports.scope import report_scope
from tests.conftest import Org
from tests.factories import make_category, make_problem

pytestmark = pytest.mark.django_db

MARCH = Period.month(2014, 3)


@pytest.fixture
def data(units: Org, supervisor: Person, handler: Person, leader: Person) -> printing.ReportData:
    """One 路灯 item closed out on time in March (12 盏 done), one overdue; 公车运行费 600 against 1000."""
    lamps = make_category(
        name="路灯照明", achievement_noun="路灯", measure_word="盏", evidence_required=False
    )
    with clock.frozen_at(dt.datetime(2014, 3, 1, 2, tzinfo=dt.UTC)):
        done = make_problem(
            supervisor=supervisor, lead_unit=units.plant, category=lamps, deadline=dt.date(2014, 3, 20)
        )
        make_problem(
            supervisor=supervisor, lead_unit=units.workshop, category=lamps, deadline=dt.date(2014, 3, 20)
        )
        ledger.problem_start(user=handler, problem_id=done.pk)
        ledger.problem_request_closeout(
            user=handler, problem_id=done.pk, completion_note="修好了", done_quantity=12
        )
    with clock.frozen_at(dt.datetime(2014, 3, 10, 2, tzinfo=dt.UTC)):
        ledger.problem_sign(user=leader, problem_id=done.pk)
        ledger.problem_verify(user=supervisor, problem_id=done.pk)
    vehicle = ExpenseKind.objects.create(name="公车运行费", code="vehicle", unit_of_measure="元")
    for year, amount in ((2013, 1000), (2014, 600)):
        ExpenseRecord.objects.create(
            unit=units.plant, month=dt.date(year, 3, 1), kind=vehicle, amount=amount, updated_at=clock.now()
        )
    return printing.gather(
        scope=report_scope(supervisor, units.plant),
        unit=units.plant,
        period=MARCH,
        campaign=None,
        today=dt.date(2014, 4, 10),
    )


def _ink(image: Image.Image) -> float:
    """Share of pixels that are not (near) white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return sum(histogram[:200]) / (grey.width * grey.height)


def test_the_pdf_embeds_a_cjk_font_and_its_chinese_extracts_and_renders(
    data: printing.ReportData, tmp_path: Path
) -> None:
    assert printing.truetype_font() is not None, "scripts/ensure-fonts installs fonts-wqy-microhei"
    content = printing.render_pdf(data)
    assert b"/FontFile2" in content  # an embedded TrueType font, not one the viewer must supply
    pdf = pypdfium2.PdfDocument(content)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    for expected in ("第一氧化铝厂", "修复路灯", "12 盏", "公车运行费", "-40%", "50.0%", "原料车间"):
        assert expected in text
    page = pdf[0].render(scale=1.5).to_pil()
    page.save(tmp_path / "report.png")
    assert _ink(page) > 0.01  # drawn, not a blank page
    # the Chinese glyphs draw: the title's band holds ink
    title_band = page.crop((0, 0, page.width, int(page.height * 0.08)))
    assert _ink(title_band) > 0.005


def test_without_a_truetype_font_the_pdf_names_a_cid_font(
    data: printing.ReportData, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(printing, "truetype_font", lambda: None)
    content = printing.render_pdf(data)
    assert b"STSong-Light" in content and b"/FontFile2" not in content


def test_the_docx_has_the_figures_and_the_chart_as_an_image(data: printing.ReportData) -> None:
    document = Document(io.BytesIO(printing.render_docx(data)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "第一氧化铝厂" in text
    assert "修复路灯" in cells and "12 盏" in cells and "-40%" in cells and "50.0%" in cells
    shapes = document.inline_shapes
    assert len(shapes) == 1
    blip = shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = Image.open(io.BytesIO(document.part.related_parts[blip].blob))
    assert image.format == "PNG" and _ink(image) > 0.01
    styles = document.styles.element.xml
    assert 'w:eastAsia="宋体"' in styles
