"""Tell a file's real format from its first bytes and, for zips, from the parts inside."""

from __future__ import annotations

import io
import zipfile

from parsers.safety.cfb import OLE_MAGIC, stream_names

_MAGICS = (
    (b"%PDF", "pdf"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"BM", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"{\\rtf", "rtf"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf", "7z"),
    (b"MZ", "exe"),  # Windows programs (and DLLs) renamed to .xlsx
    (b"\x7fELF", "exe"),
    (b"\xcf\xfa\xed\xfe", "exe"),  # Mach-O
)
# OLE stream names, UTF-16LE in the compound file's directory.
_OLE_STREAMS = (("EncryptedPackage", "encrypted"), ("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls"))


def sniff(data: bytes) -> str:
    """One of xlsx, xlsm, docx, docm, ofd, zip, xls, doc, encrypted, ole, pdf, image, rtf, rar, 7z, exe, empty, corrupt, unknown."""
    if not data:
        return "empty"
    if data.startswith(b"PK\x03\x04"):
        return sniff_zip(data)
    if data.startswith(OLE_MAGIC):
        return _sniff_ole(data)
    for magic, name in _MAGICS:
        if data.startswith(magic):
            return name
    return "unknown"


def sniff_zip(data: bytes) -> str:
    """Which OOXML (or other zip) a PK file is, by its part names."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "corrupt"  # a zip's signature but no readable directory: truncated or damaged
    macro = any(n.endswith("vbaProject.bin") for n in names)
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsm" if macro else "xlsx"
    if "word/document.xml" in names:
        return "docm" if macro else "docx"
    if "OFD.xml" in names:
        return "ofd"
    return "zip"


def _sniff_ole(data: bytes) -> str:
    names = stream_names(data)
    for stream, name in _OLE_STREAMS:
        # The directory may sit anywhere (after a large EncryptedPackage); search it all if it could not be walked.
        if stream in names or not names and stream.encode("utf-16-le") + b"\x00\x00" in data:
            return name
    # WPS .et/.wps and others: an OLE file we cannot place.
    return "ole"
