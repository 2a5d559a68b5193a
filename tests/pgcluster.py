"""A throwaway PostgreSQL cluster for tests that stop or break the server.

``initdb`` into a temp folder and ``pg_ctl`` on a free port, as the ``postgres`` user when run
as root (initdb refuses root). Never touches the machine's own service.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """``Cluster()``: a new primary. ``Cluster(standby_of=primary)``: a streaming hot standby of
    it (``pg_basebackup -R``: a base copy plus the settings to follow the primary's WAL)."""

    def __init__(self, *, standby_of: Cluster | None = None) -> None:
        self.initdb, self.pg_ctl = _bin("initdb"), _bin("pg_ctl")
        if not self.initdb or not self.pg_ctl:
            raise RuntimeError("initdb/pg_ctl not found: install PostgreSQL server binaries")
        self.dir = tempfile.mkdtemp(prefix="gs-pgcluster-")
        self.data = os.path.join(self.dir, "data")
        self.port = _free_port()
        self.as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        if standby_of is None:
            self._run([self.initdb, "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
        else:
            backup = _bin("pg_basebackup")
            if not backup:
                raise RuntimeError("pg_basebackup not found: install PostgreSQL server binaries")
            self._run([backup, "-D", self.data, "-R", "-X", "stream", "-c", "fast", "-h", "127.0.0.1",
                       "-p", str(standby_of.port), "-U", "postgres", "--no-sync"])
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.dir}'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                    "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\nwal_receiver_status_interval = 1\n")
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, cmd: list[str]) -> None:
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._run([self.pg_ctl, "-D", self.data, "-l", os.path.join(self.dir, "log"), "-w", "-t", "60", "start"])

    def stop(self, mode: str = "fast") -> None:
        self._run([self.pg_ctl, "-D", self.data, "-m", mode, "-w", "-t", "60", "stop"])

    def running(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def destroy(self) -> None:
        if self.running():
            try:
                self.stop("immediate")
            except subprocess.CalledProcessError:
                pass
        time.sleep(0.1)
        shutil.rmtree(self.dir, ignore_errors=True)
