// The landing page: what is running (components, EAs, symbols with live prices), the latest signals, the way in.
import { $, get, stream, frame, whoAmI, esc, price, fixed, time, directionClass, resultClass, signInNotice, ApiError } from "./api.js";

frame("/");
$("#app").innerHTML = `
  <h1>Elite Guard</h1>
  <div class="grid" id="summary"></div>
  <h2>Components</h2><div id="components" class="toolbar"></div>
  <h2>Symbols</h2><div class="table-wrap"><table id="symbols"><thead><tr><th>symbol</th><th class="num">bid</th><th class="num">ask</th><th>last tick</th></tr></thead><tbody></tbody></table></div>
  <h2>Latest signals</h2><div id="signals-box"><div class="table-wrap"><table id="signals"><thead><tr>
    <th>time</th><th>symbol</th><th>side</th><th>pattern</th><th class="num">confidence</th><th class="num">entry</th><th>outcome</th></tr></thead><tbody></tbody></table></div></div>
  <h2>Pages</h2>
  <p><a href="/tracking">Tracking</a> — live signals and outcomes, candle charts ·
     <a href="/analysis">Analysis</a> — per-pattern record and calibration ·
     <a href="/performance">Performance</a> — your trades and equity ·
     <a href="/scalar">API reference</a> · <a href="/healthz">/healthz</a> · <a href="/metrics">/metrics</a></p>`;

async function refreshStatus() {
  try {
    const s = await get("/status");
    const states = Object.entries(s.components ?? {});
    $("#summary").innerHTML = [
      ["status", s.status], ["uptime", `${Math.floor(s.uptime / 60)} min`], ["EAs connected", s.eas],
      ["emergency stop", s.emergency_stop],
    ].map(([label, value]) => `<div class="card"><div class="label">${label}</div><div class="value" data-field="${esc(label)}">${esc(value)}</div></div>`).join("");
    $("#components").innerHTML = states.map(([name, state]) => `<span class="pill ${esc(state)}">${esc(name)}: ${esc(state)}</span>`).join(" ");
    $("#symbols tbody").innerHTML = (s.symbols ?? []).map(x => `<tr><td>${esc(x.symbol)}</td><td class="num">${price(x.symbol, x.bid)}</td>
      <td class="num">${price(x.symbol, x.ask)}</td><td class="muted">${time(x.time)}</td></tr>`).join("")
      || `<tr><td colspan="4" class="muted">No prices yet: waiting for an EA.</td></tr>`;
  } catch (e) {
    $("#summary").innerHTML = `<div class="notice error">The server did not answer: ${esc(e.message)}</div>`;
  }
}

let signals = [];
function drawSignals() {
  $("#signals tbody").innerHTML = signals.slice(0, 12).map(s => `<tr>
    <td class="muted">${time(s.timestamp)}</td><td>${esc(s.symbol)}</td><td class="${directionClass(s.direction)}">${esc(s.direction)}</td>
    <td>${esc(s.pattern_type)}</td><td class="num">${fixed(s.confidence)}</td><td class="num">${price(s.symbol, s.entry_price)}</td>
    <td class="${resultClass(s.outcome?.result)}">${s.outcome ? `${esc(s.outcome.result)} ${fixed(s.outcome.pips)} pips` : "open"}</td></tr>`).join("")
    || `<tr><td colspan="7" class="muted">No signal yet: Elite Guard is watching.</td></tr>`;
}

async function loadSignals() {
  try {
    signals = await get("/api/signals?limit=12");
    drawSignals();
    return true;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) $("#signals-box").innerHTML = signInNotice(e);
    return false;
  }
}

refreshStatus();
setInterval(refreshStatus, 2000);
whoAmI();
if (await loadSignals()) {
  stream({
    open: loadSignals,
    signal: s => { signals = [s, ...signals.filter(x => x.signal_id !== s.signal_id)]; drawSignals(); },
    outcome: o => { const s = signals.find(x => x.signal_id === o.signal_id); if (s) { s.outcome = o; drawSignals(); } },
  });
}
