// The mission HUD (/hud/{mission_id}): the briefing, a countdown, FIRE — disabled with the reason whenever a fire would
// be refused — and the live result (sent → filled / failed → closed) from the stream, without reloading.
import { $, get, post, stream, frame, whoAmI, esc, price, fixed, signed, money, percent, countdown, directionClass, signInNotice, toast, ApiError } from "./api.js";

frame("/hud");
document.querySelector("main").classList.add("narrow", "hud");
const missionId = decodeURIComponent(location.pathname.split("/").filter(Boolean)[1] ?? "");
let mission = null;
let skew = 0; // server clock minus ours, so the countdown is the server's
let firing = false;
let progress = null; // the caller's XP and level, from /api/users/me

const progressLine = () => progress ? `Level ${progress.level} · ${progress.xp} XP` : "";

async function refreshProgress() {
  progress = (await whoAmI())?.progress ?? null;
  const line = document.querySelector("#progress");
  if (line) line.textContent = progressLine();
}

async function load() {
  try {
    mission = await get(`/api/missions/${encodeURIComponent(missionId)}`);
    skew = mission.now - Date.now();
    draw();
    return true;
  } catch (e) {
    $("#app").innerHTML = e instanceof ApiError && (e.status === 401 || e.status === 403) ? signInNotice(e)
      : `<div class="notice error">${esc(e.message)}</div>`;
    return false;
  }
}

// A bar per part; its length is the part against its most (CITADEL's parts have fixed maxima, confidence's are points).
const citadelMax = { liquidity: 4, sweep: 3, volatility: 2, spread: 1 };
function scoreBars(parts, maxOf) {
  return Object.entries(parts ?? {}).filter(([name]) => name !== "total" && name !== "score").map(([name, value]) => {
    const width = Math.max(0, Math.min(100, Math.abs(Number(value)) / maxOf(name) * 100));
    const cls = Number(value) < 0 ? "loss" : "";
    return `<div class="row"><span class="muted">${esc(name)}</span><span class="track"><span class="fill" style="width:${width}%"></span></span><span class="num ${cls}">${signed(value)}</span></div>`;
  }).join("");
}

function resultText(m) {
  const f = m.fire;
  if (!f) return m.status === "EXPIRED" ? `<span class="muted">Expired without a fire.</span>` : "";
  switch (f.status) {
    case "sent": return `Sent to your EA… <span class="muted">${esc(f.fire_id)}</span>`;
    case "filled": return `<span class="win">Filled</span> at ${price(m.symbol, f.fill_price)}, ${fixed(f.lot, 2)} lots, ticket ${esc(f.ticket)}`;
    case "failed": return `<span class="loss">Failed</span>: ${esc(f.message ?? "the EA refused")}`;
    case "closed": {
      const cls = (f.pips ?? 0) >= 0 ? "win" : "loss";
      return `<span class="${cls}">Closed ${fixed(f.pips)} pips, ${money(f.profit, m.risk?.currency)}</span> at ${price(m.symbol, f.close_price)}`;
    }
    default: return esc(f.status);
  }
}

function draw() {
  const m = mission;
  const r = m.risk;
  const record = m.pattern_record;
  $("#app").innerHTML = `
    <div><span class="symbol">${esc(m.symbol)}</span><span class="direction ${directionClass(m.direction)}">${esc(m.direction)}</span>
      <span class="pill">${esc(m.signal_class)}</span></div>
    <div class="muted">${esc(m.pattern_type)} · mission ${esc(m.mission_id)}</div>
    <div class="muted" id="progress">${esc(progressLine())}</div>
    <div class="levels">
      <div class="card"><div class="label">entry</div><div class="value">${price(m.symbol, m.entry_price)}</div></div>
      <div class="card"><div class="label">stop loss</div><div class="value sell">${price(m.symbol, m.sl)}</div></div>
      <div class="card"><div class="label">take profit</div><div class="value buy">${price(m.symbol, m.tp)}</div></div>
    </div>
    <div class="grid">
      <div class="card"><div class="label">at risk</div><div class="value sell" id="at-risk">${fixed(m.stop_pips)} pips · ${r ? money(r.money_at_risk, r.currency) : "—"}</div></div>
      <div class="card"><div class="label">to gain</div><div class="value buy" id="to-gain">${fixed(m.target_pips)} pips · ${r ? money(r.money_to_gain, r.currency) : "—"}</div></div>
      <div class="card"><div class="label">your lot</div><div class="value">${r ? fixed(r.lot, 2) : "—"}</div></div>
      <div class="card"><div class="label">slots</div><div class="value" id="slots">${m.slots.used}/${m.slots.max}</div></div>
    </div>
    ${r ? "" : `<p class="muted">Money at risk unknown: ${esc(m.risk_reason ?? "no lot yet")}</p>`}
    <div class="countdown" id="countdown" aria-live="off"></div>
    <button class="fire" id="fire">FIRE</button>
    <div class="reason" id="reason" role="status"></div>
    <div class="result" id="result" role="status">${resultText(m)}</div>
    <h2>Confidence ${fixed(m.confidence)} %</h2>
    <div class="bars">${scoreBars(m.score?.confidence, () => 100) || `<span class="muted">No breakdown: this signal did not come from Elite Guard's detectors.</span>`}</div>
    <h2>CITADEL ${fixed(m.citadel_score)} / 10</h2>
    <div class="bars">${scoreBars(m.score?.citadel, name => citadelMax[name] ?? 10) || ""}</div>
    <h2>Pattern record</h2>
    <div class="card">${record ? `${record.signals} signals, ${record.wins} wins, ${record.losses} losses · ${record.wr == null ? "none resolved yet"
      : `win rate ${percent(record.wr)} (95 % ${percent(record.wilson_lower)}–${percent(record.wilson_upper)})`}${record.disabled ? ` · <span class="loss">disabled</span>` : ""}` : "—"}</div>`;
  $("#fire").addEventListener("click", fire);
  tick();
}

function canFire(m, left) {
  if (left <= 0) return { ok: false, message: "This mission has expired." };
  if (m.fire) return { ok: false, message: null };
  return m.can_fire ?? { ok: false, message: "unknown" };
}

function tick() {
  if (!mission) return;
  const left = mission.expires_at - (Date.now() + skew);
  const el = $("#countdown");
  if (!el) return;
  el.textContent = countdown(left);
  el.classList.toggle("expired", left <= 0);
  const verdict = canFire(mission, left);
  const button = $("#fire");
  button.disabled = firing || !verdict.ok;
  button.textContent = mission.fire ? "FIRED" : "FIRE";
  $("#reason").textContent = verdict.ok || mission.fire ? "" : verdict.message ?? "";
}

async function fire() {
  firing = true;
  tick();
  try {
    const sent = await post("/api/fire", { mission_id: missionId });
    toast(`Fire ${sent.fire_id} sent: ${fixed(sent.lot, 2)} lots`);
  } catch (e) {
    toast(e.message, true);
  } finally {
    firing = false;
    await load();
  }
}

refreshProgress();
if (await load()) {
  setInterval(tick, 250);
  stream({
    open: load,
    mission: m => { if (m.mission_id === missionId) load(); },
    // A close can earn XP: the line follows it.
    fire: f => { if (f.mission_id === missionId) { load(); if (f.status === "closed") refreshProgress(); } },
    stop: load,
    pattern: load,
  });
}
