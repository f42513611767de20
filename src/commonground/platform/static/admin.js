// The administrator's pages: create conversations with invitation links; one conversation's people (add,
// remove, new link), policy, audit log; usage. Each call to the administrator API is one small function.
"use strict";
const $ = (id) => document.getElementById(id);
const ROLES = ["party", "mediator", "administrator", "observer"];
const FIELDS = {
  title: "Title", kind: "Kind", languages: "Languages (codes separated by commas)", name: "Name", role: "Role",
  lang: "Language",
};

const call = request;

// A refused request in a sentence: the fields a 422 names (never their pydantic paths), or what to do.
function sentence(error) {
  if (error.status === 422 && Array.isArray(error.data.errors)) {
    const fields = new Set(error.data.errors.map((e) => {
      const place = (e.loc || []).filter((part) => typeof part === "string" && part !== "body").at(-1);
      return place && FIELDS[place] ? t(FIELDS[place]) : place || "";
    }).filter(Boolean));
    return t("Some fields are not valid: %(fields)s.", {fields: listOf([...fields])});
  }
  if (error.status === 401 || error.status === 403) {
    return t("The administrator key is missing or not valid. Open the administration link again.");
  }
  if (error.status === 404) return t("This participant or conversation no longer exists.");
  return t("This could not be done right now. Check your connection and try again.");
}

function row(cells, tag = "td") {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    const td = document.createElement(tag);
    td.textContent = cell === null || cell === undefined ? "" : String(cell);
    tr.append(td);
  }
  return tr;
}

function head(templateId) {
  return $(templateId).content.cloneNode(true);
}

// "name, role, language" lines to participants, or the sentence saying which line is wrong.
function people(text) {
  const lines = text.split("\n").map((line) => line.trim()).filter(Boolean);
  return lines.map((line, index) => {
    const [name, role = "party", lang = "en"] = line.split(",").map((s) => s.trim());
    const number = index + 1;
    if (!name || name.length > 80) throw new Error(t("Line %(line)s: write a name, then optionally a role and a language, separated by commas.", {line: number}));
    if (!ROLES.includes(role)) throw new Error(t("Line %(line)s: the role must be one of: %(roles)s.", {line: number, roles: ROLES.join(", ")}));
    if (!/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/.test(lang)) throw new Error(t("Line %(line)s: the language must be a code such as en, fr, de or es.", {line: number}));
    return {name, role, lang};
  });
}

const createConversation = (body) => call("POST", "/api/admin/conversations", body);
const addParticipant = (cid, person) => call("POST", `/api/admin/conversations/${cid}/participants`, person);
const removeParticipant = (cid, pid) => call("DELETE", `/api/admin/conversations/${cid}/participants/${pid}`);
const newLink = (cid, pid) => call("POST", `/api/admin/conversations/${cid}/participants/${pid}/invitation`);

async function home() {
  $("create").onsubmit = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    $("create-error").textContent = "";
    let created;
    try {
      created = await createConversation({
        title: form.get("title").trim(), kind: form.get("kind"), participants: people(form.get("people")),
        languages: form.get("languages").split(",").map((s) => s.trim()).filter(Boolean),
      });
    } catch (error) {
      $("create-error").textContent = error instanceof Refusal ? sentence(error) : error.message;
      return;
    }
    $("links").replaceChildren();
    for (const inv of created.invitations) {
      const item = document.createElement("li");
      const who = document.createElement("strong");
      who.textContent = `${inv.participant.name} (${inv.participant.role})`;
      const link = document.createElement("code");
      link.textContent = inv.url;
      item.append(who, " ", link);
      $("links").append(item);
    }
    listConversations();
  };
  listConversations();
  const usage = await call("GET", "/api/admin/usage");
  $("usage").append(head("usage-head"));
  for (const l of usage.lines) {
    $("usage").append(row([l.task, l.model, l.calls, l.prompt_tokens, l.completion_tokens, l.mean_latency_s, l.failures]));
  }
}

async function listConversations() {
  const list = $("conversations");
  list.replaceChildren();
  for (const c of await call("GET", "/api/admin/conversations")) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `/admin/c/${c.id}`;
    link.textContent = `${c.title} (${c.kind}, ${c.participants.length})`;
    item.append(link);
    list.append(item);
  }
}

function wirePerson(cid, item) {
  const pid = item.dataset.participant;
  const status = item.querySelector(".status");
  item.querySelector(".reissue").onclick = async () => {
    try {
      const inv = await newLink(cid, pid);
      item.querySelector(".link").textContent = inv.url;
      status.textContent = "";
    } catch (error) { status.textContent = sentence(error); }
  };
  const remove = item.querySelector(".remove");
  if (remove) {
    remove.onclick = async () => {
      try {
        await removeParticipant(cid, pid);
        item.replaceChildren(t("Removed."));
      } catch (error) { status.textContent = sentence(error); }
    };
  }
}

async function conversation(root) {
  const cid = root.dataset.conversation;
  for (const item of document.querySelectorAll("#people li")) wirePerson(cid, item);
  $("add-person").onsubmit = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const name = form.get("name").trim();
    $("add-error").textContent = "";
    if (!name || name.length > 80) { $("add-error").textContent = t("The name must be between 1 and 80 characters."); return; }
    try {
      const inv = await addParticipant(cid, {name, role: form.get("role"), lang: form.get("lang")});
      const item = head("person-template").firstElementChild;
      item.id = `person-${inv.participant.id}`;
      item.dataset.participant = inv.participant.id;
      item.querySelector(".person").textContent =
        `${inv.participant.name} · ${event.target.role.selectedOptions[0].textContent} · ${inv.participant.lang}`;
      item.querySelector(".link").textContent = inv.url;
      $("people").append(item);
      wirePerson(cid, item);
      event.target.reset();
    } catch (error) { $("add-error").textContent = sentence(error); }
  };
  $("save-policy").onclick = async () => {
    let policy;
    try { policy = JSON.parse($("policy").value); } catch (problem) {
      $("policy-status").textContent = t("The policy is not valid JSON: %(problem)s", {problem: problem.message});
      return;
    }
    try {
      await call("PUT", `/api/admin/conversations/${cid}/policy`, policy);
      $("policy-status").textContent = t("Saved.");
    } catch (error) {
      $("policy-status").textContent = error.status === 422 ? error.message : sentence(error);
    }
  };
  $("audit").append(head("audit-head"));
  for (const d of await call("GET", `/api/admin/conversations/${cid}/audit`)) {
    $("audit").append(row([d.at.replace("T", " ").slice(0, 19), d.event, d.action, d.purpose, d.reason]));
  }
}

if ($("admin")) conversation($("admin"));
else home();
