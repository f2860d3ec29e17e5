// What the phone keeps for itself in localStorage, so a reload, a tunnel or a dead link loses nothing: the
// cart, its orders and tickets (shown with no connection), the QR pictures of both, and what it has not had
// acknowledged yet (sent again with the same id, so nothing doubles).
const PREFIX = "visit.";
const QR_PREFIX = "visit.qr.";
const QR_KEPT = 12; // a ticket's QR is a few kilobytes of SVG; keep the latest dozen

function read(name, fallback) {
  try {
    return JSON.parse(localStorage.getItem(PREFIX + name)) ?? fallback;
  } catch (err) {
    return fallback;
  }
}

function write(name, value) {
  try {
    localStorage.setItem(PREFIX + name, JSON.stringify(value));
  } catch (err) {
    // A full storage keeps the page working; only the copy for offline is missing.
  }
}

export const keep = {
  cart: () => read("cart", {}),
  setCart: (cart) => write("cart", cart),
  orders: () => read("orders", []),
  setOrders: (orders) => write("orders", orders),
  tickets: () => read("tickets", []),
  setTickets: (tickets) => write("tickets", tickets),
  /** Commands sent and not acknowledged: {kind: payload}, one of each kind at a time. */
  pending: () => read("pending", {}),
  setPending: (pending) => write("pending", pending),
  feedback: () => read("feedback", []),
  setFeedback: (list) => write("feedback", list),
};

/** A QR code of `data` as an image address: the kept SVG when there is one, else from the hub, then kept. */
export async function qrAddress(data) {
  const key = QR_PREFIX + data;
  let text = localStorage.getItem(key);
  if (!text) {
    const answer = await fetch(`/api/qr.svg?data=${encodeURIComponent(data)}`);
    if (!answer.ok) throw new Error(`qr ${answer.status}`);
    text = await answer.text();
    try {
      const kept = Object.keys(localStorage).filter((name) => name.startsWith(QR_PREFIX));
      for (const name of kept.slice(0, Math.max(0, kept.length - QR_KEPT + 1))) localStorage.removeItem(name);
      localStorage.setItem(key, text);
    } catch (err) {
      // Not kept: shown now, fetched again next time.
    }
  }
  return URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
}

/** Show a QR from a blob: address, letting go of the one it replaces. */
export function showQr(img, src) {
  if (img.src.startsWith("blob:")) URL.revokeObjectURL(img.src);
  img.src = src;
}
