"""Fixtures of the kernel tests that start the project's own processes."""

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with every migration applied, made once for the session: the processes
    under test (``warmhome serve``, the worker) cannot use the in-memory test database, and
    migrating takes ten seconds or more."""
    directory = tmp_path_factory.mktemp("migrated")
    path = directory / "migrated.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_")) and key != "DATABASE_URL"
    }
    env.update(DATABASE_URL=f"sqlite:///{path}", WARMHOME_VAR_DIR=str(directory))
    command = [sys.executable, "-m", "warmhome", "migrate", "--noinput", "-v", "0"]
    subprocess.run(command, env=env, check=True, timeout=300)  # noqa: S603
    return path


@pytest.fixture
def migrated_copy(migrated_sqlite_file: Path) -> Callable[[Path], Path]:
    """Copies the migrated file to ``target`` (a database of the test's own) and returns it."""

    def copy(target: Path) -> Path:
        shutil.copyfile(migrated_sqlite_file, target)
        return target

    return copy
