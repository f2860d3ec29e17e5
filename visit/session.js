// A visitor does not pair: the phone asks the hub for an anonymous session (POST /api/visit/session), keeps
// its signed token like a paired screen keeps its own, and asks again when the hub refuses it (expired or
// revoked). No name, no phone number: the session is all the hub knows of a visitor.
const KEPT = "visit.session";
const RENEW_BEFORE_MS = 60_000;

export function keptSession() {
  try {
    return JSON.parse(localStorage.getItem(KEPT));
  } catch (err) {
    return null;
  }
}

export function dropSession() {
  localStorage.removeItem(KEPT);
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/**
 * The session to connect with: the kept one while it lasts, else a new one from the hub, asked again until
 * it comes (onWait(error) says why it has not: offline, or slow_down with its wait).
 */
export async function ensureSession(link, onWait) {
  const kept = keptSession();
  if (link.token && kept && Date.parse(kept.expires_at) - Date.now() > RENEW_BEFORE_MS) return kept;
  for (;;) {
    let error;
    try {
      const answer = await fetch("/api/visit/session", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: "{}",
      });
      const body = await answer.json().catch(() => ({}));
      if (body.ok) {
        link.keepToken(body.token);
        const session = { visitor: body.visitor, expires_at: body.expires_at };
        localStorage.setItem(KEPT, JSON.stringify(session));
        return session;
      }
      error = body.error || { code: answer.status === 404 ? "not_found" : "internal" };
      if (error.code === "slow_down" && !error.retry_after) error.retry_after = Number(answer.headers.get("Retry-After")) || 5;
    } catch (err) {
      error = { code: "offline" };
    }
    onWait(error);
    await sleep(Math.min(60, Math.max(2, error.retry_after || 5)) * 1000);
  }
}
