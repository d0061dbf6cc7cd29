"""The Chinese font the PDFs embed: a TrueType font found on the machine (or named by the station's pdf_font
setting or PARTSDESK_PDF_FONT), else reportlab's CID font STSong-Light with a warning.

A PDF that only names STSong-Light carries no glyphs: the viewer or the printer's rasteriser must supply them,
and a Linux desk printing through CUPS and poppler without a Chinese font prints every Chinese character as an
empty box. An embedded subset prints anywhere.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.i18n import _

ENV_FONT = "PARTSDESK_PDF_FONT"
CID_FONT = "STSong-Light"
# A character every Chinese paper of the desk prints (库 of 库位, 备件, 入库单): a font without it is no use.
PROBE = "库"

# Fonts with Chinese that Linux, macOS and Windows desks commonly have, TrueType outlines first: reportlab
# embeds TrueType (.ttf, .ttc) but not the PostScript outlines of most .otf files (Noto CJK, Source Han OTF).
KNOWN_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/adobe-source-han-sans/SourceHanSansCN-Regular.otf",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)
# How to get one, said with the warning (Debian and Ubuntu, then Fedora and RHEL).
INSTALL_HINT = "apt install fonts-wqy-microhei | dnf install wqy-microhei-fonts"


@dataclass(frozen=True, slots=True)
class PdfFont:
    """The font the PDFs use: its reportlab name, the file it came from (None: the CID font, not embedded),
    and the one-line warning a person should read when it is the fallback (None when a font is embedded)."""

    name: str
    path: str | None
    warning: str | None
    index: int = 0  # the font's index in a collection (.ttc)

    @property
    def embedded(self) -> bool:
        """Whether the PDFs carry the glyphs themselves."""
        return self.path is not None


def candidates(setting: str | None = None) -> list[tuple[str, int]]:
    """Font files to try, in order, as (path, index in a collection): the setting's, the environment's, those
    fontconfig knows to cover Chinese, then the well-known paths that exist."""
    found: list[tuple[str, int]] = []
    for named in (setting, os.environ.get(ENV_FONT)):
        if named and named.strip():
            found.append(_split_index(named.strip()))
    found += _fontconfig_fonts()
    found += [(path, 0) for path in KNOWN_FONTS if Path(path).is_file()]
    unique: list[tuple[str, int]] = []
    for choice in found:
        if choice not in unique:
            unique.append(choice)
    return unique


def pdf_font(setting: str | None = None) -> PdfFont:
    """The font PDFs are drawn in (registered with reportlab), looked up once per setting and environment."""
    return _resolve(setting or "", os.environ.get(ENV_FONT, ""))


@cache
def _resolve(setting: str, env: str) -> PdfFont:
    named = {_split_index(value) for value in (setting, env) if value.strip()}
    refused: list[str] = []
    for path, index in candidates(setting):
        name = _register(path, index)
        if name is not None:
            return PdfFont(name, path, None, index)
        if (path, index) in named:
            refused.append(path)
    _register_cid()
    if refused:
        warning = _("PDF font {path} cannot be embedded or has no Chinese; using {cid}, which prints Chinese only "
                    "where the viewer has a Chinese font").format(path=refused[0], cid=CID_FONT)
    else:
        warning = _("no Chinese TrueType font found; PDFs use {cid}, which prints Chinese only where the viewer "
                    "has a Chinese font: install one ({hint}) or name one with {env}").format(
            cid=CID_FONT, hint=INSTALL_HINT, env=ENV_FONT)
    return PdfFont(CID_FONT, None, warning)


def _split_index(named: str) -> tuple[str, int]:
    """A path with an optional "#N" naming the font of a collection (.ttc): "/x/NotoSerifCJK.ttc#2"."""
    path, _sep, index = named.rpartition("#")
    if path and index.isdigit():
        return path, int(index)
    return named, 0


def _fontconfig_fonts() -> list[tuple[str, int]]:
    """The fonts fontconfig says cover Chinese, TrueType collections and files first (none without fc-list)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        listed = subprocess.run([fc_list, ":lang=zh", "file", "index"], capture_output=True, text=True,
                                timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in listed.splitlines():
        path, _sep, rest = line.partition(":")
        index = "".join(ch for ch in rest.partition("index=")[2] if ch.isdigit())
        if path.strip():
            found.append((path.strip(), int(index or 0)))
    return sorted(found, key=lambda f: (not f[0].lower().endswith((".ttc", ".ttf")), f[0], f[1]))


def _register(path: str, index: int) -> str | None:
    """Register a font file with reportlab under a name of its own; None when it cannot be used (missing,
    PostScript outlines, no Chinese)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # A name from the file, the same in every process, so that the same paper is the same bytes.
    name = "PartsdeskCJK-" + hashlib.sha1(f"{path}#{index}".encode()).hexdigest()[:8]
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    if not Path(path).is_file():
        return None
    try:
        font = TTFont(name, path, subfontIndex=index)
    except Exception:  # reportlab raises TTFError, and others on a broken file: any means "not this one"
        return None
    if ord(PROBE) not in font.face.charToGlyph:
        return None
    pdfmetrics.registerFont(font)
    return name


def _register_cid() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
