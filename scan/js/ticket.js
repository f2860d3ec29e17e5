// Demo tickets as the door sees them (docs/protocol.md, "Demo tickets"): "T1.<payload>.<signature>", both
// base64url without padding; payload "ticket_id|slot_id|party|valid_from|valid_until" (epoch seconds),
// signed with the hall's Ed25519 key. Pure functions: the offline judge takes the time as a parameter.
/* global nacl */

export const PREFIX = "T1.";
const MAX_CODE = 400;
// A ticket's code as printed under its QR and listed everywhere (hub/rules/tickets.py): eight characters
// without look-alikes. Ten were the ids of tickets booked before id and code were one; the hub finds those too.
const TICKET_CODE = /^[ACDEFGHJKMNPQRTUVWXY34679]{8}$|^[ACDEFGHJKMNPQRTUVWXY34679]{10}$/;

export function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Error("not base64url");
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// What a scanned text is: a signed ticket, a ticket code typed at the door, or neither.
export function classify(text) {
  const code = String(text || "").trim();
  if (code.startsWith(PREFIX)) return { kind: "qr", code };
  const short = code.toUpperCase().replace(/[-\s]/g, "");
  if (TICKET_CODE.test(short)) return { kind: "short", code: short };
  return { kind: "other", code };
}

// The claim inside a ticket if its signature is the hall's, else null (forged, altered, truncated, foreign).
export function verifyTicket(text, publicKey) {
  if (typeof text !== "string" || !text.startsWith(PREFIX) || text.length > MAX_CODE) return null;
  const parts = text.slice(PREFIX.length).split(".");
  if (parts.length !== 2) return null;
  let payload;
  let signature;
  try {
    payload = fromBase64Url(parts[0]);
    signature = fromBase64Url(parts[1]);
  } catch (err) {
    return null;
  }
  if (signature.length !== nacl.sign.signatureLength || publicKey.length !== nacl.sign.publicKeyLength) return null;
  if (!nacl.sign.detached.verify(payload, signature, publicKey)) return null;
  let fields;
  try {
    fields = new TextDecoder("utf-8", { fatal: true }).decode(payload).split("|");
  } catch (err) {
    return null;
  }
  if (fields.length !== 5) return null;
  const [ticketId, slotId] = fields;
  const [party, validFrom, validUntil] = fields.slice(2).map((f) => (/^\d+$/.test(f) ? Number(f) : NaN));
  if (!ticketId || !slotId || [party, validFrom, validUntil].some(Number.isNaN)) return null;
  return { ticket_id: ticketId, slot_id: slotId, party, valid_from: validFrom, valid_until: validUntil };
}

/**
 * The door's own answer while the hub cannot be reached, in the hub's order of checks
 * (hub/demos.py check_in): not a ticket, wrong demo, cancelled, already used, too late, too early.
 * `known` holds what the door has kept: {publicKey, slots: slot_id → {booth, demo, demo_en, starts_at,
 * ends_at}, booth, admitted: ticket_id → {at, door}, cancelled: ticket_id → true}; `now` is epoch ms.
 */
export function judgeOffline(text, known, now) {
  const { kind, code } = classify(text);
  if (kind === "short") {
    // A typed code carries no signature, so the door cannot admit by it alone; but the code is the ticket's
    // id, so a ticket this door knows was admitted is still refused a second time.
    const used = known.admitted[code];
    if (!used) return { admitted: false, reason: "short_offline" };
    const slot = known.slots[used.slot_id] || {};
    return { admitted: false, reason: "already_used", ticket_id: code, party: used.party, slot_id: used.slot_id,
             first_at: used.at, first_door: used.door, demo: slot.demo, demo_en: slot.demo_en, booth: slot.booth,
             starts_at: slot.starts_at, ends_at: slot.ends_at };
  }
  if (kind !== "qr") return { admitted: false, reason: "invalid" };
  if (!known.publicKey) return { admitted: false, reason: "no_key" };
  const claim = verifyTicket(code, known.publicKey);
  if (!claim) return { admitted: false, reason: "invalid" };
  const slot = known.slots[claim.slot_id];
  const base = { ticket_id: claim.ticket_id, party: claim.party, slot_id: claim.slot_id };
  if (!slot) return { admitted: false, reason: "unknown_slot", ...base };
  const context = { ...base, demo: slot.demo, demo_en: slot.demo_en, booth: slot.booth, starts_at: slot.starts_at,
                    ends_at: slot.ends_at };
  if (known.booth && slot.booth !== known.booth) return { admitted: false, reason: "wrong_demo", ...context };
  if (known.cancelled[claim.ticket_id]) return { admitted: false, reason: "cancelled", ...context };
  const used = known.admitted[claim.ticket_id];
  if (used) {
    return { admitted: false, reason: "already_used", first_at: used.at, first_door: used.door, ...context };
  }
  const seconds = now / 1000;
  if (seconds > claim.valid_until) return { admitted: false, reason: "too_late", ...context };
  if (seconds < claim.valid_from) {
    return { admitted: false, reason: "too_early", opens_at: new Date(claim.valid_from * 1000).toISOString(),
             ...context };
  }
  return { admitted: true, reason: "admitted", ...context };
}

// An ISO time with the device's own UTC offset, as the hub wants offline_at ("...+09:00").
export function localIso(date) {
  const pad = (n, w = 2) => String(Math.trunc(Math.abs(n))).padStart(w, "0");
  const offset = -date.getTimezoneOffset();
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:`
    + `${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
    + `${offset >= 0 ? "+" : "-"}${pad(offset / 60)}:${pad(offset % 60)}`;
}
