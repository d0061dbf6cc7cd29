"""PDFs that print anywhere: a Chinese TrueType font embedded where one is found (the pdf_font setting, then
PARTSDESK_PDF_FONT, then the machine's), else the CID font STSong-Light with one warning line; names never
broken inside a word."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from core.documents import REQUISITION
from core.printing import fonts, pdf
from core.printing.model import Column, Document, paper
from tests.helpers.cli import invoke
from tests.helpers.counter_cli import counter_station

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@pytest.fixture
def station(tmp_path):
    """A counter station driven through the CLI (tests.helpers.counter_cli)."""
    return counter_station(tmp_path / "station.sqlite")


def _chinese_fonts() -> list[str]:
    """The machine's fonts with Chinese that reportlab can embed."""
    found = []
    for path, index in fonts._fontconfig_fonts():
        if fonts._register(path, index) is not None:
            found.append(f"{path}#{index}")
    return found


@pytest.fixture
def no_font(monkeypatch):
    """A machine without any Chinese font (this one, most likely): neither fontconfig nor the known paths give one."""
    monkeypatch.setattr(fonts, "_fontconfig_fonts", lambda: [])
    monkeypatch.setattr(fonts, "KNOWN_FONTS", ())
    monkeypatch.delenv(fonts.ENV_FONT, raising=False)
    fonts._resolve.cache_clear()
    yield
    fonts._resolve.cache_clear()


def _document() -> Document:
    return paper(REQUISITION, "REQ-2026-000001", (("领料单 Requisition", "REQ-2026-000001"),),
                 (Column("Name", 20, grow=True),), (("前制动片 Front brake pad set",),),
                 signatures=("Received by 领料人: STORE1 王建国", "Issued by 发料人: STORE2 赵磊"))


def test_without_a_chinese_font_the_cid_font_is_used_with_one_warning(no_font):
    chosen = fonts.pdf_font()
    assert chosen.name == fonts.CID_FONT and not chosen.embedded
    assert "PARTSDESK_PDF_FONT" in chosen.warning and "fonts-wqy-microhei" in chosen.warning
    assert "\n" not in chosen.warning
    data = pdf.render_pdf(_document())
    assert b"STSong-Light" in data and b"FontFile2" not in data


def test_a_named_file_without_chinese_is_refused_by_name(no_font, monkeypatch):
    # DejaVu has no Chinese: printing in it would be boxes too, so it is not taken, and the warning names it.
    monkeypatch.setenv(fonts.ENV_FONT, DEJAVU)
    chosen = fonts.pdf_font()
    assert chosen.name == fonts.CID_FONT
    assert DEJAVU in chosen.warning


def test_the_lookup_tries_the_setting_then_the_environment_then_the_machine(monkeypatch, tmp_path):
    machine = tmp_path / "machine.ttc"
    machine.write_bytes(b"")
    monkeypatch.setattr(fonts, "_fontconfig_fonts", lambda: [("/fc/wqy-zenhei.ttc", 0)])
    monkeypatch.setattr(fonts, "KNOWN_FONTS", (str(machine), "/nowhere/simsun.ttc"))
    monkeypatch.setenv(fonts.ENV_FONT, "/env/NotoSerifCJK.ttc#2")
    assert fonts.candidates("/station/uming.ttc") == [
        ("/station/uming.ttc", 0), ("/env/NotoSerifCJK.ttc", 2), ("/fc/wqy-zenhei.ttc", 0), (str(machine), 0)]


def test_the_setting_is_checked_and_reaches_the_pdf(no_font, station, tmp_path):
    refused = station.run("setting", "set", "pdf_font", "fonts/wqy.ttc", as_="ADMIN")
    assert refused.exit_code != 0 and "absolute font file" in refused.stderr
    assert station.run("setting", "set", "pdf_font", DEJAVU, as_="ADMIN").exit_code == 0
    made = station.run("label", "location", "EXC-01-02-03", "--out", str(tmp_path / "label.pdf"))
    # The station's font was tried (and refused by name: DejaVu has no Chinese).
    assert made.exit_code == 0 and DEJAVU in made.stderr


def test_print_help_says_which_font_and_the_cli_warns_on_stderr(no_font, station, tmp_path):
    shown = invoke(["print", "--help"], env={"COLUMNS": "200"})
    assert "PARTSDESK_PDF_FONT" in shown.stdout and "STSong-Light" in shown.stdout
    made = station.run("label", "location", "EXC-01-02-03", "--out", str(tmp_path / "label.pdf"))
    assert made.exit_code == 0, made.stderr
    warnings = [line for line in made.stderr.splitlines() if "STSong-Light" in line]
    assert len(warnings) == 1 and warnings[0].startswith("partsdesk: warning: no Chinese TrueType font")
    text = station.run("label", "location", "EXC-01-02-03", "--out", str(tmp_path / "label.svg"))
    assert text.exit_code == 0 and "STSong-Light" not in text.stderr  # an SVG names no PDF font


@pytest.mark.parametrize("width", [60, 80, 120])
def test_a_name_is_never_broken_inside(no_font, width):
    style = pdf._styles(pdf.cjk_font())["small"]
    paragraph = pdf._para("Received by 领料人: STORE1 王建国", style)
    paragraph.wrap(width, 1000)
    text = [_text_of(line) for line in paragraph.blPara.lines]
    assert any("王建国" in line for line in text), text
    assert not any(line.endswith("王") for line in text)


def _text_of(line) -> str:
    if isinstance(line, tuple):  # a plain line: (space left, words)
        return " ".join(line[1])
    return "".join(getattr(frag, "text", "") for frag in getattr(line, "words", []))


def test_a_word_wider_than_its_column_still_wraps(no_font):
    style = pdf._styles(pdf.cjk_font())["base"]
    paragraph = pdf._para("前制动片总成左右各一套含报警线", style)
    _w, height = paragraph.wrap(40, 1000)
    assert height > style.leading  # broken over lines, not run off the cell


@pytest.mark.skipif(not shutil.which("fc-list"), reason="fontconfig's fc-list is not installed")
def test_a_chinese_font_of_the_machine_is_embedded(monkeypatch):
    found = _chinese_fonts()
    if not found:
        pytest.skip("this machine has no Chinese TrueType font (fc-list :lang=zh finds none reportlab embeds)")
    monkeypatch.delenv(fonts.ENV_FONT, raising=False)
    fonts._resolve.cache_clear()
    chosen = fonts.pdf_font()
    assert chosen.embedded and chosen.warning is None
    data = pdf.render_pdf(_document())
    assert b"FontFile2" in data and b"STSong-Light" not in data


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler's pdftoppm is not installed")
def test_a_page_with_an_embedded_font_has_ink_where_the_chinese_is(tmp_path):
    found = _chinese_fonts()
    if not found:
        pytest.skip("this machine has no Chinese TrueType font to embed")
    fonts._resolve.cache_clear()
    source = tmp_path / "page.pdf"
    source.write_bytes(pdf.render_pdf(_document(), font_file=found[0]))
    subprocess.run(["pdftoppm", "-r", "50", "-gray", "-png", str(source), str(tmp_path / "page")], check=True)
    image_module = pytest.importorskip("PIL.Image")

    image = image_module.open(next(tmp_path.glob("page*.png")))
    assert image.getextrema()[0] < 128  # something black was drawn: glyphs, not nothing


def test_the_screens_say_the_fallback_after_what_printing_did(no_font):
    from screens.widgets.label_print import with_font_warning

    line = with_font_warning("label of X written to /tmp/x.pdf", "")
    assert line.startswith("label of X written to /tmp/x.pdf. Warning: no Chinese TrueType font")
    fonts._resolve.cache_clear()
    assert with_font_warning("done", DEJAVU).endswith(f"PDF font {DEJAVU} cannot be embedded or has no Chinese; "
                                                      "using STSong-Light, which prints Chinese only where the "
                                                      "viewer has a Chinese font")


def test_a_png_label_draws_its_text_in_the_font_the_pdfs_found(no_font, monkeypatch):
    """The PNG labels look their font up as the PDFs do (setting, PARTSDESK_PDF_FONT, fontconfig, known paths),
    not only at the well-known paths."""
    pytest.importorskip("PIL.Image", reason="PNG labels need Pillow (the images extra)")
    from barcode.writer import PATH

    from core.printing import label_files

    assert label_files._png_font()[2] is False  # no font with Chinese: the Chinese is left out
    stand_in = str(Path(PATH) / "fonts" / "DejaVuSansMono.ttf")
    monkeypatch.setenv(fonts.ENV_FONT, stand_in)
    monkeypatch.setattr(fonts, "PROBE", "A")  # the stand-in holds Latin only: let it pass for a Chinese font
    fonts._resolve.cache_clear()
    assert label_files._png_font() == (stand_in, 0, True)
    assert label_files._png_font("/no/such/font.ttf") == (stand_in, 0, True)  # a missing setting: the next one
