// CanarySim Guard dashboard: polls /guard/status, draws v1/v2 charts as SVG, sends changes with the ops token.
(() => {
  "use strict";
  const TOKEN_KEY = "canarysim.opsToken";
  const params = new URLSearchParams(location.search);
  const POLL_MS = Math.max(250, Number(params.get("poll")) || 2000);
  const $ = (id) => document.getElementById(id);

  let status = null;
  let authRequired = true;
  let sliderBusy = false;     // user is dragging: do not overwrite the slider from a poll
  let pendingAction = null;   // retried after the token dialog is saved
  let pollTimer = null;

  // ---------- ops token (sessionStorage only) ----------
  const getToken = () => sessionStorage.getItem(TOKEN_KEY) || "";
  const setToken = (t) => { if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY); renderTokenState(); };
  function renderTokenState() {
    $("token-state").textContent = !authRequired ? "no token needed" : getToken() ? "token set" : "no token";
  }
  function askToken(message, retry) {
    pendingAction = retry || null;
    const err = $("token-error");
    err.hidden = !message;
    err.textContent = message || "";
    $("token-input").value = "";
    if (!$("token-dialog").open) $("token-dialog").showModal();
    $("token-input").focus();
  }

  // ---------- toast ----------
  let toastTimer = null;
  function toast(text, kind) {
    const t = $("toast");
    t.textContent = text;
    t.className = "toast " + (kind || "");
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, kind === "error" ? 9000 : 3500);
  }

  // ---------- API ----------
  async function api(method, path, body, retry) {
    const headers = { "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const token = getToken();
    if (token) headers["Authorization"] = "Bearer " + token;
    let res;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      toast("Network error: " + e.message, "error");
      return null;
    }
    let data = null;
    try { data = await res.json(); } catch { /* empty body */ }
    if (res.status === 401 || res.status === 403) {
      const what = res.status === 401 ? "401 unauthorized: an ops token is required" : "403 forbidden: the ops token was rejected";
      setToken("");
      toast(`Change refused — ${what}. Enter a valid ops token.`, "error");
      askToken(`The server answered ${what}.`, retry);
      refresh();
      return null;
    }
    if (!res.ok) {
      toast(`Refused (${res.status}): ${data && data.reason ? data.reason : res.statusText}`, "error");
      refresh();
      return null;
    }
    return data;
  }

  const note = () => ($("change-note").value || "").trim() || "adjusted from the dashboard";

  async function putConfig(change, description) {
    const body = Object.assign({ updated_by: "dashboard", reason: note() }, change);
    const run = () => putConfig(change, description);
    const result = await api("PUT", "/guard/config", body, run);
    if (result) {
      toast(description, "ok");
      await refresh();
    }
  }

  // ---------- formatting ----------
  const fmt = (v, digits = 1) => (v === null || v === undefined || Number.isNaN(v)) ? "—" : Number(v).toFixed(digits);
  const pct = (v, digits = 1) => (v === null || v === undefined) ? "—" : (v * 100).toFixed(digits) + "%";
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c]));
  const time = (iso) => { if (!iso) return ""; const d = new Date(iso); return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z"); };
  const pctText = (p) => (Math.round(p * 100) / 100) + "%";

  // ---------- rendering ----------
  function render(s) {
    status = s;
    authRequired = s.service.auth_required;
    renderTokenState();
    $("insecure-banner").hidden = !s.service.insecure_dev;
    $("db-path").textContent = s.service.database ? "database: " + s.service.database : "";
    $("token-state").textContent = !authRequired ? "no token needed" : s.redacted ? "read-only (set token)" : "token set";
    $("interval-hint").textContent = s.service.background_evaluation
      ? `Background evaluation every ${s.service.evaluation_interval_seconds} s — auto-rollback needs nobody at the keyboard.`
      : "Background evaluation is off.";

    const st = s.settings;
    $("mode-pill").textContent = "mode " + st.mode;
    $("pct-pill").textContent = pctText(st.canary_pct) + " to v2";
    $("pct-pill").className = "pill" + (st.canary_pct > 0 && !st.kill_switch ? " v2" : "");
    $("kill-pill").textContent = "kill switch " + (st.kill_switch ? "ON" : "off");
    $("kill-pill").className = "pill" + (st.kill_switch ? " on" : "");
    if (!sliderBusy) {
      $("pct-slider").value = String(st.canary_pct);
      $("pct-value").textContent = pctText(st.canary_pct);
    }
    $("mode-select").value = st.mode;
    $("kill-switch").checked = st.kill_switch;
    $("kill-label").textContent = st.kill_switch ? "ON" : "off";

    // Resume is offered while the guard holds: paused, halving in a staged rollback, or awaiting a manual review.
    const holding = (s.service.rollback_state !== "active" && s.service.rollback_state !== "rolled_back") || s.service.needs_manual_review;
    $("resume-button").hidden = !holding || st.kill_switch;
    // A pause says what paused it (paused: inconclusive (judge, 90)) and since when, token or not.
    $("pause-banner").hidden = !s.service.paused;
    $("pause-text").textContent = s.service.paused ? `${s.service.paused} since ${time(s.service.paused_at)}` : "";

    renderTargeting(st);
    renderVerdict(s.evaluation);
    renderFacts(s);
    renderCharts(s);
    renderTable(s);
    renderTimeline(s.timeline || []);
    $("timeline-hint").hidden = !s.redacted;
    // rollout.js draws the live plan: read-only from this status (s.rollout) when there is no token.
    document.dispatchEvent(new CustomEvent("canarysim:status", { detail: s }));
  }

  // Segments and cohort: a JSON editor that follows the live settings until someone edits it.
  let targetingDirty = false;
  function renderTargeting(st) {
    const segments = st.segments || {};
    const names = Object.keys(segments);
    const disabled = names.filter((n) => !segments[n].enabled).length;
    const cohort = st.cohort || [];
    const cohortSize = st.cohort ? cohort.length : (st.cohort_size || 0);
    $("targeting-summary").textContent = names.length || cohortSize
      ? `${names.length} segment${names.length === 1 ? "" : "s"}${disabled ? ` (${disabled} disabled)` : ""}, ${cohortSize} cohort key${cohortSize === 1 ? "" : "s"}`
      : "none";
    if (!targetingDirty && document.activeElement !== $("targeting-json")) {
      // The redacted status has no cohort keys: the editor then holds the segments only, so applying it keeps the cohort.
      $("targeting-json").value = JSON.stringify(st.cohort ? { segments, cohort } : { segments }, null, 2);
    }
  }

  function renderVerdict(ev) {
    const pill = $("verdict-pill");
    if (!ev) {
      $("verdict-badge").textContent = "not evaluated";
      $("verdict-badge").className = "badge";
      $("action-badge").textContent = "action —";
      $("evaluated-at").textContent = "";
      $("breaches").innerHTML = '<li class="empty">No evaluation yet.</li>';
      $("pending").innerHTML = "";
      $("notes").innerHTML = "";
      pill.textContent = "verdict —";
      pill.className = "pill verdict";
      return;
    }
    $("verdict-badge").textContent = ev.verdict.replace("_", " ");
    $("verdict-badge").className = "badge " + ev.verdict;
    $("action-badge").textContent = "action: " + ev.action.replace("_", " ");
    $("evaluated-at").textContent = "evaluated " + time(ev.at);
    pill.textContent = "verdict " + ev.verdict.replace("_", " ");
    pill.className = "pill verdict " + (ev.verdict === "pass" ? "pass" : ev.verdict === "fail" ? "fail" : "hold");
    const breaches = ev.breaches || [];
    $("breaches").innerHTML = breaches.length
      ? breaches.map((b) => `<li data-check="${esc(b.check)}">${esc(b.reason)} <strong>→ ${esc(b.action)}</strong></li>`).join("")
      : '<li class="empty">No breaches.</li>';
    $("pending").innerHTML = (ev.pending || []).map((b) => `<li>pending: ${esc(b.reason)}</li>`).join("");
    $("notes").innerHTML = (ev.notes || []).map((n) => `<li>${esc(n)}</li>`).join("");
  }

  function renderFacts(s) {
    const state = s.service.rollback_state;
    const facts = [
      ["rollback state", state.replace("_", " "), state === "active" ? "ok" : state === "rolled_back" ? "bad" : "warn"],
      ["can promote", s.service.can_promote ? "yes" : "no", s.service.can_promote ? "ok" : "warn"],
      ["window", s.window.description, ""],
      ["v2 samples", `${s.window.v2.count} (${s.thresholds.min_samples} needed)`, s.window.v2.count >= s.thresholds.min_samples ? "ok" : "warn"],
      ["routed v1 / v2", `${s.traffic.v1} / ${s.traffic.v2}`, ""],
    ];
    $("facts").innerHTML = facts.map(([k, v, cls]) => `<div class="fact"><div class="k">${k}</div><div class="v ${cls}">${esc(v)}</div></div>`).join("");
  }

  const CHARTS = [
    { key: "latency", title: "Latency p95", unit: "ms", pick: (a) => a.p95_latency_ms, th: (t) => t.latency_p95_max_ms, digits: 0 },
    { key: "quality", title: "Quality (mean)", unit: "", pick: (a) => a.mean_quality, th: () => null, digits: 1 },
    { key: "cost", title: "Cost per run", unit: "¢", pick: (a) => a.mean_cost_cents, th: (t) => t.cost_max_cents, digits: 2 },
    { key: "error", title: "Error rate", unit: "%", pick: (a) => a.count ? a.error_rate * 100 : null, th: (t) => t.error_rate_max * 100, digits: 1 },
    { key: "fallback", title: "Fallback rate", unit: "%", pick: (a) => a.count ? (a.fallback_rate_rolling ?? a.fallback_rate) * 100 : null, th: (t) => t.fallback_rate_max * 100, digits: 1 },
  ];

  function renderCharts(s) {
    const host = $("charts");
    if (!host.dataset.built) {
      host.innerHTML = CHARTS.map((c) => `
        <figure class="chart" data-chart="${c.key}" data-testid="chart-${c.key}">
          <div class="title"><span>${c.title}</span><span class="now"></span></div>
          <svg viewBox="0 0 300 120" role="img" aria-label="${c.title} v1 vs v2"></svg>
        </figure>`).join("");
      host.dataset.built = "1";
    }
    const series = s.series || [];
    host.dataset.points = String(series.length);
    for (const c of CHARTS) {
      const fig = host.querySelector(`[data-chart="${c.key}"]`);
      const v1 = series.map((p) => nullable(c.pick(p.v1)));
      const v2 = series.map((p) => nullable(c.pick(p.v2)));
      const th = nullable(c.th(s.thresholds));
      const last1 = nullable(c.pick(s.window.v1));
      const last2 = nullable(c.pick(s.window.v2));
      fig.querySelector(".now").innerHTML =
        `<span class="v1">${fmt(last1, c.digits)}${c.unit}</span> / <span class="v2">${fmt(last2, c.digits)}${c.unit}</span>`;
      fig.dataset.points = String(series.length);
      fig.dataset.v2last = last2 === null ? "" : String(last2);
      const svg = fig.querySelector("svg");
      const width = Math.max(200, Math.round(svg.clientWidth || 300));
      svg.setAttribute("viewBox", `0 0 ${width} 120`);
      svg.innerHTML = drawChart(v1, v2, th, width);
    }
  }

  const nullable = (v) => (v === null || v === undefined || Number.isNaN(v)) ? null : Number(v);

  function drawChart(v1, v2, th, W) {
    const H = 120, L = 34, R = 6, T = 8, B = 14;
    const values = v1.concat(v2).filter((v) => v !== null);
    if (th !== null) values.push(th);
    if (values.length === 0 || v1.length === 0) {
      return `<text class="nodata" x="${W / 2}" y="${H / 2}" text-anchor="middle">no samples yet</text>`;
    }
    let lo = Math.min(...values), hi = Math.max(...values);
    if (lo === hi) { lo = lo === 0 ? 0 : lo * 0.9; hi = hi === 0 ? 1 : hi * 1.1; }
    const pad = (hi - lo) * 0.08; lo = Math.max(0, lo - pad); hi = hi + pad;
    const n = Math.max(v1.length, 2);
    const x = (i) => L + (W - L - R) * (v1.length === 1 ? 1 : i / (n - 1));
    const y = (v) => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
    const path = (arr) => {
      let d = "", pen = false;
      arr.forEach((v, i) => { if (v === null) { pen = false; return; } d += (pen ? "L" : "M") + x(i).toFixed(1) + " " + y(v).toFixed(1); pen = true; });
      return d;
    };
    const ticks = [lo, (lo + hi) / 2, hi];
    let svg = ticks.map((t) => `<line class="grid-line" x1="${L}" x2="${W - R}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"/>` +
      `<text class="axis" x="${L - 4}" y="${(y(t) + 3).toFixed(1)}" text-anchor="end">${short(t)}</text>`).join("");
    if (th !== null) svg += `<line class="threshold" x1="${L}" x2="${W - R}" y1="${y(th).toFixed(1)}" y2="${y(th).toFixed(1)}"/>`;
    const d2 = path(v2);
    if (d2 && v2.every((v) => v !== null) && v2.length > 1) {
      svg += `<path class="area v2" d="${d2} L${x(v2.length - 1).toFixed(1)} ${H - B} L${x(0).toFixed(1)} ${H - B} Z"/>`;
    }
    svg += `<path class="line v1" d="${path(v1)}"/><path class="line v2" d="${d2}"/>`;
    const lastPoint = (arr, cls) => {
      for (let i = arr.length - 1; i >= 0; i--) if (arr[i] !== null) return `<circle class="line ${cls}" cx="${x(i).toFixed(1)}" cy="${y(arr[i]).toFixed(1)}" r="2.5"/>`;
      return "";
    };
    svg += lastPoint(v1, "v1") + lastPoint(v2, "v2");
    return svg;
  }

  function short(v) {
    const a = Math.abs(v);
    if (a >= 10000) return (v / 1000).toFixed(0) + "k";
    if (a >= 1000) return (v / 1000).toFixed(1) + "k";
    if (a >= 100) return v.toFixed(0);
    if (a >= 10) return v.toFixed(1);
    return v.toFixed(2);
  }

  function renderTable(s) {
    const a1 = s.window.v1, a2 = s.window.v2, t = s.thresholds;
    const breached = new Set(((s.evaluation && s.evaluation.breaches) || []).map((b) => b.check));
    const rows = [
      ["samples", a1.count, a2.count, 0, `≥ ${t.min_samples} v2`, a2.count >= t.min_samples ? "ok" : "na", "min_samples"],
      ["quality (mean)", a1.mean_quality, a2.mean_quality, 1, `drop ≤ ${t.quality_drop_max}`, statusOf("quality", a1.mean_quality !== null && a2.mean_quality !== null), "quality"],
      ["latency p50 (ms)", a1.p50_latency_ms, a2.p50_latency_ms, 0, "", "na", ""],
      ["latency p95 (ms)", a1.p95_latency_ms, a2.p95_latency_ms, 0, `≤ ${t.latency_p95_max_ms}`, statusOf("latency", a2.p95_latency_ms !== null), "latency"],
      ["latency p99 (ms)", a1.p99_latency_ms, a2.p99_latency_ms, 0, "", "na", ""],
      ["cost (¢/run)", a1.mean_cost_cents, a2.mean_cost_cents, 2, `≤ ${t.cost_max_cents}`, statusOf("cost", a2.mean_cost_cents !== null), "cost"],
      ["error rate", a1.error_rate, a2.error_rate, "%", `≤ ${pct(t.error_rate_max, 0)} for ${t.error_rate_sustain}`, statusOf("error_rate", a2.count > 0), "error_rate"],
      ["fallback rate (rolling)", a1.fallback_rate_rolling, a2.fallback_rate_rolling, "%", `≤ ${pct(t.fallback_rate_max, 0)}`, statusOf("fallback_rate", a2.count > 0), "fallback_rate"],
      ["policy violations", a1.policy_violations, a2.policy_violations, 0, "0", statusOf("policy_violation", true), "policy_violation"],
    ];
    function statusOf(check, has) { return breached.has(check) ? "bad" : has ? "ok" : "na"; }
    $("compare-body").innerHTML = rows.map(([name, x1, x2, d, th, st, check]) => {
      const show = (v) => d === "%" ? pct(v) : fmt(v, d);
      const delta = (x1 === null || x1 === undefined || x2 === null || x2 === undefined) ? "—"
        : d === "%" ? ((x2 - x1) * 100 >= 0 ? "+" : "") + ((x2 - x1) * 100).toFixed(1) + " pts"
        : ((x2 - x1) >= 0 ? "+" : "") + fmt(x2 - x1, d);
      const label = st === "bad" ? "BREACH" : st === "ok" ? "ok" : "—";
      return `<tr class="${st === "bad" ? "breach" : ""}" data-check="${check}"><td>${name}</td><td class="v1">${show(x1)}</td><td class="v2">${show(x2)}</td>` +
        `<td>${delta}</td><td>${esc(th)}</td><td class="status-${st}">${label}</td></tr>`;
    }).join("");
  }

  function renderTimeline(items) {
    const list = $("timeline");
    if (!items.length) { list.innerHTML = '<li class="empty">No changes recorded yet.</li>'; return; }
    list.innerHTML = items.map((c) => {
      const diffs = [];
      for (const k of ["mode", "canary_pct", "kill_switch", "salt", "phase", "segments", "cohort"]) {
        if (JSON.stringify(c.before[k]) !== JSON.stringify(c.after[k])) diffs.push(`${k} ${JSON.stringify(c.before[k])} → ${JSON.stringify(c.after[k])}`);
      }
      const breaches = (c.breaches || []).length ? `<div class="tl-diff">breaches: ${c.breaches.map(esc).join("; ")}</div>` : "";
      return `<li class="${esc(c.kind)}" data-kind="${esc(c.kind)}" data-seq="${c.sequence}">
        <div class="tl-head"><span class="tl-kind">${esc(c.kind.replace("_", " "))}</span><span class="tl-who">${esc(c.actor ?? "")}</span><span class="tl-at">${time(c.at)} · #${c.sequence}</span></div>
        ${c.reason === undefined ? "" : `<div class="tl-reason">${esc(c.reason)}</div>`}
        <div class="tl-diff">${diffs.length ? esc(diffs.join(", ")) : "no setting changed"}</div>${breaches}
      </li>`;
    }).join("");
  }

  // ---------- polling ----------
  let lastOk = 0;
  async function refresh() {
    try {
      // With a token the full status (salt, cohort keys, who and why); without one the redacted view.
      const headers = { "Accept": "application/json" };
      if (getToken()) headers["Authorization"] = "Bearer " + getToken();
      let res = await fetch("/guard/status", { headers, cache: "no-store" });
      if (res.status === 403 && getToken()) {
        setToken("");
        toast("403 forbidden: the saved token was rejected; showing the read-only view.", "error");
        askToken("The server answered 403 forbidden: the token was rejected.", null);
        res = await fetch("/guard/status", { headers: { "Accept": "application/json" }, cache: "no-store" });
      }
      if (!res.ok) throw new Error("HTTP " + res.status);
      const s = await res.json();
      render(s);
      lastOk = Date.now();
      $("live-dot").className = "dot live";
      $("live-text").textContent = "live · updated " + time(new Date(lastOk).toISOString()).slice(11); // UTC, as every other time on the page
      document.body.dataset.loaded = "1";
    } catch (e) {
      $("live-dot").className = "dot down";
      $("live-text").textContent = "disconnected (" + e.message + ")";
    }
  }
  function schedule() { clearTimeout(pollTimer); pollTimer = setTimeout(async () => { await refresh(); schedule(); }, POLL_MS); }

  // ---------- wiring ----------
  const slider = $("pct-slider");
  slider.addEventListener("input", () => { sliderBusy = true; $("pct-value").textContent = pctText(Number(slider.value)); });
  slider.addEventListener("change", async () => {
    const value = Number(slider.value);
    sliderBusy = false;
    await putConfig({ canary_pct: value }, `Canary share set to ${pctText(value)}`);
  });
  $("mode-select").addEventListener("change", (e) => putConfig({ mode: e.target.value }, `Mode set to ${e.target.value}`));
  $("kill-switch").addEventListener("change", (e) => {
    const on = e.target.checked;
    putConfig({ kill_switch: on }, on ? "Kill switch ON: all traffic to v1" : "Kill switch off");
  });
  $("evaluate-button").addEventListener("click", async () => {
    const run = async () => {
      const v = await api("POST", "/guard/evaluate", undefined, run);
      if (v) { toast(`Evaluation: ${v.verdict}, action ${v.action}`, v.verdict === "fail" ? "error" : "ok"); await refresh(); }
    };
    await run();
  });
  $("targeting-json").addEventListener("input", () => { targetingDirty = true; });
  $("targeting-apply").addEventListener("click", async () => {
    let parsed;
    try {
      parsed = JSON.parse($("targeting-json").value);
    } catch (err) {
      toast("Segments and cohort: not valid JSON (" + err.message + ")", "error");
      return;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      toast('Segments and cohort: expected {"segments": {…}, "cohort": […]}', "error");
      return;
    }
    const change = {};
    if ("segments" in parsed) change.segments = parsed.segments;
    if ("cohort" in parsed) change.cohort = parsed.cohort;
    targetingDirty = false;
    await putConfig(change, "Segments and cohort applied");
  });
  $("resume-button").addEventListener("click", async () => {
    const run = async () => {
      const r = await api("POST", "/guard/resume", { reason: note(), actor: "dashboard" }, run);
      if (r) { toast("Resumed: a new analysis run has started", "ok"); await refresh(); }
    };
    await run();
  });
  $("rollback-button").addEventListener("click", () => { $("rollback-reason").value = ""; $("rollback-dialog").showModal(); $("rollback-reason").focus(); });
  $("rollback-cancel").addEventListener("click", () => $("rollback-dialog").close());
  $("rollback-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const reason = $("rollback-reason").value.trim();
    if (!reason) { $("rollback-reason").reportValidity(); return; }
    $("rollback-dialog").close();
    const run = async () => {
      const r = await api("POST", "/guard/rollback", { reason, actor: "dashboard" }, run);
      if (r) { toast("Rolled back: every request now goes to v1", "ok"); await refresh(); }
    };
    await run();
  });
  $("token-button").addEventListener("click", () => askToken("", null));
  $("token-cancel").addEventListener("click", () => { pendingAction = null; $("token-dialog").close(); });
  $("token-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = $("token-input").value.trim();
    if (!value) return;
    setToken(value);
    $("token-dialog").close();
    const retry = pendingAction; pendingAction = null;
    if (retry) await retry();
    else await refresh();
  });

  (async () => {
    // No token dialog on load: looking needs no token; the dialog opens when a change needs one (or from the key button).
    await refresh();
    schedule();
  })();
})();
