"""PDF certificates: Chinese text and a QR code that links to the public verification page.

Chinese needs a font with the glyphs. ReportLab embeds TrueType outlines only, so the first
TrueType CJK font found (``WARMHOME_PDF_FONT`` or a list of usual Debian paths) is embedded;
Noto Sans CJK (``fonts-noto-cjk``) has PostScript outlines, which ReportLab cannot embed, so it is
tried but normally skipped. Without one, the Adobe CID font ``STSong-Light`` is used: every PDF
reader ships it, and nothing needs embedding.
"""

import functools
import io
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import segno
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

logger = logging.getLogger(__name__)

PDF_CONTENT_TYPE = "application/pdf"
CID_FONT = "STSong-Light"
#: (path, subfont index in a .ttc) tried in order
FONT_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # SC is the third face
)


@functools.cache
def chinese_font() -> str:
    """Register and name the font certificates are set in."""
    configured = os.environ.get("WARMHOME_PDF_FONT", "")
    candidates = ((configured, 0), *FONT_CANDIDATES) if configured else FONT_CANDIDATES
    for path, index in candidates:
        if not os.path.exists(path):
            continue
        try:
            pdfmetrics.registerFont(TTFont("WarmHomeCJK", path, subfontIndex=index))
        except (TTFError, OSError) as error:
            logger.debug("PDF font %s not usable: %s", path, error)
            continue
        return "WarmHomeCJK"
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


@dataclass(frozen=True, slots=True)
class CertificateContent:
    """What a certificate shows; ``facts`` are (label, value) lines under the holder."""

    title: str
    holder: str
    statement: str
    number: str
    issuer: str
    issued_on: str
    verify_url: str
    verify_code: str
    facts: Sequence[tuple[str, str]] = field(default_factory=tuple)
    labels: dict[str, str] = field(default_factory=dict)


def qr_png(data: str, *, scale: int = 6) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def certificate_pdf(content: CertificateContent) -> bytes:
    """One landscape A4 page: title, holder, statement, facts, issuer and date, QR code."""
    font = chinese_font()
    labels = {
        "number": _("证书编号"),
        "verify": _("扫码或在门户网站“证书查验”页输入编号和验证码核验真伪"),
        "code": _("验证码"),
        **content.labels,
    }
    buffer = io.BytesIO()
    width, height = landscape(A4)
    canvas = Canvas(buffer, pagesize=(width, height))
    canvas.setTitle(f"{content.title} {content.number}")
    canvas.setStrokeColor(colors.HexColor("#b71c1c"))
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    canvas.setFillColor(colors.HexColor("#b71c1c"))
    canvas.setFont(font, 36)
    canvas.drawCentredString(width / 2, height - 45 * mm, content.title)
    canvas.setFillColor(colors.black)
    canvas.setFont(font, 20)
    canvas.drawString(40 * mm, height - 70 * mm, content.holder)
    canvas.setFont(font, 16)
    y = height - 85 * mm
    for line in _wrap(content.statement, font, 16, width - 80 * mm):
        canvas.drawString(48 * mm, y, line)
        y -= 9 * mm
    canvas.setFont(font, 12)
    for label, value in content.facts:
        canvas.drawString(48 * mm, y, f"{label}：{value}")
        y -= 7 * mm

    canvas.setFont(font, 16)
    canvas.drawRightString(width - 40 * mm, 50 * mm, content.issuer)
    canvas.drawRightString(width - 40 * mm, 40 * mm, content.issued_on)

    qr_size = 32 * mm
    canvas.drawImage(
        ImageReader(io.BytesIO(qr_png(content.verify_url))),
        30 * mm,
        25 * mm,
        width=qr_size,
        height=qr_size,
    )
    canvas.setFont(font, 9)
    canvas.drawString(30 * mm + qr_size + 4 * mm, 25 * mm + 20 * mm, labels["verify"])
    canvas.drawString(
        30 * mm + qr_size + 4 * mm, 25 * mm + 14 * mm, f"{labels['number']}：{content.number}"
    )
    canvas.drawString(
        30 * mm + qr_size + 4 * mm, 25 * mm + 8 * mm, f"{labels['code']}：{content.verify_code}"
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Break Chinese text by characters to fit ``max_width``."""
    lines: list[str] = []
    current = ""
    for character in text:
        if character == "\n":
            lines.append(current)
            current = ""
            continue
        if pdfmetrics.stringWidth(current + character, font, size) > max_width:
            lines.append(current)
            current = character
        else:
            current += character
    if current:
        lines.append(current)
    return lines
