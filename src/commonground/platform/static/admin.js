// The administrator's pages: create conversations with invitation links, policies, audit log, usage.
"use strict";
const $ = (id) => document.getElementById(id);

async function call(method, path, body) {
  const response = await fetch(path, {
    method, headers: {"Content-Type": "application/json"}, body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.detail || response.statusText);
  return data;
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

async function home() {
  $("create").onsubmit = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const participants = form.get("people").split("\n").filter((l) => l.trim()).map((line) => {
      const [name, role, lang] = line.split(",").map((s) => s.trim());
      return {name, role: role || "party", lang: lang || "en"};
    });
    const created = await call("POST", "/api/admin/conversations", {
      title: form.get("title"), kind: form.get("kind"),
      languages: form.get("languages").split(",").map((s) => s.trim()).filter(Boolean), participants,
    }).catch((err) => alert(err.message));
    if (!created) return;
    $("links").innerHTML = "";
    for (const inv of created.invitations) {
      const item = document.createElement("li");
      item.innerHTML = `<strong></strong> <code></code>`;
      item.querySelector("strong").textContent = `${inv.participant.name} (${inv.participant.role})`;
      item.querySelector("code").textContent = inv.url;
      $("links").append(item);
    }
    listConversations();
  };
  listConversations();
  const usage = await call("GET", "/api/admin/usage");
  $("usage").append(row(["task", "model", "calls", "prompt tokens", "completion tokens", "mean latency s", "failures"], "th"));
  for (const l of usage.lines) {
    $("usage").append(row([l.task, l.model, l.calls, l.prompt_tokens, l.completion_tokens, l.mean_latency_s, l.failures]));
  }
}

async function listConversations() {
  const list = $("conversations");
  list.innerHTML = "";
  for (const c of await call("GET", "/api/admin/conversations")) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `/admin/c/${c.id}`;
    link.textContent = `${c.title} (${c.kind}, ${c.participants.length} participants)`;
    item.append(link);
    list.append(item);
  }
}

async function conversation(root) {
  const cid = root.dataset.conversation;
  const base = `/api/admin/conversations/${cid}`;
  for (const button of document.querySelectorAll(".reissue")) {
    button.onclick = async () => {
      const inv = await call("POST", `${base}/participants/${button.dataset.participant}/invitation`);
      $(`link-${button.dataset.participant}`).textContent = inv.url;
    };
  }
  $("save-policy").onclick = async () => {
    try {
      await call("PUT", `${base}/policy`, JSON.parse($("policy").value));
      $("policy-status").textContent = "Saved.";
    } catch (err) {
      $("policy-status").textContent = err.message;
    }
  };
  $("audit").append(row(["time", "event", "action", "purpose", "reason"], "th"));
  for (const d of await call("GET", `${base}/audit`)) {
    $("audit").append(row([d.at.replace("T", " ").slice(0, 19), d.event, d.action, d.purpose, d.reason]));
  }
}

if ($("admin")) conversation($("admin"));
else home();
