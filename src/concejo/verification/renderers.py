"""Which function renders each kind of issued document (apps register theirs in ready())."""

from collections.abc import Callable

_RENDERERS: dict[str, Callable[[object], bytes]] = {}


def register(kind: str, renderer: Callable[[object], bytes]) -> None:
    _RENDERERS[kind] = renderer


def renderer_for(kind: str) -> Callable[[object], bytes]:
    return _RENDERERS[kind]
