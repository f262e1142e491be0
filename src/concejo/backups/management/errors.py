"""How the backup commands show an ApplicationError."""

from django.core.management.base import CommandError

from concejo.core.errors import ApplicationError


def command_error(exc: ApplicationError) -> CommandError:
    """The error's Spanish message, its stable code and what it names, one per line."""
    lines = [f"{exc.message} (código: {exc.code})"]
    lines += [f"  - {name}: {'; '.join(messages)}" for name, messages in exc.fields.items()]
    return CommandError("\n".join(lines))
