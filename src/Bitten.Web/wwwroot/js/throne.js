// The Commander Throne (ADMIN): every component's health, the EAs, users, signals, slots and recent events — and
// buttons that act. Each action is answered by the server once it has taken effect (and is stored as a user_action
// event); the page then shows the new state it read back, never a success string of its own.
import { $, get, post, put, stream, frame, whoAmI, esc, fixed, money, time, clock, directionClass, resultClass, signInNotice, toast, ApiError } from "./api.js";

frame("throne", "COMMANDER THRONE");
const tiers = ["PRESS_PASS", "NIBBLER", "FANG", "COMMANDER"];

function layout() {
  $("#app").innerHTML = `
    <h2>Emergency stop</h2>
    <div class="toolbar"><span>now: <strong id="stop-state"></strong></span>
      <button data-stop="SOFT">SOFT stop (no new fires)</button>
      <button class="danger" data-stop="HARD">HARD stop (close everything)</button>
      <button class="primary" data-stop="NONE">Resume</button></div>
    <h2>Components</h2><div class="toolbar" id="components"></div>
    <div class="grid" id="figures"></div>
    <h2>Patterns</h2><div class="table-wrap"><table id="patterns"><thead><tr><th>pattern</th><th>state</th><th>by record</th><th>action</th></tr></thead><tbody></tbody></table></div>
    <h2>Threshold</h2>
    <form class="toolbar" id="threshold"><label>confidence ≥ <input name="threshold" type="number" step="0.5" min="0" max="100" size="5"></label>
      <label>tuner range <input name="min" type="number" step="0.5" min="0" max="100" size="5"> – <input name="max" type="number" step="0.5" min="0" max="100" size="5"></label>
      <button type="submit">Set</button><span class="muted" id="tuner"></span></form>
    <h2>EAs</h2><div class="table-wrap"><table id="eas"><thead><tr><th>EA</th><th>user</th><th>state</th><th>last seen</th><th class="num">balance</th><th class="num">equity</th><th class="num">positions</th></tr></thead><tbody></tbody></table></div>
    <h2>Users</h2><div class="table-wrap"><table id="users"><thead><tr><th>telegram</th><th>role</th><th>tier</th><th>mode</th><th>band</th><th class="num">slots</th><th class="num">balance</th><th class="num">level · XP</th><th></th></tr></thead><tbody></tbody></table></div>
    <h2>Signals</h2><div class="table-wrap"><table id="signals"><thead><tr><th>time</th><th>symbol</th><th>side</th><th>pattern</th><th class="num">conf.</th><th>outcome</th></tr></thead><tbody></tbody></table></div>
    <h2>Recent events</h2><div class="table-wrap"><table id="events"><thead><tr><th>time</th><th>event</th><th>what</th></tr></thead><tbody></tbody></table></div>`;
  for (const button of document.querySelectorAll("[data-stop]")) {
    button.addEventListener("click", () => act(() => post("/api/emergency-stop", { mode: button.dataset.stop }),
      r => `Emergency stop is now ${r.emergency_stop}`));
  }
  $("#threshold").addEventListener("submit", e => {
    e.preventDefault();
    const form = new FormData(e.target);
    const body = Object.fromEntries([...form].filter(([, v]) => v !== "").map(([k, v]) => [k, Number(v)]));
    act(() => post("/api/threshold", body), r => `Threshold ${fixed(r.threshold)} (range ${fixed(r.min)}–${fixed(r.max)})`);
  });
}

async function act(call, describe) {
  try {
    const answer = await call();
    toast(describe(answer));
  } catch (e) {
    toast(e.message, true);
  }
  await load();
}

function draw(t) {
  $("#stop-state").textContent = t.emergency_stop;
  $("#stop-state").className = t.emergency_stop === "NONE" ? "win" : "loss";
  $("#components").innerHTML = Object.entries(t.components).map(([name, c]) =>
    `<span class="pill ${esc(c.state)}" title="${esc(c.detail ?? "")}">${esc(name)}: ${esc(c.state)}</span>`).join(" ");
  $("#figures").innerHTML = [["slots in use", `${t.slots.used}/${t.slots.max}`], ["EAs", t.eas.length], ["users", t.users.length]]
    .map(([l, v]) => `<div class="card"><div class="label">${l}</div><div class="value">${esc(v)}</div></div>`).join("");
  $("#patterns tbody").innerHTML = t.patterns.map(p => `<tr data-pattern="${esc(p.pattern)}"><td>${esc(p.pattern)}</td>
    <td>${p.disabled ? `<span class="pill off">off${p.disabled_by_admin ? " (admin)" : " (record)"}</span>` : `<span class="pill ok">on${p.kept_on ? " (kept on)" : ""}</span>`}</td>
    <td class="muted">${p.by_record ? "below 40 % upper bound" : "fine"}</td>
    <td><button data-enable="${p.disabled ? "true" : "false"}">${p.disabled ? "Enable" : "Disable"}</button></td></tr>`).join("");
  for (const button of document.querySelectorAll("[data-enable]")) {
    const pattern = button.closest("tr").dataset.pattern;
    const enabled = button.dataset.enable === "true";
    button.addEventListener("click", () => act(() => post(`/api/patterns/${pattern}`, { enabled }),
      r => `${pattern} is now ${r.disabled ? "off" : "on"}`));
  }
  const th = t.threshold;
  const form = $("#threshold");
  if (document.activeElement?.form !== form) {
    form.threshold.value = th.threshold; form.min.value = th.min; form.max.value = th.max;
  }
  $("#tuner").textContent = th.auto_tune ? `auto-tune on: ${th.moves} moves, last: ${th.last_reason}` : "auto-tune off";
  $("#eas tbody").innerHTML = t.eas.map(e => `<tr><td>${esc(e.ea_uuid)}</td><td>${esc(e.user_id ?? "—")}</td>
    <td><span class="pill ${e.alive ? "ok" : "off"}">${e.alive ? "alive" : "silent"}</span></td><td class="muted">${time(e.last_seen)}</td>
    <td class="num">${money(e.balance)}</td><td class="num">${money(e.equity)}</td><td class="num">${e.positions}</td></tr>`).join("")
    || `<tr><td colspan="7" class="muted">No EA has connected.</td></tr>`;
  $("#users tbody").innerHTML = t.users.map(u => `<tr data-user="${esc(u.telegram_id)}"><td>${esc(u.telegram_id)}</td><td>${esc(u.role)}</td>
    <td><select name="tier">${tiers.map(x => `<option${x === u.tier ? " selected" : ""}>${x}</option>`).join("")}</select></td>
    <td><select name="mode"><option${u.mode === "MANUAL" ? " selected" : ""}>MANUAL</option><option${u.mode === "AUTO" ? " selected" : ""}>AUTO</option></select></td>
    <td><input name="min_confidence" type="number" step="1" size="3" value="${u.min_confidence}"> – <input name="max_confidence" type="number" step="1" size="3" value="${u.max_confidence}"></td>
    <td class="num">${u.slots.used}/${u.slots.max}</td><td class="num">${money(u.balance)}</td>
    <td class="num">${u.level == null ? "—" : `${u.level} · ${u.xp}`}</td><td><button data-save>Save</button></td></tr>`).join("");
  for (const button of document.querySelectorAll("[data-save]")) {
    const row = button.closest("tr");
    button.addEventListener("click", () => act(() => put(`/api/users/${row.dataset.user}`, {
      tier: row.querySelector("[name=tier]").value, mode: row.querySelector("[name=mode]").value,
      min_confidence: Number(row.querySelector("[name=min_confidence]").value), max_confidence: Number(row.querySelector("[name=max_confidence]").value),
    }), u => `User ${u.telegram_id}: ${u.tier}, ${u.mode}, ${fixed(u.min_confidence, 0)}–${fixed(u.max_confidence, 0)} %`));
  }
  $("#signals tbody").innerHTML = t.signals.map(s => `<tr><td class="muted">${time(s.timestamp)}</td><td>${esc(s.symbol)}</td>
    <td class="${directionClass(s.direction)}">${esc(s.direction)}</td><td>${esc(s.pattern_type)}</td><td class="num">${fixed(s.confidence)}</td>
    <td class="${resultClass(s.outcome?.result)}">${s.outcome ? `${esc(s.outcome.result)} ${fixed(s.outcome.pips)}` : "open"}</td></tr>`).join("");
  $("#events tbody").innerHTML = t.events.map(e => `<tr><td class="muted">${clock(e.timestamp)}</td><td>${esc(e.event_type)}</td>
    <td class="muted" style="white-space:normal">${esc(e.summary)}</td></tr>`).join("");
}

let laidOut = false;
async function load() {
  try {
    const t = await get("/api/throne");
    if (!laidOut) { layout(); laidOut = true; }
    draw(t);
    return true;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) { $("#app").innerHTML = signInNotice(e); laidOut = false; return false; }
    toast(e.message, true);
    return true;
  }
}

whoAmI();
if (await load()) {
  setInterval(load, 5000);
  stream({ stop: load, pattern: load, signal: load, outcome: load });
}
