// Printers: each printer's state and queue, the jobs that keep failing and why, a picture of any job
// (the hub draws it; fetched with the device token), and reprint, which asks first with the picture.
// Jobs go by their number (#12); a Z report by its till, cashier and closing time, not its shift's UUID.
import { clock } from "/common/time.js";
import { has, num, t, tCount, when } from "./i18n.js";
import { PanelStatus } from "./status.js";
import { LazyPanel } from "./panel.js";
import { authFetch, h } from "./util.js";

const $ = (id) => document.getElementById(id);
const JOB_COLUMNS = ["printers.col.job", "printers.col.printer", "printers.col.kind", "printers.col.ref",
  "printers.col.state", "printers.col.attempts", "printers.col.created", "printers.col.printed", ""];

export class PrintersPanel extends LazyPanel {
  constructor(app) {
    super(1000);
    this.app = app;
    this.status = new PanelStatus($("printers-status"));
    this.previewStatus = new PanelStatus($("preview-status"));
    this.data = null;
    this.printer = "";
    this.previewJob = null;
    this.previewUrl = null;
    this.asking = false;
    this.shifts = new Map(); // shift_id -> the Z report's {terminal, cashier, closed_at}, or a pending promise
    $("printers-refresh").addEventListener("click", () => this.load());
    $("jobs-printer").addEventListener("change", (event) => {
      this.printer = event.target.value;
      this.renderJobs();
    });
    for (const container of [$("jobs-table"), $("failed-jobs")]) {
      container.addEventListener("click", (event) => {
        const button = event.target.closest("button[data-job]");
        if (!button) return;
        if (button.dataset.do === "preview") this.preview(button.dataset.job);
        else if (button.dataset.do === "reprint") this.preview(button.dataset.job, { asking: true });
      });
    }
    $("preview-reprint").addEventListener("click", () => {
      if (!this.previewJob) return;
      $("preview-dialog").close();
      this.reprint(this.previewJob);
    });
    $("preview-dialog").addEventListener("close", () => {
      if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
      this.previewUrl = null;
      $("preview-img").removeAttribute("src");
    });
  }

  async load() {
    this.dirty = false;
    if (!this.data) this.status.loading("printers.what");
    try {
      this.data = await this.app.link.command("print_jobs", {});
      this.status.clear();
      this.render();
    } catch (err) {
      this.dirty = true;
      this.status.failed("printers.what", err, () => this.load());
    }
  }

  render() {
    if (!this.data) return;
    this.renderPrinters();
    this.renderFailed();
    this.renderJobs();
  }

  renderPrinters() {
    const { printers } = this.data;
    const box = $("printer-cards");
    if (!printers.length) {
      box.replaceChildren(h("p", { class: "notice", text: t("printers.none") }));
      return;
    }
    box.replaceChildren(...printers.map((printer) => h("section", { class: `card printer ${printer.status}`,
      data: { printer: printer.printer, status: printer.status } },
    h("h3", { text: printer.printer }),
    h("p", { class: "pstate" }, h("span", { class: `dot ${printer.status}`, "aria-hidden": "true" }),
      t(`printer.status.${printer.status}`)),
    printer.detail ? h("p", { class: "muted small", text: reasonName(printer.detail) }) : null,
    h("p", { class: "muted small", text: printer.changed_at ? t("printers.since", { time: when(printer.changed_at) }) : "" }),
    h("p", { class: "queued", text: t("printers.queued", { n: num(printer.queued) }) }))));
    const select = $("jobs-printer");
    select.replaceChildren(h("option", { value: "", text: t("printers.all") }),
      ...printers.map((p) => h("option", { value: p.printer, text: p.printer })));
    select.value = this.printer;
  }

  /** Jobs still waiting after a failed try: the reason, how many tries, when the next one is. */
  renderFailed() {
    const failing = this.data.jobs.filter((job) => job.state === "queued" && job.last_error);
    const box = $("failed-jobs");
    if (!failing.length) {
      box.replaceChildren(h("p", { class: "muted", text: t("printers.no_failed") }));
      return;
    }
    box.replaceChildren(h("ul", { class: "failed-list" }, ...failing.map((job) => {
      // last_error is "reason: the transport's own words"; the reason is shown in the screen's language.
      const [reason] = job.last_error.split(": ");
      return h("li", { class: "failed", data: { job: job.job_id, reason } },
        h("strong", { text: `${jobNumber(job.job_id)} · ${job.printer} · ${kindName(job.kind)} ${this.refText(job)}` }),
        h("span", { class: "reason", text: reasonName(reason) }),
        h("span", { class: "small", text: tCount("printers.retry", job.attempts, {
          time: clock(job.next_try_at) }) }),
        h("span", { class: "buttons" }, previewButton(job), reprintButton(job)));
    })));
  }

  renderJobs() {
    if (!this.data) return;
    const table = $("jobs-table");
    table.tHead.rows[0].replaceChildren(...JOB_COLUMNS.map((key) => h("th", { scope: "col", text: key ? t(key) : "" })));
    const jobs = this.data.jobs.filter((job) => !this.printer || job.printer === this.printer);
    if (!jobs.length) {
      table.tBodies[0].replaceChildren(h("tr", {}, h("td", { colspan: JOB_COLUMNS.length, class: "muted",
        text: t("printers.no_jobs") })));
      return;
    }
    table.tBodies[0].replaceChildren(...jobs.map((job) => {
      const state = job.state === "printed" ? "printed" : job.last_error ? "failing" : "queued";
      return h("tr", { class: `job ${state}`, data: { job: job.job_id, state } },
        h("th", { scope: "row", class: "mono", text: jobNumber(job.job_id) }),
        h("td", { text: job.printer }),
        h("td", { text: kindName(job.kind) + (job.reprint_of ? ` · ${t("printers.reprint_mark")}` : "") }),
        h("td", { class: job.kind === "shift_report" ? "" : "mono", text: this.refText(job) }),
        h("td", {}, h("span", { class: `chip ${state}`, text: t(`printers.state_${state}`) }),
          job.last_error ? h("span", { class: "l2", text: reasonName(job.last_error.split(": ")[0]) }) : null),
        h("td", { class: "num", text: num(job.attempts) }),
        h("td", { text: when(job.created_at) }),
        h("td", { text: job.printed_at ? when(job.printed_at) : "—" }),
        h("td", { class: "buttons" }, previewButton(job), reprintButton(job)));
    }));
  }

  /** What a job prints, for a person: a receipt's or slip's number, a Z report's till, cashier and time. */
  refText(job) {
    if (job.kind !== "shift_report") return job.ref;
    const shift = this.shifts.get(job.ref);
    if (!shift) this.lookUpShift(job.ref);
    if (!shift || shift instanceof Promise) return "…";
    return t("printers.z_ref", { terminal: shift.terminal, cashier: shift.cashier,
      time: shift.closed_at ? when(shift.closed_at) : "" });
  }

  lookUpShift(shiftId) {
    const asked = this.app.link.command("shift_report", { shift_id: shiftId }).then(({ report }) => {
      this.shifts.set(shiftId, report);
      this.render();
    }, () => this.shifts.delete(shiftId)); // asked again at the next drawing
    this.shifts.set(shiftId, asked);
  }

  /**
   * The job as it looks on paper: a PNG from the hub, fetched with the token, shown as a blob URL.
   * `asking`: the reprint button was pressed; the dialog asks before anything prints, and Enter cancels.
   */
  async preview(jobId, { asking = false } = {}) {
    this.previewJob = jobId;
    this.asking = asking;
    const job = this.data?.jobs.find((j) => j.job_id === jobId);
    this.labelPreview(job, jobId);
    const img = $("preview-img");
    img.removeAttribute("src");
    img.hidden = true;
    const dialog = $("preview-dialog");
    if (!dialog.open) dialog.showModal();
    (asking ? $("preview-close") : $("preview-reprint")).focus();
    this.previewStatus.loading("printers.preview_what");
    try {
      const response = await authFetch(`/api/print-jobs/${encodeURIComponent(jobId)}.png`, this.app.link.token);
      const blob = await response.blob();
      if (this.previewJob !== jobId) return;
      if (this.previewUrl) URL.revokeObjectURL(this.previewUrl);
      this.previewUrl = URL.createObjectURL(blob);
      await new Promise((resolve, reject) => {
        img.onload = resolve;
        img.onerror = () => reject(Object.assign(new Error("not a picture"), { code: "bad_image" }));
        img.src = this.previewUrl;
      });
      img.alt = t("printers.preview_alt", { job: jobId });
      img.hidden = false;
      this.previewStatus.clear();
    } catch (err) {
      if (this.previewJob === jobId) this.previewStatus.failed("printers.preview_what", err, () => this.preview(jobId));
    }
  }

  labelPreview(job, jobId) {
    const dialog = $("preview-dialog");
    dialog.dataset.mode = this.asking ? "ask" : "view";
    const what = job ? `${kindName(job.kind)} ${this.refText(job)}` : "";
    $("preview-title").textContent = this.asking
      ? t("printers.reprint_ask", { job: jobNumber(jobId), what, printer: job ? job.printer : "" })
      : t("printers.preview_title", { job: jobNumber(jobId), what });
    $("preview-close").textContent = t(this.asking ? "common.cancel" : "common.close");
    $("preview-reprint").classList.toggle("primary", this.asking);
    $("preview-close").classList.toggle("primary", !this.asking);
  }

  /** Print the job again: only ever from the dialog, after the question and the picture. */
  async reprint(jobId) {
    try {
      const answer = await this.app.command("reprint", { job_id: jobId });
      this.app.toast(t("printers.reprinted", { job: jobNumber(answer.job_id), printer: answer.printer }), "ok");
      this.refreshSoon();
    } catch (err) {
      this.app.toast(t("printers.reprint_failed", { error: this.app.errorText(err) }), "bad");
    }
  }

  relabel() {
    this.status.render();
    this.previewStatus.render();
    this.render();
    if ($("preview-dialog").open && this.previewJob) {
      this.labelPreview(this.data?.jobs.find((j) => j.job_id === this.previewJob), this.previewJob);
    }
  }
}

function previewButton(job) {
  return h("button", { type: "button", class: "btn small", data: { job: job.job_id, do: "preview" },
    text: t("printers.preview") });
}

function reprintButton(job) {
  return h("button", { type: "button", class: "btn small", data: { job: job.job_id, do: "reprint" },
    text: t("printers.reprint") });
}

/** "#12" for "job-0000012": the number a person reads and says. */
export function jobNumber(jobId) {
  const match = /^job-0*(\d+)$/.exec(jobId || "");
  return match ? `#${match[1]}` : jobId;
}

function kindName(kind) {
  return has(`print.kind.${kind}`) ? t(`print.kind.${kind}`) : kind;
}

export function reasonName(reason) {
  return has(`print.reason.${reason}`) ? t(`print.reason.${reason}`) : reason;
}
