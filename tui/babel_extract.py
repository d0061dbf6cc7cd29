"""Babel extractor for partsdesk's Python (registered in core/locale/babel.cfg): what Babel's Python extractor
finds (`_`, `N_`, `ngettext`), and each CLI command's help, which tui.cli_support.translate_help takes
from the first paragraph of the command function's docstring."""

from __future__ import annotations

import ast
import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python

from tui.cli_words import docstring_help

# The keywords partsdesk marks messages with: name -> message arguments ("c" the context). All but NC_ are
# among pybabel's defaults; the README's command adds `-k NC_:1c,2`.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "NC_": ((1, "c"), 2), "pgettext": ((1, "c"), 2)}


def _is_context(annotation: ast.expr | None) -> bool:
    return annotation is not None and ast.unparse(annotation).strip("'\"") in ("typer.Context", "Context")


def command_helps(source: bytes) -> list[tuple[int, str]]:
    """(line, help) of every CLI command function: a function taking a typer.Context and returning nothing."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        docstring = ast.get_docstring(node)
        returns_nothing = node.returns is None or ast.unparse(node.returns) == "None"
        if docstring and returns_nothing and any(_is_context(a.annotation) for a in arguments):
            found.append((node.body[0].lineno, docstring_help(docstring)))
    return found


def extract(fileobj, keywords, comment_tags, options):
    """Babel's extractor interface: (line, function, message or (singular, plural), comments) per message."""
    source = fileobj.read()
    yield from extract_python(io.BytesIO(source), keywords, comment_tags, options)
    for line, text in command_helps(source):
        yield line, None, text, ["help of a CLI command (its docstring's first paragraph)"]


def template(root: Path) -> Catalog:
    """The message template of the source tree at `root`, extracted in-process as the README's pybabel command
    extracts it (core/locale/babel.cfg, the KEYWORDS): what the gap test holds the catalogues against."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    mapping = root / "core" / "locale" / "babel.cfg"
    with mapping.open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config, str(mapping))
    catalog = Catalog(project="partsdesk")
    for filename, line, message, comments, context in extract_from_dir(
            root, method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
        catalog.add(message, None, [(filename, line)], auto_comments=comments, context=context)
    return catalog
