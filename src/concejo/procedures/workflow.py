"""Lifecycle of a procedure version: draft → published → superseded | withdrawn."""

from django.utils.translation import gettext as _

from concejo.core.errors import Conflict
from concejo.procedures.models import VersionStatus

TRANSITIONS = {
    VersionStatus.DRAFT: {VersionStatus.PUBLISHED},
    VersionStatus.PUBLISHED: {VersionStatus.SUPERSEDED, VersionStatus.WITHDRAWN},
    VersionStatus.SUPERSEDED: set(),
    VersionStatus.WITHDRAWN: set(),
}


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[VersionStatus(current)]:
        raise Conflict(
            _("Un procedimiento en estado «%(a)s» no puede pasar a «%(b)s».")
            % {"a": VersionStatus(current).label, "b": VersionStatus(target).label},
            code="invalid_transition",
        )
