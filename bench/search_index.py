"""python -m bench.search_index: the kiosk's search code alone in chromium, over the full demo catalog: the
index build (9 times) and one search per query of bench.kiosk_page (the least of 30 runs each), with nothing
rendered. The figures a busy machine disturbs least; bench.kiosk_page has the keystroke-to-paint ones.
To compare with an older tree, run this file from a checkout of it.
"""
import statistics

from .hubproc import Hub
from .kiosk_page import CHROMIUM, CHROMIUM_ARGS, EXTRA_QUERIES, QUERIES

TIME_JS = """async ({ queries }) => {
  const { buildIndex, search } = await import('/common/search.js');
  const products = (await (await fetch('/api/products')).json()).products;
  const fields = (p) => [p.name, p.name_en, p.firm, p.firm_en, p.booth];
  const builds = [];
  let index;
  for (let i = 0; i < 9; i += 1) {
    const start = performance.now();
    index = buildIndex(products, fields);
    builds.push(performance.now() - start);
  }
  const least = {};
  for (const [kind, query] of queries) {
    let best = Infinity;
    for (let round = 0; round < 30; round += 1) {
      const start = performance.now();
      search(index, query, null, (p) => p.available > 0);
      best = Math.min(best, performance.now() - start);
    }
    (least[kind] = least[kind] || []).push(best);
  }
  return { products: products.length, builds, least };
}"""


def main() -> int:
    from playwright.sync_api import sync_playwright

    with Hub("search-index", {"kiosk": 1}) as hub, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(hub.url + "/api/health")  # any page of the hub's origin, to import its modules from
            found = page.evaluate(TIME_JS, {"queries": QUERIES + EXTRA_QUERIES})
        finally:
            browser.close()
    builds = found["builds"]
    print(f"kiosk search code, {found['products']} products; chromium's timer resolution is 0.1 ms")
    print(f"  index build       least {min(builds):6.1f} ms   median {statistics.median(builds):6.1f} ms")
    for kind, least in found["least"].items():
        print(f"  {kind:16}  one search, least of 30: median over queries {statistics.median(least):.2f} ms,"
              f" worst query {max(least):.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
