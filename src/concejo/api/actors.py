from concejo.core.actors import Actor, client_ip


def api_actor(request) -> Actor:
    """The actor behind an API request made with a key."""
    key = request.auth
    application = key.application if key is not None else None
    user = key.user if key is not None and key.user_id and key.user.is_active else None
    return Actor(api_application=application, user=user, ip=client_ip(request._request))
