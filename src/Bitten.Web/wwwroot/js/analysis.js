// Analysis: the per-pattern record (Wilson 95 % intervals, expectancy in R, what is switched off and why), the
// calibration plot (does 85 % confidence win 85 % of the time?) and the equity curve in pips of every signal.
import { $, get, stream, frame, whoAmI, esc, fixed, percent, signed, signInNotice, charts, chartOptions, ApiError } from "./api.js";

frame("/analysis");
$("#app").innerHTML = `
  <h1>Analysis</h1>
  <div class="toolbar"><label>Window <select id="window"><option value="all">all</option><option value="7d">7 days</option>
    <option value="24h">24 hours</option><option value="6h">6 hours</option></select></label><span class="muted" id="summary"></span></div>
  <div class="table-wrap"><table id="patterns"><thead><tr><th>pattern</th><th>state</th><th class="num">signals</th><th class="num">wins</th>
    <th class="num">losses</th><th class="num">open</th><th class="num">win rate</th><th class="num">Wilson 95 %</th><th class="num">pips</th>
    <th class="num">expectancy</th><th>recommendation</th></tr></thead><tbody></tbody></table></div>
  <p class="muted" id="recommendation"></p>
  <h2>Calibration</h2>
  <p class="muted">Each confidence bucket's realised win rate with its 95 % Wilson interval; on the dashed diagonal, confidence means what it says.</p>
  <div class="card"><svg id="calibration" viewBox="0 0 640 320" width="100%" role="img" aria-label="calibration plot"></svg></div>
  <h2>Equity in pips</h2>
  <div class="chart small" id="equity"></div>`;

function state(row) {
  if (row.disabled_by_admin) return `<span class="pill off">off (admin)</span>`;
  if (row.disabled) return `<span class="pill off">auto-disabled</span>`;
  if (row.overridden) return `<span class="pill degraded">kept on by admin</span>`;
  return `<span class="pill ok">on</span>`;
}

function drawTable(report) {
  const rows = Object.entries(report.patterns);
  $("#patterns tbody").innerHTML = rows.map(([name, p]) => `<tr data-pattern="${esc(name)}">
    <td><a href="/tracking?pattern=${encodeURIComponent(name)}">${esc(name)}</a></td><td class="state">${state(p)}</td>
    <td class="num">${p.signals}</td><td class="num">${p.wins}</td><td class="num">${p.losses}</td><td class="num">${p.open}</td>
    <td class="num">${percent(p.wr)}</td><td class="num">${p.wilson_lower == null ? "—" : `${fixed(p.wilson_lower)}–${fixed(p.wilson_upper)}`}</td>
    <td class="num">${signed(p.total_pips)}</td><td class="num">${signed(p.expectancy_r, 2)} R</td>
    <td class="muted" style="white-space:normal">${esc(p.recommendation ?? "")}</td></tr>`).join("");
  const t = report.total;
  $("#summary").textContent = `${t.signals} signals · ${t.wins} wins / ${t.losses} losses · ${percent(t.wr)} · ${report.patterns_active} of 6 patterns active`;
  $("#recommendation").textContent = report.recommendation ?? "";
}

function drawCalibration(buckets) {
  const svg = $("#calibration");
  const W = 640, H = 320, L = 48, R = 16, T = 12, B = 36;
  const x = c => L + (c - 50) / 50 * (W - L - R); // confidence 50–100
  const y = r => T + (1 - r / 100) * (H - T - B);
  let parts = [`<line x1="${x(50)}" y1="${y(50)}" x2="${x(100)}" y2="${y(100)}" stroke="#8b949e" stroke-dasharray="4 4"/>`];
  for (const v of [0, 25, 50, 75, 100]) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#21262d"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${v} %</text>`);
  }
  for (const c of [50, 60, 70, 80, 90, 100]) parts.push(`<text x="${x(c)}" y="${H - B + 16}" text-anchor="middle">${c}</text>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 4}" text-anchor="middle">confidence</text>`);
  for (const b of buckets) {
    const centre = b.mean_confidence ?? Number(String(b.bucket).split("-")[0]) + 5;
    if (b.resolved === 0 || centre < 50) continue;
    const cx = x(Math.min(100, centre));
    parts.push(`<line x1="${cx}" x2="${cx}" y1="${y(b.wilson_lower)}" y2="${y(b.wilson_upper)}" stroke="#58a6ff" stroke-width="2"/>`,
      `<circle cx="${cx}" cy="${y(b.wr)}" r="5" fill="#d29922"><title>${esc(b.bucket)}: ${b.wins}/${b.resolved} won (${percent(b.wr)}), 95 % ${percent(b.wilson_lower)}–${percent(b.wilson_upper)}</title></circle>`,
      `<text x="${cx + 8}" y="${y(b.wr) - 6}">${b.resolved}</text>`);
  }
  if (!buckets.some(b => b.resolved > 0)) parts.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">No resolved signal yet.</text>`);
  svg.innerHTML = parts.join("");
}

let equity = null;
async function drawEquity() {
  const lib = charts($("#equity"));
  if (!lib) return;
  const signals = await get("/api/signals?limit=1000");
  const resolved = signals.filter(s => s.outcome).sort((a, b) => a.outcome.resolved_at - b.outcome.resolved_at);
  let total = 0;
  const points = [];
  for (const s of resolved) {
    total += s.outcome.pips;
    const t = Math.floor(s.outcome.resolved_at / 1000);
    if (points.length && points[points.length - 1].time >= t) points[points.length - 1].value = total; // one point per second
    else points.push({ time: t, value: total });
  }
  if (!equity) {
    const chart = lib.createChart($("#equity"), chartOptions);
    equity = chart.addSeries(lib.LineSeries, { color: "#d29922", lineWidth: 2 });
  }
  equity.setData(points);
}

async function load() {
  try {
    const report = await get(`/api/pattern-analytics?timeframe=${$("#window").value}`);
    drawTable(report);
    drawCalibration(report.calibration);
    await drawEquity();
    return true;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) { $("#app").innerHTML = signInNotice(e); return false; }
    $("#summary").textContent = e.message;
    return true;
  }
}

$("#window").addEventListener("change", load);
whoAmI();
if (await load()) stream({ open: load, outcome: load, pattern: load });
