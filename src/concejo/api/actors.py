from concejo.core.actors import Actor, client_ip


def api_actor(request) -> Actor:
    """The actor behind an API request made with a key."""
    application = request.auth.application if request.auth is not None else None
    return Actor(api_application=application, ip=client_ip(request._request))
