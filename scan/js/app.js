// The demo door scanner (docs/protocol.md: check_in, demos, "Demo tickets"). Online, the hub judges every
// scan. When the hub can't be reached (no link, or no answer in time) the door judges by itself with the
// hub's public key and what it has kept, queues its admissions, and reports them in order when the link
// returns; a double admission found then is shown here and reported to staff by the hub.
import { CommandError, HallLink, newId, pairingCodeInAddress } from "/common/hall.js";
import { Camera, cameraSupported } from "./camera.js";
import { both, bothCount, clock, fillStatic, has, loadAll, make, t, tCount } from "./i18n.js";
import { captureScanner, hangulToKeys } from "./keys.js";
import { DoorStore } from "./store.js";
import { classify, judgeOffline, localIso } from "./ticket.js";

const ONLINE_TIMEOUT_MS = 3500; // a visitor waits at the door: past this the door decides by itself
const SLOW_TIMEOUT_MS = 1500; // once the hub has been slow, the next visitors wait less
const REPLAY_TIMEOUT_MS = 8000;
const SHOW_MS = { green: 4000, red: 7000, amber: 7000 };
const SAME_CODE_MS = 2500; // the camera sees the same ticket many times a second
const SLOW_MS = 30000;
// The hub is not there, cannot record (its disk takes no writes) or is stopping: the door judges by itself and
// reports later.
const HUB_CANNOT_ANSWER = ["offline", "internal", "storage_unavailable", "restarting", "writer_unreachable"];

const $ = (id) => document.getElementById(id);
const link = new HallLink({ role: "scanner" });
const store = new DoorStore();
link.lastSeq = store.lastSeq; // catch up from what this door already heard, not from the start of the hall

let screen = null;
let slowSince = 0;
let answerTimer = null;
let lastCamera = { text: "", at: 0 };
let scanChain = Promise.resolve();
let flushing = null;
let hubWentBack = false; // set by the link when the hub's record went back; the next program refresh starts over
let wakeLock = null;
const camera = new Camera($("camera-video"), (text) => onCameraCode(text));
const pairCamera = new Camera($("pair-video"), (text) => onPairCode(text));

// ---------------------------------------------------------------- screens

function show(name) {
  screen = name;
  $("boot").hidden = true;
  for (const id of ["pair-screen", "booth-screen", "scan-screen"]) $(id).hidden = id !== `${name}-screen`;
  $("topbar").hidden = name === "pair";
  if (name !== "scan") {
    camera.stop();
    renderCamera();
    hideAnswer();
  }
  if (name !== "pair") pairCamera.stop();
  if (name === "scan") keepAwake();
  renderBoothChip();
  renderStatus();
}

function showPair({ revoked = false } = {}) {
  show("pair");
  $("pair-revoked").hidden = !revoked;
  $("pair-status").replaceChildren();
  $("pair-code").value = pairingCodeInAddress();
  renderPairCamera();
  $("pair-code").focus();
}

function showBooth() {
  show("booth");
  renderBooths();
}

function showScan() {
  show("scan");
  $("door-name").replaceChildren();
  both($("door-name"), "door.name", { name: link.deviceName });
  renderBoothChip();
  renderSession();
  renderRecent();
  renderNotices();
  renderSound();
  document.activeElement?.blur?.();
}

function startDoor() {
  link.connect();
  if (link.socket) {
    link.socket.on("connect_error", (err) => {
      // A revoked token is refused at connect. docs/protocol.md says with "unauthorized" (HallLink handles
      // that); today's hub raises Python's built-in ConnectionRefusedError, which reaches the browser as
      // "Connection refused by server". The hub's only refusal at connect is a bad token.
      if (err && err.message === "Connection refused by server" && link.paired) {
        link.forget();
        link.dispatchEvent(new CustomEvent("revoked"));
      }
    });
  }
  fetchKey();
  if (store.booth) showScan();
  else showBooth();
}

// ---------------------------------------------------------------- pairing

async function pairWith(raw) {
  const status = $("pair-status");
  const code = hangulToKeys(raw).trim().toUpperCase().replace(/\s/g, "");
  if (!code) {
    both(status, "pair.error.empty");
    return;
  }
  const formatted = /^[A-Z0-9]{8}$/.test(code) ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
  if (!/^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(formatted)) {
    both(status, "pair.error.invalid");
    return;
  }
  both(status, "pair.working");
  $("pair-submit").disabled = true;
  try {
    await link.pair(formatted);
  } catch (err) {
    const key = `pair.error.${err.code}`;
    both(status, has(key) ? key : "pair.error.other", { code: err.code || "?" });
    return;
  } finally {
    $("pair-submit").disabled = false;
  }
  pairCamera.stop();
  renderPairCamera();
  status.replaceChildren();
  startDoor();
}

function onPairCode(text) {
  text = (/#pair=([A-Za-z0-9]{4}-?[A-Za-z0-9]{4})$/.exec(text) || [null, text])[1]; // a pairing QR is an address
  if (/^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}$/.test(text.trim())) {
    $("pair-code").value = text.trim().toUpperCase();
    pairCamera.stop();
    renderPairCamera();
    pairWith(text);
  }
}

function renderPairCamera() {
  $("pair-video-box").hidden = !pairCamera.running;
  both($("pair-camera"), pairCamera.running ? "pair.camera_stop" : "pair.camera");
}

async function togglePairCamera() {
  if (pairCamera.running) {
    pairCamera.stop();
  } else {
    try {
      await pairCamera.start();
    } catch (err) {
      both($("pair-status"), `camera.${err.code || "failed"}`);
    }
  }
  renderPairCamera();
}

// ---------------------------------------------------------------- booth choice

function boothsOf(program) {
  const booths = new Map();
  for (const demo of (program && program.demos) || []) {
    if (!booths.has(demo.booth)) booths.set(demo.booth, []);
    booths.get(demo.booth).push(demo);
  }
  return [...booths.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

function renderBooths() {
  const list = $("booth-list");
  const empty = $("booth-empty");
  const booths = boothsOf(store.program);
  list.replaceChildren();
  empty.hidden = booths.length > 0;
  if (!booths.length) {
    both(empty, store.program ? "booth.none" : "booth.waiting");
    return;
  }
  const now = Date.now();
  for (const [booth, demos] of booths) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "booth-choice";
    button.dataset.booth = booth;
    if (booth === store.booth) button.setAttribute("aria-current", "true");
    button.append(make("span", "booth-code", "booth.booth", { booth }));
    for (const demo of demos) {
      const line = document.createElement("span");
      line.className = "booth-demo";
      line.append(make("span", "", "answer.demo", { demo: { ko: demo.name, en: demo.name_en } }));
      const firm = document.createElement("small");
      firm.textContent = demo.firm;
      line.append(firm);
      button.append(line);
    }
    const slots = demos.flatMap((d) => d.slots);
    const next = slots.map((s) => s.ends_at).filter((e) => new Date(e).getTime() > now).sort()[0];
    const upcoming = next && slots.find((s) => s.ends_at === next);
    const sessions = document.createElement("span");
    sessions.className = "booth-slots";
    bothCount(sessions, upcoming ? "booth.slots" : "booth.slots_over", slots.length,
              { next: upcoming ? clock(upcoming.starts_at) : "" });
    button.append(sessions);
    button.addEventListener("click", () => {
      store.setBooth(booth);
      showScan();
    });
    const item = document.createElement("li");
    item.append(button);
    list.append(item);
  }
}

function renderBoothChip() {
  const chip = $("booth-chip");
  chip.hidden = !store.booth || screen !== "scan";
  if (store.booth) both(chip, "booth.booth", { booth: store.booth });
}

// The session at this booth now (or the next one), with its live counts.
function renderSession() {
  const card = $("session-card");
  card.replaceChildren();
  if (!store.booth) return;
  const now = Date.now();
  const slots = Object.values(store.slots).filter((s) => s.booth === store.booth)
    .sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  const current = slots.find((s) => new Date(s.starts_at).getTime() <= now && new Date(s.ends_at).getTime() > now);
  const next = slots.find((s) => new Date(s.starts_at).getTime() > now);
  const slot = current || next;
  if (!slot) {
    card.append(make("p", "session-none", "session.none"));
    return;
  }
  card.append(make("p", "session-label", current ? "session.now" : "session.next"));
  const time = make("p", "session-time", "session.time", { start: clock(slot.starts_at), end: clock(slot.ends_at) });
  card.append(time);
  card.append(make("p", "session-demo", "answer.demo", { demo: { ko: slot.demo, en: slot.demo_en } }));
  // Admissions made here offline count before the hub hears of them.
  const waiting = store.pending.filter((p) => p.slot_id === slot.slot_id).reduce((sum, p) => sum + p.party, 0);
  const counts = document.createElement("p");
  counts.className = "session-counts";
  bothCount(counts, "session.counts", slot.capacity, { checked: slot.checked_in + waiting, booked: slot.booked });
  counts.id = "session-counts";
  card.append(counts);
}

// ---------------------------------------------------------------- link, key, program

function displayState() {
  if (link.state === "online" && Date.now() - slowSince < SLOW_MS) return "slow";
  return link.state === "unpaired" ? "connecting" : link.state;
}

function renderStatus() {
  const state = displayState();
  const status = $("link-status");
  status.dataset.state = state;
  both($("link-text"), `link.${state}`);
  status.title = `${t("ko", `link.${state}_help`)} · ${t("en", `link.${state}_help`)}`;
  const banner = $("link-banner");
  banner.dataset.state = state;
  banner.hidden = state === "online" || screen === "pair" || screen === null;
  both(banner, `link.${state}_help`);
  $("manual-note").hidden = state !== "offline";
  renderPending();
  $("key-warning").hidden = Boolean(store.publicKey);
}

function renderPending() {
  const count = store.pending.length;
  $("pending").dataset.count = String(count);
  $("pending-count").textContent = String(count);
  const help = $("pending-help");
  help.hidden = count === 0;
  if (count) bothCount(help, "pending.help", count);
}

async function fetchKey() {
  try {
    const response = await fetch("/api/ticket-key", { cache: "no-store" });
    if (!response.ok) return;
    const body = await response.json();
    if (body.alg === "Ed25519" && typeof body.public_key === "string") store.setKey(body.public_key);
  } catch (err) {
    // Offline: the key kept from before serves.
  }
  renderStatus();
}

async function refreshProgram() {
  const answer = await link.command("demos", {});
  const wentBack = hubWentBack;
  hubWentBack = false;
  if (wentBack || answer.seq < store.lastSeq) {
    // The hub's log is behind what this door heard: a new hall. Forget the old one and hear it all again.
    store.resetHall();
    link.lastSeq = 0;
    await link.catchUp();
    store.setSeq(link.lastSeq);
  }
  store.setProgram(answer.seq, answer.demos);
  if (screen === "booth") renderBooths();
  if (screen === "scan") renderSession();
}

function onHallEvent(event) {
  store.apply(event);
  if (event.type === "checkin.conflict") {
    const me = link.deviceName;
    if (event.data.first_door === me || event.data.second_door === me) addConflict(event.data);
  } else if (event.type === "demos.loaded") {
    refreshProgram().catch(() => {});
  } else if (event.type === "slot.changed" && screen === "scan") {
    renderSession();
  }
}

// ---------------------------------------------------------------- scanning

// A ticket held in front of the camera is read once: it must leave the view for a moment to be read again.
function onCameraCode(text) {
  const now = Date.now();
  const same = text === lastCamera.text && now - lastCamera.at < SAME_CODE_MS;
  lastCamera = { text, at: now };
  if (!same) submit(text, "camera");
}

// Scans are answered one at a time, in the order they came.
function submit(text, source) {
  const code = String(text).trim();
  if (!code) return;
  scanChain = scanChain.then(() => scan(code, source)).catch((err) => console.error("scan failed", err));
}

function online() {
  return link.state === "online" && link.socket && link.socket.connected;
}

async function scan(text, source) {
  const { kind, code } = classify(text);
  const sent = kind === "short" ? code : text;
  // A typed code is shown and listed even when no ticket answers to it, so the door sees what was typed.
  const typed = kind === "short" ? code : null;
  const mine = store.pending.find((p) => p.code === sent);
  if (mine) {
    // Admitted here while offline and not yet reported: the hub would admit it again.
    return answer({ admitted: false, reason: "already_used", first_at: mine.offline_at, first_door: link.deviceName,
                    ...store.slots[mine.slot_id], ticket_id: mine.ticket_id, party: mine.party },
                  { offline: true, source, typed });
  }
  const scanId = newId();
  const payload = { scan_id: scanId, code: sent };
  if (store.booth) payload.booth = store.booth;
  let unanswered = null;
  if (online() && sent.length <= 400) {
    try {
      const wait = displayState() === "slow" ? SLOW_TIMEOUT_MS : ONLINE_TIMEOUT_MS;
      const reply = await link.command("check_in", payload, { timeout: wait });
      slowSince = 0;
      renderStatus();
      if (reply.scan.admitted) {
        const at = localIso(new Date());
        store.remember(reply.scan.ticket_id, { at, door: link.deviceName, party: reply.scan.party,
                                               slot_id: reply.scan.slot_id });
        store.keepSent({ scan_id: scanId, code: sent, booth: store.booth, offline_at: at,
                         ticket_id: reply.scan.ticket_id, party: reply.scan.party, slot_id: reply.scan.slot_id,
                         online_payload: payload });
      }
      return answer(reply.scan, { offline: false, source, typed });
    } catch (err) {
      if (err.code === "invalid") return answer({ admitted: false, reason: "invalid" }, { offline: false, source, typed });
      if (err.code === "timeout") {
        // The hub may have it: the replay must be able to ask again with this very request.
        unanswered = payload;
        slowSince = Date.now();
      } else if (!HUB_CANNOT_ANSWER.includes(err.code)) {
        return answer({ admitted: false, reason: "error", code: err.code }, { offline: false, source, typed });
      }
    }
  }
  const known = { publicKey: store.publicKey, slots: store.slots, booth: store.booth, admitted: store.admitted,
                  cancelled: store.cancelled };
  const result = judgeOffline(text, known, Date.now());
  if (result.admitted) {
    const offlineAt = localIso(new Date());
    // Kept before the green screen shows: a phone that dies now still reports this admission later.
    store.queue({ scan_id: scanId, code: sent, booth: store.booth, offline_at: offlineAt, ticket_id: result.ticket_id,
                  party: result.party, slot_id: result.slot_id, online_payload: unanswered });
    store.remember(result.ticket_id, { at: offlineAt, door: link.deviceName, party: result.party,
                                       slot_id: result.slot_id });
  }
  renderStatus();
  return answer(result, { offline: true, source, typed });
}

// Offline admissions go to the hub in the order they were made; a transport failure stops the round.
function flushPending() {
  if (flushing) return flushing;
  flushing = (async () => {
    while (store.pending.length && online()) {
      const item = store.pending[0];
      let reply;
      try {
        reply = await replay(item);
      } catch (err) {
        if (["timeout", ...HUB_CANNOT_ANSWER].includes(err.code)) break;
        // Refused as malformed: it can never be accepted. Keep it in view instead of retrying forever.
        store.addNotice({ id: `refused:${item.scan_id}`, kind: "refused", ticket: item.ticket_id,
                          time: item.offline_at, reason: err.code });
        store.settle(item.scan_id);
        continue;
      }
      slowSince = 0;
      settleReplay(item, reply.scan);
      if (reply.scan.admitted) store.keepSent(item);
      store.settle(item.scan_id);
      renderPending();
    }
  })().finally(() => {
    flushing = null;
    renderStatus();
    renderNotices();
    if (screen === "scan") renderSession();
  });
  return flushing;
}

async function replay(item) {
  const payload = { scan_id: item.scan_id, code: item.code, offline_at: item.offline_at };
  if (item.booth) payload.booth = item.booth;
  try {
    return await link.command("check_in", payload, { timeout: REPLAY_TIMEOUT_MS });
  } catch (err) {
    // The online attempt that timed out did reach the hub: its answer is the one on record.
    if (err.code === "id_reused" && item.online_payload) {
      return link.command("check_in", item.online_payload, { timeout: REPLAY_TIMEOUT_MS });
    }
    throw err;
  }
}

function settleReplay(item, scan) {
  if (scan.admitted) return;
  if (scan.conflict) {
    addConflict({ ticket_id: item.ticket_id, party: item.party, first_at: scan.first_at, first_door: scan.first_door,
                  second_at: item.offline_at, second_door: link.deviceName });
    return;
  }
  store.addNotice({ id: `refused:${item.scan_id}`, kind: "refused", ticket: item.ticket_id, time: item.offline_at,
                    reason: scan.reason });
}

function addConflict(data) {
  const id = `conflict:${data.ticket_id}:${data.second_door}`;
  if (store.notices.some((n) => n.id === id)) return;
  store.addNotice({ id, kind: "conflict", ticket: data.ticket_id, party: data.party, first_at: data.first_at,
                    first_door: data.first_door, second_at: data.second_at, second_door: data.second_door });
  renderNotices();
  beep(false);
}

function renderNotices() {
  const box = $("notices");
  box.replaceChildren();
  for (const notice of store.notices) {
    const card = document.createElement("div");
    card.className = `notice-card ${notice.kind}`;
    card.dataset.kind = notice.kind;
    if (notice.kind === "conflict") {
      card.append(make("strong", "", "notice.conflict"));
      card.append(make("p", "", "notice.conflict.detail", {
        ticket: notice.ticket, party: notice.party ?? "?", first_door: notice.first_door,
        first_at: clock(notice.first_at, { seconds: true }), second_door: notice.second_door,
        second_at: clock(notice.second_at, { seconds: true }) }));
    } else {
      card.append(make("strong", "", "notice.refused"));
      card.append(make("p", "", "notice.refused.detail", {
        ticket: notice.ticket || "?", time: clock(notice.time),
        reason: { ko: t("ko", `reason.${notice.reason}`), en: t("en", `reason.${notice.reason}`) } }));
    }
    const dismiss = make("button", "btn small", "notice.dismiss");
    dismiss.type = "button";
    dismiss.addEventListener("click", () => {
      store.dismissNotice(notice.id);
      renderNotices();
    });
    card.append(dismiss);
    box.append(card);
  }
}

// ---------------------------------------------------------------- the answer

const TONE = { admitted: "green", short_offline: "amber", no_key: "amber", error: "amber" };
const ICON = { green: "✓", red: "✕", amber: "!" };

function answer(result, { offline, source, typed = null }) {
  // A reason this page does not know (a newer hub) is shown as an error naming it, never as green.
  const reason = has(`answer.${result.reason}`) ? result.reason : "error";
  const tone = TONE[reason] || "red";
  const box = $("answer");
  box.dataset.tone = tone;
  box.dataset.reason = reason;
  box.dataset.offline = String(offline);
  $("answer-icon").textContent = ICON[tone];
  both($("answer-title"), `answer.${reason}`);
  const party = $("answer-party");
  party.replaceChildren();
  if (result.party && (reason === "admitted" || reason === "already_used")) both(party, "answer.party", { party: result.party });
  // The ticket's code as it is printed under the QR: what door staff compare with the paper in the hand.
  const ticketCode = result.ticket_id || typed;
  const codeLine = $("answer-code");
  codeLine.replaceChildren();
  if (ticketCode) {
    const value = document.createElement("b");
    value.textContent = ticketCode;
    codeLine.append(make("span", "answer-code-label", "answer.code"), value);
  }
  const detailKey = `answer.${reason}.detail`;
  const vars = {
    time: clock(reason === "too_early" ? result.opens_at : result.first_at, { seconds: reason === "already_used" }),
    door: result.first_door || "?",
    booth: result.booth || "?",
    demo: { ko: result.demo || "", en: result.demo_en || result.demo || "" },
    start: clock(result.starts_at),
    slot: result.slot_id || "",
    code: result.code || result.reason || "",
  };
  const detail = $("answer-detail");
  detail.replaceChildren();
  if (has(detailKey)) both(detail, detailKey, vars);
  const demo = $("answer-demo");
  demo.replaceChildren();
  if (result.demo && reason !== "wrong_demo") {
    const line = make("span", "", "answer.demo", { demo: vars.demo });
    demo.append(line);
    if (result.starts_at) {
      const when = document.createElement("span");
      when.className = "answer-when";
      const slot = store.slots[result.slot_id];
      when.textContent = slot ? `${clock(slot.starts_at)}–${clock(slot.ends_at)}` : clock(result.starts_at);
      demo.append(when);
    }
  }
  const checkedBy = $("answer-source");
  checkedBy.hidden = tone === "amber";
  both(checkedBy, !offline ? "answer.online" : reason === "admitted" ? "answer.offline_admitted" : "answer.offline");
  box.hidden = false;
  const timer = $("answer-timer");
  timer.style.animation = "none";
  void timer.offsetWidth; // restart the countdown bar
  timer.style.animation = `answer-countdown ${SHOW_MS[tone]}ms linear forwards`;
  clearTimeout(answerTimer);
  answerTimer = setTimeout(hideAnswer, SHOW_MS[tone]);
  beep(tone === "green");
  store.addRecent({ at: new Date().toISOString(), reason, admitted: Boolean(result.admitted), party: result.party || null,
                    ticket: ticketCode || null, demo: result.demo || null, demo_en: result.demo_en || null,
                    offline, source });
  renderRecent();
}

function hideAnswer() {
  clearTimeout(answerTimer);
  $("answer").hidden = true;
}

function renderRecent() {
  const list = $("recent-list");
  list.replaceChildren();
  if (!store.recent.length) {
    list.append(make("li", "recent-empty", "recent.empty"));
    return;
  }
  for (const entry of store.recent) {
    const item = document.createElement("li");
    item.className = `recent-item ${entry.admitted ? "ok" : "no"}`;
    item.dataset.reason = entry.reason;
    const time = document.createElement("time");
    time.textContent = clock(entry.at, { seconds: true });
    item.append(time);
    item.append(make("span", "recent-reason", `reason.${entry.reason}`));
    const what = document.createElement("span");
    what.className = "recent-what";
    what.textContent = [entry.party ? `×${entry.party}` : "", entry.ticket || ""].filter(Boolean).join(" ");
    item.append(what);
    if (entry.offline) item.append(make("span", "recent-offline", "recent.offline"));
    list.append(item);
  }
}

// ---------------------------------------------------------------- camera, sound, screen

function renderCamera() {
  const running = camera.running;
  $("camera-box").dataset.camera = running ? "on" : "off";
  $("camera-off").hidden = running;
  $("camera-stop").hidden = !running;
  const note = $("camera-note");
  if (!cameraSupported()) {
    $("camera-start").hidden = true;
    both(note, "camera.unsupported");
  }
  const engine = $("camera-engine");
  engine.hidden = !running;
  if (running) both(engine, "camera.on", { engine: camera.engine });
}

async function startCamera() {
  try {
    await camera.start();
  } catch (err) {
    both($("camera-note"), `camera.${err.code || "failed"}`);
  }
  renderCamera();
  document.activeElement?.blur?.();
}

let audio = null;
function beep(good) {
  try {
    if (navigator.vibrate) navigator.vibrate(good ? 80 : [200, 100, 200]);
  } catch (err) {
    // Not a phone.
  }
  if (!store.sound) return;
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const tones = good ? [[880, 0, 0.12], [1320, 0.13, 0.16]] : [[220, 0, 0.18], [180, 0.22, 0.25]];
    for (const [frequency, at, length] of tones) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = good ? "sine" : "square";
      oscillator.frequency.value = frequency;
      gain.gain.value = 0.15;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(audio.currentTime + at);
      oscillator.stop(audio.currentTime + at + length);
    }
  } catch (err) {
    // No sound on this device: the colour says it all.
  }
}

function renderSound() {
  const button = $("sound-toggle");
  button.setAttribute("aria-pressed", String(store.sound));
  both(button, store.sound ? "door.sound_on" : "door.sound_off");
}

async function keepAwake() {
  // A door scanner should not go dark between visitors.
  try {
    if ("wakeLock" in navigator && document.visibilityState === "visible" && !wakeLock) {
      wakeLock = await navigator.wakeLock.request("screen");
      wakeLock.addEventListener("release", () => { wakeLock = null; });
    }
  } catch (err) {
    wakeLock = null;
  }
}

function unpair() {
  const count = store.pending.length;
  const lines = ["ko", "en"].map((lang) => t(lang, "door.unpair_confirm")
    + (count ? ` ${tCount(lang, "door.unpair_pending", count)}` : ""));
  if (!window.confirm(lines.join("\n\n"))) return;
  camera.stop();
  link.forget();
  store.forgetDoor();
  link.lastSeq = 0;
  showPair();
}

// ---------------------------------------------------------------- start

function wire() {
  $("pair-form").addEventListener("submit", (event) => {
    event.preventDefault();
    pairWith($("pair-code").value);
  });
  $("pair-camera").addEventListener("click", togglePairCamera);
  $("manual-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("manual-code");
    const raw = input.value.trim();
    input.value = "";
    input.blur();
    // Typed in Hangul mode, "ㅁㅊㅇㄷ" means "ACDE": ticket codes are letters on the Latin keys.
    submit(raw.startsWith("T1.") ? raw : hangulToKeys(raw).toUpperCase(), "manual");
  });
  $("camera-start").addEventListener("click", startCamera);
  $("camera-stop").addEventListener("click", () => {
    camera.stop();
    renderCamera();
  });
  $("answer").addEventListener("click", hideAnswer);
  $("change-booth").addEventListener("click", showBooth);
  $("booth-chip").addEventListener("click", showBooth);
  $("sound-toggle").addEventListener("click", () => {
    store.setSound(!store.sound);
    renderSound();
  });
  $("unpair").addEventListener("click", unpair);
  captureScanner((text) => submit(text, "keyboard"), { enabled: () => screen === "scan" });

  link.addEventListener("state", () => {
    renderStatus();
    if (link.state === "online") fetchKey();
  });
  link.addEventListener("hall-event", (event) => onHallEvent(event.detail));
  link.addEventListener("went-back", () => {
    // Another record (a restore): what this door heard is not its history; its own admissions go again.
    hubWentBack = true;
    store.offerAgain();
    renderPending();
  });
  link.addEventListener("ready", async () => {
    store.setSeq(link.lastSeq);
    fetchKey();
    try {
      await refreshProgram();
    } catch (err) {
      // The next reconnect tries again.
    }
    await flushPending();
  });
  link.addEventListener("revoked", () => {
    camera.stop();
    showPair({ revoked: true });
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && screen === "scan") keepAwake();
  });
  // Retry the queue now and then: a reconnect is not the only time the hub comes back within reach.
  setInterval(() => {
    if (store.pending.length && online()) flushPending();
    if (screen === "scan") {
      renderSession();
      renderStatus();
    }
  }, 5000);
}

async function main() {
  await loadAll();
  fillStatic();
  wire();
  renderCamera();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/scan/sw.js", { scope: "/scan/" }).catch(() => {});
  }
  if (link.paired) startDoor();
  else showPair();
}

main().catch((err) => {
  console.error(err);
  const boot = $("boot");
  boot.hidden = false;
  boot.textContent = `스캐너를 시작하지 못했습니다 · The scanner could not start: ${err && err.message}`;
});

// For tests and the curious: the door's state, read-only.
window.doorScanner = { link, store, camera, CommandError };
