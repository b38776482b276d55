#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run it:
# once on the embedded SQLite default, and once more (every test that touches the ledger) on a real PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/sbin/dovecot ] || need_apt+=(dovecot-imapd)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
# The print tests render every workbook to PDF; a CJK font makes the measured widths those of Chinese text.
[ -x /usr/bin/soffice ] || need_apt+=(libreoffice-calc)
fc-list :lang=zh 2>/dev/null | grep -q . || need_apt+=(fonts-wqy-microhei)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== apt-get install ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

echo "== pip install -e .[test]"
PIP_ROOT_USER_ACTION=ignore python3 -m pip install -q -e '.[test]'

echo "== ruff check"
python3 -m ruff check .

echo "== pytest (SQLite)"
python3 -m pytest -q -p no:cacheprovider "$@"

echo "== pytest (PostgreSQL)"
pgdir=$(mktemp -d /tmp/mailbot-pg.XXXXXX)
trap 'python3 scripts/pg_local.py stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$pgdir"' EXIT
pg_url=$(python3 scripts/pg_local.py start "$pgdir")
MAILBOT_TEST_PG="$pg_url" python3 -m pytest -q -p no:cacheprovider -m db "$@"
