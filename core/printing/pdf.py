"""Any structured document as an A4 PDF: a Chinese font embedded where the machine has one (core.printing.fonts),
the number as a Code 128 barcode on every page, the table repeating its heading across pages, and words (a
name: 王建国) never broken inside unless a word is wider than its column."""

from __future__ import annotations

from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape

from core.printing.barcodes import draw_bars
from core.printing.fonts import pdf_font
from core.printing.model import Document

MM = 72 / 25.4
MARGIN = 15 * MM
HEADER = 20 * MM  # room above the text for the barcode and the number
BARCODE_HEIGHT = 10 * MM
BARCODE_WIDTH = 60 * MM
MAX_MODULE = 0.33 * MM  # a 13 mil module: what counter scanners read from a laser print at arm's length
SIGN_HEIGHT = 12 * MM
CHAR = 4.6  # points: an average Latin character at 9 points
PADDING = 6  # points each side of a table cell (reportlab's default)
MIN_GROW = 30 * MM


def cjk_font(font_file: str | None = None) -> str:
    """The name of the font with Chinese the PDFs use (the file named, or one found, else the CID font),
    registered with reportlab on first use."""
    return pdf_font(font_file).name


def _styles(font: str):
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=11.5)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "small_right": ParagraphStyle("small_right", parent=base, fontSize=8, leading=10, alignment=TA_RIGHT),
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=20, spaceAfter=4 * MM),
        "heading": ParagraphStyle("heading", parent=base, fontSize=10, leading=13, spaceBefore=3 * MM),
    }


def _para(text: str, style):
    paragraph = _words_paragraph()(escape(text).replace("\n", "<br/>"), style)
    paragraph.words = text.split()
    return paragraph


@cache
def _words_paragraph():
    """A reportlab Paragraph that breaks lines only at spaces while every word fits its width, so a name (王建国;
    STORE1 王建国 at the space only) stays whole; character by character (CJK) where a word is wider than that."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph

    class WordsParagraph(Paragraph):
        words: list[str] | None = None  # None on the parts of a split paragraph: they keep the style they got

        def wrap(self, availWidth, availHeight):  # noqa: N803 (reportlab's names)
            style = self.style
            if self.words is not None:
                room = availWidth - style.leftIndent - style.rightIndent - max(style.firstLineIndent, 0)
                widest = max((stringWidth(word, style.fontName, style.fontSize) for word in self.words), default=0)
                wanted = "CJK" if widest > room else None
                if style.wordWrap != wanted:
                    self.style = ParagraphStyle(style.name, parent=style, wordWrap=wanted)
            return super().wrap(availWidth, availHeight)

    return WordsParagraph


def _fields(document: Document, styles, width: float):
    from reportlab.platypus import Table, TableStyle

    cells = [(_para(label, styles["small"]), _para(value, styles["base"])) for label, value in document.fields]
    if len(cells) % 2:
        cells.append(("", ""))
    rows = [[*cells[i], *cells[i + 1]] for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[width * 0.18, width * 0.32] * 2, hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 1)]))
    return table


def _column_widths(document: Document, width: float) -> list[float]:
    """Each fixed column as wide as its characters and padding; the growing one (the name) takes the rest."""
    fixed = [c.width * CHAR + 2 * PADDING for c in document.columns]
    rest = width - sum(w for w, c in zip(fixed, document.columns, strict=True) if not c.grow)
    widths = [max(rest, MIN_GROW) if c.grow else w for w, c in zip(fixed, document.columns, strict=True)]
    return [w * min(1.0, width / sum(widths)) for w in widths]


def _table(document: Document, styles, width: float):
    from reportlab.platypus import Table, TableStyle

    widths = _column_widths(document, width)
    cell_style = [styles["right"] if c.align == "right" else styles["base"] for c in document.columns]
    head_style = [styles["small_right"] if c.align == "right" else styles["small"] for c in document.columns]
    rows = [[_para("\n".join(filter(None, c.headings())), style)
             for c, style in zip(document.columns, head_style, strict=True)]]
    commands = [("LINEABOVE", (0, 0), (-1, 0), 0.8, (0, 0, 0)), ("LINEBELOW", (0, 0), (-1, 0), 0.8, (0, 0, 0)),
                ("LINEBELOW", (0, -1), (-1, -1), 0.8, (0, 0, 0)), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    for row in document.rows:
        index = len(rows)
        if isinstance(row, str):
            # A note belongs to the line above it: spans the table, no rule between them.
            rows.append([_para(row, styles["small"])] + [""] * (len(widths) - 1))
            commands += [("SPAN", (0, index), (-1, index)), ("LEFTPADDING", (0, index), (-1, index), 12 * MM)]
        else:
            rows.append([_para(value, style) for value, style in zip(row, cell_style, strict=True)])
            if index > 1:
                commands.append(("LINEABOVE", (0, index), (-1, index), 0.25, (0.6, 0.6, 0.6)))
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _totals(document: Document, styles, width: float):
    from reportlab.platypus import Table

    rows = [[_para(label, styles["right"]), _para(value, styles["right"])] for label, value in document.totals]
    return Table(rows, colWidths=[width * 0.4, width * 0.2], hAlign="RIGHT")


def _signatures(document: Document, styles, width: float):
    from reportlab.platypus import Table, TableStyle

    labels = list(document.signatures) + ([""] if len(document.signatures) % 2 else [])
    rows, commands = [], [("VALIGN", (0, 0), (-1, -1), "BOTTOM")]
    for row, i in enumerate(range(0, len(labels), 2)):
        rows.append([_para(labels[i], styles["small"]), "", _para(labels[i + 1], styles["small"]), ""])
        # A line to sign on beside each label.
        commands += [("LINEBELOW", (column, row), (column, row), 0.5, (0, 0, 0))
                     for column, label in ((1, labels[i]), (3, labels[i + 1])) if label]
    table = Table(rows, colWidths=[width * 0.22, width * 0.26] * 2, rowHeights=SIGN_HEIGHT, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _story(document: Document, width: float, font: str) -> list:
    from reportlab.platypus import Spacer

    styles = _styles(font)
    story = [_para(document.heading(), styles["title"]), _fields(document, styles, width),
             Spacer(1, 4 * MM), _table(document, styles, width)]
    if document.totals:
        story += [Spacer(1, 2 * MM), _totals(document, styles, width)]
    for block in document.blocks:
        story.append(_para(block.heading, styles["heading"]))
        story += [_para(line, styles["base"]) for line in block.lines]
    if document.signatures:
        story += [Spacer(1, 4 * MM), _signatures(document, styles, width)]
    return story


def _page_decoration(document: Document, total: int | None, font: str):
    """Every page: the number as a barcode and in print at the top right, the page count at the bottom."""

    def decorate(canvas, doc) -> None:
        page_width, page_height = doc.pagesize
        top = page_height - MARGIN
        left = page_width - MARGIN - BARCODE_WIDTH
        draw_bars(canvas, document.number, left, top - BARCODE_HEIGHT, BARCODE_WIDTH, BARCODE_HEIGHT, MAX_MODULE)
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(left + BARCODE_WIDTH / 2, top - BARCODE_HEIGHT - 11, document.number)
        if doc.page > 1:
            canvas.drawString(MARGIN, top - 10, document.heading())
        of = f" / {total}" if total else ""
        canvas.drawRightString(page_width - MARGIN, MARGIN / 2, f"{document.number}   {doc.page}{of}")
        canvas.restoreState()

    return decorate


def render_pdf(document: Document, *, font_file: str | None = None) -> bytes:
    """The document as PDF bytes (built twice: the second time each page knows how many there are), in the
    font file named (the pdf_font setting) or the one found (core.printing.fonts)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    font = cjk_font(font_file)
    total = None
    for _pass in range(2):
        buffer = BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                                topMargin=MARGIN + HEADER, bottomMargin=MARGIN, title=document.number,
                                subject=document.heading(" "), author="partsdesk", invariant=1)
        decorate = _page_decoration(document, total, font)
        doc.build(_story(document, doc.width, font), onFirstPage=decorate, onLaterPages=decorate)
        total = doc.page
    return buffer.getvalue()
