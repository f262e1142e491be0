"""Which function runs each kind of outbox task (apps register theirs in ready())."""

from collections.abc import Callable

_HANDLERS: dict[str, Callable[[dict], None]] = {}


def register(kind: str, handler: Callable[[dict], None]) -> None:
    _HANDLERS[kind] = handler


def handler_for(kind: str) -> Callable[[dict], None]:
    return _HANDLERS[kind]
