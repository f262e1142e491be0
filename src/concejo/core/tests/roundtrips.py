"""Counting the round trips to PostgreSQL that some code makes, from libpq's own trace."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Callable
from typing import Any

from django.db import connection


def round_trips(fn: Callable[[], Any]) -> tuple[int, Any]:
    """How many times `fn` waits for PostgreSQL's answer (and what it returns).

    libpq writes every protocol message it sends ("F") and receives ("B"), in
    order; each run of messages sent that is followed by an answer is one round
    trip. PostgreSQL only.
    """
    from psycopg import pq

    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile("w+") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            result = fn()
        finally:
            pgconn.untrace()
        trace.seek(0)
        directions = [line[0] for line in trace if line[:1] in ("F", "B")]
    trips = sum(1 for a, b in itertools.pairwise(directions) if (a, b) == ("F", "B"))
    return trips, result
