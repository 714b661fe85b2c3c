"""installer/linux/trim_icu_data.py: the ICU data library it rebuilds keeps what Qt
reads (Persian, Russian and English collation, zone names) and drops the rest, and Qt
loads it in place of the original."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QT_LIB = Path(importlib.util.find_spec("PySide6").origin).parent / "Qt" / "lib"  # type: ignore[arg-type, union-attr]
ICU_DATA = sorted(QT_LIB.glob("libicudata.so.*"))

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not ICU_DATA or not shutil.which("ld"),
    reason="PySide6 bundles ICU on Linux only; linking needs binutils",
)


def load_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "trim_icu_data", ROOT / "installer" / "linux" / "trim_icu_data.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_which_items_stay():
    tool = load_tool()
    kept = [
        "icudt73l/root.res",
        "icudt73l/res_index.res",
        "icudt73l/fa_AF.res",
        "icudt73l/coll/ru.res",
        "icudt73l/coll/ucadata.icu",
        "icudt73l/zone/ar.res",
        "icudt73l/zoneinfo64.res",
        "icudt73l/supplementalData.res",
        "icudt73l/cnvalias.icu",
        "icudt73l/nfkc.nrm",
    ]
    dropped = [
        "icudt73l/de.res",
        "icudt73l/coll/zh.res",
        "icudt73l/coll/de__PHONEBOOK.res",
        "icudt73l/zone/ja.res",
        "icudt73l/brkitr/cjdict.dict",
        "icudt73l/translit/root.res",
        "icudt73l/curr/en.res",
        "icudt73l/ibm-943_P15A-2003.cnv",
    ]
    assert [name for name in kept if not tool.keep(name)] == []
    assert [name for name in dropped if tool.keep(name)] == []


def test_qt_sorts_and_names_zones_with_the_trimmed_library(tmp_path):
    tool = load_tool()
    library = tmp_path / ICU_DATA[-1].name
    shutil.copy(ICU_DATA[-1], library)
    assert tool.main(library) == 0
    assert library.stat().st_size < ICU_DATA[-1].stat().st_size / 5
    _symbol, _offset, size = tool.find_data(library.read_bytes())
    header, items = tool.read_package(library.read_bytes()[_offset : _offset + size])
    assert header[12:16] == b"CmnD"
    names = [name for name, _item in items]
    assert names == sorted(names) and all(tool.keep(name) for name in names)
    script = (
        "from functools import cmp_to_key\n"
        "from PySide6.QtCore import QByteArray, QLocale, QTimeZone\n"
        "from qa_monitor.app import collation_check\n"
        "print(collation_check())\n"
        "zone = QTimeZone(QByteArray(b'Asia/Tehran'))\n"
        "long = QTimeZone.NameType.LongName\n"
        "for language in ('fa', 'de'):\n"
        "    print(zone.displayName(QTimeZone.TimeType.StandardTime, long, QLocale(language)))\n"
    )
    # LD_LIBRARY_PATH comes before the Qt libraries' own RUNPATH: the copy is loaded.
    env = {**os.environ, "LD_LIBRARY_PATH": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Persian, Russian and English")
    assert lines[1] == "وقت عادی ایران"
    # German's names were left out: ICU's root (English) stands in, which shows that
    # the trimmed copy, not the wheel's library, was loaded.
    assert lines[2] == "Iran Standard Time"
