// The hub's front page says whether the hub answers (scripts come from files: the hub's CSP allows no inline script).
fetch("/api/health").then(r => r.json()).then(h => {
  document.getElementById("health").textContent =
    `허브 정상 · Hub OK — 이벤트 ${h.seq} · events, 연결 ${h.connections} · connections`;
}).catch(() => {
  document.getElementById("health").textContent = "허브에 연결할 수 없습니다 · Cannot reach the hub";
});
