from concejo.core.actors import Actor, client_ip


def api_actor(request) -> Actor:
    """The actor behind an API request made with a key.

    A personal key acts as its employee only while they are active and still
    work in the key's entity; otherwise it acts as the application alone.
    """
    key = request.auth
    application = key.application if key is not None else None
    user = None
    if (
        key is not None
        and key.user_id
        and key.user.is_active
        and key.user.memberships.filter(entity_id=key.entity_id, active=True).exists()
    ):
        user = key.user
    return Actor(api_application=application, user=user, ip=client_ip(request._request))
