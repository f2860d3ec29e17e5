// Telling a revoked till from an unreachable hub.
//
// docs/protocol.md says a refused token gets `connect_error` with message
// "unauthorized", and hall.js waits for exactly that. The hub raises Python's
// builtin ConnectionRefusedError, which python-socketio reports as
// "Connection refused by server", so hall.js never sees it. Until the hub is
// fixed, any refusal by the server is checked over HTTP: the print-picture
// route answers 401 to a token it does not know (and 404 to a known one).

const REFUSALS = new Set(["unauthorized", "Connection refused by server", "Connection rejected by server"]);

export function watchRevocation(link) {
  const socket = link.socket;
  if (!socket) return;
  socket.on("connect_error", async (err) => {
    if (!err || !REFUSALS.has(err.message) || err.message === "unauthorized") return; // hall.js handles its own
    const token = link.token;
    if (!token) return;
    let status = 0;
    try {
      const answer = await fetch("/api/print-jobs/job-0000000.png", {
        headers: { Authorization: `Bearer ${token}` }, cache: "no-store",
      });
      status = answer.status;
    } catch (probeError) {
      return; // unreachable after all: the socket keeps trying
    }
    if (status === 401) {
      link.forget();
      link.dispatchEvent(new CustomEvent("revoked"));
    } else if (!socket.active) {
      // Refused for another reason: try again later, as for a dropped link.
      setTimeout(() => socket.connect(), 3000);
    }
  });
}
