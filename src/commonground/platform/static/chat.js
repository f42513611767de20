// The chat page: live feed over a WebSocket, the pre-send check, translations into the reader's language,
// and the mediator's side panel.
"use strict";
const app = document.getElementById("app");
const cid = app.dataset.conversation;
const me = app.dataset.me;
let myLang = app.dataset.lang;
const translations = new Map(); // message id -> translation into myLang
const api = (path) => `/api/conversations/${cid}${path}`;
const $ = (id) => document.getElementById(id);
let lastSeq = 0;
let pending = null; // {text, suggestionId, suggestionText}
const risks = [];

async function call(method, path, body) {
  const response = await fetch(api(path), {
    method, headers: {"Content-Type": "application/json"}, body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.detail || response.statusText);
  return data;
}

function clientId() {
  return (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/-/g, "");
}

function addMessage(m) {
  if (document.getElementById(`m-${m.id}`)) return;
  const item = document.createElement("li");
  item.id = `m-${m.id}`;
  item.className = "message" + (m.participant_id === me ? " mine" : "") + (m.is_ai ? " ai" : "") +
    (m.role === "mediator" ? " mediator" : "");
  const who = document.createElement("span");
  who.className = "author";
  who.textContent = m.is_ai ? `${m.author} (AI)` : m.author;
  const text = document.createElement("p");
  text.className = "text";
  text.textContent = m.text;
  item.dataset.text = m.text;
  item.dataset.lang = m.participant_id === me ? "" : (m.lang || "");
  item.append(who, text);
  renderTranslation(item);
  if (m.original) {
    const original = document.createElement("details");
    original.innerHTML = "<summary>your original</summary>";
    original.append(document.createTextNode(m.original));
    item.append(original);
  }
  $("messages").append(item);
  item.scrollIntoView({block: "end"});
}

function languageName(code, inLanguage = document.documentElement.lang) {
  try { return new Intl.DisplayNames([inLanguage], {type: "language"}).of(code); } catch { return code; }
}

// Others' messages in another language show their translation, the original one click away.
function renderTranslation(item) {
  const text = item.querySelector(".text");
  const lang = item.dataset.lang;
  item.querySelector(".translation")?.remove();
  text.textContent = item.dataset.text;
  text.lang = lang;
  if (!lang || lang === myLang) return;
  const t = translations.get(item.id.slice(2));
  const note = document.createElement("p");
  note.className = "translation";
  text.after(note);
  if (!t || t.status === "pending") { note.textContent = "translating…"; return; }
  if (t.status !== "translated") {
    note.textContent = "translation unavailable";
    note.title = t.reason || "";
    note.classList.add("unavailable");
    return;
  }
  text.textContent = t.text;
  text.lang = myLang;
  note.textContent = `translated from ${languageName(lang)}`;
  note.title = t.verdict_text;
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "toggle";
  toggle.textContent = "show original";
  toggle.onclick = () => {
    const showingOriginal = toggle.textContent === "show translation";
    text.textContent = showingOriginal ? t.text : item.dataset.text;
    text.lang = showingOriginal ? myLang : lang;
    toggle.textContent = showingOriginal ? "show original" : "show translation";
  };
  note.append(toggle);
}

function showTranslation(t) {
  if (t.lang !== myLang) return;
  translations.set(t.message_id, t);
  const item = document.getElementById(`m-${t.message_id}`);
  if (item) renderTranslation(item);
}

async function loadTranslations() {
  for (const t of await call("GET", "/translations")) showTranslation(t);
}

async function chooseLanguage(code) {
  await call("PUT", "/me", {lang: code});
  myLang = code;
  translations.clear();
  for (const item of document.querySelectorAll("#messages .message")) renderTranslation(item);
  if (socket) socket.close(); // the new socket carries this language's translations, and reloads them
}

function showSignals(s) {
  const item = document.getElementById(`m-${s.message_id}`);
  if (item && s.incivility !== null) {
    const badge = document.createElement("span");
    badge.className = "badge" + (s.incivility >= 0.5 ? " hot" : "");
    badge.title = "incivility";
    badge.textContent = `incivility ${s.incivility.toFixed(2)}`;
    item.querySelector(".author").after(badge);
  }
  if (s.derailment_risk !== null) { risks.push(s.derailment_risk); drawTrend(); }
}

function drawTrend() {
  const points = risks.map((r, i) => `${(i / Math.max(risks.length - 1, 1)) * 200},${50 - r * 50}`).join(" ");
  $("trend").innerHTML = `<polyline points="${points}" fill="none" stroke="currentColor" stroke-width="2"/>`;
}

function notice(text) {
  const list = $("notices");
  if (!list) return;
  const item = document.createElement("li");
  item.textContent = text;
  list.prepend(item);
}

function showSuggestion(s) {
  if (s.kind === "rephrase" && pending && pending.suggestionId === s.id) {
    const box = $("suggestion");
    box.classList.remove("pending");
    if (s.status === "proposed") {
      pending.suggestionText = s.text;
      box.textContent = s.text;
      $("send-suggestion").disabled = false;
    } else {
      box.textContent = "A suggestion is unavailable right now.";
      box.classList.add("unavailable");
    }
  } else if (s.kind === "draft" && $("draft-box")) {
    $("draft-box").hidden = false;
    $("intervention").value = s.status === "proposed" ? s.text : "";
    $("intervention").dataset.suggestion = s.id;
    $("draft-checks").textContent = s.verdict_text;
  } else if (s.kind === "summary" && $("summary")) {
    $("summary").innerHTML = "";
    for (const st of (s.detail.statements || [])) {
      const item = document.createElement("li");
      item.textContent = `${st.kind}: ${st.text} `;
      for (const id of st.cites) {
        const link = document.createElement("a");
        link.href = `#m-${id}`;
        link.textContent = "[cited]";
        item.append(link);
      }
      $("summary").append(item);
    }
    if (s.status !== "proposed") $("summary").textContent = `Summary unavailable: ${s.reason}`;
  }
}

function handle(frame) {
  if (frame.type === "typing") {
    $("typing").textContent = `${frame.name} is typing…`;
    $("typing").hidden = false;
    clearTimeout(handle.timer);
    handle.timer = setTimeout(() => { $("typing").hidden = true; }, 3000);
    return;
  }
  lastSeq = Math.max(lastSeq, frame.seq);
  const p = frame.payload;
  if (frame.kind === "message") addMessage(p);
  else if (frame.kind === "signals") showSignals(p);
  else if (frame.kind === "suggestion") showSuggestion(p);
  else if (frame.kind === "translation") showTranslation(p);
  else if (frame.kind === "request") notice(`${p.name} asked for the mediator${p.note ? ": " + p.note : ""}`);
  else if (frame.kind === "decision") notice(`Policy: ${p.action} (${p.reason})`);
}

let socket = null;
function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}${api("/ws")}?after=${lastSeq}`);
  socket.onopen = () => loadTranslations().catch(() => {});
  socket.onmessage = (event) => handle(JSON.parse(event.data));
  socket.onclose = () => setTimeout(connect, 1000);
}

async function post(text, choice, suggestionId) {
  const body = {client_id: clientId(), text, choice};
  if (suggestionId) body.suggestion_id = suggestionId;
  addMessage(await call("POST", "/messages", body));
  $("draft").value = "";
  $("presend").hidden = true;
  pending = null;
}

async function submit(event) {
  event.preventDefault();
  const text = $("draft").value.trim();
  if (!text) return;
  if (pending && pending.text === text) return post(text, "original", pending.suggestionId);
  const check = await call("POST", "/check", {text});
  if (!check.flagged) return post(text, "original");
  pending = {text, suggestionId: check.suggestion ? check.suggestion.id : null, suggestionText: null};
  $("feedback").textContent = check.feedback || "This message may land badly.";
  const box = $("suggestion");
  box.className = "suggestion pending";
  box.textContent = check.suggestion ? "Writing a calmer version…" : "No suggestion for this conversation.";
  $("send-suggestion").disabled = true;
  $("presend").hidden = false;
}

function wireComposer() {
  if (!$("composer")) return;
  $("composer").addEventListener("submit", (e) => submit(e).catch((err) => alert(err.message)));
  $("send-original").onclick = () => post(pending.text, "original", pending.suggestionId);
  $("send-suggestion").onclick = () => post(pending.suggestionText, "suggestion", pending.suggestionId);
  $("edit").onclick = () => {
    $("draft").value = pending.suggestionText || pending.text;
    pending.editing = true;
    $("presend").hidden = true;
    $("draft").focus();
  };
  let lastTyping = 0;
  $("draft").addEventListener("input", () => {
    if (Date.now() - lastTyping > 2000 && socket && socket.readyState === 1) {
      socket.send(JSON.stringify({type: "typing"}));
      lastTyping = Date.now();
    }
  });
  if ($("ask-mediator")) {
    $("ask-mediator").onclick = async () => {
      await call("POST", "/requests", {note: null});
      $("ask-mediator").textContent = "Mediator asked";
    };
  }
}

function wirePanel() {
  if (!$("draft-intervention")) return;
  $("draft-intervention").onclick = async () => {
    $("draft-box").hidden = false;
    $("intervention").value = "";
    $("draft-checks").textContent = "Drafting…";
    await call("POST", "/drafts", {instruction: $("instruction").value || null});
  };
  $("send-intervention").onclick = async () => {
    const body = {client_id: clientId(), text: $("intervention").value};
    if ($("intervention").dataset.suggestion) body.suggestion_id = $("intervention").dataset.suggestion;
    addMessage(await call("POST", "/interventions", body));
    $("draft-box").hidden = true;
  };
  $("summarize").onclick = async () => {
    $("summary").textContent = "Summarizing…";
    await call("POST", "/summary");
  };
  $("autonomy").onchange = async () => {
    await call("PUT", "/autonomy", {autonomy: $("autonomy").value});
    notice(`Autonomy set to ${$("autonomy").value}`);
  };
}

if ($("lang")) {
  for (const option of $("lang").options) option.textContent = languageName(option.value, option.value);
  $("lang").onchange = () => chooseLanguage($("lang").value).catch((err) => alert(err.message));
}
wireComposer();
wirePanel();
connect();
