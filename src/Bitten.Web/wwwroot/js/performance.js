// Performance: the signed-in user's equity, trades, win rate and slots over time.
import { $, get, stream, frame, whoAmI, esc, price, fixed, money, percent, signed, time, directionClass, signInNotice, charts, chartOptions, ApiError } from "./api.js";

frame("/performance");
$("#app").innerHTML = `
  <h1>Your performance</h1>
  <div class="grid" id="summary"></div>
  <h2>Equity</h2><div class="chart small" id="equity"></div>
  <h2>Slots in use</h2><div class="chart small" id="slots"></div>
  <h2>Trades</h2>
  <div class="table-wrap"><table id="trades"><thead><tr><th>closed</th><th>symbol</th><th>side</th><th class="num">lot</th>
    <th class="num">open</th><th class="num">close</th><th class="num">pips</th><th class="num">profit</th><th>why</th></tr></thead><tbody></tbody></table></div>`;

let equitySeries = null, slotSeries = null;

function series(lib, el, kind, options) {
  const chart = lib.createChart(el, chartOptions);
  return chart.addSeries(kind, options);
}

// Charts need strictly increasing times: several points within one second keep the last.
function byTime(points) {
  const out = [];
  for (const p of points) {
    const t = Math.floor(p.t / 1000);
    if (out.length && out[out.length - 1].time >= t) out[out.length - 1].value = p.v;
    else out.push({ time: t, value: p.v });
  }
  return out;
}

async function load() {
  let p, me;
  try {
    [p, me] = await Promise.all([get("/api/performance"), whoAmI()]);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) { $("#app").innerHTML = signInNotice(e); return false; }
    throw e;
  }
  const currency = me?.account?.currency ?? "";
  const balance = me?.account?.balance;
  $("#summary").innerHTML = [
    ["balance", money(balance, currency)], ["trades", p.trades.length], ["win rate", percent(p.win_rate)],
    ["wins / losses", `${p.wins} / ${p.losses}`], ["pips", signed(p.total_pips)], ["profit", money(p.total_profit, currency)],
  ].map(([label, value]) => `<div class="card"><div class="label">${label}</div><div class="value">${esc(value)}</div></div>`).join("");
  $("#trades tbody").innerHTML = [...p.trades].reverse().map(t => `<tr><td class="muted">${time(t.closed_at)}</td><td>${esc(t.symbol)}</td>
    <td class="${directionClass(t.direction)}">${esc(t.direction)}</td><td class="num">${fixed(t.lot, 2)}</td>
    <td class="num">${price(t.symbol, t.open_price)}</td><td class="num">${price(t.symbol, t.close_price)}</td>
    <td class="num ${t.pips >= 0 ? "win" : "loss"}">${signed(t.pips)}</td><td class="num ${t.profit >= 0 ? "win" : "loss"}">${money(t.profit)}</td>
    <td class="muted">${esc(t.close_reason ?? "")}</td></tr>`).join("") || `<tr><td colspan="9" class="muted">No closed trade yet.</td></tr>`;
  const lib = charts($("#equity"));
  if (lib) {
    equitySeries ??= series(lib, $("#equity"), lib.LineSeries, { color: "#d29922", lineWidth: 2 });
    slotSeries ??= series(lib, $("#slots"), lib.HistogramSeries, { color: "#58a6ff" });
    equitySeries.setData(byTime(p.equity.map(e => ({ t: e.t, v: e.balance }))));
    slotSeries.setData(byTime(p.slots.map(s => ({ t: s.t, v: s.used }))));
  }
  return true;
}

if (await load()) stream({ open: load, fire: load });
