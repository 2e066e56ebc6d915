// CanarySim Guard dashboard, live plan: polls GET /guard/rollout (with the token) and draws the plan as a timeline
// (stages, the current one, hold remaining, what it waits for) with Approve / Pause / Resume / Abort (ops token).
// Without a token it draws the same timeline read-only from the status's rollout summary (app.js passes it on).
(() => {
  "use strict";
  const TOKEN_KEY = "canarysim.opsToken";
  const POLL_MS = Math.max(250, Number(new URLSearchParams(location.search).get("poll")) || 2000);
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c]));
  const token = () => sessionStorage.getItem(TOKEN_KEY) || "";
  const reason = () => ($("change-note").value || "").trim() || "from the dashboard";
  let view = null;

  function say(text, kind) {
    const t = $("toast");
    t.textContent = text;
    t.className = "toast " + (kind || "");
    t.hidden = false;
  }

  async function call(method, path, body) {
    const headers = { "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token()) headers["Authorization"] = "Bearer " + token();
    const res = await fetch(path, { method, headers, cache: "no-store", body: body === undefined ? undefined : JSON.stringify(body) });
    let data = null;
    try { data = await res.json(); } catch { /* empty */ }
    return { ok: res.ok, status: res.status, data };
  }

  // The stages as a timeline; `gates` and `extra` say what a stage shows beyond name, percentage and hold.
  function drawStages(v, gates, extra) {
    $("rollout-card").hidden = false;
    $("rollout-plan").textContent = v.plan;
    $("rollout-state").textContent = v.state.replace("_", " ");
    $("rollout-state").className = "badge " + (v.state === "rolled_back" ? "fail" : v.state === "completed" ? "pass" : "hold");
    $("rollout-card").dataset.state = v.state;
    $("rollout-stages").innerHTML = v.stages.map((s) => `
      <li class="${s.status}" data-stage="${esc(s.name)}" data-status="${s.status}">
        <div class="name">${esc(s.name)}</div>
        <div class="pct">${s.percent}%</div>
        <div class="meta">hold ${s.min_hold_s} s${s.gates.length ? " · " + esc(gates(s)) : ""}</div>
        ${extra(s)}
        ${s.status === "current" && v.state !== "completed" ? `<div class="meta now">${v.hold_remaining_s > 0 ? Math.ceil(v.hold_remaining_s) + " s of hold left" : "hold served"}</div>` : ""}
      </li>`).join("");
    $("rollout-waiting").textContent = v.waiting_for.length ? "Waiting for: " + v.waiting_for.join("; ") : (v.state === "completed" ? "Completed." : v.state === "rolled_back" ? "Rolled back." : "");
    const next = v.state === "completed" || v.state === "rolled_back" ? null : v.stages[v.stage_index + 1];
    $("rollout-next").textContent = next ? `Next: stage ${next.name} at ${next.percent}% when the current stage has what it waits for.` : "";
  }

  // With a token: GET /guard/rollout (approvers, gate reports) and the buttons.
  function render(v) {
    view = v;
    drawStages(v, (s) => s.gates.join(", ") + (s.approved_by.length ? " · approved by " + s.approved_by.join(", ") : ""),
      (s) => (v.gates || []).filter((g) => g.stage === s.name).map((g) => `<div class="meta gate ${g.passed ? "pass" : "fail"}" data-gate="${esc(g.kind)}">${esc(g.kind.replace("_", " "))} ${g.passed ? "passed" : "FAILED"}: ${esc(g.detail)}</div>`).join(""));
    $("rollout-readonly").hidden = true;
    $("rollout-actions").hidden = false;
    $("rollout-actions-hint").hidden = false;
    const active = v.state !== "rolled_back" && v.state !== "completed";
    $("rollout-approve").disabled = v.state !== "waiting_approval";
    $("rollout-pause").disabled = !active || v.state === "paused";
    $("rollout-resume").disabled = v.state !== "paused";
    $("rollout-abort").disabled = !active;
    const wanted = (v.waiting_for.find((w) => w.startsWith("approval by ")) || "").slice("approval by ".length);
    if (wanted && !$("rollout-approver").value) $("rollout-approver").value = wanted;
  }

  // Without a token: the status's summary (stage, percentage, state, what it waits for; no approvers), no buttons.
  function renderSummary(summary) {
    view = null;
    if (!summary) { $("rollout-card").hidden = true; return; }
    drawStages(summary, (s) => s.gates.map((g) => g.replace("_", " ")).join(", "), () => "");
    $("rollout-readonly").hidden = false;
    $("rollout-actions").hidden = true;
    $("rollout-actions-hint").hidden = true;
  }

  let summary = null;
  document.addEventListener("canarysim:status", (e) => {
    summary = e.detail.rollout || null;
    if (!token()) renderSummary(summary);
  });

  async function refresh() {
    if (!token()) { renderSummary(summary); return; }
    try {
      const r = await call("GET", "/guard/rollout");
      if (r.ok) render(r.data); else renderSummary(summary);
    } catch { /* the status poll reports the connection */ }
  }

  async function act(path, body, done) {
    const r = await call("POST", path, body);
    if (r.ok) { render(r.data); say(done, "ok"); }
    else say(`Refused (${r.status}): ${r.data && r.data.reason ? r.data.reason : "see the log"}`, "error");
  }

  $("rollout-approve").addEventListener("click", () =>
    act("/guard/rollout/approve", { stage: view.stage, approver: $("rollout-approver").value.trim(), reason: reason() }, `Approved ${view.stage}`));
  $("rollout-pause").addEventListener("click", () => act("/guard/rollout/pause", { actor: "dashboard", reason: reason() }, "Rollout paused"));
  $("rollout-resume").addEventListener("click", () => act("/guard/rollout/resume", { actor: "dashboard", reason: reason() }, "Rollout resumed"));
  $("rollout-abort").addEventListener("click", () => act("/guard/rollout/abort", { actor: "dashboard", reason: reason() }, "Rollout aborted: every request now goes to v1"));

  const loop = async () => { await refresh(); setTimeout(loop, POLL_MS); };
  loop();
})();
