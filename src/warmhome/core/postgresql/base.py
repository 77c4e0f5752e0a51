"""Django's PostgreSQL backend, with a health check that costs no round trip.

Settings name it as the engine for ``DATABASE_URL=postgres://…`` (settings, Database).
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        """Whether the kept connection can serve another request.

        Django's check asks the server (``SELECT 1``) at the start of every request that uses a
        kept connection: one round trip more on each request, a tenth of a public check-in's
        (bench/checkin.py). A connection the server has closed (a restart, a terminated
        backend, an idle timeout) has something to read — the server's last message, or the
        end of the stream — where a healthy idle one has nothing; only then is the server
        asked. A connection lost without a word (a network cut between two hosts) fails its
        first query instead, and Django drops it when that request ends.
        """
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            readable, _writable, _failed = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return super().is_usable() if readable else True
