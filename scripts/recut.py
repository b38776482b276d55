#!/usr/bin/env python3
"""Issue 17's mechanical re-cut: move every module to its package, rewrite imports and dotted strings, relocate types.

Run from the repository root on a clean tree:  python3 scripts/recut.py [--dry-run] [--prefix-rules] [--no-ruff]

Re-runnable: modules already at their new place are skipped, and only what moves in this run is rewritten, so running
it again on its own output changes nothing.  It refuses to run (exit 2) while a .py module under mailbot/ routing/
parsers/ tests/ has no line in MAPPING: add one line per new module ("old.module   new.module") and run again.
With --prefix-rules the PREFIX_RULES below place unmapped modules instead (e.g. every mailbot.outbox_* into
mailbot/outbox/); the script prints what they decided.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path

PACKAGES = ("mailbot", "routing", "parsers", "tests")
REWRITE_DIRS = ("mailbot", "routing", "parsers", "tests", "bench", "scripts", "config")
REWRITE_FILES = ("pyproject.toml", "README.md", "Dockerfile", "docker-compose.yml", ".ci/run")
SKIP_PARTS = {"migrations", "__pycache__", "data", "static", "templates"}  # not Python modules of ours

# old dotted module → new dotted module.  A package line moves the whole folder (its submodules follow).
# Identity lines say "stays where it is" (so the refusal check knows the module was considered).
MAPPING = """
# ---- parsers: bytes → values ----
parsers                         parsers
parsers.errors                  parsers.errors
parsers.problems                parsers.problems
parsers.returns                 parsers.returns
parsers.read                    parsers.read
parsers.annotate                parsers.annotate
parsers.messages                parsers.problem_texts
parsers.message                 parsers.mail.decode
parsers.mimetext                parsers.mail.mimetext
parsers.mailbody                parsers.mail.body
parsers.quoted                  parsers.mail.quoted
parsers.acks                    parsers.mail.acks
parsers.sniff                   parsers.safety.sniff
parsers.cfb                     parsers.safety.cfb
parsers.guard                   parsers.safety.guard
parsers.xmlscan                 parsers.safety.xmlscan
parsers.unzip                   parsers.safety.unzip
parsers.limits                  parsers.safety.limits
parsers.shape                   parsers.safety.shape
parsers.cellsafe                parsers.safety.cellsafe
parsers.xlsx                    parsers.xlsx.read
parsers.xlsx_package            parsers.xlsx.package
parsers.workbook_parts          parsers.xlsx.parts
parsers.formula                 parsers.xlsx.formula
parsers.cellfmt                 parsers.xlsx.cellfmt
parsers.xls                     parsers.xls.read
parsers.word                    parsers.docx.read
parsers.words                   parsers.docx.returns
parsers.document                parsers.docx.plan
parsers.grid                    parsers.forms.grid
parsers.recognise               parsers.forms.recognise
parsers.table                   parsers.forms.table
parsers.sheets                  parsers.forms.sheets
parsers.labels                  parsers.forms.labels
parsers.headers                 parsers.forms.headers
parsers.text                    parsers.forms.text
parsers.values                  parsers.forms.values
parsers.metrics                 parsers.forms.metrics
parsers.rules                   parsers.forms.rules.registry
parsers.rulectx                 parsers.forms.rules.context
parsers.rules_basic             parsers.forms.rules.basic
parsers.rules_groups            parsers.forms.rules.groups
parsers.rules_numbers           parsers.forms.rules.numbers
parsers.conditions              parsers.forms.rules.conditions
parsers.contact                 parsers.contacts.details
parsers.contact_return          parsers.contacts.merge
parsers.contact_table           parsers.contacts.table
parsers.contact_text            parsers.contacts.text
parsers.marking                 parsers.gate.scan
parsers.marking_docs            parsers.gate.docs
parsers.marking_ooxml           parsers.gate.ooxml
parsers.marking_rules           parsers.gate.rules
parsers.marking_sheets          parsers.gate.sheets
parsers.marking_terms           parsers.gate.terms
parsers.marking_xls             parsers.gate.xls
parsers.gate_texts              parsers.gate.texts
parsers.templates               parsers.blanks.workbook
parsers.templates_docx          parsers.blanks.document
parsers.template_layout         parsers.blanks.layout

# ---- routing: pure decisions ----
routing                         routing
routing.errors                  routing.errors
routing.delivery                routing.delivery
routing.context                 routing.context
routing.chain                   routing.chain
routing.campaign                routing.model.campaign
routing.campaign_load           routing.model.campaign_load
routing.roster                  routing.model.roster
routing.names                   routing.model.names
routing.workdays                routing.model.workdays
routing.schedule                routing.model.schedule
routing.prepare                 routing.stages.prepare
routing.identify                routing.stages.identify
routing.auth                    routing.stages.sender_auth
routing.domains                 routing.stages.domains
routing.contacts                routing.stages.contacts
routing.timing                  routing.stages.route
routing.screen                  routing.rules.screen
routing.forms                   routing.rules.forms
routing.loop                    routing.rules.loop

# ---- mailbot: all I/O ----
mailbot                         mailbot
mailbot.__main__                mailbot.__main__
mailbot.app                     mailbot.app
mailbot.config                  mailbot.config
mailbot.settings                mailbot.settings
mailbot.worker_config           mailbot.worker_config
mailbot.secret_files            mailbot.secret_files
mailbot.clock                   mailbot.clock
mailbot.errors                  mailbot.errors
mailbot.retry                   mailbot.retry
mailbot.worker                  mailbot.worker
mailbot.doctor                  mailbot.doctor
mailbot.imap                    mailbot.mail.imap
mailbot.imap_fetch              mailbot.mail.imap_fetch
mailbot.imap_parts              mailbot.mail.imap_parts
mailbot.smtp                    mailbot.mail.smtp
mailbot.sent_check              mailbot.mail.sent_check
mailbot.intake                  mailbot.intake.poll
mailbot.intake_watch            mailbot.intake.watch
mailbot.inbound                 mailbot.intake.inbound
mailbot.parse_ahead             mailbot.intake.parse_child
mailbot.pipeline                mailbot.intake.pipeline
mailbot.boundary                mailbot.intake.boundary
mailbot.saved_mail              mailbot.intake.saved_mail
mailbot.locks                   mailbot.intake.locks
mailbot.ledger                  mailbot.ledger
mailbot.record                  mailbot.ledger.record
mailbot.claims                  mailbot.ledger.claims
mailbot.history                 mailbot.ledger.history
mailbot.versions                mailbot.ledger.versions
mailbot.status                  mailbot.ledger.status
mailbot.units                   mailbot.ledger.units
mailbot.roster_io               mailbot.ledger.roster_io
mailbot.contacts                mailbot.ledger.contacts
mailbot.review                  mailbot.ledger.review
mailbot.unanswered              mailbot.ledger.unanswered
mailbot.outbox_queue            mailbot.outbox.enqueue
mailbot.outbox_send             mailbot.outbox.send
mailbot.outbox_eta              mailbot.outbox.eta
mailbot.outbox_merge            mailbot.outbox.merge
mailbot.outbox_trouble          mailbot.outbox.trouble
mailbot.outbox_variants         mailbot.outbox.variants
mailbot.worker_outbox           mailbot.outbox.turn
mailbot.smtp_commit             mailbot.outbox.commit
mailbot.outgoing                mailbot.outbox.envelope
mailbot.replies                 mailbot.outbox.compose
mailbot.receipt_body            mailbot.receipts.body
mailbot.annotated               mailbot.receipts.annotated
mailbot.verdict                 mailbot.receipts.verdict
mailbot.reminders               mailbot.schedule.reminders
mailbot.reminders_send          mailbot.schedule.reminders_send
mailbot.digest                  mailbot.schedule.digest
mailbot.health                  mailbot.schedule.health
mailbot.workbook                mailbot.reports.workbook
mailbot.workbook_data           mailbot.reports.workbook_data
mailbot.workbook_style          mailbot.reports.style
mailbot.exports                 mailbot.reports.exports
mailbot.exports_forms           mailbot.reports.export_forms
mailbot.exports_results         mailbot.reports.export_results
mailbot.matrix                  mailbot.reports.matrix
mailbot.samples                 mailbot.demo.inbox
mailbot.sample_forms            mailbot.demo.forms
mailbot.demo_mail               mailbot.demo.mail_round
mailbot.localmail               mailbot.demo.servers
mailbot.cli                     mailbot.cli.main
mailbot.cli_parser              mailbot.cli.parser
mailbot.render                  mailbot.cli.render
mailbot.commands                mailbot.cli.commands
mailbot.web                     mailbot.web

# ---- added by the branches merged after the script was written ----
mailbot.campaign_file           mailbot.campaigns.files
mailbot.campaign_new            mailbot.campaigns.scaffold
mailbot.campaign_sources        mailbot.campaigns.sources
mailbot.cli_names               mailbot.cli.names
mailbot.doctor_net              mailbot.doctor_net
mailbot.doctor_secrets          mailbot.doctor_secrets
mailbot.error_words             mailbot.receipts.error_words
mailbot.marking_words           mailbot.receipts.marking_words
mailbot.placeholders            mailbot.placeholders
mailbot.samples_generic         mailbot.demo.generic_inbox
mailbot.worker_reload           mailbot.worker_reload
routing.campaign_check          routing.model.campaign_check
routing.campaign_draft          routing.model.campaign_draft
routing.campaign_links          routing.model.campaign_links
routing.campaign_reference      routing.model.campaign_reference
routing.campaign_reference_text routing.model.campaign_reference_text
routing.campaign_refs           routing.model.campaign_refs
routing.campaign_schema         routing.model.campaign_schema
routing.campaign_schema_forms   routing.model.campaign_schema_forms
routing.campaign_schema_more    routing.model.campaign_schema_more
routing.campaign_schema_rules   routing.model.campaign_schema_rules
routing.campaign_schema_texts   routing.model.campaign_schema_texts
routing.campaign_schema_top     routing.model.campaign_schema_top
routing.campaign_texts          routing.model.campaign_texts
routing.toml_lines              routing.model.toml_lines
parsers.blank_forms             parsers.blanks.forms
parsers.codes                   parsers.problem_codes
parsers.form_checks             parsers.forms.checks
tests.campaigns                 tests.campaigns
tests.other_campaign_world      tests.support.other_campaign_world
tests.text_scan                 tests.support.text_scan
routing.campaign_fault          routing.model.campaign_fault
mailbot.actions                 mailbot.ledger.actions
mailbot.cd                      mailbot.ledger.cd
mailbot.heartbeat               mailbot.heartbeat
mailbot.workbook_status         mailbot.reports.workbook_status
tests.prints                    tests.support.prints

# ---- tests: by the layer they exercise; helpers into support/ ----
tests                           tests
tests.conftest                  tests.conftest
tests.corpus                    tests.support.corpus
tests.canary                    tests.support.canary
tests.desk                      tests.support.desk
tests.gate_cases                tests.support.gate_cases
tests.hostile_files             tests.support.hostile_files
tests.hostile_mail              tests.support.hostile_mail
tests.parse_faults              tests.support.parse_faults
tests.roster_start              tests.support.roster_start
tests.servers                   tests.support.servers
tests.smtp_faults               tests.support.smtp_faults
tests.worker_loop               tests.support.worker_loop
tests.worker_once               tests.support.worker_once
tests.worker_run                tests.support.worker_run
tests.test_layers               tests.test_layers
tests.test_contacts             tests.parsers.test_contacts
tests.test_headers              tests.parsers.test_headers
tests.test_hostile              tests.parsers.test_hostile
tests.test_mailbody             tests.parsers.test_mailbody
tests.test_marking              tests.parsers.test_marking
tests.test_parse_annotate       tests.parsers.test_parse_annotate
tests.test_parse_read           tests.parsers.test_parse_read
tests.test_parse_rules          tests.parsers.test_parse_rules
tests.test_parse_tolerance      tests.parsers.test_parse_tolerance
tests.test_xlsx_package         tests.parsers.test_xlsx_package
tests.test_xmlscan              tests.parsers.test_xmlscan
tests.test_campaign             tests.routing.test_campaign
tests.test_chain                tests.routing.test_chain
tests.test_loop_rules           tests.routing.test_loop_rules
tests.test_message              tests.routing.test_message
tests.test_names                tests.routing.test_names
tests.test_parse_build          tests.routing.test_parse_build
tests.test_parse_campaign       tests.routing.test_parse_campaign
tests.test_parser_speed_equivalence tests.routing.test_parser_speed_equivalence
tests.test_roster               tests.routing.test_roster
tests.test_schedule             tests.routing.test_schedule
"""

# Every other test module imports mailbot: tests.test_X → tests.mailbot.test_X (one rule, checked like a line).
TEST_DEFAULT = ("tests.test_", "tests.mailbot.test_")

# Opt-in fallback (--prefix-rules) for modules nobody has mapped yet: the first prefix that matches places them.
PREFIX_RULES = """
mailbot.outbox_                 mailbot.outbox.
mailbot.imap_                   mailbot.mail.imap_
mailbot.smtp_                   mailbot.mail.smtp_
mailbot.intake_                 mailbot.intake.
mailbot.exports_                mailbot.reports.export_
mailbot.workbook_               mailbot.reports.workbook_
mailbot.reminders_              mailbot.schedule.reminders_
mailbot.worker_                 mailbot.worker_
mailbot.commands.               mailbot.cli.commands.
mailbot.ledger.                 mailbot.ledger.
mailbot.web.                    mailbot.web.
parsers.marking_                parsers.gate.
parsers.contact_                parsers.contacts.
parsers.rules_                  parsers.forms.rules.
parsers.xlsx_                   parsers.xlsx.
parsers.templates_              parsers.blanks.
routing.campaign_               routing.model.campaign_
tests.                          tests.support.
"""

# Non-Python folders that move with their code (paths relative to the root).
DIR_MOVES = [
    ("mailbot/templates/replies", "mailbot/outbox/templates/replies"),
    ("mailbot/templates/web", "mailbot/web/templates/web"),
    ("mailbot/static/web", "mailbot/web/static/web"),
]

# Types moved down a layer so that parsers imports nothing of routing (and one mailbot cycle is cut):
# (module the definitions are in now, names, module they move to).  The old module imports them back.
SYMBOL_MOVES = [
    ("routing.model.campaign", ["Column", "FormSpec"], "parsers.forms.spec"),
    ("routing.delivery", ["Attachment"], "parsers.mail.attachment"),
    ("parsers.mail.decode", ["RawHeaders", "POLICY", "forwarded_messages"], "parsers.mail.mime"),  # cuts decode ↔ gate.texts
    ("mailbot.outbox.send", ["SendPolicy"], "mailbot.outbox.policy"),  # cuts outbox.send → smtp → settings → outbox.send
]

# Header of a module the symbol moves create (the docstring, and what the moved code needs beyond its old imports).
NEW_MODULES = {
    "parsers.forms.spec": '''"""What the parsers read a file against: the form spec (columns, rules) and the FormBook a campaign offers."""

from __future__ import annotations

from typing import Any, Mapping, Protocol


class FormBook(Protocol):
    """What the parsers need of a campaign (routing's Campaign satisfies it): its forms, tick marks, offices, settings."""

    forms: tuple[FormSpec, ...]
    ticks: tuple[str, ...]
    offices: Mapping[str, Any]
    settings: Mapping[str, Any]
    classified: Mapping[str, Any]

    def form(self, kind: str) -> FormSpec:
        """The form spec of a return kind."""
''',
    "parsers.mail.attachment": '"""An attachment as the parsers decode it from a message: name, type and bytes, in memory only."""\n\nfrom __future__ import annotations\n',
    "parsers.mail.mime": '"""The stdlib parser as the decoder uses it: headers kept raw, and forwarded messages however encoded."""\n\nfrom __future__ import annotations\n',
    "mailbot.outbox.policy": '"""The sending policy of one office: pacing, daily cap, retries (a small value object the settings may override)."""\n\nfrom __future__ import annotations\n',
}

# Inside these folders, a name imported from a module is renamed (the parsers read against a FormBook, not a Campaign).
# When both modules are the same, the class itself is renamed too (two classes were called Context).
RENAMES = [("parsers/", "routing.model.campaign", "Campaign", "parsers.forms.spec", "FormBook"),
           ("parsers/", "parsers.forms.rules.context", "Context", "parsers.forms.rules.context", "RuleContext")]

# A classmethod that only dodged a cycle (campaign ↔ campaign_load) goes; its calls become calls of the builder:
# (module, class, method, call text, replacement, import the replacement needs).
CALL_REWRITES = [("routing.model.campaign", "Campaign", "from_dict", "Campaign.from_dict(", "build_campaign(",
                  "from routing.model.campaign_load import build_campaign")]

# Literal edits no rule above expresses: (file, old text, new text).  Skipped when the new text is already there.
EDITS = [
    ("mailbot/web/__init__.py", "PACKAGE = Path(__file__).resolve().parent.parent", "PACKAGE = Path(__file__).resolve().parent"),
    ("pyproject.toml", 'mailbot = ["templates/**/*", "static/**/*", "migrations/**/*", "data/**/*"]',
     'mailbot = ["outbox/templates/**/*", "web/templates/**/*", "web/static/**/*", "migrations/**/*", "data/**/*"]'),
    ("README.md", "`parsers/marking*.py`", "`parsers/gate/*.py`"),
    ("README.md", "`parsers/contact*.py`", "`parsers/contacts/*.py`"),
]

PACKAGE_DOCS = {
    "parsers.mail": "Mail as bytes: MIME decoding, header text, bodies, quoted replies, forwards and attachments.",
    "parsers.safety": "Cheap, bounded checks before any real parser: real file type, zip and OLE guards, linear XML scans, limits.",
    "parsers.xlsx": "The .xlsx reader: package parts, shared strings, dates and trivial formulas, into grids.",
    "parsers.xls": "The legacy .xls reader (python-calamine), into grids.",
    "parsers.docx": "The .docx reader: paragraphs and tables into grids, form tables, the plan and contact details.",
    "parsers.forms": "A grid read as a return: which form it is, its rows and values, the rules checked on it, its metrics.",
    "parsers.forms.rules": "The rule vocabulary of a campaign file: a registry of rule kinds and what a rule sees.",
    "parsers.contacts": "Contact details (联络人、职务、电话) read from tables and text, merged into one contact return.",
    "parsers.gate": "The 涉密 gate: markings in headers, bodies and attachments, read before anything else is kept.",
    "parsers.blanks": "Blank forms as the notice prints them (.xlsx and .docx), for `mailbot templates` and the demo.",
    "routing.model": "The domain model: the campaign and its loading, the roster and name matching, deadlines and the calendar.",
    "routing.stages": "Chain stages that enrich a delivery: prepare (gate, parse), identify the sender, route to an office.",
    "routing.rules": "Chain rules that decide: screening, the returns a message carries, the reply-loop guard.",
    "mailbot.mail": "Mail servers: IMAP mailboxes, SMTP transport, and the Sent-folder check.",
    "mailbot.intake": "Intake: poll and watch the inboxes, decode arrivals, parse in a child, run the pipeline.",
    "mailbot.outbox": "The outbox: queue every outgoing mail, compose it, pace it and send it exactly once.",
    "mailbot.receipts": "What a receipt says about returns, annotated copies, and the verdict JSON.",
    "mailbot.schedule": "Scheduled mail: reminders, the coordinators' daily digest, inbox health alerts.",
    "mailbot.reports": "What coordinators read and report upward: the ledger workbook, the matrix, the exports.",
    "mailbot.demo": "The demo: a sample inbox, filled-in sample forms and throwaway local mail servers (the [demo] extra).",
    "mailbot.cli": "The `mailbot` command: the Chinese argument parser, the subcommands, terminal output.",
    "tests.parsers": "Tests of the pure parsers.",
    "tests.routing": "Tests of the pure decisions.",
    "tests.mailbot": "Tests of the I/O side, over real mail servers and both databases.",
    "tests.support": "Test helpers: mail-server harnesses, the coordinators' desk, hostile input builders, worker scripts.",
}


# ---------------------------------------------------------------------------------------------------------------
def table(text: str) -> dict[str, str]:
    """Parse a two-column table; '#' starts a comment."""
    rows = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].split()
        if line:
            old, new = line
            rows[old] = new
    return rows


def module_path(root: Path, dotted: str) -> Path | None:
    """The file of a module (a package's __init__.py), or None when it does not exist."""
    base = root.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def modules_on_disk(root: Path) -> dict[str, Path]:
    """Every module under the four project packages, by dotted name."""
    found = {}
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")):
            rel = path.relative_to(root)
            if SKIP_PARTS & set(rel.parts[1:-1]):
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def covering(name: str, mapping: dict[str, str]) -> str | None:
    """The mapping line that decides a module: itself, or the nearest package line above it that moves."""
    if name in mapping:
        return name
    parts = name.split(".")
    for i in range(len(parts) - 1, 0, -1):
        head = ".".join(parts[:i])
        if head in mapping and mapping[head] != head:
            return head
    return None


def complete_mapping(root: Path, use_prefix: bool) -> tuple[dict[str, str], list[str]]:
    """The mapping with the test default (and, if asked, the prefix rules) applied; and the modules still unmapped."""
    mapping, prefixes = table(MAPPING), table(PREFIX_RULES)
    unmapped = []
    for name in modules_on_disk(root):
        if _placed(name, mapping):
            continue
        if name.startswith(TEST_DEFAULT[0]) and name.count(".") == 1:
            mapping[name] = TEST_DEFAULT[1] + name[len(TEST_DEFAULT[0]):]
            continue
        rule = next((p for p in prefixes if use_prefix and name.startswith(p)), None)
        if rule:
            mapping[name] = prefixes[rule] + name[len(rule):]
            print(f"prefix rule {rule!r}: {name} → {mapping[name]}")
            continue
        unmapped.append(name)
    return mapping, unmapped


def _placed(name: str, mapping: dict[str, str]) -> bool:
    """Whether the mapping decides a module: a line of its own, a package line above it, or a place the re-cut made."""
    if covering(name, mapping):
        return True
    news = set(mapping.values()) | set(NEW_MODULES)
    if name in news or any(n.startswith(name + ".") for n in news):
        return True  # at its new place (a re-run), or a package the re-cut creates
    if name.startswith(TEST_DEFAULT[1]) or TEST_DEFAULT[1].startswith(name + "."):
        return True  # tests.mailbot and what the test default put there
    parts = name.split(".")
    # Inside a package that has a line (e.g. mailbot.ledger, or tests.support.corpus after a move), a new module stays.
    return any(".".join(parts[:i]) in news or (".".join(parts[:i]) in mapping and i > 1) for i in range(2, len(parts)))


# ---------------------------------------------------------------------------------------------------------------
def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True)


def plan_moves(root: Path, mapping: dict[str, str]) -> dict[str, str]:
    """The moves this run performs: old → new for modules that exist at their old place and not at the new one."""
    moves = {}
    for old, new in mapping.items():
        if old == new:
            continue
        src, dst = module_path(root, old), module_path(root, new)
        if src is None:
            continue  # already moved (a re-run), or gone from the tree
        if dst is not None and dst != src:
            if src.name == "__init__.py" and dst.is_relative_to(src.parent):
                continue  # the old name is now the package the module went into (mailbot.intake → mailbot.intake.poll)
            sys.exit(f"recut: both {src} and {dst} exist; resolve by hand")
        moves[old] = new
    return moves


def target_file(root: Path, old: str, new: str) -> tuple[Path, Path]:
    src = module_path(root, old)
    if src.name == "__init__.py":
        return src.parent, root.joinpath(*new.split("."))
    return src, root.joinpath(*new.split(".")).with_suffix(".py")


def ensure_package(root: Path, folder: Path, dry: bool) -> None:
    """Create __init__.py files (with a one-line docstring) down to ``folder``."""
    rel = folder.relative_to(root)
    for i in range(1, len(rel.parts) + 1):
        pkg = root.joinpath(*rel.parts[:i])
        init = pkg / "__init__.py"
        if init.exists() or dry:
            continue
        pkg.mkdir(parents=True, exist_ok=True)
        doc = PACKAGE_DOCS.get(".".join(rel.parts[:i]), f"The {rel.parts[i - 1]} package.")
        init.write_text(f'"""{doc}"""\n', encoding="utf-8")
        git(root, "add", str(init.relative_to(root)))


def _clear_leftovers(dst: Path) -> None:
    """A folder left from an earlier run holding only __pycache__ would make git mv nest the package inside it."""
    if dst.is_dir():
        if any("__pycache__" not in p.parts for p in dst.rglob("*") if p.is_file()):
            sys.exit(f"recut: {dst} already exists; resolve by hand")
        shutil.rmtree(dst)


def perform_moves(root: Path, moves: dict[str, str], dry: bool) -> list[tuple[str, str]]:
    """git mv every module (deepest packages last) and return the path renames for text rewriting."""
    paths = []
    for old, new in sorted(moves.items(), key=lambda kv: -kv[0].count(".")):
        src, dst = target_file(root, old, new)
        print(f"move {src.relative_to(root)} → {dst.relative_to(root)}")
        paths.append((str(src.relative_to(root)), str(dst.relative_to(root))))
        if not dry:
            ensure_package(root, dst.parent, dry)
            _clear_leftovers(dst)
            git(root, "mv", str(src.relative_to(root)), str(dst.relative_to(root)))
    for old_dir, new_dir in DIR_MOVES:
        if (root / old_dir).exists() and not (root / new_dir).exists():
            print(f"move {old_dir}/ → {new_dir}/")
            paths.append((old_dir, new_dir))
            if not dry:
                (root / new_dir).parent.mkdir(parents=True, exist_ok=True)
                git(root, "mv", old_dir, new_dir)
    for left in ("mailbot/templates", "mailbot/static"):
        rest = [p for p in (root / left).rglob("*") if p.is_file()] if (root / left).exists() else []
        if rest:
            print(f"recut: WARNING {left}/ still holds {len(rest)} files (a folder DIR_MOVES does not name?)")
    return paths


# ---------------------------------------------------------------------------------------------------------------
def _bound_names(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def _used_names(nodes: list[ast.stmt]) -> set[str]:
    used = set()
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name):
                used.add(sub.id)
            elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                used.update(re.findall(r"[A-Za-z_]\w*", sub.value))  # string annotations
    return used


def move_symbols(root: Path, dry: bool) -> list[tuple[str, str, str]]:
    """Move whole top-level definitions between modules; the old module imports them back.  Returns (old, name, new)."""
    done = []
    for src_mod, names, dst_mod in SYMBOL_MOVES:
        src = module_path(root, src_mod)
        if src is None:
            print(f"symbol move: {src_mod} not found; skipped")
            continue
        text = src.read_text(encoding="utf-8")
        tree = ast.parse(text)
        nodes = [n for n in tree.body if set(_bound_names(n)) & set(names)]
        if not nodes:
            continue  # already moved
        lines = text.splitlines(keepends=True)
        chunks, spans = [], []
        for node in nodes:
            start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
            spans.append((start, node.end_lineno))
            chunks.append("".join(lines[start:node.end_lineno]))
        used = _used_names(nodes)
        needed, local = [], []
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
                keep = [a for a in node.names if (a.asname or a.name).split(".")[0] in used]
                if keep:
                    clone = ast.ImportFrom(node.module, keep, node.level) if isinstance(node, ast.ImportFrom) else ast.Import(keep)
                    needed.append(ast.unparse(clone))
            elif node not in nodes:
                local += [n for n in _bound_names(node) if n in used]
        if local:
            print(f"symbol move: {names} use {local} of {src_mod}; imported from there")
            needed.append(f"from {src_mod} import {', '.join(local)}")
        print(f"symbol move: {', '.join(names)}  {src_mod} → {dst_mod}")
        done += [(src_mod, n, dst_mod) for n in names]
        if dry:
            continue
        for start, end in sorted(spans, reverse=True):
            del lines[start:end]
            while start < len(lines) and start > 0 and not lines[start].strip() and not lines[start - 1].strip():
                del lines[start]
        src_text = _add_import("".join(lines), f"from {dst_mod} import {', '.join(names)}")
        src.write_text(src_text, encoding="utf-8")
        dst = root.joinpath(*dst_mod.split(".")).with_suffix(".py")
        ensure_package(root, dst.parent, dry)
        head = dst.read_text(encoding="utf-8") if dst.exists() else NEW_MODULES.get(dst_mod, f'"""{dst_mod}."""\n\nfrom __future__ import annotations\n')
        for imp in needed:
            head = _add_import(head, imp)
        dst.write_text(head.rstrip("\n") + "\n\n\n" + "\n\n".join(c.rstrip("\n") + "\n" for c in chunks), encoding="utf-8")
        git(root, "add", str(dst.relative_to(root)))
    return done


def _add_import(text: str, statement: str) -> str:
    """Insert an import statement after the module's last top-level import (or its docstring)."""
    if statement in text:
        return text
    tree = ast.parse(text)
    after = 0
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            after = node.end_lineno
        elif after == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            after = node.end_lineno
    lines = text.splitlines(keepends=True)
    lines.insert(after, ("\n" if after and not any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in tree.body) else "") + statement + "\n")
    return "".join(lines)


# ---------------------------------------------------------------------------------------------------------------
class Rewriter:
    """Rewrite module names (imports, dotted strings, paths) for the moves of this run."""

    def __init__(self, moves: dict[str, str], paths: list[tuple[str, str]], symbols: list[tuple[str, str, str]]):
        self.moves = moves
        self.symbols = {}
        for old, name, new in symbols:  # keyed by the module's name before and after the file move
            self.symbols[(old, name)] = new
            for before, after in moves.items():
                if after == old:
                    self.symbols[(before, name)] = new
        self.dotted = self._pattern(moves, r"(?<![\w.])(", r")(?![\w])")
        path_map = {}
        for src, dst in paths:
            path_map[src] = dst
            if src.endswith("/__init__.py"):
                path_map[src[: -len("/__init__.py")]] = dst
            elif src.endswith(".py"):
                path_map[src[:-3]] = dst[:-3]  # "mailbot/outbox_send" without the suffix
        self.paths = path_map
        self.path_re = self._pattern(path_map, r"(?<![\w/.-])(", r")(?![\w*-])")

    @staticmethod
    def _pattern(table: dict[str, str], head: str, tail: str):
        if not table:
            return None
        keys = sorted(table, key=len, reverse=True)
        return re.compile(head + "|".join(re.escape(k) for k in keys) + tail)

    def module(self, name: str) -> str:
        """A dotted name (module, or module.attribute) at its new place."""
        parts = name.split(".")
        for i in range(len(parts), 0, -1):
            head = ".".join(parts[:i])
            if head in self.moves:
                return ".".join([self.moves[head]] + parts[i:])
        return name

    def text(self, s: str) -> str:
        """Dotted module names and file paths inside prose, strings and config files."""
        if self.dotted:
            s = self.dotted.sub(lambda m: self.moves[m.group(1)], s)
        if self.path_re:
            s = self.path_re.sub(lambda m: self.paths[m.group(1)], s)
        return s

    # -- Python source --------------------------------------------------------------------------------------------
    def python(self, source: str) -> str:
        source = self._imports(source)
        source = self._segments(source)
        return self._strings(source)

    SEGMENTS = re.compile(r'"[\w.-]+"(?:\s*/\s*"[\w.-]+")+')

    def _segments(self, source: str) -> str:
        """Paths written as joined segments: ROOT / "tests" / "worker_run.py" → ROOT / "tests" / "support" / …"""
        def moved(m: re.Match) -> str:
            parts = re.findall(r'"([\w.-]+)"', m.group(0))
            for i in range(len(parts), 0, -1):
                head = "/".join(parts[:i])
                if head in self.paths:
                    return " / ".join(f'"{p}"' for p in self.paths[head].split("/") + parts[i:])
            return m.group(0)

        return self.SEGMENTS.sub(moved, source)

    def _imports(self, source: str) -> str:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return source
        roots = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        edits = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                new = self._import_from(node)
                if new is not None:
                    edits.append((node, new))
            elif isinstance(node, ast.Import):
                names = [(self.module(a.name), a.asname) for a in node.names]
                if any(n != a.name for (n, _), a in zip(names, node.names)):
                    edits.append((node, "import " + ", ".join(n + (f" as {s}" if s else "") for n, s in names)))
            elif isinstance(node, ast.Attribute) and _dotted(node) and _dotted(node).split(".")[0] in roots & set(PACKAGES):
                name = _dotted(node)
                if name in self.moves:
                    edits.append((node, self.moves[name]))
        return _apply(source, edits)

    def _import_from(self, node: ast.ImportFrom) -> str | None:
        groups: dict[str, list[str]] = {}
        changed = False
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            local = alias.asname or alias.name
            if full in self.moves:  # a module imported from its package
                new = self.moves[full]
                pkg, _, leaf = new.rpartition(".")
                groups.setdefault(pkg, []).append(leaf if leaf == local else f"{leaf} as {local}")
                changed = True
                continue
            mod = self.module(node.module)
            mod = self.symbols.get((node.module, alias.name), mod)
            changed |= mod != node.module
            groups.setdefault(mod, []).append(alias.name + (f" as {alias.asname}" if alias.asname else ""))
        if not changed:
            return None
        return "\n".join(f"from {mod} import {', '.join(names)}" for mod, names in groups.items())

    def _code_in_string(self, literal: str) -> str:
        """Python code kept in a triple-quoted string (a subprocess's -c program): its imports are rewritten too."""
        m = CODE_STRING.match(literal)
        if not m or "import" not in m.group(3):
            return literal
        try:
            ast.parse(m.group(3))
        except SyntaxError:
            return literal
        return m.group(1) + m.group(2) + self._imports(m.group(3)) + m.group(2)

    def _strings(self, source: str) -> str:
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        except (tokenize.TokenError, SyntaxError):
            return source
        edits = []
        for tok in tokens:
            if tok.type in (tokenize.STRING, tokenize.COMMENT):
                new = self.text(self._code_in_string(tok.string))
                if new != tok.string:
                    edits.append((tok.start, tok.end, new))
        return _apply_spans(source, edits)


CODE_STRING = re.compile(r'^([rbuRBU]?)("""|\'\'\')(.*)\2$', re.S)


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head else None
    return None


def _apply(source: str, edits: list[tuple[ast.AST, str]]) -> str:
    spans = []
    for node, text in edits:
        indent = " " * node.col_offset
        spans.append(((node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset), text.replace("\n", "\n" + indent)))
    # Drop attribute edits nested inside another edit (the outer one already says it all).
    spans.sort()
    kept = []
    for span in spans:
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return _apply_spans(source, kept)


def _apply_spans(source: str, spans: list[tuple[tuple[int, int], tuple[int, int], str]]) -> str:
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def at(pos):  # (line 1-based, column in characters)
        return offsets[pos[0] - 1] + pos[1]

    for start, end, text in sorted(spans, reverse=True):
        source = source[: at(start)] + text + source[at(end):]
    return source


FILE_DEPTH = re.compile(r"Path\(__file__\)(\.resolve\(\))?((?:\.parent){2,})|Path\(__file__\)(\.resolve\(\))?\.parents\[(\d+)\]"
                        r"|os\.path\.dirname\(os\.path\.dirname\(__file__\)\)")


def deepen(source: str, levels: int) -> str:
    """A moved file's way up to the repository root: one more .parent per level it went down."""
    if levels <= 0:
        return source

    def more(m: re.Match) -> str:
        if m.group(2):
            return f"Path(__file__){m.group(1) or ''}{m.group(2)}{'.parent' * levels}"
        if m.group(4):
            return f"Path(__file__){m.group(3) or ''}.parents[{int(m.group(4)) + levels}]"
        inner = "__file__"
        for _ in range(2 + levels):
            inner = f"os.path.dirname({inner})"
        return inner

    return FILE_DEPTH.sub(more, source)


def moved_depths(root: Path, paths: list[tuple[str, str]]) -> dict[str, int]:
    """How many folders deeper each moved Python file now sits."""
    depth = {}
    for src, dst in paths:
        delta = len(Path(dst).parts) - len(Path(src).parts)
        files = [root / dst] if dst.endswith(".py") else sorted((root / dst).rglob("*.py"))
        for file in files:
            depth[str(file.relative_to(root))] = delta
    return depth


def rename_names(root: Path, dry: bool) -> None:
    """RENAMES: inside a folder, a name imported from one module becomes another name from another module."""
    for folder, old_mod, old_name, new_mod, new_name in RENAMES:
        home = module_path(root, old_mod)
        if old_mod == new_mod and home is not None:
            text = home.read_text(encoding="utf-8")
            tree = ast.parse(text)
            if any(_bound_names(n) == [old_name] for n in tree.body):
                print(f"rename class {old_name} → {new_name} in {home.relative_to(root)}")
                spans = [(t.start, t.end, new_name) for t in tokenize.generate_tokens(io.StringIO(text).readline)
                         if t.type == tokenize.NAME and t.string == old_name]
                if not dry:
                    home.write_text(_apply_spans(text, spans), encoding="utf-8")
        for path in sorted((root / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            tree = ast.parse(text)
            hit = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == old_mod and any(a.name == old_name and not a.asname for a in n.names)]
            if not hit:
                continue
            print(f"rename {old_name} → {new_name} in {path.relative_to(root)}")
            spans = []
            for node in hit:
                rest = [a for a in node.names if a.name != old_name]
                new = f"from {new_mod} import {new_name}"
                if rest:
                    new = f"from {old_mod} import {', '.join(ast.unparse(a) for a in rest)}\n" + new
                spans.append(((node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset), new))
            tokens = tokenize.generate_tokens(io.StringIO(text).readline)
            inside = [(n.lineno, n.end_lineno) for n in hit]
            for tok in tokens:
                if tok.type == tokenize.NAME and tok.string == old_name and not any(a <= tok.start[0] <= b for a, b in inside):
                    spans.append((tok.start, tok.end, new_name))
            if not dry:
                path.write_text(_apply_spans(text, spans), encoding="utf-8")


def rewrite_calls(root: Path, dry: bool) -> None:
    """CALL_REWRITES: drop the method, and call the function instead wherever the method was called."""
    for module, cls, method, call, new_call, statement in CALL_REWRITES:
        path = module_path(root, module)
        text = path.read_text(encoding="utf-8") if path else ""
        tree = ast.parse(text)
        for node in (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls):
            for fn in (f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == method):
                start = min([fn.lineno] + [d.lineno for d in fn.decorator_list]) - 1
                lines = text.splitlines(keepends=True)
                end = fn.end_lineno + (1 if fn.end_lineno < len(lines) and not lines[fn.end_lineno].strip() else 0)
                print(f"drop {cls}.{method} from {path.relative_to(root)}")
                if not dry:
                    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
        for d in REWRITE_DIRS:
            for file in sorted((root / d).rglob("*.py")) if (root / d).exists() else ():
                source = file.read_text(encoding="utf-8")
                if call in source and file.name != "recut.py":
                    print(f"call {new_call}…) instead of {call}…) in {file.relative_to(root)}")
                    if not dry:
                        file.write_text(_add_import(source.replace(call, new_call), statement), encoding="utf-8")


def _top_imports(root: Path, mods: dict[str, Path]) -> dict[str, set[str]]:
    """Per module, the project modules its top-level statements import."""
    top = {}
    for name, path in mods.items():
        found = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            for target in _import_targets(node):
                found.add(_resolve(target, mods))
        top[name] = found - {None, name}
    return top


def _import_targets(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [f"{node.module}.{a.name}" for a in node.names]
    return []


def _resolve(name: str, mods: dict[str, Path]) -> str | None:
    while name and name not in mods:
        name = name.rpartition(".")[0]
    return name or None


def _closure(start: str, top: dict[str, set[str]]) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in top.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def hoist_imports(root: Path, dry: bool) -> int:
    """An import inside a function goes to the top when it costs nothing there and closes no cycle.

    Nothing costs nothing: the module it names already loads with this one (through top-level imports), and that
    module does not load this one.  Other imports inside functions stay: some are lazy on purpose (the CLI's start).
    """
    mods = {k: v for k, v in modules_on_disk(root).items() if k.split(".")[0] != "tests"}
    top, hoisted = _top_imports(root, mods), 0
    for name, path in mods.items():
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        reach, moved = _closure(name, top), []
        for fn in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for block in (getattr(n, "body", []) for n in ast.walk(fn)):
                for stmt in block if isinstance(block, list) else []:
                    targets = {_resolve(t, mods) for t in _import_targets(stmt)}
                    if (isinstance(stmt, ast.ImportFrom) and targets and None not in targets and len(block) > 1
                            and all(t in reach and name not in _closure(t, top) for t in targets)):
                        moved.append(stmt)
        if not moved:
            continue
        lines = text.splitlines(keepends=True)
        for stmt in sorted(moved, key=lambda s: -s.lineno):
            del lines[stmt.lineno - 1:stmt.end_lineno]
        text = "".join(lines)
        for stmt in moved:
            text = _add_import(text, ast.unparse(stmt))
        print(f"hoist {len(moved)} import(s) to the top of {path.relative_to(root)}")
        hoisted += len(moved)
        if not dry:
            path.write_text(text, encoding="utf-8")
    return hoisted


def apply_edits(root: Path, dry: bool) -> None:
    for rel, old, new in EDITS:
        path = root / rel
        if not path.exists():
            print(f"edit: {rel} missing; skipped")
            continue
        text = path.read_text(encoding="utf-8")
        done = new in text and (old not in text or old in new and text.count(old) == text.count(new))
        if done:
            continue
        if old not in text:
            print(f"edit: {rel}: text not found, check by hand: {old!r}")
            continue
        print(f"edit {rel}")
        if not dry:
            path.write_text(text.replace(old, new), encoding="utf-8")


def rewrite_tree(root: Path, rw: Rewriter, depth: dict[str, int], dry: bool) -> int:
    """Rewrite every Python file and the named text files; returns how many changed."""
    files = [p for d in REWRITE_DIRS if (root / d).exists() for p in sorted((root / d).rglob("*")) if p.is_file()]
    files += [root / f for f in REWRITE_FILES if (root / f).exists()]
    changed = 0
    for path in files:
        rel = str(path.relative_to(root))
        if "__pycache__" in rel or path.suffix not in (".py", ".toml", ".md", ".yml", ".yaml", ".sh", ""):
            continue
        if path.name == "recut.py":
            continue  # this script names the old modules on purpose
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = rw.python(text) if path.suffix == ".py" else rw.text(text)
        if path.suffix == ".py":
            new = deepen(new, depth.get(rel, 0))
        if new != text:
            changed += 1
            if not dry:
                path.write_text(new, encoding="utf-8")
    return changed


# ---------------------------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print what would move; change nothing")
    parser.add_argument("--prefix-rules", action="store_true", help="place unmapped modules by PREFIX_RULES")
    parser.add_argument("--no-ruff", action="store_true", help="skip the final `ruff check --fix`")
    parser.add_argument("--allow-dirty", action="store_true", help="run on a tree with uncommitted changes")
    args = parser.parse_args(argv)
    root = Path.cwd()
    if not (root / "pyproject.toml").exists() or not (root / "mailbot").is_dir():
        print("recut: run from the repository root", file=sys.stderr)
        return 2
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True).stdout.strip()
    if dirty and not (args.allow_dirty or args.dry_run):
        print("recut: the tree has uncommitted changes; commit or stash them first", file=sys.stderr)
        return 2
    mapping, unmapped = complete_mapping(root, args.prefix_rules)
    if unmapped:
        print("recut: these modules have no line in MAPPING (scripts/recut.py); add one per module and run again:",
              file=sys.stderr)
        for name in unmapped:
            print(f"    {name:<32}", file=sys.stderr)
        return 2
    moves = plan_moves(root, mapping)
    paths = perform_moves(root, moves, args.dry_run)
    depth = {} if args.dry_run else moved_depths(root, paths)
    symbols = move_symbols(root, args.dry_run)
    changed = rewrite_tree(root, Rewriter(moves, paths, symbols), depth, args.dry_run)
    rename_names(root, args.dry_run)
    rewrite_calls(root, args.dry_run)
    hoist_imports(root, args.dry_run)
    apply_edits(root, args.dry_run)
    print(f"recut: {len(moves)} modules moved, {len(symbols)} definitions relocated, {changed} files rewritten")
    if args.dry_run or args.no_ruff:
        return 0
    ruff = [sys.executable, "-m", "ruff"] if _has_ruff_module() else ["ruff"]
    print("== ruff check --fix")
    done = subprocess.run([*ruff, "check", "--fix", "."], cwd=root)
    subprocess.run(["git", "add", "-A", "."], cwd=root, check=True)  # the tree was clean: everything changed is ours
    print("recut: staged; review with `git diff --cached --stat -M`, then commit")
    return 0 if done.returncode == 0 else 1


def _has_ruff_module() -> bool:
    import importlib.util

    return importlib.util.find_spec("ruff") is not None


if __name__ == "__main__":
    sys.exit(main())
