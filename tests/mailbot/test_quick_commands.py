"""Quick commands: `mailbot --help` and every subcommand's parser load no heavy library; the ledger's start needs no Alembic."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
# What a parser has no use for: the web stack, the workbook readers, the ORM, migrations, mail servers of the demo.
HEAVY = ("flask", "werkzeug", "jinja2", "openpyxl", "lxml", "docx", "sqlalchemy", "alembic", "imapclient", "apscheduler",
         "pymap", "aiosmtpd", "rich", "mailbot.demo.servers", "mailbot.demo.mail_round", "mailbot.web", "parsers.read")


def loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code`` (which must print nothing)."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_mailbot_help_imports_no_heavy_library():
    code = "import contextlib, io\nfrom mailbot.cli.main import main\nwith contextlib.redirect_stdout(io.StringIO()):\n    main(['--help'])"
    assert heavy_in(loaded_after(f"try:\n    {code.replace(chr(10), chr(10) + '    ')}\nexcept SystemExit:\n    pass")) == []


@pytest.mark.parametrize("command", ["run", "serve", "demo", "ledger", "doctor", "export", "poll", "process", "user"])
def test_a_subcommands_help_imports_no_heavy_library(command):
    code = (f"import contextlib, io\nfrom mailbot.cli.main import main\ntry:\n    with contextlib.redirect_stdout(io.StringIO()):\n"
            f"        main([{command!r}, '--help'])\nexcept SystemExit:\n    pass")
    assert heavy_in(loaded_after(code)) == []


def test_the_probe_sees_a_heavy_import():
    assert "flask" in heavy_in(loaded_after("import mailbot.web"))


def test_one_small_parsers_module_does_not_load_the_workbook_readers():
    loaded = loaded_after("import parsers.problems\nfrom parsers import Severity")
    assert not {"openpyxl", "lxml", "parsers.read", "parsers.annotate"} & loaded


def test_the_public_names_of_parsers_still_resolve():
    import parsers

    assert parsers.read_attachment.__module__ == "parsers.read"
    assert set(parsers.__all__) <= set(dir(parsers))
    with pytest.raises(AttributeError):
        parsers.no_such_name  # noqa: B018


def test_the_head_read_from_the_revision_files_is_alembics():
    from mailbot.ledger import schema

    assert schema.shipped_head() == schema.scripts().get_current_head()


@pytest.mark.db
def test_an_up_to_date_ledger_opens_without_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'l.db'}"
    subprocess.run([sys.executable, "-m", "mailbot", "--db", url, "db", "upgrade"], cwd=ROOT, check=True, capture_output=True, timeout=120)
    loaded = loaded_after(f"from mailbot.ledger import Ledger\nLedger({url!r}).dispose()")
    assert "mailbot.ledger.store" in loaded and "alembic" not in loaded


def test_the_idle_workers_modules_load_no_workbook_or_html_library():
    # openpyxl (with numpy) and lxml cost 30 MB: loaded with the first workbook or HTML body, not at start
    loaded = loaded_after("import mailbot.worker, mailbot.intake.watch, mailbot.outbox.enqueue, mailbot.receipts.annotated, mailbot.intake.pipeline, "
                          "parsers.mail.decode, parsers.mail.quoted")
    assert not {"openpyxl", "lxml", "numpy", "flask", "rich"} & {m.split(".")[0] for m in loaded}
