"""Printable quotes with an embedded CJK TrueType font, so Chinese shows on any viewer.

ReportLab refuses CFF-outline fonts such as Noto CJK, and its built-in CID fonts are not
embedded; WenQuanYi Zen Hei (Debian ``fonts-wqy-zenhei``) is TrueType and embeds.
"""

import io
import os
from pathlib import Path

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from autosales.core.exceptions import DomainError

from . import pricing
from .choices import LineKind

FONT_NAME = "WenQuanYiZenHei"
FONT_CANDIDATES = (
    os.environ.get("AUTOSALES_PDF_FONT", ""),
    getattr(settings, "AUTOSALES_PDF_FONT", ""),
    str(Path(settings.BASE_DIR) / "autosales" / "fonts" / "wqy-zenhei.ttc"),
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


def font_path() -> str | None:
    for candidate in FONT_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    path = font_path()
    if path is None:
        raise DomainError(
            _("The Chinese font for PDFs is missing: install the fonts-wqy-zenhei package."), code="no_font"
        )
    pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
    return FONT_NAME


def _yuan(value) -> str:
    return f"¥{pricing.money(value):,.2f}"


def quote_pdf(quote, *, language: str = "zh-hans", show_cost: bool = False) -> bytes:
    """The quote as a PDF in ``language`` (zh-hans or en), with every line, taxes and validity."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register_font()
    language = "en" if str(language).lower().startswith("en") else "zh-hans"
    buffer = io.BytesIO()
    with translation.override(language):
        normal = ParagraphStyle("n", fontName=font, fontSize=9.5, leading=13)
        small = ParagraphStyle("s", fontName=font, fontSize=8, leading=11, textColor=colors.grey)
        title = ParagraphStyle("t", fontName=font, fontSize=16, leading=20, spaceAfter=6)
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=15 * mm,
            bottomMargin=15 * mm,
            title=f"{_('Quote')} {quote.number}",
            author=str(quote.store),
        )
        story = [
            Paragraph(f"{quote.store.name} — {_('Quote')} {quote.number}", title),
            Paragraph(
                f"{_('Customer')}: {quote.customer.name}    {_('Salesperson')}: {quote.salesperson or '—'}",
                normal,
            ),
            Paragraph(
                f"{_('Date')}: {formats.date_format(timezone.localtime(quote.created_at).date())}    "
                f"{_('Valid until')}: {formats.date_format(quote.valid_until)}",
                normal,
            ),
            Spacer(1, 6 * mm),
        ]
        header = [_("Item"), _("Qty"), _("Unit price"), _("Discount"), _("Amount")]
        if show_cost:
            header += [_("Gross profit"), _("Margin")]
        rows = [[Paragraph(h, normal) for h in header]]
        finance = []
        for line in quote.lines.select_related("vehicle", "trim"):
            figures = pricing.line_figures(line)
            label = line.description or line.get_kind_display()
            if line.vehicle_id:
                label += f" VIN {line.vehicle.vin}"
            if line.is_free:
                label += f" ({_('free')})"
            if line.kind == LineKind.FINANCING:
                finance.append(line)
                continue
            if line.kind == LineKind.TRADE_IN:
                row = [f"{_('Trade-in credit')}: {label}", "1", "", "", f"−{_yuan(figures.trade_in_credit)}"]
            else:
                row = [
                    label,
                    str(line.quantity),
                    _yuan(line.unit_price),
                    _yuan(line.unit_discount),
                    _yuan(figures.amount),
                ]
            if show_cost:
                row += [_yuan(figures.gross_profit), f"{figures.margin:.1%}"]
            rows.append([Paragraph(str(c), normal) for c in row])
        widths = [70 * mm, 12 * mm, 28 * mm, 25 * mm, 30 * mm]
        if show_cost:
            widths = [52 * mm, 10 * mm, 24 * mm, 20 * mm, 26 * mm, 24 * mm, 16 * mm]
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), font),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#adb5bd")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [table, Spacer(1, 5 * mm)]
        summary = [
            (_("List price total"), _yuan(quote.list_total)),
            (_("Discounts and free extras"), f"−{_yuan(quote.discount_total)}"),
            (_("Total (VAT included)"), _yuan(quote.total)),
        ]
        if quote.trade_in_credit:
            summary.append((_("Trade-in credit"), f"−{_yuan(quote.trade_in_credit)}"))
            summary.append((_("Payable to us"), _yuan(quote.payable)))
        summary += [
            (_("Purchase tax (estimate)"), _yuan(quote.purchase_tax)),
            (_("Registration fees (estimate)"), _yuan(quote.registration_fees)),
            (_("Total outlay (estimate)"), _yuan(quote.out_of_pocket)),
        ]
        if show_cost:
            summary += [(_("Gross profit"), _yuan(quote.gross_profit)), (_("Margin"), f"{quote.margin:.1%}")]
        totals = Table(
            [[Paragraph(a, normal), Paragraph(b, normal)] for a, b in summary],
            colWidths=[60 * mm, 40 * mm],
            hAlign="RIGHT",
        )
        totals.setStyle(
            TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("ALIGN", (1, 0), (1, -1), "RIGHT")])
        )
        story.append(totals)
        for line in finance:
            story += [
                Spacer(1, 4 * mm),
                Paragraph(
                    _(
                        "Financing: down payment %(down)s, amount financed %(amount)s, %(months)s months at "
                        "%(rate)s a year: %(monthly)s a month."
                    )
                    % {
                        "down": _yuan(line.down_payment or 0),
                        "amount": _yuan(line.finance_amount or 0),
                        "months": line.term_months,
                        "rate": f"{line.annual_rate:.2%}",
                        "monthly": _yuan(line.monthly_payment or 0),
                    },
                    normal,
                ),
            ]
        story += [
            Spacer(1, 8 * mm),
            Paragraph(
                _(
                    "Prices include VAT. Purchase tax and registration fees are estimates under the rules in force "
                    "today; the authorities' assessment applies. This quote is valid until %(date)s."
                )
                % {"date": formats.date_format(quote.valid_until)},
                small,
            ),
        ]
        doc.build(story)
    return buffer.getvalue()
