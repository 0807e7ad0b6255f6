// The helpdesk's dashboard: plain JavaScript reading the API.
"use strict";

const params = new URLSearchParams(location.search);
const within = params.get("within") || "8h"; // the at-risk window, as GET /tickets/at-risk takes it
const refreshMs = 5000;

const $ = (sel) => document.querySelector(sel);

// countdown writes the time left until deadline (ms since the epoch), or
// how long ago it passed.
function countdown(deadline, now) {
  let s = Math.round((deadline - now) / 1000);
  const past = s < 0;
  s = Math.abs(s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const text = (h ? h + "h " : "") + (h || m ? m + "m " : "") + sec + "s";
  return past ? "breached " + text + " ago" : text;
}

// tick updates every countdown on the page.
function tick() {
  const now = Date.now();
  for (const el of document.querySelectorAll("[data-deadline]")) {
    const deadline = Number(el.dataset.deadline);
    el.textContent = countdown(deadline, now);
    el.classList.toggle("breached", deadline <= now);
    el.classList.toggle("soon", deadline > now && deadline - now < 15 * 60 * 1000);
  }
}

async function getJSON(path) {
  const resp = await fetch(path, { headers: { Accept: "application/json" } });
  if (!resp.ok) {
    let detail = resp.statusText;
    try { detail = (await resp.json()).detail || detail; } catch (e) { /* not a problem document */ }
    throw new Error(path + ": " + resp.status + " " + detail);
  }
  return resp.json();
}

let selected = null;

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.appendChild(td);
  return td;
}

async function loadAtRisk() {
  const risks = await getJSON("/tickets/at-risk?within=" + encodeURIComponent(within));
  const body = $("#at-risk tbody");
  body.replaceChildren();
  for (const r of risks) {
    const row = document.createElement("tr");
    row.dataset.ticket = r.id;
    row.tabIndex = 0;
    row.classList.toggle("selected", r.id === selected);
    cell(row, r.id);
    cell(row, r.priority);
    cell(row, r.tier);
    cell(row, r.team || "");
    cell(row, r.metric);
    const td = cell(row, "");
    td.className = "countdown";
    td.dataset.deadline = String(Date.parse(r.due));
    td.title = "due " + new Date(r.due).toLocaleString() + "; " + r.remaining + " of business time left";
    row.addEventListener("click", () => showTicket(r.id));
    row.addEventListener("keydown", (e) => { if (e.key === "Enter") showTicket(r.id); });
    body.appendChild(row);
  }
  $("#no-risk").hidden = risks.length > 0;
  tick();
}

function entryLine(e) {
  const li = document.createElement("li");
  li.dataset.what = e.what;
  const t = document.createElement("time");
  t.dateTime = e.at;
  t.textContent = new Date(e.at).toLocaleString();
  li.appendChild(t);
  const parts = [e.what, e.trigger, e.to, e.by && "by " + e.by, e.actor, e.note].filter(Boolean);
  li.appendChild(document.createTextNode(parts.join(" · ")));
  return li;
}

async function showTicket(id) {
  selected = id;
  for (const row of document.querySelectorAll("#at-risk tbody tr")) {
    row.classList.toggle("selected", row.dataset.ticket === id);
  }
  const enc = encodeURIComponent(id);
  const [history, plan] = await Promise.all([getJSON("/tickets/" + enc + "/history"), getJSON("/tickets/" + enc + "/plan")]);
  $("#ticket-title").textContent = "Ticket " + id;
  $("#timeline").replaceChildren(...history.map(entryLine));
  $("#plan").replaceChildren(...plan.map(entryLine));
  if (plan.length === 0) {
    const li = document.createElement("li");
    li.textContent = "nothing planned";
    $("#plan").appendChild(li);
  }
  $("#ticket").hidden = false;
}

function loadCharts() {
  const to = new Date();
  const from = new Date(to.getTime() - 7 * 24 * 3600 * 1000);
  const day = (d) => d.toISOString().slice(0, 10);
  $("#week").textContent = day(from) + " to " + day(to);
  const charts = [["attainment", "SLA attainment by priority"], ["flow", "Where tickets started and ended"],
    ["resolution", "Time to resolve"], ["trend", "Attainment by week"]];
  const box = $("#charts");
  box.replaceChildren();
  for (const [name, caption] of charts) {
    const fig = document.createElement("figure");
    const img = document.createElement("img");
    img.alt = caption;
    img.dataset.chart = name;
    img.src = "/report?format=svg&chart=" + name + "&from=" + day(from) + "&to=" + day(new Date(to.getTime() + 24 * 3600 * 1000));
    const cap = document.createElement("figcaption");
    cap.textContent = caption;
    fig.append(img, cap);
    box.appendChild(fig);
  }
}

async function refresh() {
  try {
    await loadAtRisk();
    if (selected) await showTicket(selected);
    $("#status").textContent = "Updated " + new Date().toLocaleTimeString();
  } catch (e) {
    $("#status").textContent = String(e.message || e);
  }
}

$("#within").textContent = within;
loadCharts();
refresh();
setInterval(refresh, refreshMs);
setInterval(tick, 1000);
