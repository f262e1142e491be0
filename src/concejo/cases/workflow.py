"""The case lifecycle as an explicit state machine."""

from django.utils.translation import gettext as _

from concejo.cases.models import CaseStatus as S
from concejo.core.errors import Conflict

TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {S.IN_PROGRESS, S.SUSPENDED},
    S.IN_PROGRESS: {S.AWAITING_CORRECTION, S.SUSPENDED, S.RESOLVED},
    S.AWAITING_CORRECTION: {S.IN_PROGRESS, S.SUSPENDED, S.RESOLVED},
    S.SUSPENDED: {S.IN_PROGRESS},
    S.RESOLVED: {S.NOTIFIED},
    S.NOTIFIED: {S.CLOSED},
    S.CLOSED: {S.ARCHIVED},
    S.ARCHIVED: set(),
}
# States in which the case no longer runs against the maximum resolution time.
FINISHED = {S.RESOLVED, S.NOTIFIED, S.CLOSED, S.ARCHIVED}


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[S(current)]:
        raise Conflict(
            _("Un expediente «%(a)s» no puede pasar a «%(b)s».")
            % {"a": S(current).label, "b": S(target).label if target in S.values else target},
            code="invalid_transition",
        )
