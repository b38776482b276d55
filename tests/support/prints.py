"""Render a workbook to PDF with LibreOffice (headless, a private profile) and read what a printout shows."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


@dataclass(frozen=True)
class Printout:
    """One rendered sheet set: its pages, the smallest text on them, and the text itself."""

    pages: int
    smallest: float  # the smallest glyph height on any page, in points (after any scaling to fit the paper)
    texts: list[str]
    sizes: list[tuple[float, float]]  # (width, height) of each page in points


def render(xlsx: bytes, workdir: Path, name: str = "book") -> Printout:
    """Convert ``xlsx`` to PDF in ``workdir`` and measure it."""
    import pdfplumber

    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / f"{name}.xlsx"
    source.write_bytes(xlsx)
    profile = (workdir / "lo-profile").as_uri()  # its own profile: LibreOffice runs at once elsewhere must not collide
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(workdir), str(source)],
                   check=True, capture_output=True, timeout=180)
    with pdfplumber.open(workdir / f"{name}.pdf") as pdf:
        sizes = [c["size"] for page in pdf.pages for c in page.chars if c["text"].strip()]
        return Printout(len(pdf.pages), min(sizes) if sizes else 0.0, [page.extract_text() or "" for page in pdf.pages],
                        [(float(page.width), float(page.height)) for page in pdf.pages])
