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
