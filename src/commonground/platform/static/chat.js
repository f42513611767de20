// The chat page: live feed over a WebSocket (with presence and "seen"), the pre-send check, translations
// into the reader's language, and the mediator's side panel. Strings come from page.js's t().
"use strict";
const app = document.getElementById("app");
const cid = app.dataset.conversation;
const me = app.dataset.me;
const reading = app.dataset.lang; // the language this reader reads the conversation in
const historySeq = Number(app.dataset.history); // events up to here happened before this page opened
const translations = new Map(); // message id -> translation into the reader's language
const present = new Map(); // participant id -> name, for those online now
const seenBy = new Map(); // participant id -> {name, seq}: the last message each other person has seen
const api = (path) => `/api/conversations/${cid}${path}`;
const $ = (id) => document.getElementById(id);
let lastSeq = 0;
let lastMessageSeq = 0;
let pending = null; // {text, suggestionId, suggestionText}
const risks = [];

const call = (method, path, body) => request(method, api(path), body);

// A refused request in a sentence a person understands (never the server's raw detail).
function sentence(error) {
  if (error.status === 413) return t("This message is too long: the limit is %(limit)s characters.",
    {limit: error.data.limit || 4000});
  if (error.status === 429) return t("You are sending messages too fast. Wait a moment and try again.");
  if (error.status === 401 || error.status === 403) {
    return t("Your link is no longer valid. Ask the administrator for a new one.");
  }
  if (error.status === 422) return t("Write something before sending.");
  return t("This could not be done right now. Check your connection and try again.");
}

function complain(error) {
  const box = $("composer-error");
  if (box) box.textContent = error ? sentence(error) : "";
}

function clientId() {
  return (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/-/g, "");
}

function addMessage(m) {
  if (document.getElementById(`m-${m.id}`)) return;
  const item = document.createElement("li");
  item.id = `m-${m.id}`;
  item.dataset.seq = m.seq;
  item.dataset.author = m.participant_id;
  item.className = "message" + (m.participant_id === me ? " mine" : "") + (m.is_ai ? " ai" : "") +
    (m.role === "mediator" ? " mediator" : "");
  const head = document.createElement("p");
  head.className = "meta";
  const who = document.createElement("span");
  who.className = "author";
  who.textContent = m.is_ai ? `${m.author} ${t("(AI)")}` : m.author;
  head.append(who, " ", when(m.created_at));
  const text = document.createElement("p");
  text.className = "text";
  item.dataset.text = m.text;
  item.dataset.lang = m.participant_id === me ? "" : (m.lang || "");
  item.append(head, text);
  renderTranslation(item);
  if (m.original) {
    const original = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = t("your original");
    const body = document.createElement("p");
    body.className = "text";
    body.textContent = m.original;
    original.append(summary, body);
    item.append(original);
  }
  placeInOrder(item, m.seq);
  lastMessageSeq = Math.max(lastMessageSeq, m.seq);
  item.scrollIntoView({block: "end"});
  if (m.participant_id !== me) tellSeen();
  renderSeen();
}

function placeInOrder(item, seq) {
  const later = [...$("messages").children].find((other) => Number(other.dataset.seq) > seq);
  $("messages").insertBefore(item, later || null);
}

function languageName(code, inLanguage = PAGE_LANG) {
  try { return new Intl.DisplayNames([inLanguage], {type: "language"}).of(code); } catch { return code; }
}

// Others' messages in another language show their translation, the original one click away.
function renderTranslation(item) {
  const text = item.querySelector(".text");
  const lang = item.dataset.lang;
  item.querySelector(".translation")?.remove();
  text.textContent = item.dataset.text;
  text.lang = lang;
  if (!lang || lang === reading) return;
  const found = translations.get(item.id.slice(2));
  const note = document.createElement("p");
  note.className = "translation";
  text.after(note);
  if (!found || found.status === "pending") { note.textContent = t("translating…"); return; }
  if (found.status !== "translated") {
    note.textContent = t("translation unavailable");
    note.classList.add("unavailable");
    return;
  }
  text.textContent = found.text;
  text.lang = reading;
  note.textContent = t("translated from %(language)s", {language: languageName(lang)}) + " ";
  note.title = found.verdict_text || "";
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "toggle";
  toggle.textContent = t("show original");
  toggle.onclick = () => {
    const showingOriginal = toggle.textContent === t("show translation");
    text.textContent = showingOriginal ? found.text : item.dataset.text;
    text.lang = showingOriginal ? reading : lang;
    toggle.textContent = showingOriginal ? t("show original") : t("show translation");
  };
  note.append(toggle);
}

function showTranslation(found) {
  if (found.lang !== reading) return;
  translations.set(found.message_id, found);
  const item = document.getElementById(`m-${found.message_id}`);
  if (item) renderTranslation(item);
}

async function loadTranslations() {
  for (const found of await call("GET", "/translations")) showTranslation(found);
}

// The interface follows the reading language: store the choice, then show the page in it.
async function chooseLanguage(code) {
  await call("PUT", "/me", {lang: code});
  location.reload();
}

function showSignals(s) {
  const item = document.getElementById(`m-${s.message_id}`);
  if (item && s.incivility !== null && !item.querySelector(".badge")) {
    const badge = document.createElement("span");
    badge.className = "badge" + (s.incivility >= 0.5 ? " hot" : "");
    badge.textContent = t("incivility %(value)s", {value: number(s.incivility)});
    item.querySelector(".author").after(" ", badge);
  }
  if (s.derailment_risk !== null && $("trend")) { risks.push(s.derailment_risk); drawTrend(); }
}

function svg(tag, attributes, text) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// The derailment risk after each message: labelled axes, each value, and the policy's threshold.
function drawTrend() {
  const chart = $("trend");
  const threshold = Number(chart.dataset.threshold);
  const [left, right, top, bottom] = [34, 310, 24, 118];
  const x = (i) => left + (risks.length > 1 ? (i / (risks.length - 1)) * (right - left) : (right - left) / 2);
  const y = (value) => bottom - value * (bottom - top);
  chart.replaceChildren();
  chart.append(svg("line", {x1: left, y1: top, x2: left, y2: bottom, class: "axis"}));
  chart.append(svg("line", {x1: left, y1: bottom, x2: right, y2: bottom, class: "axis"}));
  for (const tick of [0, 0.5, 1]) {
    chart.append(svg("text", {x: left - 4, y: y(tick) + 3, class: "tick", "text-anchor": "end"}, number(tick, 1)));
  }
  chart.append(svg("text", {x: 10, y: (top + bottom) / 2, class: "axis-label", "text-anchor": "middle",
    transform: `rotate(-90 10 ${(top + bottom) / 2})`}, t("Derailment risk")));
  chart.append(svg("text", {x: (left + right) / 2, y: 144, class: "axis-label", "text-anchor": "middle"},
    t("Message")));
  if (!Number.isNaN(threshold)) {
    chart.append(svg("line", {x1: left, y1: y(threshold), x2: right, y2: y(threshold), class: "threshold"}));
    chart.append(svg("line", {x1: right - 100, y1: 8, x2: right - 84, y2: 8, class: "threshold legend"}));
    chart.append(svg("text", {x: right - 80, y: 11, class: "tick threshold-label"},
      t("Threshold %(value)s", {value: number(threshold)})));
  }
  risks.forEach((risk, i) => {
    chart.append(svg("text", {x: x(i), y: bottom + 12, class: "tick", "text-anchor": "middle"}, String(i + 1)));
  });
  if (risks.length > 1) {
    chart.append(svg("polyline", {points: risks.map((r, i) => `${x(i)},${y(r)}`).join(" "), class: "risk"}));
  }
  risks.forEach((risk, i) => {
    const dot = svg("circle", {cx: x(i), cy: y(risk), r: 3, class: risk >= threshold ? "point hot" : "point"});
    dot.append(svg("title", {}, `${t("Message")} ${i + 1}: ${number(risk)}`));
    chart.append(dot);
    chart.append(svg("text", {x: x(i), y: y(risk) - 6, class: "value", "text-anchor": "middle"}, number(risk)));
  });
  $("trend-summary").textContent = risks.length
    ? t("Latest risk %(value)s, threshold %(threshold)s.", {value: number(risks.at(-1)), threshold: number(threshold)})
    : t("No risk measured yet.");
}

function notice(text) {
  const list = $("notices");
  if (!list) return;
  const item = document.createElement("li");
  item.textContent = text;
  list.prepend(item);
}

// A line in the feed that everyone sees, e.g. that a party asked for the mediator.
function systemLine(seq, text, at) {
  if (document.getElementById(`e-${seq}`)) return;
  const item = document.createElement("li");
  item.id = `e-${seq}`;
  item.dataset.seq = seq;
  item.className = "system";
  item.append(text, " ", when(at || new Date().toISOString()));
  placeInOrder(item, seq);
  item.scrollIntoView({block: "end"});
}

function showRephrase(s) {
  if (!pending || pending.suggestionId !== s.id) return;
  const box = $("suggestion");
  box.classList.remove("pending");
  box.setAttribute("aria-busy", "false");
  if (s.status === "proposed") {
    pending.suggestionText = s.text;
    box.textContent = s.text;
    $("send-suggestion").disabled = false;
  } else {
    box.textContent = t("No calmer wording is available for this message. You can send it or edit it.");
    box.classList.add("unavailable");
  }
}

function showDraft(s, live) {
  if (s.status !== "proposed") {
    if (live) $("draft-status").textContent = t("The draft could not be written right now. Try again in a moment.");
    return;
  }
  $("draft-status").textContent = "";
  $("draft-box").hidden = false;
  $("intervention").value = s.text;
  $("intervention").dataset.suggestion = s.id;
  $("draft-checks").textContent = s.verdict_text || "";
}

function showSummary(s, live) {
  if (s.status !== "proposed") {
    if (live) $("summary-status").textContent = t("The summary could not be written right now. Try again in a moment.");
    return;
  }
  $("summary-status").textContent = "";
  $("summary").replaceChildren();
  for (const st of (s.detail.statements || [])) {
    const item = document.createElement("li");
    item.textContent = `${st.text} `;
    for (const id of st.cites) {
      const link = document.createElement("a");
      link.href = `#m-${id}`;
      link.textContent = `[${document.getElementById(`m-${id}`)?.dataset.seq || id}]`;
      item.append(link, " ");
    }
    $("summary").append(item);
  }
}

function showSuggestion(s, live) {
  if (s.kind === "rephrase") showRephrase(s);
  else if (s.kind === "draft" && $("draft-box")) showDraft(s, live);
  else if (s.kind === "summary" && $("summary")) showSummary(s, live);
}

function handleEvent(frame) {
  lastSeq = Math.max(lastSeq, frame.seq);
  const live = frame.seq > historySeq;
  const p = frame.payload;
  if (frame.kind === "message") addMessage(p);
  else if (frame.kind === "signals") showSignals(p);
  else if (frame.kind === "suggestion") showSuggestion(p, live);
  else if (frame.kind === "translation") showTranslation(p);
  else if (frame.kind === "mediator_requested") systemLine(frame.seq, t("%(name)s asked for the mediator.", p), p.at);
  else if (frame.kind === "request") notice(t("%(name)s asked for the mediator.", p) + (p.note ? ` ${p.note}` : ""));
  else if (frame.kind === "decision") notice(t("Policy: %(action)s (%(reason)s)", p));
}

// Presence and "seen" travel as notices on the socket: "here" when a page opens (answered by the others),
// "seen" with the last message a page has shown while visible, "away" when a page closes.
function handleNotice(frame) {
  if (frame.type === "typing") {
    $("typing").textContent = t("%(name)s is typing…", frame);
    $("typing").hidden = false;
    clearTimeout(handleNotice.timer);
    handleNotice.timer = setTimeout(() => { $("typing").hidden = true; }, 3000);
  } else if (frame.type === "here") {
    present.set(frame.participant_id, frame.name);
    if (!frame.reply) { say({type: "here", reply: true}); tellSeen(true); }
  } else if (frame.type === "away") {
    present.delete(frame.participant_id);
  } else if (frame.type === "seen") {
    seenBy.set(frame.participant_id, {name: frame.name, seq: frame.seq});
    renderSeen();
  }
  renderPresence();
}

function renderPresence() {
  const names = [...present.values()];
  $("presence").textContent = names.length ? t("Online now: %(names)s", {names: listOf(names)})
    : t("No one else is here right now.");
  $("presence").classList.toggle("online", names.length > 0);
}

// "Seen by …" under the latest of my messages each other person has seen.
function renderSeen() {
  for (const old of document.querySelectorAll("#messages .seen")) old.remove();
  const mine = [...document.querySelectorAll("#messages .message.mine")];
  const groups = new Map();
  for (const {name, seq} of seenBy.values()) {
    const last = mine.filter((item) => Number(item.dataset.seq) <= seq).at(-1);
    if (last) groups.set(last, [...(groups.get(last) || []), name]);
  }
  for (const [item, names] of groups) {
    const line = document.createElement("p");
    line.className = "seen";
    line.textContent = t("Seen by %(names)s", {names: listOf(names)});
    item.append(line);
  }
}

function tellSeen(always = false) {
  if (document.visibilityState !== "visible" || !lastMessageSeq) return;
  if (!always && tellSeen.told >= lastMessageSeq) return;
  tellSeen.told = lastMessageSeq;
  say({type: "seen", seq: lastMessageSeq});
}

function say(frame) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
}

let socket = null;
function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}${api("/ws")}?after=${lastSeq}`);
  socket.onopen = () => {
    present.clear();
    renderPresence();
    say({type: "here"});
    tellSeen(true);
    loadTranslations().catch(() => {});
  };
  socket.onmessage = (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === "event") handleEvent(frame); else handleNotice(frame);
  };
  socket.onclose = () => setTimeout(connect, 1000);
}

// Post; the composer is emptied only if it still holds the draft sent (the author may type on meanwhile).
async function post(text, choice, suggestionId, drafted = text) {
  const body = {client_id: clientId(), text, choice};
  if (suggestionId) body.suggestion_id = suggestionId;
  addMessage(await call("POST", "/messages", body));
  if ($("draft").value === drafted) $("draft").value = "";
  $("presend").hidden = true;
  pending = null;
  complain(null);
}

// The feedback shows as soon as the check answers; the calmer wording follows on the socket, and
// meanwhile the author may send the original or edit it.
async function submit(event) {
  event.preventDefault();
  const text = $("draft").value;
  if (!text.trim()) { $("composer-error").textContent = t("Write something before sending."); return; }
  complain(null);
  if (pending && pending.text === text) return post(text, "original", pending.suggestionId);
  const check = await call("POST", "/check", {text});
  if (!check.flagged) return post(text, "original");
  pending = {text, suggestionId: check.suggestion ? check.suggestion.id : null, suggestionText: null};
  $("feedback").textContent = check.feedback || t("This message may land badly.");
  const box = $("suggestion");
  box.className = "suggestion pending";
  box.setAttribute("aria-busy", check.suggestion ? "true" : "false");
  box.textContent = check.suggestion ? t("Preparing a calmer wording…")
    : t("No calmer wording is available for this message. You can send it or edit it.");
  $("send-suggestion").disabled = true;
  $("presend").hidden = false;
}

function wireComposer() {
  if (!$("composer")) return;
  const failed = (error) => complain(error instanceof Refusal ? error : new Refusal(0, {}));
  $("composer").addEventListener("submit", (e) => submit(e).catch(failed));
  $("draft").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $("composer").requestSubmit();
    }
  });
  $("send-original").onclick = () => post(pending.text, "original", pending.suggestionId).catch(failed);
  $("send-suggestion").onclick = () =>
    post(pending.suggestionText, "suggestion", pending.suggestionId, pending.text).catch(failed);
  $("edit").onclick = () => {
    $("draft").value = pending.suggestionText || pending.text;
    $("presend").hidden = true;
    $("draft").focus();
  };
  let lastTyping = 0;
  $("draft").addEventListener("input", () => {
    if (Date.now() - lastTyping > 2000) { say({type: "typing"}); lastTyping = Date.now(); }
  });
  if ($("ask-mediator")) {
    $("ask-mediator").onclick = async () => {
      try {
        await call("POST", "/requests", {note: null});
        $("ask-mediator").textContent = t("Mediator asked");
        $("ask-mediator").disabled = true;
        $("composer-error").textContent = "";
        notice(t("You asked for the mediator. They have been told."));
      } catch (error) { failed(error); }
    };
  }
}

function wirePanel() {
  if (!$("draft-intervention")) return;
  const failed = (where) => (error) => { $(where).textContent = sentence(error); };
  $("draft-intervention").onclick = () => {
    $("draft-box").hidden = true;
    $("draft-status").textContent = t("Drafting…");
    call("POST", "/drafts", {instruction: $("instruction").value || null}).catch(failed("draft-status"));
  };
  $("send-intervention").onclick = async () => {
    const body = {client_id: clientId(), text: $("intervention").value};
    if ($("intervention").dataset.suggestion) body.suggestion_id = $("intervention").dataset.suggestion;
    try {
      addMessage(await call("POST", "/interventions", body));
      $("draft-box").hidden = true;
    } catch (error) { failed("draft-status")(error); }
  };
  $("summarize").onclick = () => {
    $("summary-status").textContent = t("Summarizing…");
    call("POST", "/summary").catch(failed("summary-status"));
  };
  $("autonomy").onchange = async () => {
    const chosen = $("autonomy").selectedOptions[0].textContent;
    try {
      await call("PUT", "/autonomy", {autonomy: $("autonomy").value});
      notice(t("Autonomy set to: %(level)s", {level: chosen}));
    } catch (error) { notice(sentence(error)); }
  };
  drawTrend();
}

if ($("lang")) {
  for (const option of $("lang").options) option.textContent = languageName(option.value, option.value);
  $("lang").onchange = () => chooseLanguage($("lang").value).catch((error) => complain(error));
}
document.addEventListener("visibilitychange", () => tellSeen());
window.addEventListener("pagehide", () => say({type: "away"}));
wireComposer();
wirePanel();
renderPresence();
connect();
