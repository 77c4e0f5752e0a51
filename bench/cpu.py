"""CPU time of other processes, read from ``/proc`` (Linux; 0 elsewhere)."""

import os
from pathlib import Path
from typing import Any


def cpu_seconds(predicate: Any) -> float:
    """User + system CPU seconds of the live processes whose ``/proc/<pid>/stat`` line matches,
    and of their children that have ended. The ended children count: a PostgreSQL backend whose
    connection reached its age ends, and its time moves to the postmaster's."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            line = stat.read_text()
        except OSError:
            continue
        command, fields = line.split(" (", 1)[1].rsplit(") ", 1)
        values = fields.split()
        if predicate(command, values):
            total += sum(int(value) for value in values[11:15])  # utime stime cutime cstime
    return total / os.sysconf("SC_CLK_TCK")


def postgresql_seconds() -> float:
    """CPU seconds of this machine's PostgreSQL server so far (its backends, ended ones too)."""
    return cpu_seconds(lambda command, _values: command == "postgres")
