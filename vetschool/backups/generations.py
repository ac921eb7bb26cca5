"""The backup folder: one sub-folder per generation, named by its UTC time so names sort
by age. A generation is written under a dot-name and renamed when complete: a folder
without a leading dot and with a manifest is a finished backup, nothing else is."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

MANIFEST = "manifest.json"
PREFIX = "vetschool-"
PARTIAL = ".partial-"


def backup_dir() -> Path:
    return Path(settings.BACKUP_DIR)


def generation_name(now: datetime) -> str:
    return f"{PREFIX}{now.astimezone(UTC):%Y%m%dT%H%M%S%fZ}"


def generations(root: Path | None = None) -> list[Path]:
    """Finished generations, oldest first."""
    root = root or backup_dir()
    if not root.is_dir():
        return []
    return sorted(path for path in root.iterdir()
                  if path.name.startswith(PREFIX) and (path / MANIFEST).is_file())


def newest(root: Path | None = None) -> Path | None:
    found = generations(root)
    return found[-1] if found else None


def read_manifest(generation: Path) -> dict:
    return json.loads((generation / MANIFEST).read_text(encoding="utf-8"))


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_problems(generation: Path, manifest: dict) -> list[str]:
    """What differs between the files of a generation and its manifest (empty: intact)."""
    problems = []
    listed = manifest.get("files", {})
    for name, recorded in sorted(listed.items()):
        path = generation / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif path.stat().st_size != recorded["bytes"] or sha256(path) != recorded["sha256"]:
            problems.append(f"{name}: checksum differs from the manifest")
    extra = {p.name for p in generation.iterdir()} - set(listed) - {MANIFEST}
    problems += [f"{name}: not in the manifest" for name in sorted(extra)]
    return problems


def prune(keep: int, root: Path | None = None) -> list[Path]:
    """Delete all but the `keep` newest generations, and partial folders a crashed backup
    left more than a day ago. Returns the deleted generations."""
    root = root or backup_dir()
    doomed = generations(root)[:-keep] if keep > 0 else []
    for path in doomed:
        shutil.rmtree(path)
    for path in root.glob(f"{PARTIAL}*"):
        if time.time() - path.stat().st_mtime > 24 * 3600:
            shutil.rmtree(path, ignore_errors=True)
    return doomed
