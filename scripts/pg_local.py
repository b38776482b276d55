"""Start or stop a throwaway PostgreSQL on loopback in a temp dir (for tests; works as root or not)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
from pathlib import Path


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else (shutil.which(name) or name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: drop to the postgres user when we are root.
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


def start(root: Path) -> str:
    """Create a cluster under root, start it on a free loopback port, print its SQLAlchemy URL."""
    data, port = root / "data", _free_port()
    if os.geteuid() == 0:
        pwd.getpwnam("postgres")
        shutil.chown(root, "postgres")
    subprocess.run(_as_postgres([_bin("initdb"), "-D", str(data), "-U", "mailbot", "--auth=trust", "-E", "UTF8", "--locale=C"]), check=True, stdout=subprocess.DEVNULL)
    opts = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} -c fsync=off -c max_connections=200"
    subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "pg.log"), "-w", "start"]), check=True, stdout=subprocess.DEVNULL)
    (root / "port").write_text(str(port))
    return f"postgresql+psycopg://mailbot@127.0.0.1:{port}/postgres"


def stop(root: Path) -> None:
    """Stop the cluster under root."""
    subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "stop"]), check=False, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    action, where = sys.argv[1], Path(sys.argv[2])
    if action == "start":
        print(start(where))
    else:
        stop(where)
