"""OpinionInput carries the answers to a category's extra questions and a media URL (for the API and
Open311); a media URL that is not http(s) is refused and nothing is written."""

from __future__ import annotations

import pytest

from taizhang.core.errors import InvalidInput
from taizhang.intake import services as intake
from taizhang.intake.models import Opinion
from tests.conftest import Org

pytestmark = pytest.mark.django_db


def test_answers_and_media_url_are_kept(units: Org) -> None:
    opinion = intake.opinion_submit(
        user=None,
        data=intake.OpinionInput(
            text="路灯不亮",
            unit=units.plant,
            attributes={"kind": "dark"},
            media_url="https://img.example.cn/1.jpg",
        ),
    )
    opinion.refresh_from_db()
    assert opinion.attributes == {"kind": "dark"}
    assert opinion.media_url == "https://img.example.cn/1.jpg"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://files.example.cn/a.jpg", "https://x.cn/" + "a" * 500]
)
def test_a_bad_media_url_is_refused(units: Org, url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        intake.opinion_submit(
            user=None, data=intake.OpinionInput(text="路灯不亮", unit=units.plant, media_url=url)
        )
    assert "media_url" in refused.value.errors
    assert not Opinion.objects.exists()
