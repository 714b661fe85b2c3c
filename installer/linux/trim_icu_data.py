"""Rebuild the Linux bundle's ICU data library with only what Qt's calls can read.

    python installer/linux/trim_icu_data.py \
        dist/qa-monitor/_internal/PySide6/Qt/lib/libicudata.so.73

PySide6's Qt on Linux links ICU, whose data library (libicudata.so.*, 31 MB, the
largest file of the bundle) holds every table ICU has, for about 800 locales. Qt calls
ICU for collation (QCollator, locale-aware compare), case mapping with a locale,
time-zone display names and legacy text codecs (the imported ICU functions of
libQt6Core: ucol_*, u_strToUpper/Lower, ucal_* time-zone names, ucnv_*). This keeps:

- every table that is not per-locale (Unicode properties, case mapping, normalisation,
  collation root and ``ucadata.icu``, time-zone rules and metadata, likely subtags...);
- the per-locale tables (locale basics, collation, time-zone and region names) of the
  languages QA Monitor is translated into: English, Arabic, Persian, Russian (the same
  rule as Qt's own translations in installer/qa_monitor.spec). Another locale falls back
  to ICU's root: Unicode's default sort order and English-style zone names.

and leaves out what Qt never reads: the conversion tables of legacy codecs (``*.cnv``:
Qt decodes UTF-8/16/32 and Latin-1 itself, and the app reads files through Python),
break-iteration rules and dictionaries (``brkitr``: Qt finds text boundaries itself),
transliteration, spelled-out numbers, and the display names of currencies, languages
and units. ~31 MB becomes ~3.5 MB.

How: the data is one symbol (``icudt<version>_dat``) holding an ICU "common data"
package (a table of contents and the items); this reads it from the ELF file, writes a
package of the kept items (the same header and format), and links a new library of the
same name exporting the same symbol, with binutils' ``as`` and ``ld`` (the build strips
with binutils already). The frozen app's --self-test then sorts Persian, Russian and
English words through Qt, which fails if the collation data is missing.
"""

from __future__ import annotations

import itertools
import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

LANGUAGES = ("en", "ar", "fa", "ru")
# Trees of items no call of Qt reads.
UNUSED_TREES = ("brkitr", "curr", "lang", "rbnf", "translit", "unit")
# Locale ids: language, then _Script / _REGION / _variant parts, some empty ("zh_Hant_TW",
# "en_150", "de__PHONEBOOK").
LOCALE = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]*)*")
NOT_LOCALES = ("res_index",)  # a tree's index of locales, matched by the pattern above
# What Qt's collation and codecs cannot work without (Unicode properties, case mapping
# and NFC are built into ICU's code): a build that lost one stops.
ESSENTIAL = (
    "root.res",
    "res_index.res",
    "cnvalias.icu",
    "coll/ucadata.icu",
    "coll/root.res",
    "coll/fa.res",
    "coll/ru.res",
    "zone/root.res",
)


def keep(name: str) -> bool:
    """Whether the item ``name`` ("icudt73l/coll/fa.res") stays."""
    parts = name.split("/")[1:]  # the package's own prefix first
    tree, base = (parts[0] if len(parts) > 1 else ""), parts[-1]
    stem, _, ext = base.rpartition(".")
    if tree in UNUSED_TREES or ext == "cnv":
        return False
    if ext == "res" and LOCALE.fullmatch(stem) and stem not in NOT_LOCALES:
        return stem.split("_")[0] in LANGUAGES
    return True


# ---------------------------------------------------------------------- the ELF file
def find_data(elf: bytes) -> tuple[str, int, int]:
    """(symbol name, file offset, size) of the ICU data symbol in a 64-bit
    little-endian ELF shared library."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise SystemExit("not a 64-bit little-endian ELF file")
    (shoff,) = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, strings, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab = sections[strings]
        for at in range(offset, offset + size, entsize):
            st_name, _info, _other, _shndx, value, st_size = struct.unpack_from("<IBBHQQ", elf, at)
            start = strtab[4] + st_name
            symbol = elf[start : elf.index(b"\0", start)].decode()
            if re.fullmatch(r"icudt\d+_dat", symbol):
                for _n, _k, _f, addr, sec_offset, sec_size, *_rest in sections:
                    if addr <= value < addr + sec_size:
                        return symbol, sec_offset + value - addr, st_size
    raise SystemExit("no icudt*_dat symbol found: is this ICU's data library?")


# ---------------------------------------------------------------------- the package
def read_package(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The package's header and its (name, item) list, in table-of-contents order."""
    header_size = struct.unpack_from("<H", data, 0)[0]
    if data[2:4] != b"\xda\x27" or data[12:16] != b"CmnD":
        raise SystemExit("the data symbol does not hold an ICU common data package")
    count = struct.unpack_from("<I", data, header_size)[0]
    toc = [struct.unpack_from("<II", data, header_size + 4 + 8 * i) for i in range(count)]
    # An item ends where the next one (by position) starts.
    starts = sorted({header_size + data_offset for _name, data_offset in toc} | {len(data)})
    ends = dict(itertools.pairwise(starts))
    items = []
    for name_offset, data_offset in toc:
        at = header_size + name_offset
        name = data[at : data.index(b"\0", at)].decode("ascii")
        start = header_size + data_offset
        items.append((name, data[start : ends[start]]))
    return data[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """A package of ``items`` (sorted by name, as ICU's binary search needs), each
    16-byte aligned, offsets counted from the table of contents."""
    items = sorted(items)
    names = b"".join(name.encode("ascii") + b"\0" for name, _item in items)
    toc_size = 4 + 8 * len(items)
    names_end = toc_size + len(names)
    first_item = (names_end + 15) // 16 * 16
    toc, body, name_at, item_at = [], bytearray(), toc_size, first_item
    for name, item in items:
        toc.append(struct.pack("<II", name_at, item_at))
        name_at += len(name) + 1
        padded = item + b"\0" * (-len(item) % 16)
        body += padded
        item_at += len(padded)
    table = struct.pack("<I", len(items)) + b"".join(toc) + names
    return header + table + b"\0" * (first_item - names_end) + bytes(body)


def link(symbol: str, soname: str, package: bytes, out: Path) -> None:
    """A shared library ``soname`` whose read-only data symbol ``symbol`` is ``package``."""
    with tempfile.TemporaryDirectory() as tmp:
        blob, source, obj = Path(tmp, "data.bin"), Path(tmp, "data.s"), Path(tmp, "data.o")
        blob.write_bytes(package)
        source.write_text(
            "\t.section .rodata\n\t.balign 16\n"
            f"\t.globl {symbol}\n\t.type {symbol}, @object\n{symbol}:\n"
            f'\t.incbin "{blob}"\n\t.size {symbol}, . - {symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        subprocess.run(["as", "-o", str(obj), str(source)], check=True)
        subprocess.run(["ld", "-shared", "-soname", soname, "-o", str(out), str(obj)], check=True)


def main(library: Path) -> int:
    elf = library.read_bytes()
    symbol, offset, size = find_data(elf)
    header, items = read_package(elf[offset : offset + size])
    prefix = items[0][0].split("/")[0] + "/"
    kept = [(name, item) for name, item in items if keep(name)]
    missing = [name for name in ESSENTIAL if prefix + name not in {n for n, _i in kept}]
    if missing:
        raise SystemExit(f"refusing to trim: the data lacks {', '.join(missing)}")
    package = write_package(header, kept)
    link(symbol, library.name, package, library)
    print(
        f"{library.name}: {len(items)} items, {size / 1e6:.1f} MB -> {len(kept)} items, "
        f"{len(package) / 1e6:.1f} MB (file {len(elf) / 1e6:.1f} -> "
        f"{library.stat().st_size / 1e6:.1f} MB)"
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__.split("\n\n")[1])
    raise SystemExit(main(Path(sys.argv[1])))
