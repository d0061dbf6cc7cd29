"""The build's one addition to pyproject.toml: every core/locale/*/LC_MESSAGES/partsdesk.po is compiled to its
.mo when partsdesk is built (a wheel: into the build, next to the package's files) or installed editable
(`pip install -e .`: next to the .po in the source tree, which the editable install reads). The .mo files are
never committed (.gitignore)."""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import Command, setup
from setuptools.command.build import build

HERE = Path(__file__).resolve().parent
LOCALE = Path("core") / "locale"


def _catalogues() -> list[Path]:
    return sorted((HERE / LOCALE).glob("*/LC_MESSAGES/partsdesk.po"))


class compile_catalogues(Command):  # noqa: N801 - setuptools names commands in lower case
    """Compile the gettext catalogues (Babel's write_mo) into the build, or beside the sources when editable."""

    description = "compile core/locale/*/LC_MESSAGES/partsdesk.po to .mo"
    user_options: list = []

    def initialize_options(self) -> None:
        """No options of its own: the build folder is build_py's."""
        self.build_lib = None
        self.editable_mode = False  # set by setuptools' editable_wheel (PEP 660)

    def finalize_options(self) -> None:
        """Share build_py's build folder."""
        self.set_undefined_options("build_py", ("build_lib", "build_lib"))

    def _target(self, source: Path) -> Path:
        relative = source.relative_to(HERE).with_suffix(".mo")
        return HERE / relative if self.editable_mode else Path(self.build_lib) / relative

    def run(self) -> None:
        """Compile every catalogue."""
        # The compiler is core.i18n's, the one the runtime uses to refresh an edited catalogue.
        sys.path.insert(0, str(HERE))
        try:
            from core.i18n import compile_catalogue
        finally:
            sys.path.remove(str(HERE))
        for source in _catalogues():
            target = self._target(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            compile_catalogue(source, target)

    def get_source_files(self) -> list[str]:
        """The .po files the build reads."""
        return [str(source.relative_to(HERE)) for source in _catalogues()]

    def get_outputs(self) -> list[str]:
        """The .mo files the build writes."""
        return [str(self._target(source)) for source in _catalogues()]

    def get_output_mapping(self) -> dict[str, str]:
        """Each .mo file written, by the .po it comes from."""
        return {str(self._target(source)): str(source) for source in _catalogues()}


class build_with_catalogues(build):  # noqa: N801
    """setuptools' build, then the catalogues (editable_wheel runs the same sub-commands)."""

    sub_commands = [*build.sub_commands, ("compile_catalogues", None)]


setup(cmdclass={"build": build_with_catalogues, "compile_catalogues": compile_catalogues})
