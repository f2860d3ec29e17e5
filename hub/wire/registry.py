"""The table of commands: who may send each, and the small helpers every handler shares.

Handlers are a few lines each: parse, call the domain through the hall, answer.
docs/protocol.md is tested against COMMANDS.
"""
from ..errors import HallError

COMMANDS: dict[str, dict] = {}


def command(name: str, roles: set[str], *, signed_in: bool = True):
    """Register a command for `roles`. On a staff screen a command needs a person signed in, unless it is
    one the screen needs before anyone signs in (`signed_in=False`): a paired staff screen left alone reads
    no sales, feedback, devices or print jobs."""
    def register(handler):
        COMMANDS[name] = {"roles": frozenset(roles), "handler": handler, "signed_in": signed_in}
        return handler
    return register


def actor(device: dict) -> str:
    """Who did it, for the record: the signed-in person at a staff screen, else the device."""
    return f"{device['person']}@{device['name']}" if device.get("person") else device["name"]


def refuse_if(result: dict) -> dict:
    """Commands that count a wrong PIN or password commit the count, then refuse."""
    if "refused" in result:
        raise result["refused"]
    return result


__all__ = ["COMMANDS", "HallError", "actor", "command", "refuse_if"]
