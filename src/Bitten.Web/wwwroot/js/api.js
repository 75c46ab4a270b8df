// What every page shares: how it authenticates, calls the API, follows the live stream and writes numbers.
//
// A page is signed in one of two ways. In a browser, by the session cookie a one-time login link set (HttpOnly, so
// this script never sees it); writes then carry the antiforgery token. Inside Telegram, by the Mini App's initData,
// which Telegram passes in the URL fragment (tgWebAppData) and we send as "Authorization: tma <initData>" — read
// from the fragment ourselves, so no script is loaded from telegram.org and the page works offline.

const initData = (() => {
  const fromTelegram = window.Telegram?.WebApp?.initData;
  if (fromTelegram) return fromTelegram;
  const fragment = new URLSearchParams(location.hash.slice(1));
  const data = fragment.get("tgWebAppData");
  if (data) sessionStorage.setItem("bitten.initData", data);
  return data || sessionStorage.getItem("bitten.initData");
})();

let antiforgery = null;

/** An API refusal: the server's {"error","message"} and the HTTP status. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

function headers(extra) {
  const h = { Accept: "application/json", ...extra };
  if (initData) h.Authorization = `tma ${initData}`;
  return h;
}

async function answer(response) {
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (!response.ok) {
    throw new ApiError(response.status, body?.error ?? "http_error", body?.message ?? `${response.status} ${response.statusText}`);
  }
  return body;
}

export async function get(path) {
  return answer(await fetch(path, { headers: headers(), credentials: "same-origin" }));
}

async function antiforgeryHeader() {
  if (initData) return {}; // initData is not an ambient credential: no cross-site request can carry it.
  if (!antiforgery) {
    const token = await get("/api/antiforgery");
    antiforgery = { [token.header]: token.token };
  }
  return antiforgery;
}

export async function send(method, path, body) {
  const extra = { "Content-Type": "application/json", ...(await antiforgeryHeader()) };
  return answer(await fetch(path, {
    method, headers: headers(extra), credentials: "same-origin", body: JSON.stringify(body ?? {}),
  }));
}

export const post = (path, body) => send("POST", path, body);
export const put = (path, body) => send("PUT", path, body);

/**
 * Follows /api/stream (Server-Sent Events) and calls handlers[event](data). Read with fetch rather than EventSource
 * so the Mini App's Authorization header goes with it; reconnects after a drop, and calls handlers.open on each
 * (re)connection so a page can refetch what it may have missed.
 */
export function stream(handlers) {
  let stopped = false;
  const decoder = new TextDecoder();
  async function connect() {
    while (!stopped) {
      try {
        const response = await fetch("/api/stream", { headers: headers({ Accept: "text/event-stream" }), credentials: "same-origin" });
        if (!response.ok) throw new ApiError(response.status, "stream", "the live stream refused");
        handlers.open?.();
        const reader = response.body.getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            dispatch(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch (e) {
        if (e instanceof ApiError && (e.status === 401 || e.status === 403)) { handlers.refused?.(e); return; }
      }
      handlers.closed?.();
      await new Promise(r => setTimeout(r, 2000));
    }
  }
  function dispatch(block) {
    let event = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) event = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
    }
    if (!data.length || !handlers[event]) return;
    try { handlers[event](JSON.parse(data.join("\n"))); } catch (e) { console.error("stream", event, e); }
  }
  connect();
  return () => { stopped = true; };
}

// ---- Writing numbers a trader reads ----

// Each symbol's quoted digits as the engine's catalogue has them (/status, no token), read once per page.
const quotedDigits = await fetch("/status").then(r => r.ok ? r.json() : { symbols: [] })
  .then(s => Object.fromEntries((s.symbols ?? []).filter(q => q.digits != null).map(q => [q.symbol, q.digits])))
  .catch(() => ({}));
const digitsOf = symbol => quotedDigits[symbol] ?? 5;
export const price = (symbol, value) => value == null ? "—" : Number(value).toFixed(digitsOf(symbol));
export const fixed = (value, digits = 1) => value == null || Number.isNaN(value) ? "—" : Number(value).toFixed(digits);
export const signed = (value, digits = 1) => value == null ? "—" : (value > 0 ? "+" : "") + Number(value).toFixed(digits);
export const percent = value => value == null ? "—" : `${Number(value).toFixed(1)} %`;
export const money = (value, currency = "") => value == null ? "—" : `${Number(value) < 0 ? "−" : ""}${Math.abs(Number(value)).toFixed(2)}${currency ? " " + currency : ""}`;
export const time = ms => ms == null ? "—" : new Date(ms).toISOString().replace("T", " ").slice(0, 19);
export const clock = ms => ms == null ? "—" : new Date(ms).toISOString().slice(11, 19);
export const directionClass = d => d === "BUY" ? "buy" : "sell";
export const resultClass = r => r === "WIN" ? "win" : r === "LOSS" ? "loss" : "muted";

/** "4:59" from milliseconds left, "expired" at zero. */
export function countdown(ms) {
  if (ms <= 0) return "expired";
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = n => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}

/** Escapes text for innerHTML templates: everything from the server is data, never markup. */
export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

export const $ = selector => document.querySelector(selector);

export function toast(text, error = false) {
  const el = document.createElement("div");
  el.className = error ? "toast error" : "toast";
  el.setAttribute("role", "status");
  el.textContent = text;
  document.body.append(el);
  setTimeout(() => el.remove(), 5000);
}

/** The notice shown when the page has no signed-in user, saying how to get one. */
export function signInNotice(error) {
  const why = error?.status === 403 ? esc(error.message) : "You are not signed in.";
  return `<div class="notice error" id="signin">${why} Open a one-time login link:
    <code>./bitten user login-link --telegram-id &lt;your id&gt;</code> (or the one <code>./bitten run</code> printed),
    or open this page from the BITTEN bot in Telegram.</div>`;
}

/** Shows who is signed in, in the header; quiet when nobody is. */
export async function whoAmI() {
  try {
    const me = await get("/api/users/me");
    const who = document.querySelector("header .who");
    if (who) who.textContent = `${me.tier} · ${me.mode} · #${me.telegram_id}${me.role === "ADMIN" ? " · ADMIN" : ""}`;
    return me;
  } catch {
    return null;
  }
}

/** The chart library (served from /vendor, installed by scripts/setup.sh), or null with a notice when it is missing. */
export function charts(container) {
  if (window.LightweightCharts) return window.LightweightCharts;
  container.innerHTML = `<div class="notice error">The chart library is not installed: run <code>scripts/setup.sh</code>.</div>`;
  return null;
}

export const chartOptions = {
  layout: { background: { color: "#161b22" }, textColor: "#8b949e" },
  grid: { vertLines: { color: "#21262d" }, horzLines: { color: "#21262d" } },
  timeScale: { timeVisible: true, secondsVisible: false },
  autoSize: true,
};

const pages = [["/", "Home"], ["/tracking", "Tracking"], ["/analysis", "Analysis"], ["/performance", "Performance"]];

/** The header every page of 8888 shows, with the current page marked; the Throne passes its own title and no links. */
export function frame(here, title = "BITTEN") {
  const nav = here === "throne" ? "" : pages
    .map(([href, name]) => `<a href="${href}"${href === here ? ' class="here" aria-current="page"' : ""}>${name}</a>`).join("");
  document.body.insertAdjacentHTML("afterbegin",
    `<header class="bar"><span class="brand">${esc(title)}</span><nav>${nav}</nav><span class="who"></span></header>`);
}
