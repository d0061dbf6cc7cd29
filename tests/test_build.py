"""The catalogues are compiled when partsdesk is built or installed, never committed: a wheel carries each .mo,
an editable install writes it beside its .po, and a .po edited after that is recompiled when first used (or
the CLI says to reinstall where it cannot be)."""

from __future__ import annotations

import gettext
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

import core.i18n
from core.i18n import CHINESE, DOMAIN, _, catalogue_files, stale_catalogues, use_language
from tests.helpers.cli import invoke

ROOT = Path(__file__).resolve().parents[1]
MO = f"core/locale/{CHINESE}/LC_MESSAGES/{DOMAIN}.mo"
_NOT_SOURCE = shutil.ignore_patterns(".*", "build", "dist", "*.egg-info", "__pycache__", "*.mo", "*.sqlite*",
                                     "tests", "snapshot_report.html")


def _write_po(path: Path, translation: str) -> None:
    catalog = Catalog(locale=CHINESE, domain=DOMAIN)
    catalog.add("Usage:", translation)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog)


@pytest.fixture
def source_tree(tmp_path) -> Path:
    """A copy of the source tree without any compiled catalogue, its zh_CN .po translating "Usage:"."""
    tree = tmp_path / "src"
    shutil.copytree(ROOT, tree, ignore=_NOT_SOURCE)
    _write_po(tree / MO.replace(".mo", ".po"), "用法：")
    return tree


def _translates(mo: bytes | Path) -> str:
    data = mo.read_bytes() if isinstance(mo, Path) else mo
    return gettext.GNUTranslations(io.BytesIO(data)).gettext("Usage:")


def test_a_wheel_carries_the_compiled_catalogue(source_tree, tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path / "wheels"), str(source_tree)], check=True, capture_output=True)
    (wheel,) = (tmp_path / "wheels").glob("partsdesk-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert _translates(archive.read(MO)) == "用法："
    assert not (source_tree / MO).exists()  # a wheel's build leaves the sources as they were


def test_an_editable_build_writes_the_catalogue_beside_its_po(source_tree, tmp_path):
    (tmp_path / "editable").mkdir()
    code = f"from setuptools import build_meta; build_meta.build_editable({str(tmp_path / 'editable')!r})"
    subprocess.run([sys.executable, "-c", code], cwd=source_tree, check=True, capture_output=True)
    assert _translates(source_tree / MO) == "用法："


def test_this_checkout_is_installed_editable_with_its_catalogue():
    source, compiled = catalogue_files(CHINESE)
    assert source.is_relative_to(ROOT) and compiled.exists()
    assert "*.mo" in (ROOT / ".gitignore").read_text().split()  # compiled, never committed


@pytest.fixture
def locale_dir(tmp_path, monkeypatch):
    """An empty LOCALE_DIR of the test's own; the active language and loaded catalogues restored after."""
    monkeypatch.setattr(core.i18n, "LOCALE_DIR", tmp_path / "locale")
    core.i18n._catalogue.cache_clear()
    yield tmp_path / "locale"
    use_language("en")
    core.i18n._catalogue.cache_clear()


def test_a_po_edited_after_the_install_is_recompiled_when_first_used(locale_dir):
    source, compiled = catalogue_files(CHINESE)
    _write_po(source, "用法：")
    core.i18n.compile_catalogue(source, compiled)
    _write_po(source, "使用方法：")  # edited after: newer than its .mo
    assert stale_catalogues() == [CHINESE]
    use_language(CHINESE)
    assert _("Usage:") == "使用方法："
    assert stale_catalogues() == []


def test_where_it_cannot_be_recompiled_the_cli_says_reinstall(locale_dir, monkeypatch):
    source, compiled = catalogue_files(CHINESE)
    _write_po(source, "用法：")

    def no_babel(*args):
        raise ImportError("babel")

    monkeypatch.setattr(core.i18n, "compile_catalogue", no_babel)
    assert stale_catalogues() == [CHINESE]
    result = invoke(["--lang", "zh_CN", "db", "--help"], env={"PARTSDESK_LANG": ""})
    assert result.exit_code == 0
    assert "Usage:" in result.stdout  # no .mo: English
    assert result.stderr == ("partsdesk: the zh_CN catalogue was edited after it was compiled: reinstall "
                             "(pip install -e .) to use the edits\n")
    assert invoke(["--lang", "en", "db", "--help"]).stderr == ""  # an English reader is not told
