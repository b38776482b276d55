"""Builders of hostile attachments for tests/parsers/test_hostile.py: each file is written here, nothing is downloaded."""

from __future__ import annotations

import io
import struct
import zipfile

from tests.routing.test_parse_build import good_row, sheet_rows, xlsx

FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def good_xlsx() -> bytes:
    """A clean 附件3 workbook to dress up."""
    return xlsx(sheet_rows(3, [good_row(3, 1), good_row(3, 2)]))


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          level: int = 6) -> bytes:
    """The same OOXML zip with some parts replaced or added."""
    replace, add = replace or {}, add or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, body in add.items():
            target.writestr(name, body)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    """One part of an OOXML zip."""
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def with_doctype(xml: bytes, root: bytes, subset: bytes) -> bytes:
    """An XML part with a DOCTYPE (internal subset) inserted before its root element."""
    head, sep, rest = xml.partition(b"<" + root)
    return head + b"<!DOCTYPE " + root + b" [" + subset + b"]>" + sep + rest


LAUGHS = b"".join([b'<!ENTITY l0 "lol">'] + [b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10)])
EXTERNAL = b'<!ENTITY x SYSTEM "file:///etc/passwd">'


def sheet_xml(rows: list[bytes], merges: list[str] = ()) -> bytes:
    """A worksheet part from ready-made <row> elements and merge refs."""
    merged = b""
    if merges:
        merged = b'<mergeCells count="%d">' % len(merges) + b"".join(b'<mergeCell ref="%s"/>' % m.encode() for m in merges) + b"</mergeCells>"
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + b"".join(rows) + b"</sheetData>" + merged + b"</worksheet>")


def number_rows(count: int, cols: int = 3) -> list[bytes]:
    """``count`` rows of small numbers, written as the XML a spreadsheet program would."""
    letters = [b"A", b"B", b"C", b"D", b"E"][:cols]
    return [b'<row r="%d">' % r + b"".join(b'<c r="%s%d"><v>%d</v></c>' % (c, r, r) for c in letters) + b"</row>"
            for r in range(1, count + 1)]


def with_sheet(sheet: bytes) -> bytes:
    """A workbook whose first sheet is ``sheet``."""
    return rezip(good_xlsx(), {"xl/worksheets/sheet1.xml": sheet})


def column_letters(n: int) -> str:
    """Excel's column name of 1-based column ``n``."""
    name = ""
    while n:
        n, rem = divmod(n - 1, 26)
        name = chr(65 + rem) + name
    return name


def cfb(streams: dict[str, bytes], pad_before_directory: int = 0) -> bytes:
    """A minimal OLE compound file (v3, 512-byte sectors) holding the named streams (each ≥ 4096 bytes)."""
    bodies = [b"\0" * 512 * pad_before_directory] + list(streams.values())
    counts = [-(-len(b) // 512) for b in bodies]
    entries_count = 1 + len(streams)
    dir_count = -(-entries_count // 4)
    fat_count = -(-(sum(counts) + dir_count + 1) // 127)  # entries for data, directory and the FAT itself
    assert fat_count <= 109, "the header's DIFAT is enough for a test file"
    fat, sectors, starts, at = [FATSECT] * fat_count, [], [], fat_count
    for body, count in zip(bodies, counts):
        starts.append(at if count else END)
        fat += [at + i + 1 for i in range(count - 1)] + [END] * bool(count)
        sectors += [body[i * 512:(i + 1) * 512].ljust(512, b"\0") for i in range(count)]
        at += count
    directory_at = at
    fat += [directory_at + i + 1 for i in range(dir_count - 1)] + [END]
    entries = [_dir_entry("Root Entry", 5, child=1, start=END, size=0)]
    names = list(streams)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else FREE
        entries.append(_dir_entry(name, 2, right=right, start=starts[i + 1], size=len(streams[name])))
    while len(entries) % 4:
        entries.append(b"\0" * 64 + struct.pack("<HBB3I", 0, 0, 0, FREE, FREE, FREE) + b"\0" * 52)
    fat += [FREE] * (fat_count * 128 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, fat_count, directory_at, 0, 4096, END, 0, END, 0)
              + struct.pack("<109I", *range(fat_count), *[FREE] * (109 - fat_count)))
    return header + struct.pack(f"<{len(fat)}I", *fat) + b"".join(sectors) + b"".join(entries)


def _dir_entry(name: str, kind: int, *, child: int = FREE, right: int = FREE, start: int, size: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0"
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1) + struct.pack("<III", FREE, right, child)
            + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", start, size))


def encrypted_ooxml(pad_before_directory: int = 0) -> bytes:
    """What Office and WPS write for a workbook with an open password: EncryptionInfo + EncryptedPackage."""
    return cfb({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"x" * 4088, "EncryptedPackage": b"\x10" * 8192},
               pad_before_directory)


def zipped(files: dict[str, bytes]) -> bytes:
    """A plain zip of the given files."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return out.getvalue()
