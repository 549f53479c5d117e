"""The build step a plain `pip install .` or `python -m build` runs: what `make` does in a checkout.

Everything else is declared in `pyproject.toml`. An installed Jalon must work without the
repository: the wheel carries
- the compiled message catalogues: the `.po` files are the source (no `.mo` is committed), and a
  host installed without `make` must still speak French;
- the repository's `templates/` and `migrations/` folders, inside the package as
  `app/shipped/` (a wheel has no place for folders beside its packages; `app.folder` finds them).
"""

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED_FOLDERS = ("templates", "migrations")


class BuildWithCatalogues(build_py):
    """`build_py`, then the catalogues compiled and the shipped folders copied in."""

    def run(self) -> None:
        super().run()
        built = Path(self.build_lib)
        for source in built.glob("app/translations/*/LC_MESSAGES/messages.po"):
            with source.open("rb") as handle:
                catalogue = read_po(handle, locale=source.parent.parent.name)
            with source.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, catalogue)
        for name in SHIPPED_FOLDERS:
            target = built / "app" / "shipped" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithCatalogues})
