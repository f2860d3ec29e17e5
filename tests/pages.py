"""Checks every screen's browser tests share."""


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


def wait_until(page, expression: str, arg=None, *, timeout: float = 30_000, polling: float = 50) -> object:
    """Page.wait_for_function without the page evaluating a string: the hub's CSP allows no eval, so
    Playwright's own wait (which builds its predicate from text inside the page) is refused. This asks
    the page from outside (page.evaluate, which CSP does not govern) until the answer is truthy."""
    import time
    deadline = time.monotonic() + timeout / 1000
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} ms for {expression[:120]!r}")
        page.wait_for_timeout(polling)
