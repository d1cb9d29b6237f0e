// communique web UI: plain JavaScript, no dependencies, nothing loaded from the internet.
// Safety rule: article text is only ever inserted with textContent / createTextNode, never as HTML.
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const PLOVER_COOP = new Set(["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"]);
// One colour per PLOVER type: greens and teals for cooperation, ambers to dark reds for conflict.
const PLOVER_COLORS = {
  AGREE: "#166534", CONSULT: "#22c55e", SUPPORT: "#4ade80", CONCEDE: "#86efac", COOPERATE: "#0f766e", AID: "#14b8a6", RETREAT: "#5eead4",
  REQUEST: "#fbbf24", ACCUSE: "#f59e0b", REJECT: "#d97706", THREATEN: "#ea580c", PROTEST: "#f87171", SANCTION: "#ef4444", MOBILIZE: "#dc2626", COERCE: "#b91c1c", ASSAULT: "#7f1d1d",
};

// ---------------------------------------------------------------- small DOM helpers
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
function link(href, ...children) { return h("a", { href, "data-nav": "" }, ...children); }
function clip(text, n) { text = text || ""; return text.length > n ? text.slice(0, n - 1) + "…" : text; }
// The first and last day of a period label (year "2024", month "2024-05", day or week start "2024-05-13").
function periodRange(label, by) {
  if (/^\d{4}$/.test(label)) return { since: `${label}-01-01`, until: `${label}-12-31` };
  if (/^\d{4}-\d{2}$/.test(label)) {
    const [y, m] = label.split("-").map(Number);
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return { since: `${label}-01`, until: `${label}-${String(last).padStart(2, "0")}` };
  }
  if (by === "week") { const d = new Date(label + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + 6); return { since: label, until: d.toISOString().slice(0, 10) }; }
  return { since: label, until: label };
}
// A continuous time axis: every month (or year) between the first and the last label, empty ones included,
// so a gap of two years does not look like the next month. Rows whose label is not YYYY or YYYY-MM are kept as they are.
function fillPeriods(rows, empty) {
  if (!rows.length || !rows.every((r) => /^\d{4}(-\d{2})?$/.test(r.period))) return rows;
  const monthly = rows[0].period.length === 7;
  const index = (p) => monthly ? Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7)) - 1 : Number(p);
  const label = (i) => monthly ? `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}` : String(i);
  const byLabel = new Map(rows.map((r) => [r.period, r]));
  const out = [];
  for (let i = index(rows[0].period); i <= index(rows[rows.length - 1].period); i++) out.push(byLabel.get(label(i)) || { ...empty, period: label(i) });
  return out;
}
// Monthly rows over more than three years read better as years: sums the numeric fields per year.
function yearly(rows) {
  if (!rows.length || rows[0].period.length !== 7) return rows;
  const span = Number(rows[rows.length - 1].period.slice(0, 4)) - Number(rows[0].period.slice(0, 4));
  if (span < 3) return rows;
  const years = new Map();
  for (const r of rows) {
    const y = years.get(r.period.slice(0, 4)) || { period: r.period.slice(0, 4) };
    for (const [k, v] of Object.entries(r)) if (typeof v === "number") y[k] = (y[k] || 0) + v;
    years.set(y.period, y);
  }
  return [...years.values()];
}
function fmt(n, digits = 2) { return n === null || n === undefined || Number.isNaN(n) ? "–" : Number(n).toFixed(digits); }

async function api(path, options = {}) {
  const response = await fetch(path, options);
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok) throw new Error((body && body.error) || `HTTP ${response.status}`);
  return body;
}
function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined) u.set(k, v);
  const text = u.toString();
  return text ? "?" + text : "";
}
function showError(root, error) { root.appendChild(h("p", { class: "error", role: "alert" }, String(error.message || error))); }

// ---------------------------------------------------------------- tooltip
const tooltip = h("div", { class: "tooltip", hidden: "" });
document.addEventListener("DOMContentLoaded", () => document.body.appendChild(tooltip));
function tip(el, text) {
  el.addEventListener("mousemove", (e) => {
    tooltip.textContent = text; tooltip.hidden = false;
    tooltip.style.left = e.clientX + 12 + "px"; tooltip.style.top = e.clientY + 12 + "px";
  });
  el.addEventListener("mouseleave", () => { tooltip.hidden = true; });
}

// ---------------------------------------------------------------- highlighted article
function layers(a) {
  const out = [];
  for (const q of a.quotes || []) out.push([q.content.start, q.content.end, "quote", `${q.kind} quote · ${q.speaker.name || q.speaker.text}${q.speaker.code ? " (" + q.speaker.code + ")" : ""}`]);
  for (const actor of a.actors || []) for (const m of actor.mentions) out.push([m.start, m.end, "actor", `${actor.name} · ${actor.type} · ${actor.code || "–"} ${actor.sector || ""}`]);
  for (const d of a.dates || []) out.push([d.start, d.end, "date", `date ${d.value || "unresolved"} (${d.granularity || "?"})`]);
  (a.events || []).forEach((e, i) => out.push([e.trigger.start, e.trigger.end, "event", `${e.type}${e.mode ? "/" + e.mode : ""} · ${parties(e)} · ${e.status} · ${e.attribution}`, i]));
  for (const r of a.rhetoric || []) out.push([r.start, r.end, "rhetoric", r.technique.replaceAll("_", " ")]);
  return out;
}
function parties(e) {
  const side = (list) => list.map((p) => p.code || p.text).join(", ") || "–";
  return `${side(e.actor)} → ${side(e.recipient)}`;
}
// Builds the text with nested <mark> elements; spans that cross an open one are clipped so marks nest.
function highlighted(text, spans) {
  const starts = new Map();
  for (const sp of spans) if (sp[0] >= 0 && sp[0] < sp[1] && sp[1] <= text.length) {
    if (!starts.has(sp[0])) starts.set(sp[0], []);
    starts.get(sp[0]).push(sp);
  }
  const boundaries = new Set([0, text.length]);
  for (const sp of spans) { boundaries.add(sp[0]); boundaries.add(sp[1]); }
  const cuts = [...boundaries].filter((b) => b >= 0 && b <= text.length).sort((x, y) => x - y);
  const root = h("div", { class: "article-text" });
  const stack = [{ el: root, end: Infinity }];
  for (let i = 0; i < cuts.length - 1; i++) {
    const pos = cuts[i];
    while (stack.length > 1 && stack[stack.length - 1].end <= pos) stack.pop();
    for (const sp of (starts.get(pos) || []).sort((x, y) => y[1] - x[1])) {
      const end = Math.min(sp[1], stack[stack.length - 1].end);
      const mark = h("mark", { class: sp[2], title: sp[3], dataset: { start: sp[0], end: sp[1] } });
      if (sp[4] !== undefined) mark.dataset.event = sp[4];
      stack[stack.length - 1].el.appendChild(mark);
      stack.push({ el: mark, end });
    }
    while (stack.length > 1 && stack[stack.length - 1].end <= pos) stack.pop();
    stack[stack.length - 1].el.appendChild(document.createTextNode(text.slice(pos, cuts[i + 1])));
  }
  return root;
}
function eventList(a, textRoot) {
  const list = h("ul", { class: "events", "aria-label": "events" });
  (a.events || []).forEach((e, i) => {
    const cls = PLOVER_COOP.has(e.type) ? "coop" : "conf";
    const li = h("li", { dataset: { event: i }, tabindex: "0" },
      h("span", { class: `badge ${cls}` }, e.type + (e.mode ? "/" + e.mode : "")),
      h("strong", {}, parties(e)), " ",
      h("span", { class: "muted" }, `${e.date && e.date.value ? e.date.value : "undated"} · ${e.status} · ${e.attribution} · score ${e.score}`),
      h("div", { class: "muted" }, e.evidence.text.length > 160 ? e.evidence.text.slice(0, 159) + "…" : e.evidence.text));
    const go = () => {
      const mark = textRoot.querySelector(`mark[data-event="${i}"]`) || textRoot.querySelector(`mark[data-start="${e.trigger.start}"]`);
      if (mark) { mark.scrollIntoView({ behavior: "smooth", block: "center" }); mark.classList.remove("focus"); void mark.offsetWidth; mark.classList.add("focus"); }
    };
    li.addEventListener("click", go);
    li.addEventListener("keydown", (ev) => { if (ev.key === "Enter") go(); });
    list.appendChild(li);
  });
  if (!(a.events || []).length) list.appendChild(h("li", { class: "muted" }, "No events coded."));
  return list;
}
function analysisView(a) {
  const d = a.document;
  const textRoot = highlighted(d.text, layers(a));
  const side = h("div", {},
    h("div", { class: "card" }, h("h2", {}, `Events (${(a.events || []).length})`), eventList(a, textRoot)),
    h("div", { class: "card" }, h("h2", {}, `Quotes (${(a.quotes || []).length})`),
      h("ul", { class: "quotes" }, (a.quotes || []).map((q) => h("li", {}, h("span", { class: "badge" }, q.kind), h("strong", {}, q.speaker.name || q.speaker.text), `: ${q.content.text.slice(0, 140)}`)))),
    h("div", { class: "card" }, h("h2", {}, "Actors"),
      h("ul", { class: "actors" }, (a.actors || []).map((x) => h("li", {}, x.code && x.type === "country" ? link(`/ui/actor/${encodeURIComponent(x.code)}`, x.name) : x.name, h("span", { class: "muted" }, ` ${x.type} · ${x.code || "–"} · ${x.sector || "–"} · ${x.mentions.length}×`))))),
    h("div", { class: "card" }, h("h2", {}, "Stance"),
      h("ul", {}, (a.stance || []).map((st) => { const actor = (a.actors || []).find((x) => x.id === st.actor_id); return h("li", {}, `${actor ? actor.name : st.actor_id}: `, h("span", { class: `badge ${st.score >= 0 ? "coop" : "conf"}` }, fmt(st.score))); }))));
  return h("div", {},
    h("h1", {}, d.title || "(untitled)"),
    h("p", { class: "muted" }, `published ${d.published || "unknown"} · genre ${d.genre || "?"} · ${(a.sentences || []).length} sentences`),
    h("p", { class: "legend" }, h("span", { class: "actor" }, "actor"), h("span", { class: "date" }, "date"), h("span", { class: "event" }, "event"), h("span", { class: "quote" }, "quote"), h("span", { class: "rhetoric" }, "persuasion technique")),
    h("div", { class: "grid" }, h("div", { class: "card" }, textRoot), side));
}

// ---------------------------------------------------------------- pages
const pages = {};

pages.analyse = async (root) => {
  const text = h("textarea", { name: "text", "aria-label": "article text", placeholder: "Paste an article…" });
  const url = h("input", { name: "url", type: "url", placeholder: "…or an article URL", size: "50" });
  const published = h("input", { name: "published", type: "date", "aria-label": "publication date" });
  const out = h("div", { id: "analysis" });
  const form = h("form", { class: "analyse card" }, h("h1", {}, "Analyse an article"), text,
    h("div", { class: "row" }, url, h("label", {}, "published ", published), h("button", { type: "submit" }, "Analyse")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    out.replaceChildren(h("p", { class: "muted" }, "Analysing…"));
    const body = { published: published.value || null };
    if (url.value) body.url = url.value; else body.text = text.value;
    try {
      const a = await api("/api/analyze", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      out.replaceChildren(analysisView(a));
    } catch (err) { out.replaceChildren(); showError(out, err); }
  });
  root.append(form, out);
};

pages.article = async (root, id) => {
  const a = await api(`/api/documents/${encodeURIComponent(id)}`);
  root.appendChild(analysisView(a));
  const dup = a.duplicates || [], related = a.related || [];
  root.appendChild(h("div", { class: "card" }, h("h2", {}, "Near-duplicates"),
    dup.length ? h("ul", {}, dup.map((x) => h("li", {}, /^https?:\/\//i.test(x.url || "") ? h("a", { href: x.url, rel: "noopener noreferrer nofollow", target: "_blank" }, x.title || x.url) : x.title || x.url || "(untitled copy)",
      h("span", { class: "muted" }, ` ${x.kind} copy · ${x.source || ""} ${x.published || ""} · similarity ${fmt(x.similarity)}`)))) : h("p", { class: "muted" }, "None.")));
  root.appendChild(h("div", { class: "card" }, h("h2", {}, "Other articles reporting the same events"),
    related.length ? h("ul", {}, related.map((x) => h("li", {}, link(`/ui/article/${encodeURIComponent(x.id)}`, x.title || x.id), h("span", { class: "muted" }, ` ${x.source || ""} · ${x.published || ""} · ${x.shared_events} shared event(s)`)))) : h("p", { class: "muted" }, "None.")));
};

pages.articles = async (root) => {
  const params = new URLSearchParams(location.search);
  const q = h("input", { name: "q", placeholder: "search text", value: params.get("q") || "" });
  const actor = h("input", { name: "actor", placeholder: "actor code", size: "6", value: params.get("actor") || "" });
  const form = h("form", { class: "filters" }, q, actor, h("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (e) => { e.preventDefault(); navigate(`/ui/articles${qs({ q: q.value, actor: actor.value })}`); });
  root.append(h("h1", {}, "Articles"), form);
  const offset = Number(params.get("offset") || 0);
  const data = await api(`/api/documents${qs({ q: params.get("q"), actor: params.get("actor"), limit: 100, offset })}`);
  root.appendChild(h("p", { class: "muted" }, `${data.total} articles`));
  root.appendChild(table(["published", "title", "source", "genre"], data.items.map((d) => [d.published || "", link(`/ui/article/${encodeURIComponent(d.id)}`, d.title || d.id), d.source || "", d.genre || ""])));
  root.appendChild(pager(data, offset, (o) => navigate(`/ui/articles${qs({ q: params.get("q"), actor: params.get("actor"), offset: o })}`)));
};

pages.events = async (root) => {
  const params = new URLSearchParams(location.search);
  const fields = ["party", "actor", "recipient", "type", "since", "until", "source"];
  const hint = { party: "either side" };
  const inputs = Object.fromEntries(fields.map((f) => [f, f === "type"
    ? h("select", { name: f, title: "PLOVER type" }, h("option", { value: "" }, "any type"), Object.keys(PLOVER_COLORS).map((x) => h("option", { value: x, selected: (params.get(f) || "").toUpperCase() === x ? "" : null }, x)))
    : h("input", { name: f, placeholder: hint[f] || f, title: f, size: "8", value: params.get(f) || "", type: f === "since" || f === "until" ? "date" : "text" })]));
  const form = h("form", { class: "filters" }, Object.values(inputs), h("button", { type: "submit" }, "Filter"));
  form.addEventListener("submit", (e) => { e.preventDefault(); navigate(`/ui/events${qs(Object.fromEntries(fields.map((f) => [f, inputs[f].value])))}`); });
  const filter = Object.fromEntries(fields.map((f) => [f, params.get(f)]));
  const offset = Number(params.get("offset") || 0);
  root.append(h("h1", {}, "Events"), form,
    h("p", {}, "Download: ", h("a", { href: `/api/events/export${qs({ ...filter, format: "csv" })}` }, "CSV"), " · ", h("a", { href: `/api/events/export${qs({ ...filter, format: "parquet" })}` }, "Parquet")));
  const data = await api(`/api/events${qs({ ...filter, limit: 100, offset })}`);
  root.appendChild(table(["date", "type", "actor → recipient", "status", "score", "sources", "evidence"], data.items.map((e) => [
    e.date || "", h("span", { class: `badge ${PLOVER_COOP.has(e.type) ? "coop" : "conf"}` }, e.type + (e.mode ? "/" + e.mode : "")),
    `${(e.actor_codes || []).join(", ") || "–"} → ${(e.recipient_codes || []).join(", ") || "–"}`, e.status, e.score, e.source_count || 1,
    link(`/ui/article/${encodeURIComponent(e.document_id)}`, clip(e.evidence, 140))])));
  root.appendChild(pager(data, offset, (o) => navigate(`/ui/events${qs({ ...filter, offset: o })}`)));
};

pages.actors = async (root) => {
  const params = new URLSearchParams(location.search);
  const q = h("input", { name: "q", placeholder: "code or name", value: params.get("q") || "" });
  const form = h("form", { class: "filters" }, q, h("button", { type: "submit" }, "Find"));
  form.addEventListener("submit", (e) => { e.preventDefault(); navigate(`/ui/actors${qs({ q: q.value })}`); });
  const offset = Number(params.get("offset") || 0);
  root.append(h("h1", {}, "Actors"), form);
  const data = await api(`/api/actors${qs({ q: params.get("q"), limit: 100, offset })}`);
  root.appendChild(table(["code", "name", "type", "articles"], data.items.map((a) => [link(`/ui/actor/${encodeURIComponent(a.code)}`, a.code), a.name || "", a.type || "", a.documents])));
  root.appendChild(pager(data, offset, (o) => navigate(`/ui/actors${qs({ q: params.get("q"), offset: o })}`)));
};

pages.actor = async (root, code) => {
  const a = await api(`/api/actors/${encodeURIComponent(code)}`);
  const p = a.profile || {};
  const members = (p.members || []).map((m) => [link(`/ui/actor/${encodeURIComponent(m)}`, m), " "]);
  root.append(h("h1", {}, `${p.name || code} (${code})`),
    h("div", { class: "card" }, p.kind ? null : h("p", { class: "muted" }, "Not in the knowledge base: known from the stored articles only."),
      h("p", {}, `${p.official || ""}`), h("p", { class: "muted" }, `${p.capital ? "capital " + p.capital + " · " : ""}also called ${(p.aliases || []).join(", ") || "–"}`),
      p.kind === "organization" ? h("p", { class: "muted" }, "members: ", members.length ? members : "–") : h("p", { class: "muted" }, `member of: ${(p.organizations || []).join(", ") || "–"}`),
      h("p", {}, link(`/ui/balance${qs({ country: code })}`, "multi-vector balance"), " · ", link(`/ui/map${qs({ country: code })}`, "map of relations"), " · ", link(`/ui/network${qs({ actor: code, min_events: 1 })}`, "network"), " · ", link(`/ui/events${qs({ party: code })}`, "events"))));
  root.appendChild(h("h2", {}, "Events over time"));
  const timeline = fillPeriods(yearly(a.timeline || []), { cooperative: 0, conflictual: 0, net_score: 0 });
  root.appendChild(barChart(timeline.map((t) => ({ label: t.period, values: [t.cooperative || 0, t.conflictual || 0] })), ["cooperative", "conflictual"], ["#15803d", "#b91c1c"], false,
    (label) => navigate(`/ui/events${qs({ party: code, ...periodRange(label, "month") })}`)));
  root.appendChild(h("h2", {}, "Stance of sources toward it"));
  const panel = evidencePanel();
  const stanceOf = async (source, offset = 0) => {
    panel.el.hidden = false; delete panel.el.dataset.ready;
    let found;
    try { found = await api(`/api/actors/${encodeURIComponent(code)}/stance${qs({ source, limit: 50, offset })}`); }
    catch (err) { panel.el.replaceChildren(); showError(panel.el, err); panel.el.dataset.ready = "1"; return; }
    panel.el.replaceChildren(h("h2", {}, `How ${source} wrote about ${p.name || code} (${found.total} readings)`),
      table(["published", "article", "as", "stance", "sentences it was read from"], found.items.map((r) => [r.published || "", link(`/ui/article/${encodeURIComponent(r.document_id)}`, clip(r.title || r.document_id, 70)), r.actor || "",
        h("span", { class: `badge ${r.score > 0 ? "coop" : r.score < 0 ? "conf" : ""}` }, fmt(r.score)), r.sentences.length ? h("div", {}, r.sentences.map((x) => h("p", { class: "sentence" }, clip(x, 300)))) : h("span", { class: "muted" }, "no stance-bearing sentence")])),
      found.total > found.limit ? pager(found, offset, (o) => stanceOf(source, o)) : "");
    panel.el.dataset.ready = "1";
    panel.el.scrollIntoView({ block: "nearest" });
  };
  const stance = a.stance_by_source || [];
  root.appendChild(stanceChart(stance, stanceOf));
  root.appendChild(table(["source", "documents", "mean stance"], stance.map((r) => [h("button", { type: "button", class: "secondary small", onclick: () => stanceOf(r.source) }, r.source || "–"), r.documents, fmt(r.mean)])));
  root.appendChild(panel.el);
  const quoted = await api(`/api/quotes${qs({ speaker: code, limit: 10 })}`);
  root.appendChild(h("h2", {}, `Quoted (${quoted.total})`));
  root.appendChild(table(["published", "speaker", "quotation"], quoted.items.map((q) => [q.published || "", q.speaker || "", link(`/ui/article/${encodeURIComponent(q.document_id)}`, clip(q.text, 200))])));
  root.appendChild(h("h2", {}, "Latest events"));
  root.appendChild(table(["date", "type", "actor → recipient", "evidence"], (a.events || []).map((e) => [e.date || "", e.type, `${(e.actor_codes || []).join(", ")} → ${(e.recipient_codes || []).join(", ")}`, link(`/ui/article/${encodeURIComponent(e.document_id)}`, clip(e.evidence, 140))])));
};

pages.relations = async (root) => {
  const params = new URLSearchParams(location.search);
  const a = h("input", { name: "a", size: "5", value: params.get("a") || "AZE" }), b = h("input", { name: "b", size: "5", value: params.get("b") || "KGZ" });
  const by = h("select", { name: "by" }, ["month", "week", "day", "year"].map((x) => h("option", { value: x, selected: (params.get("by") || "month") === x ? "" : null }, x)));
  const since = h("input", { type: "date", name: "since", value: params.get("since") || "" }), until = h("input", { type: "date", name: "until", value: params.get("until") || "" });
  const filter = () => ({ a: a.value, b: b.value, by: by.value, since: since.value, until: until.value });
  const form = h("form", { class: "filters" }, a, " → ", b, by, " from ", since, " to ", until, h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => { e.preventDefault(); navigate(`/ui/relations${qs(filter())}`); });
  root.append(h("h1", {}, "Relations"), form);
  const offset = Number(params.get("offset") || 0);
  const data = await api(`/api/relations${qs({ ...filter(), offset })}`);
  root.appendChild(h("p", {}, link(`/ui/relations${qs({ a: data.b, b: data.a, by: data.by })}`, `reverse: ${data.b} → ${data.a}`), " · ",
    link(`/ui/convergence${qs({ a: data.a, b: data.b, by: data.by === "month" || data.by === "year" ? data.by : "year" })}`, `convergence of ${data.a} and ${data.b}`)));
  const rows = fillPeriods(data.series || [], { events: 0, score_sum: 0, cooperative: 0, conflictual: 0, by_type: {} });
  root.appendChild(h("h2", {}, `${data.a} → ${data.b}: PLOVER score per ${data.by}`));
  const panel = evidencePanel();
  const pick = (label, type) => panel.show(`${type || "Events"} ${data.a} → ${data.b} in ${label}`,
    `/api/relations/events${qs({ a: data.a, b: data.b, by: data.by, since: since.value, until: until.value, period: label, type })}`);
  root.appendChild(lineChart(rows.map((r) => ({ label: r.period, value: r.score_sum })), "score sum", (label) => pick(label)));
  root.appendChild(h("h2", {}, "Events by type"));
  const types = Object.keys(PLOVER_COLORS).filter((type) => rows.some((r) => (r.by_type || {})[type]));
  const pickType = (label, j) => pick(label, types[j]);
  root.appendChild(barChart(rows.map((r) => ({ label: r.period, values: types.map((type) => (r.by_type || {})[type] || 0) })), types, types.map((type) => PLOVER_COLORS[type]), false, pickType));
  root.appendChild(panel.el);
  root.appendChild(h("h2", {}, "All the events behind the chart"));
  root.appendChild(eventTable(data.events || []));
  if (data.total > data.limit) root.appendChild(pager(data, offset, (o) => navigate(`/ui/relations${qs({ ...filter(), offset: o })}`)));
};

pages.convergence = async (root) => {
  const params = new URLSearchParams(location.search);
  const a = h("input", { name: "a", size: "5", value: params.get("a") || "AZE" }), b = h("input", { name: "b", size: "5", value: params.get("b") || "TUR" });
  const choose = (name, options, current) => h("select", { name }, options.map((x) => h("option", { value: x, selected: current === x ? "" : null }, x)));
  const by = choose("by", ["year", "month", "week", "day"], params.get("by") || "year");
  const measure = choose("measure", ["cosine", "pearson"], params.get("measure") || "cosine");
  const form = h("form", { class: "filters" }, a, " and ", b, " per ", by, " similarity ", measure, h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => { e.preventDefault(); navigate(`/ui/convergence${qs({ a: a.value, b: b.value, by: by.value, measure: measure.value })}`); });
  root.append(h("h1", {}, "Convergence"), form);
  const data = await api(`/api/convergence${qs({ a: a.value, b: b.value, by: by.value, measure: measure.value })}`);
  const rows = fillPeriods(data.periods || [], { dyad_events: 0, dyad_score_sum: 0, dyad_score_mean: null, shared_parties: [], similarity: null });
  const panel = evidencePanel();
  const events = (label, kind) => panel.show(kind === "dyad" ? `Events between ${data.a} and ${data.b} in ${label}` : `Events of ${data.a} and ${data.b} with their shared third parties in ${label}`,
    `/api/convergence/events${qs({ a: data.a, b: data.b, by: data.by, period: label, kind })}`);
  const trend = (value, up, down) => value === null || value === undefined ? "not enough periods to tell" : `${value > 0 ? "+" : ""}${fmt(value, 3)} per ${data.by} (${value > 0 ? up : value < 0 ? down : "flat"})`;
  root.appendChild(h("div", { class: "card" },
    h("p", {}, h("strong", {}, "Score trend: "), trend(data.score_trend, "warming", "cooling"), h("span", { class: "muted" }, " — least-squares slope of the mean PLOVER score of their events with each other.")),
    h("p", {}, h("strong", {}, "Similarity trend: "), trend(data.similarity_trend, "converging", "diverging"), h("span", { class: "muted" }, ` — slope of the ${data.measure} similarity of their mean scores toward the third parties both dealt with.`)),
    h("p", {}, link(`/ui/relations${qs({ a: data.a, b: data.b })}`, `relations ${data.a} → ${data.b}`), " · ", link(`/ui/relations${qs({ a: data.b, b: data.a })}`, `relations ${data.b} → ${data.a}`))));
  root.appendChild(h("h2", {}, `Dyadic score: mean PLOVER score of the events between ${data.a} and ${data.b} (either direction) per ${data.by}`));
  root.appendChild(lineChart(rows.map((r) => ({ label: r.period, value: r.dyad_score_mean, note: `${r.dyad_events} events` })), "dyadic mean score", (label) => events(label, "dyad"), { empty: `no events between ${data.a} and ${data.b}` }));
  root.appendChild(h("h2", {}, `Similarity of their stances toward shared third parties (${data.measure}, −1 opposite … +1 alike)`));
  root.appendChild(lineChart(rows.map((r) => ({ label: r.period, value: r.similarity, note: (r.shared_parties || []).join(", ") })), "stance similarity", (label) => events(label, "third_parties"),
    { lo: -1, hi: 1, empty: `no period in which both ${data.a} and ${data.b} had events with the same third party${data.measure === "pearson" ? " (Pearson needs three)" : ""}` }));
  const button = (label, kind, n) => n ? h("button", { type: "button", class: "secondary small", onclick: () => events(label, kind) }, String(n)) : "0";
  root.appendChild(table(["period", "events between them", "score mean", "shared third parties", "similarity"], (data.periods || []).map((p) => [
    p.period, button(p.period, "dyad", p.dyad_events), fmt(p.dyad_score_mean), p.shared_parties.length ? button(p.period, "third_parties", p.shared_parties.join(", ")) : "–", fmt(p.similarity)])));
  root.appendChild(panel.el);
};

pages.balance = async (root) => {
  const params = new URLSearchParams(location.search);
  const country = h("input", { name: "country", size: "5", value: params.get("country") || "AZE" });
  const by = h("select", { name: "by" }, ["year", "month"].map((x) => h("option", { value: x, selected: (params.get("by") || "year") === x ? "" : null }, x)));
  const form = h("form", { class: "filters" }, country, " per ", by, h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => { e.preventDefault(); navigate(`/ui/balance${qs({ country: country.value, by: by.value })}`); });
  root.append(h("h1", {}, "Multi-vector balance"), form);
  const data = await api(`/api/balance${qs({ country: country.value, by: by.value })}`);
  const centres = data.centres || [];
  const colors = ["#b91c1c", "#2563eb", "#7c3aed", "#d97706", "#0f766e", "#db2777", "#475569"];
  root.appendChild(h("h2", {}, `${data.country}: share of cooperative engagement by centre of power`));
  const panel = evidencePanel();
  const show = (label, centre) => panel.show(`${data.country}'s events with ${centre ? data.labels[centre] || centre : "every centre of power"} in ${label}`,
    `/api/balance/events${qs({ country: data.country, by: data.by, period: label, centre })}`);
  const periods = fillPeriods(data.periods || [], { centres: {}, evenness: null });  // a year without engagement stays visible
  root.appendChild(barChart(periods.map((p) => ({ label: p.period, values: centres.map((c) => (p.centres[c] || {}).share || 0) })), centres, colors, true,
    (label, j) => show(label, centres[j])));
  root.appendChild(h("h2", {}, "Evenness index (normalised entropy, 0 = one centre, 1 = perfectly even)"));
  root.appendChild(lineChart(periods.map((p) => ({ label: p.period, value: p.evenness })), "evenness", (label) => show(label, null),
    { lo: 0, hi: 1, empty: `no cooperative event of ${data.country} with a centre of power` }));
  root.appendChild(table(["period", ...centres.map((c) => c + " share / net"), "evenness"], (data.periods || []).map((p) => [p.period, ...centres.map((c) => `${fmt((p.centres[c] || {}).share)} / ${fmt((p.centres[c] || {}).net_score, 1)}`), fmt(p.evenness)])));
  root.appendChild(panel.el);
};

pages.network = async (root) => {
  const params = new URLSearchParams(location.search);
  const since = h("input", { type: "date", name: "since", value: params.get("since") || "" }), until = h("input", { type: "date", name: "until", value: params.get("until") || "" });
  const min = h("input", { type: "number", name: "min_events", value: params.get("min_events") || "2", min: "1", size: "3" });
  const actor = h("input", { name: "actor", placeholder: "only edges of (code)", size: "12", value: params.get("actor") || "" });
  const form = h("form", { class: "filters" }, "from ", since, " to ", until, " min events ", min, actor, h("button", { type: "submit" }, "Show"));
  const filter = () => ({ since: since.value, until: until.value, min_events: min.value, actor: actor.value });
  form.addEventListener("submit", (e) => { e.preventDefault(); navigate(`/ui/network${qs(filter())}`); });
  root.append(h("h1", {}, "Relation network"), form);
  const data = await api(`/api/network${qs(filter())}`);
  root.appendChild(networkChart(data.nodes || [], data.edges || [], { since: since.value, until: until.value }));
};

pages.map = async (root) => {
  const params = new URLSearchParams(location.search);
  const country = h("input", { name: "country", size: "5", value: params.get("country") || "AZE" });
  const form = h("form", { class: "filters" }, country, h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => { e.preventDefault(); navigate(`/ui/map${qs({ country: country.value })}`); });
  root.append(h("h1", {}, "Relations map"), form);
  const [world, data] = await Promise.all([api("/static/world.json"), api(`/api/relations/partners${qs({ country: country.value })}`)]);
  root.appendChild(h("p", { class: "muted" }, `Net PLOVER score of ${data.country}'s events with each partner (green cooperative, red conflictual).`));
  root.appendChild(mapChart(world, data.country, data.partners || {}));
  const rows = Object.entries(data.partners || {}).sort((x, y) => Math.abs(y[1].net_score) - Math.abs(x[1].net_score));
  root.appendChild(h("h2", {}, "Partners"));
  root.appendChild(table(["partner", "events", "net score", ""], rows.map(([code, p]) => [
    (world.countries[code] || {}).name || code, p.events, h("span", { class: `badge ${p.net_score >= 0 ? "coop" : "conf"}` }, fmt(p.net_score, 1)),
    h("span", {}, link(`/ui/relations${qs({ a: data.country, b: code })}`, "→ relations"), " · ", link(`/ui/relations${qs({ a: code, b: data.country })}`, "← relations"))])));
};

// ---------------------------------------------------------------- tables and charts
// Reports of events as the analytics endpoints return them; each evidence sentence opens its article.
function eventTable(items) {
  return table(["date", "type", "actor → recipient", "score", "source", "evidence"], items.map((e) => [
    e.date || "", h("span", { class: `badge ${PLOVER_COOP.has(e.type) ? "coop" : "conf"}` }, e.type),
    `${(e.actor_codes || []).join(", ") || "–"} → ${(e.recipient_codes || []).join(", ") || "–"}`, fmt(e.score, 1), e.source || "",
    evidenceLink(e)]));
}
// An evidence sentence (shortened; the whole of it on hover) that opens its article.
function evidenceLink(e) {
  const a = link(`/ui/article/${encodeURIComponent(e.document_id)}`, clip(e.evidence || e.title || "(no evidence sentence)", 240));
  if (e.evidence) a.title = e.evidence;
  return a;
}
// A card that lists, when a chart mark is clicked, the reports behind it (paginated, fetched from ``path``).
function evidencePanel() {
  const el = h("div", { class: "card evidence", id: "evidence", hidden: "" });
  async function show(title, path, offset = 0) {
    el.hidden = false;
    delete el.dataset.ready;
    el.replaceChildren(h("h2", {}, title), h("p", { class: "muted" }, "Loading…"));
    try {
      const data = await api(`${path}&${qs({ limit: 50, offset }).slice(1)}`);
      el.replaceChildren(h("h2", {}, `${title} (${data.total} reports)`), eventTable(data.items));
      if (data.total > data.limit) el.appendChild(pager(data, offset, (o) => show(title, path, o)));
    } catch (err) { el.replaceChildren(h("h2", {}, title)); showError(el, err); }
    el.dataset.ready = "1";
    el.scrollIntoView({ block: "nearest" });  // at once: a smooth scroll would still be moving the chart under the pointer
  }
  return { el, show };
}
function table(head, rows) {
  return h("table", { class: "data" }, h("thead", {}, h("tr", {}, head.map((c) => h("th", {}, c)))),
    h("tbody", {}, rows.length ? rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c)))) : h("tr", {}, h("td", { colspan: String(head.length), class: "muted" }, "No data."))));
}
function pager(data, offset, go) {
  const next = offset + data.limit < data.total, prev = offset > 0;
  return h("div", { class: "pager" }, h("button", { class: "secondary", disabled: prev ? null : "", onclick: () => go(Math.max(0, offset - data.limit)) }, "‹ previous"),
    h("span", { class: "muted" }, `${data.total ? offset + 1 : 0}–${Math.min(offset + data.limit, data.total)} of ${data.total}`),
    h("button", { class: "secondary", disabled: next ? null : "", onclick: () => go(offset + data.limit) }, "next ›"));
}
// Points whose value is null (a period with nothing to measure) leave a gap instead of being drawn at zero.
// options: lo / hi fix the value range (e.g. -1..1 for a similarity), empty says why there is nothing to draw;
// onpick(label) makes each point clickable.
function lineChart(points, label, onpick, options = {}) {
  const W = 800, H = 220, P = 36;
  const svg = s("svg", { class: "chart line", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": label });
  const known = points.filter((p) => p.value !== null && p.value !== undefined && !Number.isNaN(p.value));
  if (!known.length) { svg.appendChild(s("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, options.empty || "no data")); return svg; }
  const vals = known.map((p) => p.value), lo = options.lo ?? Math.min(0, ...vals), hi = options.hi ?? Math.max(0.001, ...vals);
  const x = (i) => P + (points.length === 1 ? (W - 2 * P) / 2 : (i * (W - 2 * P)) / (points.length - 1));
  const y = (v) => H - P - ((v - lo) * (H - 2 * P)) / (hi - lo || 1);
  svg.appendChild(s("line", { x1: P, x2: W - P, y1: y(0), y2: y(0), stroke: "#94a3b8" }));
  let run = [];
  const flush = () => { if (run.length > 1) svg.appendChild(s("polyline", { points: run.join(" "), fill: "none", stroke: "#2563eb", "stroke-width": 2, class: "series" })); run = []; };
  points.forEach((p, i) => { if (known.includes(p)) run.push(`${x(i)},${y(p.value)}`); else flush(); });
  flush();
  points.forEach((p, i) => {
    if (!known.includes(p)) return;
    const c = s("circle", { cx: x(i), cy: y(p.value), r: 4, fill: "#2563eb", class: onpick ? "pickable" : null, "data-period": p.label });
    tip(c, `${p.label}: ${fmt(p.value)}${p.note ? " · " + p.note : ""}`);
    if (onpick) c.addEventListener("click", () => onpick(p.label)); svg.appendChild(c);
  });
  // Under the axis: every measured period when they fit, else the first and the last.
  const labelled = known.length <= 12 ? known : [points[0], points[points.length - 1]];
  for (const p of labelled) {
    const i = points.indexOf(p), anchor = i === 0 && points.length > 1 ? "start" : i === points.length - 1 && points.length > 1 ? "end" : "middle";
    svg.appendChild(s("text", { x: x(i), y: H - 8, "text-anchor": anchor }, p.label));
  }
  svg.appendChild(s("text", { x: 4, y: y(hi) + 4 }, fmt(hi, 1)));
  svg.appendChild(s("text", { x: 4, y: y(lo) + 4 }, fmt(lo, 1)));
  if (known.length < points.length) svg.appendChild(s("text", { x: W - P, y: 14, "text-anchor": "end" }, "no point: nothing to measure in that period"));
  return svg;
}
// Stacked bars, one group per period; onpick(label, series index) makes each segment clickable.
function barChart(groups, names, colors, normalised = false, onpick = null) {
  const W = 800, H = 240, P = 36, perRow = 6, legendRows = Math.ceil(names.length / perRow);
  const svg = s("svg", { class: "chart bars", viewBox: `0 0 ${W} ${H + 8 + 18 * legendRows}`, role: "img" });
  if (!groups.length) { svg.appendChild(s("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, "no data")); return svg; }
  const totals = groups.map((g) => g.values.reduce((a, b) => a + b, 0));
  const hi = normalised ? 1 : Math.max(1, ...totals);
  const bw = Math.min(90, (W - 2 * P) / groups.length);
  groups.forEach((g, i) => {
    let y0 = H - P;
    g.values.forEach((v, j) => {
      const hgt = (v * (H - 2 * P)) / hi;
      if (hgt <= 0) return;  // nothing to show or to click
      const r = s("rect", { x: P + i * bw + 1, y: y0 - hgt, width: Math.max(1, bw - 2), height: Math.max(0, hgt), fill: colors[j % colors.length], class: onpick ? "bar pickable" : "bar", "data-series": names[j], "data-period": g.label });
      if (onpick) r.addEventListener("click", () => onpick(g.label, j));
      tip(r, `${g.label} · ${names[j]}: ${normalised ? fmt(v) : v}`);
      svg.appendChild(r); y0 -= hgt;
    });
  });
  svg.appendChild(s("text", { x: P, y: H - 8 }, groups[0].label));  // first and last period under the bars
  if (groups.length > 1) svg.appendChild(s("text", { x: P + (groups.length - 0.5) * bw, y: H - 8, "text-anchor": groups.length * bw > W - 3 * P ? "end" : "middle" }, groups[groups.length - 1].label));
  names.forEach((n, j) => {
    const lx = P + (j % perRow) * 125, ly = H + 6 + 18 * Math.floor(j / perRow);
    svg.appendChild(s("rect", { x: lx, y: ly, width: 10, height: 10, fill: colors[j % colors.length] })); svg.appendChild(s("text", { x: lx + 14, y: ly + 9 }, n));
  });
  return svg;
}
// options: the period (since, until) the edges are counted over, kept when an edge opens the dyad's relations.
// One horizontal bar per source, from the zero line: right (green) favourable, left (red) hostile.
function stanceChart(rows, onpick) {
  const W = 800, row = 22, top = 18, L = 230, mid = L + (W - L - 20) / 2, half = (W - L - 20) / 2;
  const svg = s("svg", { class: "chart stance", viewBox: `0 0 ${W} ${top + row * Math.max(1, rows.length) + 8}`, role: "img", "aria-label": "stance by source" });
  if (!rows.length) { svg.appendChild(s("text", { x: W / 2, y: top + 8, "text-anchor": "middle" }, "no data")); return svg; }
  svg.appendChild(s("text", { x: mid - half, y: 12 }, "−1 hostile")); svg.appendChild(s("text", { x: mid, y: 12, "text-anchor": "middle" }, "0"));
  svg.appendChild(s("text", { x: mid + half, y: 12, "text-anchor": "end" }, "+1 favourable"));
  svg.appendChild(s("line", { x1: mid, x2: mid, y1: top, y2: top + row * rows.length, stroke: "#94a3b8" }));
  rows.forEach((r, i) => {
    const y = top + i * row, w = Math.max(2, Math.abs(r.mean) * half);
    svg.appendChild(s("text", { x: L - 8, y: y + 15, "text-anchor": "end" }, clip(`${r.source} (${r.documents})`, 34)));
    const bar = s("rect", { x: r.mean >= 0 ? mid : mid - w, y: y + 4, width: w, height: row - 8, fill: r.mean > 0 ? "#15803d" : r.mean < 0 ? "#b91c1c" : "#94a3b8", class: "bar pickable", "data-source": r.source });
    tip(bar, `${r.source}: mean stance ${fmt(r.mean)} over ${r.documents} articles (click: the sentences)`);
    bar.addEventListener("click", () => onpick(r.source));
    svg.appendChild(bar);
  });
  return svg;
}
function networkChart(nodes, edges, options) {
  const W = 900, H = 600;
  const svg = s("svg", { class: "chart network", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "relation network" });
  if (!nodes.length) { svg.appendChild(s("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, "no data")); return svg; }
  // A small deterministic force layout: nodes start on a circle, repel each other, edges pull.
  const pos = nodes.map((n, i) => ({ x: W / 2 + 250 * Math.cos((2 * Math.PI * i) / nodes.length), y: H / 2 + 230 * Math.sin((2 * Math.PI * i) / nodes.length), vx: 0, vy: 0 }));
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const links = edges.filter((e) => index.has(e.source) && index.has(e.target)).map((e) => ({ ...e, a: index.get(e.source), b: index.get(e.target) }));
  for (let step = 0; step < 300; step++) {
    for (let i = 0; i < pos.length; i++) for (let j = i + 1; j < pos.length; j++) {
      const dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y, d2 = Math.max(dx * dx + dy * dy, 25), f = 2200 / d2;
      pos[i].vx += dx * f / 10; pos[i].vy += dy * f / 10; pos[j].vx -= dx * f / 10; pos[j].vy -= dy * f / 10;
    }
    for (const l of links) {
      const p = pos[l.a], q = pos[l.b], dx = q.x - p.x, dy = q.y - p.y, d = Math.sqrt(dx * dx + dy * dy) || 1, f = (d - 120) * 0.01;
      p.vx += dx / d * f * 10; p.vy += dy / d * f * 10; q.vx -= dx / d * f * 10; q.vy -= dy / d * f * 10;
    }
    for (const p of pos) { p.vx += (W / 2 - p.x) * 0.002; p.vy += (H / 2 - p.y) * 0.002; p.x = Math.min(W - 70, Math.max(70, p.x + p.vx * 0.1)); p.y = Math.min(H - 20, Math.max(40, p.y + p.vy * 0.1)); p.vx *= 0.6; p.vy *= 0.6; }
  }
  for (const l of links) {
    const line = s("line", { x1: pos[l.a].x, y1: pos[l.a].y, x2: pos[l.b].x, y2: pos[l.b].y, stroke: l.net_score >= 0 ? "#15803d" : "#b91c1c", "stroke-opacity": 0.6, "stroke-width": Math.min(8, 1 + Math.log2(1 + (l.events || 1))) });
    tip(line, `${l.source} → ${l.target}: net ${fmt(l.net_score, 1)} over ${l.events} events (click: the relations and their evidence)`);
    line.classList.add("pickable");
    line.addEventListener("click", () => navigate(`/ui/relations${qs({ a: l.source, b: l.target, by: "month", ...(options || {}) })}`));
    svg.appendChild(line);
  }
  nodes.forEach((n, i) => {
    const a = s("a", { href: `/ui/actor/${encodeURIComponent(n.id)}`, class: "node", "data-node": n.id });
    a.addEventListener("click", (e) => { e.preventDefault(); navigate(`/ui/actor/${encodeURIComponent(n.id)}`); });
    a.appendChild(s("circle", { cx: pos[i].x, cy: pos[i].y, r: Math.min(22, 5 + Math.sqrt(n.events || 1) * 1.5), fill: "#1d4ed8", "fill-opacity": 0.85 }));
    a.appendChild(s("text", { x: pos[i].x, y: pos[i].y - 9 - Math.min(22, 5 + Math.sqrt(n.events || 1) * 1.5) + 5, "text-anchor": "middle" }, clip(n.label || n.id, 18)));
    tip(a, `${n.label || n.id}: ${n.events} events`);
    svg.appendChild(a);
  });
  return svg;
}
// Rings that cross the antimeridian (Russia, Fiji, Alaska's islands) would draw a band across the whole map:
// move their western points one map-width east so the ring stays in one piece (the overflow is clipped).
function unwrapPath(d, width) {
  return d.split("Z").filter((r) => r.trim()).map((ring) => {
    const pts = ring.replace("M", "").trim().split(/\s+/).map((p) => p.split(",").map(Number));
    const xs = pts.map((p) => p[0]);
    if (Math.max(...xs) - Math.min(...xs) > width / 2) for (const p of pts) if (p[0] < width / 2) p[0] += width;
    return "M" + pts.map((p) => `${p[0].toFixed(2)},${p[1].toFixed(2)}`).join(" ") + "Z";
  }).join("");
}
function mapChart(world, focus, partners) {
  const width = Number(String(world.viewBox).split(/\s+/)[2]) || 360;
  const svg = s("svg", { class: "chart map", viewBox: world.viewBox, role: "img", "aria-label": "world map" });
  const scores = Object.values(partners).map((p) => Math.abs(p.net_score || 0));
  const hi = Math.max(1, ...scores);
  for (const [code, c] of Object.entries(world.countries)) {
    if (code === "ATA") continue;  // Antarctica: no relations to shade, and its ring spans the whole map
    const p = partners[code];
    let fill = "#e2e8f0";
    if (code === focus) fill = "#1e293b";
    else if (p) { const t = Math.min(1, Math.abs(p.net_score || 0) / hi); fill = (p.net_score || 0) >= 0 ? `rgba(21,128,61,${0.25 + 0.75 * t})` : `rgba(185,28,28,${0.25 + 0.75 * t})`; }
    const path = s("path", { d: unwrapPath(c.d, width), fill, "data-code": code });
    tip(path, p ? `${c.name}: net ${fmt(p.net_score, 1)} over ${p.events} events` : c.name);
    path.addEventListener("click", () => navigate(`/ui/relations${qs({ a: focus, b: code })}`));
    svg.appendChild(path);
  }
  return svg;
}

// ---------------------------------------------------------------- router
async function render() {
  const root = document.getElementById("app");
  const parts = location.pathname.replace(/^\/ui\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const name = parts[0] || "analyse";
  for (const a of document.querySelectorAll("header nav a")) a.classList.toggle("active", a.getAttribute("href") === `/ui/${name}`);
  root.replaceChildren();
  delete root.dataset.ready;
  const page = pages[name];
  if (!page) { showError(root, new Error(`no page ${name}`)); return; }
  try { await page(root, ...parts.slice(1)); root.dataset.ready = name; }
  catch (err) { showError(root, err); root.dataset.ready = name; }
}
function navigate(path) { history.pushState({}, "", path); render(); }
document.addEventListener("click", (e) => {
  const a = e.target.closest && e.target.closest("a[data-nav]");
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey) return;
  e.preventDefault(); navigate(a.getAttribute("href"));
});
window.addEventListener("popstate", render);
document.addEventListener("DOMContentLoaded", render);
