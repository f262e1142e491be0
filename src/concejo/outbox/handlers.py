"""Which function runs each kind of outbox task (apps register theirs in ready()).

A kind may instead register a batch handler, which receives many payloads at
once (e.g. to send many e-mails over one SMTP connection) and returns, for
each, None when it was done or the exception that made it fail. Apps may also
register periodic sweeps: time-based effects that `concejo sweep` records
(e.g. notifications rejected after ten days without access).
"""

from collections.abc import Callable

_HANDLERS: dict[str, Callable[[dict], None]] = {}
_BATCH: dict[str, Callable[[list[dict]], list[Exception | None]]] = {}
_SWEEPS: dict[str, Callable] = {}


def register(kind: str, handler: Callable[[dict], None]) -> None:
    _HANDLERS[kind] = handler


def register_batch(kind: str, handler: Callable[[list[dict]], list[Exception | None]]) -> None:
    _BATCH[kind] = handler

    def one(payload: dict) -> None:
        error = handler([payload])[0]
        if error is not None:
            raise error

    _HANDLERS[kind] = one


def handler_for(kind: str) -> Callable[[dict], None]:
    return _HANDLERS[kind]


def batch_handler_for(kind: str) -> Callable[[list[dict]], list[Exception | None]] | None:
    return _BATCH.get(kind)


def register_sweep(name: str, sweep: Callable) -> None:
    """`sweep(now) -> int` records what became due by `now` and returns how many rows."""
    _SWEEPS[name] = sweep


def sweeps() -> dict[str, Callable]:
    return dict(_SWEEPS)
