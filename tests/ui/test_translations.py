"""English plural forms: the app reads "1 evaluation" and "2 evaluations", and the shipped
translation covers every counted text in the code (it fails when one is added without
running ``resources/translations/update_plurals.py``)."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from qa_monitor import paths
from qa_monitor.app import install_plurals

FOLDER = paths.resources_dir() / "translations"


def _updater() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_plurals", FOLDER / "update_plurals.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _messages(ts: Path) -> set[tuple[str, str, tuple[str, ...]]]:
    root = ET.parse(ts).getroot()
    return {
        (
            context.findtext("name") or "",
            message.findtext("source") or "",
            tuple(f.text or "" for f in message.iter("numerusform")),
        )
        for context in root.iter("context")
        for message in context.iter("message")
    }


def test_the_app_shows_singular_and_plural(qapp) -> None:
    translator = install_plurals(qapp)  # installed for every UI test (conftest)
    assert translator is not None and install_plurals(qapp) is translator  # once
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    try:
        count = [
            QCoreApplication.translate("EvaluationsScreen", "%Ln evaluation(s)", "", n)
            for n in (0, 1, 2, 1000)
        ]
        # %Ln: the number in the user's locale.
        assert count == ["0 evaluations", "1 evaluation", "2 evaluations", "1,000 evaluations"]
        # A text of a mixin class is found under the screen that mixes it in.
        assert QCoreApplication.translate(
            "FormsScreen", "Fix these %n problem(s) first; the draft is kept as it is.", "", 1
        ) == ("Fix these 1 problem first; the draft is kept as it is.")
    finally:
        QLocale.setDefault(before)


def test_the_shipped_translation_is_up_to_date(tmp_path: Path) -> None:
    ts, qm = tmp_path / "en.ts", tmp_path / "en.qm"
    count = _updater().build(ts, qm)
    shipped = _messages(FOLDER / "qa_monitor_en.ts")
    assert count >= 15
    assert _messages(ts) == shipped, (
        "counted texts changed: run python resources/translations/update_plurals.py"
    )
    # The compiled file matches its source: every text gives its two forms (Qt puts
    # the number in for %n afterwards).
    translator = QTranslator()
    assert translator.load(str(FOLDER / "qa_monitor_en.qm"))
    for context, source, (one, many) in shipped:
        assert translator.translate(context, source, "", 1) == one
        assert translator.translate(context, source, "", 7) == many


@pytest.mark.parametrize(
    ("text", "one", "many"),
    [
        ("%n evaluation(s)", "%n evaluation", "%n evaluations"),
        ("%n data row(s) in {0}", "%n data row in {0}", "%n data rows in {0}"),
        ("%n match(es)", "%n match", "%n matches"),
    ],
)
def test_singular_and_plural_are_made_from_the_markers(text: str, one: str, many: str) -> None:
    assert _updater().forms(text) == (one, many)
