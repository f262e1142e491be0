"""Template context of the backoffice: the entities an employee may switch between."""

from concejo.core.actors import Actor
from concejo.organization.selectors import entities_for_actor


def desk_entities(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/backoffice/"):
        return {}
    return {"desk_entities": list(entities_for_actor(Actor(user=user)).order_by("created_at"))}
