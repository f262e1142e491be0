"""Sessions in the database, read on every request by one prepared statement."""

from __future__ import annotations

from functools import cache

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from concejo.core.reads import columns, prepared_value, read_models


@cache
def _session_sql() -> str:
    return (
        f"SELECT {columns(Session, 's')} FROM {Session._meta.db_table} s "  # noqa: S608 - names from the model
        "WHERE s.session_key = %s AND s.expire_date > %s"
    )


class SessionStore(db.SessionStore):
    """Django's database sessions; only the read of a session by its key changes."""

    def _get_session_from_db(self):
        now = prepared_value(Session, "expire_date", timezone.now())
        rows = read_models(_session_sql(), [self.session_key, now], [(Session, "s")])
        if not rows:
            self._session_key = None
            return None
        return rows[0][0]
