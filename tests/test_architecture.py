"""The import rules of CONVENTIONS.md, checked on the AST of every module."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "qa_monitor"

QT = ("PySide6", "shiboken6")
STORAGE = ("sqlite3", "sqlite_utils")
CHARTS_EXCEL = ("matplotlib", "openpyxl")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules_under(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py")) if sub else sorted(PACKAGE.rglob("*.py"))


def _offending(path: Path, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(name for name in imported_modules(path) if name.split(".")[0] in forbidden)


@pytest.mark.parametrize("path", modules_under("core"), ids=lambda p: p.name)
def test_core_is_pure(path: Path) -> None:
    bad = _offending(path, QT + STORAGE + CHARTS_EXCEL)
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}; core/ must stay pure Python"
    assert not any(
        n.startswith("qa_monitor.") and not n.startswith("qa_monitor.core")
        for n in imported_modules(path)
    ), f"{path} imports from a higher layer"


@pytest.mark.parametrize(
    "path",
    [p for p in modules_under("") if not (p.is_relative_to(PACKAGE / "ui") or p.name == "app.py")],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_only_ui_and_app_import_qt(path: Path) -> None:
    bad = _offending(path, QT)
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}; only ui/ and app.py may use Qt"


@pytest.mark.parametrize("path", modules_under("ui"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_ui_never_touches_the_database(path: Path) -> None:
    bad = _offending(path, STORAGE)
    storage = [n for n in imported_modules(path) if n.startswith("qa_monitor.storage")]
    assert not bad and not storage, (
        f"{path.relative_to(ROOT)} imports {bad + storage}; the UI calls services instead"
    )


def test_every_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in PACKAGE.rglob("__init__.py")}
    missing = found - listed
    assert not missing, f"add these packages to [tool.setuptools] packages: {sorted(missing)}"
