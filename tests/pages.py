"""Checks every screen's browser tests share."""
# The one wait that works under the hub's CSP lives with the benches (they must not import the tests).
from bench.hubproc import wait_until  # noqa: F401


def axe_violations(page) -> list[dict]:
    """Serious and critical accessibility violations axe-core (served by the hub) finds on the page."""
    page.add_script_tag(url="/vendor/axe.min.js")
    found = page.evaluate("""async () => {
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map(v => ({ id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }));
    }""")
    return [v for v in found if v["impact"] in ("serious", "critical")]


def sideways_overflow(page, clipping: str = "") -> dict:
    """Visible elements sticking out past the screen's left or right edge (the page cannot scroll sideways).

    Elements in an inert part of the page are not shown to anyone; `clipping` is a selector for containers
    that clip what they scroll (a windowed grid), whose scrolled-out children are not on screen either.
    """
    return page.evaluate("""(clipping) => {
        const width = document.documentElement.clientWidth;
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
            if (el.closest('[inert]')) continue;
            const clip = clipping && el.parentElement && el.parentElement.closest(clipping);
            if (clip && box.right > clip.getBoundingClientRect().right + 1) continue;
            if (box.right > width + 1 || box.left < -1) {
                out.push(`${el.tagName}#${el.id}.${el.className} ${Math.round(box.left)}..${Math.round(box.right)}`);
            }
        }
        return { width, scrollWidth: document.documentElement.scrollWidth, out: out.slice(0, 5) };
    }""", clipping)


def lose_first_ack(page, marker: str) -> list[str]:
    """The first acknowledgement from the hub containing `marker` is lost on its way to the page (the command
    was done; the screen never hears so). Returns the frames lost, for the test to check."""
    lost: list[str] = []

    def route(ws):
        server = ws.connect_to_server()

        def from_server(message):
            if not lost and isinstance(message, str) and message.startswith("43") and marker in message:
                lost.append(message)
                return
            ws.send(message)
        server.on_message(from_server)
    page.route_web_socket("**/socket.io/**", route)
    return lost
