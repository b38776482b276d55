"""Partial fetch: choose the parts of a BODYSTRUCTURE worth downloading, and rebuild a message from them."""

from __future__ import annotations

from dataclasses import dataclass

from imapclient.response_types import BodyData

# Never worth downloading for a returns desk: a photo or a video is not a readable form.
SKIPPED_TYPES = (b"image", b"video", b"audio")
# Marks a part whose body we did not download, so the decoder can say so instead of seeing an empty file.
OMITTED_HEADER = "X-Mailbot-Omitted"


@dataclass(frozen=True)
class Leaf:
    """A single part: its header section and, if wanted, its body section."""

    header: str
    body: str | None
    size: int


@dataclass(frozen=True)
class Multipart:
    """A multipart node: its header section, boundary and children."""

    header: str
    boundary: bytes
    children: tuple


@dataclass(frozen=True)
class Encapsulated:
    """A message/rfc822 part (a forwarded mail): its own MIME header, then the inner message."""

    header: str
    inner: object


def section(path: str, name: str) -> str:
    """An IMAP section specifier: '2.1' + 'MIME' -> '2.1.MIME', '' + 'HEADER' -> 'HEADER'."""
    return f"{path}.{name}" if path and name else (path or name)


def plan_message(structure, path: str = "", *, max_part_bytes: int) -> object:
    """The tree of sections to fetch for a message (the top one, or one inside message/rfc822 at ``path``)."""
    # imapclient wraps only the top level; a forwarded message's structure arrives as a bare tuple.
    structure = structure if isinstance(structure, BodyData) else BodyData.create(structure)
    if structure.is_multipart:
        return plan_multipart(structure, path, section(path, "HEADER"), max_part_bytes)
    return plan_leaf(structure, section(path, "HEADER"), section(path, "TEXT"), max_part_bytes)


def plan_part(structure, path: str, max_part_bytes: int) -> object:
    """The tree for one body part at ``path`` inside a multipart."""
    header = section(path, "MIME")
    if structure.is_multipart:
        return plan_multipart(structure, path, header, max_part_bytes)
    if structure[0].lower() == b"message" and structure[1].lower() == b"rfc822":
        return Encapsulated(header, plan_message(structure[8], path, max_part_bytes=max_part_bytes))
    return plan_leaf(structure, header, path, max_part_bytes)


def plan_multipart(structure, path: str, header: str, max_part_bytes: int) -> Multipart:
    """A multipart node with each child numbered as IMAP does (1-based, dotted)."""
    params = dict(zip(structure[2][::2], structure[2][1::2])) if len(structure) > 2 and structure[2] else {}
    boundary = {k.lower(): v for k, v in params.items()}.get(b"boundary", b"")
    children = tuple(plan_part(child, section(path, str(n)), max_part_bytes) for n, child in enumerate(structure[0], 1))
    return Multipart(header, boundary, children)


def plan_leaf(structure, header: str, body: str, max_part_bytes: int) -> Leaf:
    """A leaf, with its body section only if it can be a return or text."""
    size = int(structure[6] or 0)
    wanted = structure[0].lower() not in SKIPPED_TYPES and size <= max_part_bytes
    return Leaf(header, body if wanted else None, size)


def list_sections(node) -> list[str]:
    """Every section the rebuild needs, in order."""
    if isinstance(node, Leaf):
        return [node.header] + ([node.body] if node.body else [])
    if isinstance(node, Encapsulated):
        return [node.header] + list_sections(node.inner)
    return [node.header] + [s for child in node.children for s in list_sections(child)]


def list_omitted(node) -> list[Leaf]:
    """The leaves whose bodies will not be downloaded."""
    if isinstance(node, Leaf):
        return [] if node.body else [node]
    if isinstance(node, Encapsulated):
        return list_omitted(node.inner)
    return [leaf for child in node.children for leaf in list_omitted(child)]


def assemble(node, sections: dict[str, bytes]) -> bytes:
    """Rebuild MIME bytes from fetched sections; omitted bodies become empty with a marker header."""
    head = sections.get(node.header, b"")
    if isinstance(node, Leaf):
        if node.body:
            return head + sections.get(node.body, b"")
        return mark_omitted(head, node.size)
    if isinstance(node, Encapsulated):
        return head + assemble(node.inner, sections)
    parts = [b"--" + node.boundary + b"\r\n" + assemble(child, sections) + b"\r\n" for child in node.children]
    return head + b"".join(parts) + b"--" + node.boundary + b"--\r\n"


def mark_omitted(head: bytes, size: int) -> bytes:
    """Insert the marker header before the blank line that ends a header section."""
    body_start = head.rstrip(b"\r\n")
    return body_start + f"\r\n{OMITTED_HEADER}: {size}\r\n\r\n".encode()
