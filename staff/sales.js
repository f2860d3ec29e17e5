// Sales: today's and the show's totals, sales per hour (an SVG chart drawn here), every firm's
// settlement figures (sortable), the top products, and the CSV exports. Refreshed from sales_report
// when sales or refunds come in, at most every REFRESH_MS while the panel is in view.
import { dayOf, nowClock } from "/common/time.js";
import { lang, locale, named, num, t, tCount, won } from "./i18n.js";
import { DayClose } from "./dayclose.js";
import { PanelStatus } from "./status.js";
import { LazyPanel } from "./panel.js";
import { authFetch, filenameFrom, h, saveBlob, svg } from "./util.js";

const $ = (id) => document.getElementById(id);
const REFRESH_MS = 1500;

const FIRM_COLUMNS = [
  { key: "firm", label: "firms.col.firm" },
  { key: "booth", label: "firms.col.booth" },
  { key: "units", label: "firms.col.units", num: true },
  { key: "gross", label: "firms.col.gross", num: true, money: true },
  { key: "refunds", label: "firms.col.refunds", num: true, money: true },
  { key: "net", label: "firms.col.net", num: true, money: true },
  { key: "supply", label: "firms.col.supply", num: true, money: true },
  { key: "vat", label: "firms.col.vat", num: true, money: true },
  { key: "tax_free", label: "firms.col.tax_free", num: true, money: true },
];

const EXPORTS = {
  sales: "exports.sales",
  firms: "exports.firms",
  "cash-receipts": "exports.cash_receipts",
  shifts: "exports.shifts",
  feedback: "exports.feedback",
};

export class SalesPanel extends LazyPanel {
  constructor(app) {
    super(REFRESH_MS);
    this.app = app;
    this.status = new PanelStatus($("sales-status"));
    this.exportStatus = new PanelStatus($("export-status"));
    this.report = null;
    this.inFlight = null;
    this.again = false;
    this.day = null;
    this.firmSort = { key: "net", dir: -1 };
    this.firmFilter = "";
    this.onlySold = false;
    $("sales-refresh").addEventListener("click", () => {
      this.refreshAsked = true;
      this.load();
    });
    $("chart-day").addEventListener("change", (event) => {
      this.day = event.target.value;
      this.drawChart();
    });
    $("firms-search").addEventListener("input", (event) => {
      this.firmFilter = event.target.value.trim().toLowerCase();
      this.renderFirms();
    });
    $("firms-sold").addEventListener("change", (event) => {
      this.onlySold = event.target.checked;
      this.renderFirms();
    });
    for (const button of document.querySelectorAll("[data-export]")) {
      button.addEventListener("click", () => this.download(button.dataset.export));
    }
    new ResizeObserver(() => {
      if (this.visible && this.report) this.drawChart();
    }).observe($("sales-chart"));
    this.buildFirmHead();
    this.dayClose = new DayClose(app);
  }

  loaded() {
    return Boolean(this.report);
  }

  async load() {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.dirty = false;
    if (!this.report) this.status.loading("sales.what");
    this.inFlight = (async () => {
      try {
        const report = await this.app.link.command("sales_report", {}, { timeout: 20000 });
        this.report = report;
        this.status.note("sales.as_of", { time: nowClock() });
        this.render();
        // The day report reads the whole day (a third of a second on a peak day's books, bench/books.py): it is
        // read when first shown and when asked, never on every sale.
        if (!this.dayClose.answer || this.refreshAsked) this.dayClose.load();
        this.refreshAsked = false;
      } catch (err) {
        this.dirty = true;
        this.status.failed("sales.what", err, () => this.load());
      }
    })();
    try {
      await this.inFlight;
    } finally {
      this.inFlight = null;
    }
    if (this.again) {
      this.again = false;
      return this.load();
    }
    return undefined;
  }

  render() {
    if (!this.report) return;
    this.renderCards();
    this.fillDays();
    this.drawChart();
    this.renderTop();
    this.renderFirms();
  }

  renderCards() {
    const { today, show, day } = this.report;
    const card = (titleKey, totals, id) => h("section", { class: "card total", id, "aria-label": t(titleKey) },
      h("h3", { text: t(titleKey, { day: dayOf(day, lang()) }) }),
      h("dl", {},
        h("div", { class: "big" }, h("dt", { text: t("sales.gross") }),
          h("dd", { text: won(totals.gross), data: { field: "gross", value: totals.gross } })),
        h("div", {}, h("dt", { text: t("sales.count") }),
          h("dd", { text: num(totals.sales), data: { field: "sales", value: totals.sales } })),
        h("div", {}, h("dt", { text: t("sales.refunds") }),
          h("dd", { text: `${won(totals.refunds)} (${num(totals.refund_count)})`,
            data: { field: "refunds", value: totals.refunds } })),
        h("div", { class: "net" }, h("dt", { text: t("sales.net") }),
          h("dd", { text: won(totals.net), data: { field: "net", value: totals.net } }))));
    $("sales-cards").replaceChildren(card("sales.today", today, "sales-today"), card("sales.show", show, "sales-show"));
  }

  fillDays() {
    const days = new Set(this.report.hourly.map((row) => row.hour.slice(0, 10)));
    days.add(this.report.day);
    const sorted = [...days].sort().reverse();
    if (!this.day || !days.has(this.day)) this.day = this.report.day;
    const select = $("chart-day");
    select.replaceChildren(...sorted.map((day) => h("option", { value: day,
      text: day === this.report.day ? t("sales.today_is", { day: dayOf(day, lang()) }) : dayOf(day, lang()) })));
    select.value = this.day;
  }

  /** Bars per hour of the chosen day: gross sales, refunds beside them; each bar carries its figures. */
  drawChart() {
    const box = $("sales-chart");
    if (!this.report) return;
    const rows = this.report.hourly.filter((row) => row.hour.startsWith(this.day));
    const byHour = new Map(rows.map((row) => [Number(row.hour.slice(11, 13)), row]));
    const hours = [...byHour.keys()];
    const from = Math.min(9, ...hours);
    const to = Math.max(18, ...hours);
    const width = Math.max(420, box.clientWidth || 700);
    const height = 260;
    const pad = { left: 64, right: 12, top: 18, bottom: 34 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const top = niceMax(Math.max(0, ...rows.map((row) => Math.max(row.gross, row.refunds))));
    const slot = plotW / (to - from + 1);
    const barW = Math.max(6, Math.min(40, slot * 0.5));
    const refundW = Math.max(3, barW * 0.4);
    const y = (value) => pad.top + plotH - (value / top) * plotH;
    const compact = new Intl.NumberFormat(locale(), { notation: "compact", maximumFractionDigits: 1 });
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
      "aria-label": chartLabel(rows, this.day), class: "hourly", "data-day": this.day });
    for (let i = 0; i <= 4; i += 1) {
      const value = (top / 4) * i;
      chart.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: y(value), y2: y(value), class: "grid" }),
        svg("text", { x: pad.left - 8, y: y(value) + 4, class: "axis", "text-anchor": "end",
          text: lang() === "ko" ? `${compact.format(value)}원` : `₩${compact.format(value)}` }));
    }
    for (let hour = from; hour <= to; hour += 1) {
      const row = byHour.get(hour) || { hour: `${this.day}T${String(hour).padStart(2, "0")}`, gross: 0, sales: 0,
        refunds: 0 };
      const x = pad.left + (hour - from) * slot + (slot - barW - refundW) / 2;
      const group = svg("g", { class: "bar", "data-hour": row.hour, "data-gross": row.gross,
        "data-sales": row.sales, "data-refunds": row.refunds },
      svg("title", { text: t("sales.bar_title", { from: `${String(hour).padStart(2, "0")}:00`,
        to: `${String(hour + 1).padStart(2, "0")}:00`, gross: won(row.gross), sales: num(row.sales),
        refunds: won(row.refunds) }) }));
      if (row.gross > 0) {
        group.append(svg("rect", { class: "gross", x, y: y(row.gross), width: barW, height: y(0) - y(row.gross),
          rx: 2 }));
        if (slot > 34) {
          group.append(svg("text", { class: "value", x: x + barW / 2, y: y(row.gross) - 4, "text-anchor": "middle",
            text: compact.format(row.gross) }));
        }
      }
      if (row.refunds > 0) {
        group.append(svg("rect", { class: "refund", x: x + barW, y: y(row.refunds), width: refundW,
          height: y(0) - y(row.refunds), rx: 1 }));
      }
      group.append(svg("text", { class: "axis", x: pad.left + (hour - from) * slot + slot / 2, y: height - 12,
        "text-anchor": "middle", text: lang() === "ko" ? `${hour}시` : `${hour}:00` }));
      chart.append(group);
    }
    chart.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0), class: "base" }));
    const legend = h("p", { class: "legend" },
      h("span", { class: "key gross" }), t("sales.legend_gross"), " ",
      h("span", { class: "key refund" }), t("sales.legend_refunds"));
    box.replaceChildren(chart, legend);
    if (!rows.length) box.append(h("p", { class: "muted", text: t("sales.no_sales_day") }));
  }

  renderTop() {
    const list = $("sales-top");
    const top = this.report.top;
    if (!top.length) {
      list.replaceChildren(h("li", { class: "muted", text: t("sales.no_sales") }));
      return;
    }
    const products = this.app.stock.products;
    list.replaceChildren(...top.map((item, i) => h("li", { data: { sku: item.sku } },
      h("span", { class: "rank", text: String(i + 1) }),
      h("span", { class: "name", text: named(item) }),
      h("span", { class: "muted small", text: `${products.has(item.sku) ? named(products.get(item.sku), "firm")
        : item.firm} · ${item.sku}` }),
      // Ranked by net sales: refunds are netted out of both figures.
      h("span", { class: "figures", data: { net: item.net },
        text: `${t("history.units", { n: num(item.units) })} · ${won(item.net)}` }))));
  }

  buildFirmHead() {
    const { key, dir } = this.firmSort;
    $("firms-table").tHead.rows[0].replaceChildren(...FIRM_COLUMNS.map((column) => {
      const th = h("th", { scope: "col", class: column.num ? "num" : "",
        "aria-sort": key === column.key ? (dir > 0 ? "ascending" : "descending") : "none" });
      th.append(h("button", { type: "button", class: "sort",
        text: t(column.label) + (key === column.key ? (dir > 0 ? " ▲" : " ▼") : ""),
        on: { click: () => this.sortFirms(column.key) } }));
      return th;
    }));
  }

  sortFirms(key) {
    const numeric = FIRM_COLUMNS.find((c) => c.key === key)?.num;
    this.firmSort = { key, dir: this.firmSort.key === key ? -this.firmSort.dir : (numeric ? -1 : 1) };
    this.buildFirmHead();
    this.renderFirms();
  }

  renderFirms() {
    if (!this.report) return;
    const { key, dir } = this.firmSort;
    const collator = new Intl.Collator(lang() === "ko" ? "ko" : "en", { numeric: true });
    const filter = this.firmFilter;
    const firms = this.report.firms.filter((firm) => (!this.onlySold || firm.units || firm.gross || firm.refunds)
      && (!filter || `${firm.firm}\n${firm.firm_en}\n${firm.booth}`.toLowerCase().includes(filter)));
    firms.sort((a, b) => {
      const order = key === "firm" ? collator.compare(named(a, "firm"), named(b, "firm"))
        : key === "booth" ? collator.compare(a.booth, b.booth) : a[key] - b[key];
      return dir * order || collator.compare(a.booth, b.booth);
    });
    const body = $("firms-table").tBodies[0];
    body.replaceChildren(...firms.map((firm) => {
      const tr = h("tr", { data: { firm: firm.firm } },
        h("th", { scope: "row" }, h("span", { text: named(firm, "firm") }),
          h("span", { class: "l2", text: lang() === "ko" ? firm.firm_en : firm.firm })));
      tr.append(h("td", { text: firm.booth }));
      for (const column of FIRM_COLUMNS.slice(2)) {
        tr.append(h("td", { class: "num", data: { field: column.key, value: firm[column.key] },
          text: column.money ? won(firm[column.key]) : num(firm[column.key]) }));
      }
      if (firm.units || firm.gross) tr.classList.add("sold");
      return tr;
    }));
    const sums = {};
    for (const column of FIRM_COLUMNS.slice(2)) sums[column.key] = firms.reduce((s, f) => s + f[column.key], 0);
    const foot = h("tr", {}, h("th", { scope: "row", text: tCount("firms.total", firms.length) }), h("td"));
    for (const column of FIRM_COLUMNS.slice(2)) {
      foot.append(h("td", { class: "num", data: { field: column.key, value: sums[column.key] },
        text: column.money ? won(sums[column.key]) : num(sums[column.key]) }));
    }
    $("firms-table").tFoot.replaceChildren(foot);
    $("firms-summary").textContent = t("firms.summary", { shown: num(firms.length),
      total: num(this.report.firms.length),
      sold: num(this.report.firms.filter((f) => f.units || f.gross).length) });
  }

  /** A CSV from the hub, fetched with this screen's token and handed over as a file. */
  async download(name) {
    const label = EXPORTS[name];
    this.exportStatus.loading(`${label}_what`);
    try {
      const response = await authFetch(`/api/exports/${name}.csv`, this.app.link.token);
      const blob = await response.blob();
      const filename = filenameFrom(response, `${name}.csv`);
      saveBlob(blob, filename);
      this.exportStatus.note("exports.saved", { what: t(label), file: filename, size: num(Math.ceil(blob.size / 1024)) });
    } catch (err) {
      this.exportStatus.failed(`${label}_what`, err, () => this.download(name));
    }
  }

  relabel() {
    this.buildFirmHead();
    this.status.render();
    this.exportStatus.render();
    this.dayClose.relabel();
    if (this.report) this.render();
  }
}

function niceMax(value) {
  if (value <= 0) return 100000;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

function chartLabel(rows, day) {
  if (!rows.length) return t("sales.chart_empty_label", { day: dayOf(day, lang()) });
  const best = rows.reduce((a, b) => (b.gross > a.gross ? b : a));
  const total = rows.reduce((s, r) => s + r.gross, 0);
  return t("sales.chart_label", { day: dayOf(day, lang()), total: won(total), hour: `${best.hour.slice(11, 13)}:00`,
    gross: won(best.gross) });
}
