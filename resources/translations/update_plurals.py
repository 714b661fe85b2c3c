"""Rebuild the English plural forms: ``qa_monitor_en.ts`` and ``qa_monitor_en.qm``.

    python resources/translations/update_plurals.py

Why: counted texts are written once, as Qt wants them for every language, with ``%n``
and a "(s)" (``self.tr("%n evaluation(s)", "", n)``). Without a translation Qt shows
that text as it is ("1 evaluation(s)"); this English translation gives "1 evaluation"
and "2 evaluations". It holds only the counted texts (``pyside6-lupdate -pluralonly``):
every other English text is its own translation.

Steps: ``pyside6-lupdate`` collects the counted texts from ``qa_monitor/``; texts
translated through a module's own ``tr`` helper get that helper's context (lupdate
cannot see through it); texts of a mixin class are copied to the classes that mix it
in (``self.tr`` looks a text up under the object's own class); each "(s)" becomes ""
(one) and "s" (many), "(es)" likewise;
``pyside6-lrelease`` compiles the .qm the app loads. ``tests/ui/test_translations.py``
fails when a counted text is missing here, so run this after adding one, and commit
both files.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TS = HERE / "qa_monitor_en.ts"
QM = HERE / "qa_monitor_en.qm"
_HELPER_CONTEXT = re.compile(r'QCoreApplication\.translate\(\s*"([^"]+)"')
_CLASS = re.compile(r"^class (\w+)\(([^)]*)\)", re.MULTILINE)


def forms(text: str) -> tuple[str, str]:
    """The singular and plural English of a counted text ("(s)" / "(es)" markers)."""
    one = text.replace("(es)", "").replace("(s)", "")
    many = text.replace("(es)", "es").replace("(s)", "s")
    return one, many


def _helper_context(source_file: Path) -> str | None:
    """The context of the module-level ``tr`` helper of ``source_file``, if it has one."""
    match = _HELPER_CONTEXT.search(source_file.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def main() -> int:
    count = build(TS, QM)
    print(f"{TS.name}: {count} counted texts; wrote {QM.name}")
    return 0


def build(ts: Path, qm: Path) -> int:
    """Write the English plural translation to ``ts`` and ``qm``; returns the number of
    counted texts."""
    sources = sorted(str(p) for p in (ROOT / "qa_monitor").rglob("*.py"))
    ts.unlink(missing_ok=True)  # start afresh: lupdate would merge into an old file
    subprocess.run(
        ["pyside6-lupdate", "-pluralonly", "-no-obsolete", "-locations", "none",
         "-target-language", "en_US", *sources, "-ts", str(ts)],
        check=True, capture_output=True,
    )  # fmt: skip
    tree = ET.parse(ts)
    root = tree.getroot()
    _file_helper_texts(root, sources)
    for context in root.findall("context"):
        for message in context.findall("message"):
            text = message.findtext("source") or ""
            translation = message.find("translation")
            assert translation is not None
            translation.attrib.pop("type", None)
            for child in list(translation):
                translation.remove(child)
            for form in forms(text):
                ET.SubElement(translation, "numerusform").text = form
    _copy_mixin_texts(root, sources)
    ET.indent(tree, space="    ")
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run(["pyside6-lrelease", str(ts), "-qm", str(qm)], check=True, capture_output=True)
    return len(root.findall(".//message"))


def _copy_mixin_texts(root: ET.Element, sources: list[str]) -> None:
    """Give each class that mixes in a class with counted texts a copy of them."""
    users: dict[str, list[str]] = {}
    for path in sources:
        for name, bases in _CLASS.findall(Path(path).read_text(encoding="utf-8")):
            for base in (b.strip() for b in bases.split(",")):
                users.setdefault(base, []).append(name)
    for context in list(root.findall("context")):
        for user in users.get(context.findtext("name") or "", []):
            copy = ET.fromstring(ET.tostring(context))
            name = copy.find("name")
            assert name is not None
            name.text = user
            root.append(copy)


def _file_helper_texts(root: ET.Element, sources: list[str]) -> None:
    """File each text of a module-level helper under that helper's context.

    lupdate puts the texts of every module's ``tr`` helper into one context without a
    name; each text goes to the context of the helper in the file that holds it (a
    context of that name that lupdate made from a class keeps its own texts too)."""
    named = {c.findtext("name"): c for c in root.findall("context") if c.findtext("name")}
    for context in [c for c in root.findall("context") if not c.findtext("name")]:
        root.remove(context)
        for message in context.findall("message"):
            source = _source_of(message.findtext("source") or "", sources)
            helper = _helper_context(Path(source)) if source else None
            if not helper:
                raise SystemExit(f"no context for {ET.tostring(message, encoding='unicode')}")
            target = named.get(helper)
            if target is None:
                target = ET.SubElement(root, "context")
                ET.SubElement(target, "name").text = helper
                named[helper] = target
            target.append(message)
    # Contexts in name order, as lupdate writes them.
    contexts = sorted(root.findall("context"), key=lambda c: c.findtext("name") or "")
    for context in contexts:
        root.remove(context)
    root.extend(contexts)


# Adjacent string literals on consecutive lines (a long text split for the line length).
_SPLIT_LITERAL = re.compile(r'"\s*\n\s*"')


def _source_of(text: str, sources: list[str]) -> str | None:
    """The file that holds ``text`` through a module-level helper (lupdate drops
    locations here), also when the text is written as several adjacent literals."""
    for path in sources:
        source = _SPLIT_LITERAL.sub("", Path(path).read_text(encoding="utf-8"))
        if text and text in source and _helper_context(Path(path)):
            return path
    return None


if __name__ == "__main__":
    sys.exit(main())
