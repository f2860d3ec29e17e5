"""The one domain error: a stable code for machines, a message for people."""


class HallError(Exception):
    """A refused command. `code` is stable snake_case; `details` helps the client fix it."""

    def __init__(self, code: str, message: str, **details):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def __reduce__(self):
        # Rebuilt whole on the other side of a pickle (a hall's writer process answering another, hub/scale):
        # Exception's own reduce would call HallError(message) and lose the code.
        return (HallError, (self.code, self.message), {"details": self.details})

    def to_ack(self) -> dict:
        error = {"code": self.code, "message": self.message}
        error.update(self.details)
        return {"ok": False, "error": error}


def invalid(message: str, **details) -> HallError:
    return HallError("invalid", message, **details)


def restarting() -> HallError:
    """A command that came while the hub stops: nothing was changed."""
    return HallError("restarting", "the hub is restarting; nothing was changed, send it again")


def internal() -> HallError:
    """A fault of the hub's own (it is logged where it happened): nothing was changed."""
    return HallError("internal", "the hub could not do this; nothing was changed")
