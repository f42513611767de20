// What every page's script shares: its words in the page's language (the strings the server put in #strings,
// one gettext catalogue with the templates, with %(name)s placeholders), numbers, lists and times written the
// way that language writes them, and JSON requests whose refusals keep their status.
"use strict";
const STRINGS = JSON.parse(document.getElementById("strings").textContent || "{}");
const PAGE_LANG = document.documentElement.lang || "en";

function t(message, values = {}) {
  return (STRINGS[message] || message).replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

function number(value, digits = 2) {
  return new Intl.NumberFormat(PAGE_LANG, {minimumFractionDigits: digits, maximumFractionDigits: digits})
    .format(value);
}

function listOf(names) {
  try { return new Intl.ListFormat(PAGE_LANG, {type: "conjunction"}).format(names); }
  catch { return names.join(", "); }
}

// "14:05" today, "3 Dec, 14:05" on another day; the full date and time as a tooltip.
function when(iso) {
  const at = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : iso + "Z");
  const today = new Date().toDateString() === at.toDateString();
  const options = today ? {hour: "2-digit", minute: "2-digit"}
    : {day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"};
  const time = document.createElement("time");
  time.dateTime = at.toISOString();
  time.textContent = new Intl.DateTimeFormat(PAGE_LANG, options).format(at);
  time.title = new Intl.DateTimeFormat(PAGE_LANG, {dateStyle: "full", timeStyle: "short"}).format(at);
  return time;
}

class Refusal extends Error {
  constructor(status, data) {
    super(data.detail || String(status));
    this.status = status;
    this.data = data;
  }
}

// A JSON request; a refusal (or no answer: status 0) is thrown as a Refusal.
async function request(method, url, body) {
  let response;
  try {
    response = await fetch(url, {
      method, headers: {"Content-Type": "application/json"}, body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new Refusal(0, {});
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Refusal(response.status, data);
  return data;
}
