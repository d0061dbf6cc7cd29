"""Labels as files: SVG (python-barcode's SVGWriter, nothing else needed), PNG (with Pillow), a one-label PDF,
and A4 sheets of labels in a grid, all drawn from one layout so every form looks the same."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from xml.dom import minidom

from core.errors import BadInput
from core.i18n import _
from core.printing.barcodes import draw_bars, modules
from core.printing.fonts import pdf_font
from core.printing.labels import Label
from core.textwidth import cell_width, fit

LABEL_WIDTH, LABEL_HEIGHT = 70.0, 37.0  # mm: one cell of the common 3 x 8 A4 sheet
A4_WIDTH, A4_HEIGHT = 210.0, 297.0  # mm
PAD = 4.0  # mm inside the label's edge: most printers leave the outer 4 mm of a sheet blank
QUIET = 10  # modules of blank either side of the bars, as Code 128 asks
MAX_MODULE = 0.4  # mm; wider only makes the label harder to fit, not easier to scan
CODE_SIZE, LINE_SIZE = 10.0, 7.5  # points
LEADING = 1.25
EM = 0.55  # a Latin character's average width in em: how much of a line fits without measuring a font
PT = 25.4 / 72  # mm per point
DPI = 300


@dataclass(frozen=True, slots=True)
class TextLine:
    """A centred line of a label: its text, its baseline from the top (mm) and its size (points)."""

    text: str
    baseline: float
    size: float


@dataclass(frozen=True, slots=True)
class Layout:
    """Where everything of a label goes, in mm from its top left corner."""

    width: float
    height: float
    modules: int
    module: float
    left: float
    top: float
    bar_height: float
    lines: tuple[TextLine, ...]


def layout(label: Label, width: float = LABEL_WIDTH, height: float = LABEL_HEIGHT) -> Layout:
    """The layout of a label in a box of `width` x `height` mm: bars on top, then the code, then the lines,
    the text shrunk to at most 60% of the height so the bars keep room to be scanned."""
    count = len(modules(label.code))
    inner_width, inner_height = width - 2 * PAD, height - 2 * PAD
    module = min(MAX_MODULE, inner_width / (count + 2 * QUIET))
    texts = [(label.code, CODE_SIZE), *((line, LINE_SIZE) for line in label.lines)]
    text_height = sum(size * PT * LEADING for _text, size in texts)
    scale = min(1.0, inner_height * 0.6 / text_height)
    bar_height = inner_height - text_height * scale
    y = PAD + bar_height
    lines = []
    for index, (text, size) in enumerate(texts):
        size *= scale
        if index == 0:
            # The code is never cut: its print shrinks until it fits.
            size = min(size, inner_width / (cell_width(text) * EM * PT))
        else:
            text = fit(text, max(4, int(inner_width / (EM * size * PT)))).rstrip()
        lines.append(TextLine(text, y + size * PT, size))  # the baseline: about an em below the line's top
        y += size * PT * LEADING
    return Layout(width, height, count, module, (width - count * module) / 2, PAD, bar_height, tuple(lines))


# -- SVG ---------------------------------------------------------------------------------------


def label_svg(label: Label, width: float = LABEL_WIDTH, height: float = LABEL_HEIGHT) -> bytes:
    """The label as SVG: python-barcode's SVGWriter draws the bars, the text lines are added under them."""
    from barcode import Code128
    from barcode.writer import SVGWriter

    box = layout(label, width, height)
    raw = Code128(label.code, writer=SVGWriter()).render({
        "module_width": box.module, "module_height": box.bar_height, "quiet_zone": box.left,
        "margin_top": box.top, "margin_bottom": 0, "write_text": False, "background": "white",
        "foreground": "black",
    })
    document = minidom.parseString(raw)
    root = document.documentElement
    root.setAttribute("width", f"{width:.3f}mm")
    root.setAttribute("height", f"{height:.3f}mm")
    group = root.getElementsByTagName("g")[0]
    for line in box.lines:
        element = document.createElement("text")
        element.setAttribute("x", f"{width / 2:.3f}mm")
        element.setAttribute("y", f"{line.baseline:.3f}mm")
        element.setAttribute("style", f"fill:black;font-family:sans-serif;font-size:{line.size:.2f}pt;"
                                      "text-anchor:middle")
        element.appendChild(document.createTextNode(line.text))
        group.appendChild(element)
    return document.toxml(encoding="UTF-8")


# -- PNG ---------------------------------------------------------------------------------------

def _cjk_fonts(setting: str | None) -> list[tuple[str, int]]:
    """The font with Chinese the PDFs embed, found the same way (the pdf_font setting, PARTSDESK_PDF_FONT,
    fontconfig, the well-known paths) and checked to hold Chinese; none without one, and then a PNG label leaves
    out what it could only print as empty boxes (SVG and PDF labels always carry it)."""
    font = pdf_font(setting)
    return [(font.path, font.index)] if font.path else []


def _png_font(setting: str | None = None) -> tuple[str, int, bool]:
    """A font file for PNG text, its index in a collection, and whether it has Chinese (python-barcode's own
    DejaVu has not)."""
    from PIL import ImageFont

    for path, index in _cjk_fonts(setting):
        try:
            ImageFont.truetype(path, 12, index=index)
        except OSError:  # missing, unreadable or not a font Pillow reads: the next one
            continue
        return path, index, True
    from barcode.writer import PATH

    return str(Path(PATH) / "fonts" / "DejaVuSansMono.ttf"), 0, False


def _latin_only(label: Label) -> Label:
    lines = ("".join(char for char in line if cell_width(char) == 1).strip() for line in label.lines)
    return Label(label.code, tuple(line for line in lines if line))


def label_png(label: Label, width: float = LABEL_WIDTH, height: float = LABEL_HEIGHT, dpi: int = DPI,
              font_file: str | None = None) -> bytes:
    """The label as a PNG at `dpi`, each module a whole number of pixels so that the bars stay exact; its text in
    the font file named (the pdf_font setting) or one with Chinese found as the PDFs find theirs."""
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        raise BadInput(_("PNG labels need Pillow: pip install 'partsdesk[images]' (SVG and PDF need none)")) from None
    font_path, font_index, has_cjk = _png_font(font_file)
    box = layout(label if has_cjk else _latin_only(label), width, height)
    per_mm = dpi / 25.4
    size = (round(width * per_mm), round(height * per_mm))
    module = max(1, int(box.module * per_mm))
    left = (size[0] - box.modules * module) // 2
    top, bottom = round(box.top * per_mm), round((box.top + box.bar_height) * per_mm)
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for index, bar in enumerate(modules(label.code)):
        if bar == "1":
            x = left + index * module
            draw.rectangle([x, top, x + module - 1, bottom], fill=0)
    for line in box.lines:
        font = ImageFont.truetype(font_path, max(1, round(line.size * dpi / 72)), index=font_index)
        draw.text((size[0] / 2, line.baseline * per_mm), line.text, font=font, fill=0, anchor="ms")
    buffer = BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


# -- PDF ---------------------------------------------------------------------------------------


def _draw(canvas, label: Label, x: float, top: float, width: float, height: float, page_height: float,
          font: str) -> None:
    """Draw a label on a reportlab canvas, its top left corner (x, top) in mm from the page's top left."""
    from core.printing.pdf import MM

    box = layout(label, width, height)
    draw_bars(canvas, label.code, (x + box.left) * MM, (page_height - top - box.top - box.bar_height) * MM,
              box.modules * box.module * MM, box.bar_height * MM, box.module * MM)
    for line in box.lines:
        canvas.setFont(font, line.size)
        canvas.drawCentredString((x + width / 2) * MM, (page_height - top - line.baseline) * MM, line.text)


def _canvas(buffer: BytesIO, width: float, height: float, title: str):
    from reportlab.pdfgen.canvas import Canvas

    from core.printing.pdf import MM

    canvas = Canvas(buffer, pagesize=(width * MM, height * MM), invariant=1)
    canvas.setTitle(title)
    canvas.setAuthor("partsdesk")
    return canvas


def label_pdf(label: Label, font_file: str | None = None) -> bytes:
    """The label as a one-page PDF the size of the label, for a label printer behind a spooler, in the font file
    named (the pdf_font setting) or the one found."""
    from core.printing.pdf import cjk_font

    buffer = BytesIO()
    canvas = _canvas(buffer, LABEL_WIDTH, LABEL_HEIGHT, label.code)
    _draw(canvas, label, 0, 0, LABEL_WIDTH, LABEL_HEIGHT, LABEL_HEIGHT, cjk_font(font_file))
    canvas.save()
    return buffer.getvalue()


def sheet_pdf(labels: tuple[Label, ...] | list[Label], columns: int, rows: int, font_file: str | None = None) -> bytes:
    """Labels on A4 sheets, `columns` x `rows` to a page, left to right then down, as many pages as needed."""
    from core.printing.pdf import cjk_font

    if not labels:
        raise BadInput(_("no labels to print"))
    buffer = BytesIO()
    canvas = _canvas(buffer, A4_WIDTH, A4_HEIGHT, _("labels"))
    width, height = A4_WIDTH / columns, A4_HEIGHT / rows
    per_page = columns * rows
    for index, label in enumerate(labels):
        if index and index % per_page == 0:
            canvas.showPage()
        slot = index % per_page
        _draw(canvas, label, slot % columns * width, slot // columns * height, width, height, A4_HEIGHT,
              cjk_font(font_file))
    canvas.save()
    return buffer.getvalue()


def label_file(label: Label, suffix: str, font_file: str | None = None) -> bytes:
    """A single label in the format its file name asks for: .svg, .png or .pdf (in the font file named)."""
    formats = {".svg": label_svg, ".png": lambda label: label_png(label, font_file=font_file),
               ".pdf": lambda label: label_pdf(label, font_file)}
    render = formats.get(suffix.lower())
    if render is None:
        raise BadInput(_("a label file is .svg, .png or .pdf, not {suffix!r}").format(suffix=suffix or "(none)"))
    return render(label)
