"""Distribution of an incoming entry between units, as an explicit state machine."""

from django.utils.translation import gettext as _

from concejo.core.errors import Conflict
from concejo.registry.models import DistributionStatus, MovementAction

# action -> (states it may start from, state it leaves)
TRANSITIONS = {
    MovementAction.ACCEPTED: ({DistributionStatus.PENDING}, DistributionStatus.ACCEPTED),
    MovementAction.FORWARDED: (
        {DistributionStatus.PENDING, DistributionStatus.ACCEPTED, DistributionStatus.RETURNED},
        DistributionStatus.PENDING,
    ),
    MovementAction.RETURNED: (
        {DistributionStatus.PENDING, DistributionStatus.ACCEPTED},
        DistributionStatus.RETURNED,
    ),
}


def next_status(current: str, action: str) -> str:
    sources, target = TRANSITIONS[MovementAction(action)]
    if current not in sources:
        raise Conflict(
            _("No se puede «%(a)s» un asiento en estado «%(s)s».")
            % {"a": MovementAction(action).label.lower(), "s": DistributionStatus(current).label},
            code="invalid_transition",
        )
    return target
