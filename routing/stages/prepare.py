"""The chain's attachment work as one pure step: the 涉密 gate's scan, then (only if it found nothing) the parsers.

The runner may compute it ahead of the chain in another process (mailbot.intake.parse_child); the rules ask
``gate`` and ``files``, which give what was prepared and compute here, once, what was not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parsers.gate.rules import Marking
    from parsers.returns import FileResult


@dataclass(frozen=True)
class Job:
    """What the gate and the parsers read of a delivery (picklable: it crosses to the parse process)."""

    subject: str
    body: str
    headers: tuple[tuple[str, str], ...]
    attachments: tuple[tuple[str, bytes], ...]  # (filename, bytes) in the message's order
    texts: tuple[tuple[str, str, str], ...] = ()  # (kind, place, text) the gate reads besides (parsers.gate.texts)


@dataclass(frozen=True)
class Prepared:
    """The gate's hit and each attachment's FileResult; files is None when a marking stopped the parsers."""

    marking: Marking | None = None
    files: tuple[FileResult, ...] | None = None  # one per attachment
    failure: str = ""  # why the work could not be finished (timeout, a crashed parser): a person looks


def job_of(delivery) -> Job:
    """The gate's and parsers' inputs of a delivery."""
    # Names of files the decoder did not hand on (a zip in a zip, a part left on the server) still reach the
    # reply and the ledger through its problems: the gate reads them as it reads attachment names.
    named = tuple(("filename", "附件名称", p.file) for p in getattr(delivery, "problems", ()) if p.file)
    return Job(delivery.subject, delivery.body_text, tuple(delivery.headers.items()),
               tuple((a.filename, a.data) for a in delivery.attachments),
               tuple(getattr(delivery, "gate_texts", ())) + named)


def gate(delivery, ctx) -> Marking | None:
    """The 涉密 gate's finding on the delivery: the one prepared ahead, else scanned now and kept with it."""
    if delivery.prepared is None:
        delivery.prepared = Prepared(marking=scan(job_of(delivery), ctx.marking_terms, ctx.limits))
    return delivery.prepared.marking


def files(delivery, ctx) -> tuple[FileResult, ...]:
    """Each attachment's FileResult: the ones prepared ahead, else read now and kept with the delivery."""
    prepared = delivery.prepared or Prepared()
    if prepared.files is None:
        read = read_files(job_of(delivery), ctx.campaign, ctx.limits)
        delivery.prepared = prepared = replace(prepared, files=read)
    return prepared.files


def scan(job: Job, terms, limits=None) -> Marking | None:
    """The 涉密 gate over the whole delivery: the first certain marking, else the first unclear one, else None."""
    from parsers.gate.scan import scan_delivery

    names = [name for name, _data in job.attachments]
    return scan_delivery(job.subject, names, job.body, list(job.attachments), terms, headers=dict(job.headers),
                         texts=job.texts, limits=limits)


def read_files(job: Job, campaign, limits) -> tuple:
    """Each attachment read into returns and problems (never raises for a bad file)."""
    from parsers import read_attachment

    return tuple(read_attachment(data, name, campaign, subject=job.subject, limits=limits)
                 for name, data in job.attachments)


def prepare(job: Job, campaign, terms, limits) -> Prepared:
    """Gate first; the parsers never see a message that bears a marking."""
    hit = scan(job, terms, limits) if terms is not None else None
    if hit is not None:
        return Prepared(marking=hit)
    return Prepared(files=read_files(job, campaign, limits))
