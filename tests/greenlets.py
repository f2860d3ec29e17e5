"""Running gevent code in a test process that also drives a browser."""
import threading

import gevent

TIMEOUT = 60


def in_own_hub(fn, *args, timeout: float = TIMEOUT):
    """fn(*args) in a fresh OS thread, which gets a gevent hub of its own; returns its value or raises its error.

    Playwright's sync API runs its own loop in greenlets of the main thread for the
    page tests; a gevent hub sharing that thread stopped starting ThreadPool workers
    after them, so gevent tests keep to a thread of their own.
    """
    outcome = {}

    def body():
        try:
            outcome["value"] = fn(*args)
        except BaseException as failure:  # handed to the test's thread below
            outcome["error"] = failure
        finally:
            gevent.get_hub().destroy(destroy_loop=True)

    thread = threading.Thread(target=body, name="gevent-test", daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"gevent test still running after {timeout}s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
