// What the till's printer is doing with each document, from print.* events, by
// the document's ref (a receipt number, a shift id), and the picture of a job.

const KEEP = 200;

export class PrintTracker extends EventTarget {
  constructor(link) {
    super();
    this.byRef = new Map(); // ref -> {job_id, printer, kind, state, reason, message, retry_at, reprint}
    for (const type of ["print.queued", "print.printed", "print.failed"]) {
      link.addEventListener(type, (e) => this.apply(e.detail));
    }
  }

  apply(event) {
    const data = event.data;
    const known = this.byRef.get(data.ref);
    // A reprint is a new job for the same ref: follow the newest job.
    if (known && known.job_id !== data.job_id && event.type !== "print.queued" && known.job_id > data.job_id) return;
    const state = event.type.slice("print.".length);
    const entry = { ...(known && known.job_id === data.job_id ? known : {}), job_id: data.job_id,
                    printer: data.printer, kind: data.kind, state, reprint: Boolean(data.reprint ?? known?.reprint) };
    if (state === "failed") {
      entry.reason = data.reason;
      entry.message = data.message;
      entry.retry_at = data.retry_at;
    }
    this.byRef.delete(data.ref);
    this.byRef.set(data.ref, entry);
    if (this.byRef.size > KEEP) this.byRef.delete(this.byRef.keys().next().value);
    this.dispatchEvent(new CustomEvent("change", { detail: { ref: data.ref, entry } }));
  }

  get(ref) {
    return this.byRef.get(ref) || null;
  }
}

/** The job as it looks on paper, as an object URL (the route needs the device token). */
export async function previewUrl(jobId, token) {
  const response = await fetch(`/api/print-jobs/${encodeURIComponent(jobId)}.png`, {
    headers: { Authorization: `Bearer ${token}` },
    cache: "no-store",
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    const error = new Error((body.error && body.error.message) || `HTTP ${response.status}`);
    error.code = (body.error && body.error.code) || "internal";
    throw error;
  }
  return URL.createObjectURL(await response.blob());
}
