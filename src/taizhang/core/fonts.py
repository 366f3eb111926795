"""Finding a font that draws Chinese, for images and PDFs the server renders (QR posters, reports).

Debian's fonts-noto-cjk is installed by the set-up (scripts/ensure-system-packages); its files are found
through fontconfig's usual folders, or TAIZHANG_CJK_FONT.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


class MissingFontError(RuntimeError):
    pass


@functools.cache
def cjk_font_path() -> Path:
    configured = os.environ.get("TAIZHANG_CJK_FONT")
    for candidate in ([configured] if configured else []) + list(CANDIDATES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise MissingFontError(
        "No Chinese font found: install Debian's fonts-noto-cjk (make setup does) or set TAIZHANG_CJK_FONT."
    )
