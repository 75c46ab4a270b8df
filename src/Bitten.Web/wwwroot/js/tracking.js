// Tracking: live signals and their outcomes as they resolve, filterable by symbol and pattern, and a candle chart per
// symbol with each signal's entry, its SL/TP and its exit marked.
import { $, get, stream, frame, whoAmI, esc, price, fixed, time, directionClass, resultClass, signInNotice, charts, chartOptions, ApiError } from "./api.js";

frame("/tracking");
const patterns = ["VCB_BREAKOUT", "ORDER_BLOCK_BOUNCE", "FAIR_VALUE_GAP_FILL", "LIQUIDITY_SWEEP_REVERSAL", "BB_SCALP", "KALMAN_QUICKFIRE"];
const query = new URLSearchParams(location.search);
$("#app").innerHTML = `
  <h1>Tracking</h1>
  <div class="toolbar">
    <label>Symbol <select id="symbol"><option value="">all</option></select></label>
    <label>Pattern <select id="pattern"><option value="">all</option>${patterns.map(p => `<option>${p}</option>`).join("")}</select></label>
    <span class="muted" id="counts"></span>
  </div>
  <div class="chart" id="chart"></div>
  <p class="muted" id="chart-note"></p>
  <div id="table-box"><div class="table-wrap"><table id="signals"><thead><tr><th>time</th><th>symbol</th><th>side</th><th>pattern</th>
    <th class="num">conf.</th><th class="num">entry</th><th class="num">SL</th><th class="num">TP</th><th>outcome</th><th class="num">pips</th><th class="num">minutes</th></tr></thead>
    <tbody></tbody></table></div></div>`;
$("#pattern").value = query.get("pattern") ?? "";

let signals = [];
let symbols = [];
let chart = null, candles = null, markers = null, lines = [];
let selected = null;

const visible = () => signals.filter(s => (!$("#symbol").value || s.symbol === $("#symbol").value)
  && (!$("#pattern").value || s.pattern_type === $("#pattern").value));

function drawTable() {
  const rows = visible();
  const resolved = rows.filter(s => s.outcome);
  const wins = resolved.filter(s => s.outcome.result === "WIN").length;
  $("#counts").textContent = `${rows.length} signals · ${resolved.length} resolved · ${wins} wins · ${rows.length - resolved.length} open`;
  $("#signals tbody").innerHTML = rows.map(s => `<tr data-signal="${esc(s.signal_id)}" ${s.signal_id === selected ? 'class="here"' : ""} style="cursor:pointer">
    <td class="muted">${time(s.timestamp)}</td><td>${esc(s.symbol)}</td><td class="${directionClass(s.direction)}">${esc(s.direction)}</td>
    <td>${esc(s.pattern_type)}</td><td class="num">${fixed(s.confidence)}</td><td class="num">${price(s.symbol, s.entry_price)}</td>
    <td class="num">${price(s.symbol, s.sl)}</td><td class="num">${price(s.symbol, s.tp)}</td>
    <td class="${resultClass(s.outcome?.result)}">${s.outcome ? esc(s.outcome.result) : "open"}</td>
    <td class="num ${resultClass(s.outcome?.result)}">${s.outcome ? fixed(s.outcome.pips) : ""}</td>
    <td class="num">${s.outcome ? fixed(s.outcome.duration_minutes, 0) : ""}</td></tr>`).join("")
    || `<tr><td colspan="11" class="muted">No signal matches.</td></tr>`;
  for (const row of document.querySelectorAll("#signals tbody tr[data-signal]")) {
    row.addEventListener("click", () => { selected = row.dataset.signal; drawTable(); drawMarks(); });
  }
}

function fillSymbols() {
  const known = new Set([...symbols, ...signals.map(s => s.symbol)]);
  const select = $("#symbol");
  const current = select.value || query.get("symbol") || "";
  select.innerHTML = `<option value="">all</option>` + [...known].sort().map(s => `<option>${esc(s)}</option>`).join("");
  select.value = known.has(current) ? current : "";
}

function chartSymbol() {
  return $("#symbol").value || signals[0]?.symbol || symbols[0];
}

async function drawChart() {
  const lib = charts($("#chart"));
  const symbol = chartSymbol();
  if (!lib || !symbol) return;
  if (!chart) {
    chart = lib.createChart($("#chart"), chartOptions);
    candles = chart.addSeries(lib.CandlestickSeries, { upColor: "#2ea043", downColor: "#f85149", borderVisible: false, wickUpColor: "#2ea043", wickDownColor: "#f85149" });
    markers = lib.createSeriesMarkers(candles, []);
  }
  try {
    const digits = price(symbol, 1).split(".")[1]?.length ?? 2;
    candles.applyOptions({ priceFormat: { type: "price", precision: digits, minMove: 1 / 10 ** digits } });
    const bars = await get(`/api/candles?symbol=${encodeURIComponent(symbol)}&limit=300`);
    candles.setData(bars.map(b => ({ time: b.t, open: b.open, high: b.high, low: b.low, close: b.close })));
    $("#chart-note").textContent = `${symbol} M5, ${bars.length} bars. ▲▼ entries, ● exits; click a signal to draw its SL and TP.`;
  } catch (e) {
    $("#chart-note").textContent = `No candles for ${symbol}: ${e.message}`;
  }
  drawMarks();
}

function drawMarks() {
  if (!candles) return;
  const symbol = chartSymbol();
  const mine = visible().filter(s => s.symbol === symbol);
  const marks = [];
  for (const s of mine) {
    const buy = s.direction === "BUY";
    marks.push({ time: Math.floor(s.timestamp / 1000), position: buy ? "belowBar" : "aboveBar", shape: buy ? "arrowUp" : "arrowDown",
      color: buy ? "#2ea043" : "#f85149", text: s.pattern_type.split("_")[0] });
    if (s.outcome) {
      marks.push({ time: Math.floor(s.outcome.resolved_at / 1000), position: "inBar", shape: "circle",
        color: s.outcome.result === "WIN" ? "#2ea043" : "#f85149", text: `${fixed(s.outcome.pips)}p` });
    }
  }
  // The bars are M5: a marker's time snaps to its bar's open.
  for (const m of marks) m.time -= m.time % 300;
  markers.setMarkers(marks.sort((a, b) => a.time - b.time));
  for (const line of lines) candles.removePriceLine(line);
  lines = [];
  const chosen = mine.find(s => s.signal_id === selected) ?? mine[0];
  if (chosen) {
    lines.push(candles.createPriceLine({ price: chosen.entry_price, color: "#58a6ff", lineStyle: 2, title: "entry" }));
    lines.push(candles.createPriceLine({ price: chosen.sl, color: "#f85149", lineStyle: 2, title: "SL" }));
    lines.push(candles.createPriceLine({ price: chosen.tp, color: "#2ea043", lineStyle: 2, title: "TP" }));
  }
}

async function load() {
  try {
    signals = await get("/api/signals?limit=500");
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) { $("#app").innerHTML = signInNotice(e); return false; }
    throw e;
  }
  try { symbols = (await get("/status")).symbols.map(s => s.symbol); } catch { symbols = []; }
  fillSymbols();
  drawTable();
  await drawChart();
  return true;
}

$("#symbol").addEventListener("change", () => { selected = null; drawTable(); drawChart(); });
$("#pattern").addEventListener("change", () => { drawTable(); drawMarks(); });
whoAmI();
if (await load()) {
  stream({
    open: load,
    signal: s => { signals = [s, ...signals.filter(x => x.signal_id !== s.signal_id)]; fillSymbols(); drawTable(); drawMarks(); },
    outcome: o => {
      const s = signals.find(x => x.signal_id === o.signal_id);
      if (s) { s.outcome = { ...s.outcome, ...o }; drawTable(); drawMarks(); }
    },
  });
  // New bars close every five minutes; the chart follows them.
  setInterval(drawChart, 30_000);
}
