// communique web UI: plain JavaScript; charts by Apache ECharts, served from the package (/vendor/): nothing
// is loaded from the internet.
// Safety rule: article text is only ever inserted with textContent / createTextNode, never as HTML.
"use strict";

// The PLOVER types and their quad classes are not written here: loadVocabulary() fills these from
// /api/vocabulary (data/vocabulary/plover_types.yaml, their one home) before the first page is drawn.
const PLOVER_COOP = new Set(); // the types of a cooperative quad class
const PLOVER_COLORS = {}; // type -> colour, in the manual's order (the order of legends and type lists)
// One colour per type, in the manual's order: greens and teals for cooperation, ambers to dark reds for conflict.
const COOP_SHADES = ["#166534", "#22c55e", "#4ade80", "#86efac", "#0f766e", "#14b8a6", "#5eead4"];
const CONF_SHADES = ["#fbbf24", "#f59e0b", "#d97706", "#ea580c", "#f87171", "#ef4444", "#dc2626", "#b91c1c", "#7f1d1d"];
async function loadVocabulary() {
  if (Object.keys(PLOVER_COLORS).length) return;
  const vocabulary = await api("/api/vocabulary");
  let coop = 0, conf = 0;
  for (const t of vocabulary.types) {
    if (t.cooperative) PLOVER_COOP.add(t.type);
    PLOVER_COLORS[t.type] = t.cooperative ? COOP_SHADES[coop++ % COOP_SHADES.length] : CONF_SHADES[conf++ % CONF_SHADES.length];
  }
}

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
// A stance within ±0.05 of zero is neutral: grey, not the green of a favourable one.
function stanceClass(score) { return score > 0.05 ? "coop" : score < -0.05 ? "conf" : "neutral"; }
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

// ---------------------------------------------------------------- highlighted article
function layers(a) {
  // Sentences first: the outermost layer, tinted by kind (report, quote, opinion) when the reader asks.
  const out = (a.sentences || []).map((x) => [x.start, x.end, `sentence kind-${x.kind || "report"}`, `${x.kind || "report"} sentence${(x.cues || []).length ? " · cues: " + x.cues.join(", ") : ""}`, undefined, "span"]);
  for (const q of a.quotes || []) out.push([q.content.start, q.content.end, "quote", `${q.kind} quote · ${q.speaker.name || q.speaker.text}${q.speaker.code ? " (" + q.speaker.code + ")" : ""}`]);
  for (const actor of a.actors || []) for (const m of actor.mentions) out.push([m.start, m.end, "actor", `${actor.name} · ${actor.type} · ${actor.code || "–"} ${actor.sector || ""}`]);
  for (const d of a.dates || []) out.push([d.start, d.end, "date", `date ${d.value || "unresolved"} (${d.granularity || "?"})`]);
  (a.events || []).forEach((e, i) => out.push([e.trigger.start, e.trigger.end, "event", `${e.type}${e.mode ? "/" + e.mode : ""} · ${parties(e)} · ${e.status} · ${e.attribution}`, i]));
  for (const r of a.rhetoric || []) out.push([r.start, r.end, "rhetoric", r.technique.replaceAll("_", " "), undefined, "mark", r.technique.replaceAll("_", " ")]);
  return out;
}
function parties(e) {
  return sides(e.actor.map((p) => p.code || p.text), e.recipient.map((p) => p.code || p.text));
}
// Builds the text with nested elements (<mark>, or the span's own tag); a span that crosses the end of an open
// one is cut there and goes on in a second element after it, so elements nest and no span loses its tail.
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
    for (const sp of (starts.get(pos) || []).sort((x, y) => y[1] - x[1] || (x[5] === "span" ? -1 : 1))) {
      const end = Math.min(sp[1], stack[stack.length - 1].end);
      if (sp[1] > end) {  // the rest of it, from where its parent closes
        if (!starts.has(end)) starts.set(end, []);
        starts.get(end).push([end, ...sp.slice(1)]);
      }
      const mark = h(sp[5] || "mark", { class: sp[2], title: sp[3], dataset: { start: sp[0], end: sp[1] } });
      if (sp[4] !== undefined) mark.dataset.event = sp[4];
      if (sp[6] && sp[1] === end) mark.dataset.technique = sp[6];  // the name once, after the last piece
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
      h("ul", { class: "quotes" }, (a.quotes || []).map((q) => h("li", {}, h("span", { class: "badge" }, q.kind), h("strong", {}, q.speaker.name || q.speaker.text), `: “${q.content.text.replace(/^[“"‘']+|[”"’']+$/g, "")}”`)))),
    h("div", { class: "card" }, h("h2", {}, `Persuasion techniques (${(a.rhetoric || []).length})`),
      (a.rhetoric || []).length ? h("ul", { class: "techniques" }, (a.rhetoric || []).map((r) => h("li", {}, h("span", { class: "badge technique" }, r.technique.replaceAll("_", " ")), ` “${r.text}”`))) : h("p", { class: "muted" }, "None found.")),
    h("div", { class: "card" }, h("h2", {}, "Actors"),
      h("ul", { class: "actors" }, (a.actors || []).map((x) => h("li", {}, x.code && x.type === "country" ? link(`/ui/actor/${encodeURIComponent(x.code)}`, x.name) : x.name, h("span", { class: "muted" }, ` ${x.type} · ${x.code || "–"} · ${x.sector || "–"} · ${x.mentions.length}×`))))),
    h("div", { class: "card" }, h("h2", {}, "Stance"),
      h("ul", {}, (a.stance || []).map((st) => { const actor = (a.actors || []).find((x) => x.id === st.actor_id); return h("li", {}, `${actor ? actor.name : st.actor_id}: `, h("span", { class: `badge ${stanceClass(st.score)}` }, fmt(st.score))); }))));
  const kinds = {};
  for (const x of a.sentences || []) kinds[x.kind || "report"] = (kinds[x.kind || "report"] || 0) + 1;
  const tint = h("input", { type: "checkbox", name: "kinds" });
  tint.addEventListener("change", () => textRoot.classList.toggle("tinted", tint.checked));
  const original = /^https?:\/\//i.test(d.url || "") ? h("a", { href: d.url, rel: "noopener noreferrer nofollow", target: "_blank", class: "original" }, "original article") : null;
  const facts = [d.source ? h("strong", {}, d.source) : "outlet unknown", d.author ? `by ${d.author}` : null, d.published ? `published ${d.published}` : "date unknown",
    `genre ${d.genre || "?"}`, `${(a.sentences || []).length} sentences (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ") || "none"})`, original];
  return h("div", {},
    h("h1", {}, d.title || "(untitled)"),
    h("p", { class: "muted byline" }, facts.filter(Boolean).flatMap((x, i) => i ? [" · ", x] : [x])),
    h("p", { class: "legend" }, h("span", { class: "actor" }, "actor"), h("span", { class: "date" }, "date"), h("span", { class: "event" }, "event"), h("span", { class: "quote" }, "quote"), h("span", { class: "rhetoric" }, "persuasion technique"),
      h("label", { class: "tint" }, tint, " tint sentences by kind: ", h("span", { class: "kind-report" }, "report"), h("span", { class: "kind-quote" }, "quote"), h("span", { class: "kind-opinion" }, "opinion"))),
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
  root.appendChild(correctionsCard(a, (await api(`/api/corrections${qs({ document: id })}`)).items));
  const dup = a.duplicates || [], related = a.related || [];
  root.appendChild(h("div", { class: "card" }, h("h2", {}, "Near-duplicates"),
    dup.length ? h("ul", {}, dup.map((x) => h("li", {}, /^https?:\/\//i.test(x.url || "") ? h("a", { href: x.url, rel: "noopener noreferrer nofollow", target: "_blank" }, x.title || x.url) : x.title || x.url || "(untitled copy)",
      h("span", { class: "muted" }, ` ${x.kind} copy · ${x.source || ""} ${x.published || ""} · similarity ${fmt(x.similarity)}`)))) : h("p", { class: "muted" }, "None.")));
  root.appendChild(h("div", { class: "card" }, h("h2", {}, "Other articles reporting the same events"),
    related.length ? h("ul", {}, related.map((x) => h("li", {}, link(`/ui/article/${encodeURIComponent(x.id)}`, x.title || x.id), h("span", { class: "muted" }, ` ${x.source || ""} · ${x.published || ""} · ${x.shared_events} shared event(s)`)))) : h("p", { class: "muted" }, "None.")));
};

// A search snippet with its matched words (the store brackets them: "[sanctions]") marked, as text nodes only.
function snippet(text) {
  const el = h("div", { class: "snippet muted" });
  for (const [i, part] of String(text || "").split(/\[([^\[\]]{1,80})\]/).entries()) el.appendChild(i % 2 ? h("mark", { class: "hit" }, part) : document.createTextNode(part));
  return el;
}
pages.articles = async (root) => {
  const params = new URLSearchParams(location.search);
  const fields = ["q", "actor", "source", "genre", "since", "until"];
  const inputs = {
    q: h("input", { name: "q", type: "search", placeholder: "search text", value: params.get("q") || "" }),
    actor: h("input", { name: "actor", placeholder: "actor code", size: "6", value: params.get("actor") || "" }),
    source: h("input", { name: "source", placeholder: "outlet", list: "outlet-names", value: params.get("source") || "" }),
    genre: h("select", { name: "genre", title: "genre" }, h("option", { value: "" }, "any genre"), ["news", "opinion", "analysis"].map((g) => h("option", { value: g, selected: params.get("genre") === g ? "" : null }, g))),
    since: h("input", { name: "since", type: "date", title: "published from", value: params.get("since") || "" }),
    until: h("input", { name: "until", type: "date", title: "published until", value: params.get("until") || "" }),
  };
  const names = h("datalist", { id: "outlet-names" });
  const form = h("form", { class: "filters" }, Object.values(inputs), names, h("button", { type: "submit" }, "Search"));
  const chosen = () => Object.fromEntries(fields.map((f) => [f, inputs[f].value]));
  form.addEventListener("submit", (e) => { e.preventDefault(); navigate(`/ui/articles${qs(chosen())}`); });
  root.append(h("h1", {}, "Articles"), form);
  const filter = Object.fromEntries(fields.map((f) => [f, params.get(f)]));
  const offset = Number(params.get("offset") || 0);
  const [data, outlets] = await Promise.all([api(`/api/documents${qs({ ...filter, limit: 100, offset })}`), api("/api/outlets")]);
  names.append(...outlets.items.map((o) => h("option", { value: o.source })));
  root.appendChild(h("p", { class: "muted" }, `${data.total} articles${filter.q ? ` matching “${filter.q}”, best match first` : ", newest first"}`));
  root.appendChild(table(["published", "article", "outlet", "genre"], data.items.map((d) => [d.published || "undated",
    h("div", {}, link(`/ui/article/${encodeURIComponent(d.id)}`, d.title || d.id), snippet(d.snippet)), d.source || "", d.genre || ""])));
  root.appendChild(pager(data, offset, (o) => navigate(`/ui/articles${qs({ ...filter, offset: o })}`)));
};

// How outlets differ: what they report, how much of them is opinion, their persuasion, their stance.
pages.outlets = async (root) => {
  root.append(h("h1", {}, "Outlets"));
  const data = await api("/api/outlets");
  const items = data.items;
  root.appendChild(h("p", { class: "muted note" }, "Per outlet: the share of its sentences that are the author's opinion, and its persuasion techniques per 100 sentences. The number in brackets is how many articles stand behind the figures: an outlet with three articles says little. The label beside an outlet is the media-bias rating its articles came with (AllSides, in the corpus that carries one), not a judgement of this tool."));
  const shown = items.filter((o) => o.sentences).slice(0, 25);
  root.appendChild(chartBox("bars outlets", "opinion and persuasion by outlet", 80 + 30 * shown.length, {
    legend: { top: 0, left: 0, data: ["opinion sentences, %", "persuasion techniques per 100 sentences"] },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: (ps) => `${esc(shown[ps[0].dataIndex].source)}${shown[ps[0].dataIndex].bias ? ` (AllSides: ${esc(shown[ps[0].dataIndex].bias)})` : ""} (${shown[ps[0].dataIndex].articles} articles)` + ps.map((p) => `\n${p.marker}${esc(p.seriesName)}: ${fmt(p.value, 1)}`).join("") },
    grid: { left: 8, right: 24, top: 40, bottom: 36, containLabel: true },
    xAxis: { type: "value", name: "per cent / per 100 sentences", nameLocation: "middle", nameGap: 24 },
    yAxis: { type: "category", inverse: true, data: shown.map((o) => `(${o.articles}) ${o.source}${o.bias ? ` · ${o.bias}` : ""}`), axisLabel: { width: narrow() ? 110 : 240, overflow: "truncate" } },
    series: [
      { name: "opinion sentences, %", type: "bar", itemStyle: { color: "#fb923c" }, data: shown.map((o) => Math.round(1000 * (o.opinion_share || 0)) / 10) },
      { name: "persuasion techniques per 100 sentences", type: "bar", itemStyle: { color: "#9333ea" }, data: shown.map((o) => o.techniques_per_100_sentences || 0) },
    ],
  }, (e) => { if (e.componentType === "series") navigate(`/ui/articles${qs({ source: shown[e.dataIndex].source })}`); }));
  const top = (counts, n) => Object.entries(counts).sort((x, y) => y[1] - x[1]).slice(0, n).map(([k, v]) => `${k.replaceAll("_", " ")} ${v}`).join(", ") || "–";
  root.appendChild(table(["outlet", "articles", "genres", "opinion", "persuasion", "events it reports most", "stance toward the parties it covers most"], items.map((o) => [
    h("span", {}, link(`/ui/articles${qs({ source: o.source })}`, o.source), o.bias ? [" ", biasBadge(o.bias)] : null), `${o.articles} (${o.first || "?"} – ${o.last || "?"})`,
    Object.entries(o.genres).filter(([, n]) => n).map(([g, n]) => `${g} ${n}`).join(", ") || "–",
    o.opinion_share === null ? "–" : `${fmt(100 * o.opinion_share, 0)}% of ${o.sentences} sentences`,
    o.techniques_per_100_sentences === null ? "–" : h("div", {}, `${fmt(o.techniques_per_100_sentences, 1)} per 100 sentences`, h("div", { class: "muted" }, top(o.techniques, 3))),
    o.events.length ? h("ul", { class: "plain" }, o.events.map((e) => h("li", {}, link(`/ui/relations${qs({ a: e.actor, b: e.recipient, by: "year" })}`, `${e.type} ${e.actor} → ${e.recipient}`), ` ${e.events}`))) : "–",
    o.stance.length ? h("div", {}, o.stance.map((st) => h("span", { class: `badge ${stanceClass(st.mean)}`, title: `mean stance over ${st.documents} article(s)` }, `${st.party} ${fmt(st.mean)} (${st.documents})`))) : "–"])));
};

// The media-bias rating an outlet's articles came with (AllSides: left, center, right), as a label.
function biasBadge(bias) { return h("span", { class: "badge bias", title: "media-bias rating given by the input (AllSides)" }, `AllSides: ${bias}`); }

// The sources `communique watch` polls (or `serve --watch`): when each was last fetched, what it brought, its errors, its next run.
function when(iso) {
  if (!iso) return "–";
  const seconds = (Date.parse(iso) - Date.now()) / 1000;
  const size = Math.abs(seconds);
  const span = size < 90 ? `${Math.round(size)} s` : size < 5400 ? `${Math.round(size / 60)} min` : size < 129600 ? `${fmt(size / 3600, 1)} h` : `${fmt(size / 86400, 1)} days`;
  return `${iso.slice(0, 19).replace("T", " ")} UTC (${seconds >= 0 ? "in " + span : span + " ago"})`;
}
pages.sources = async (root) => {
  root.append(h("h1", {}, "Sources"));
  const data = await api("/api/sources");
  root.appendChild(h("p", { class: "muted note" }, "The feeds, list files and folders being watched. Each poll is an ingestion run: a feed that has not changed answers 304 and costs nothing, an article already stored is never stored again. A source that fails is retried after 2, 4, 8… intervals (at most 6 hours) while the others go on."));
  if (!data.items.length) {
    root.appendChild(h("p", { class: "muted empty" }, "No source is watched yet: ", h("code", {}, "communique watch SOURCES... --every 15m"), " or ", h("code", {}, "communique serve --watch SOURCE"), " starts polling."));
    return;
  }
  const status = { ok: "coop", unchanged: "neutral", error: "conf" };
  root.appendChild(table(["source", "last fetch", "status", "new items (last poll / all)", "polls", "errors", "next run"], data.items.map((s) => [
    h("span", { class: "source-name" }, s.source),
    when(s.last_fetch),
    s.last_status ? h("span", { class: `badge ${status[s.last_status] || "neutral"}` }, s.last_status) : "not polled yet",
    `${s.last_added} / ${s.items_added}`,
    String(s.polls),
    s.consecutive_errors ? h("div", {}, `${s.consecutive_errors} in a row (${s.errors} in all)`, h("div", { class: "muted last-error" }, clip(s.last_error || "", 200))) : (s.errors ? `none now (${s.errors} before)` : "none"),
    h("div", {}, when(s.next_run), s.backoff_seconds ? h("div", { class: "muted" }, `backed off ${fmt(s.backoff_seconds / 60, 0)} min`) : null)])));
};

const STATUSES = ["realized", "historical", "future", "hypothetical", "negated"];
const ATTRIBUTIONS = ["reported", "quoted", "author"];
let threshold;  // the confidence at which the analytics count an event (the event coder's count_threshold)
async function countThreshold() {
  if (threshold === undefined) threshold = (await api("/api/events?limit=1")).count_threshold ?? null;
  return threshold;
}
// A group of checkboxes whose checked values make one comma-separated filter.
function checks(name, values, chosen) {
  const boxes = values.map((v) => h("input", { type: "checkbox", name, value: v, checked: chosen.includes(v) ? "" : null }));
  const el = h("fieldset", { class: "checks" }, h("legend", {}, name), values.map((v, i) => h("label", {}, boxes[i], ` ${v}`)));
  return { el, value: () => boxes.filter((b) => b.checked).map((b) => b.value).join(",") };
}
pages.events = async (root) => {
  const params = new URLSearchParams(location.search);
  const fields = ["party", "actor", "recipient", "type", "since", "until", "source"];
  const hint = { party: "either side" };
  const inputs = Object.fromEntries(fields.map((f) => [f, f === "type"
    ? h("select", { name: f, title: "PLOVER type" }, h("option", { value: "" }, "any type"), Object.keys(PLOVER_COLORS).map((x) => h("option", { value: x, selected: (params.get(f) || "").toUpperCase() === x ? "" : null }, x)))
    : h("input", { name: f, placeholder: hint[f] || f, title: f, size: "8", value: params.get(f) || "", type: f === "since" || f === "until" ? "date" : "text" })]));
  // The defaults are what the analytics count: realized and historical events at the counting confidence.
  const counted = await countThreshold();
  const status = checks("status", STATUSES, (params.has("status") ? params.get("status") : "realized,historical").split(","));
  const attribution = checks("attribution", ATTRIBUTIONS, (params.has("attribution") ? params.get("attribution") : ATTRIBUTIONS.join(",")).split(","));
  const confidence = h("input", { type: "number", name: "min_confidence", min: "0", max: "1", step: "0.05", size: "4", title: "lowest confidence",
    value: params.has("min_confidence") ? params.get("min_confidence") : counted ?? "" });
  const form = h("form", { class: "filters" }, Object.values(inputs), status.el, attribution.el,
    h("label", {}, "confidence ≥ ", confidence), h("button", { type: "submit" }, "Filter"));
  const chosen = () => ({ ...Object.fromEntries(fields.map((f) => [f, inputs[f].value])), status: status.value() || "none", attribution: attribution.value() || "none", min_confidence: confidence.value });
  form.addEventListener("submit", (e) => { e.preventDefault(); navigate(`/ui/events${qs(chosen())}`); });
  const filter = chosen();
  const offset = Number(params.get("offset") || 0);
  root.append(h("h1", {}, "Events"), form,
    h("p", { class: "muted note" }, `By default: realized and historical events (the statuses the analytics count; future, hypothetical and negated ones are coded but not counted), at confidence ${counted ?? "any"} or more (the event coder's counting threshold).`),
    h("p", {}, "Download: ", h("a", { href: `/api/events/export${qs({ ...filter, format: "csv" })}` }, "CSV"), " · ", h("a", { href: `/api/events/export${qs({ ...filter, format: "parquet" })}` }, "Parquet")));
  const data = await api(`/api/events${qs({ ...filter, limit: 100, offset })}`);
  root.appendChild(h("p", { class: "muted" }, `${data.total} events`));
  root.appendChild(table(["date", "type", "who → whom", "status", "confidence", "score", "sources", "evidence"], data.items.map((e) => [
    e.date || "", h("span", { class: `badge ${PLOVER_COOP.has(e.type) ? "coop" : "conf"}` }, e.type + (e.mode ? "/" + e.mode : "")),
    sides(e.actor_codes, e.recipient_codes), `${e.status} · ${e.attribution}`, e.confidence === null || e.confidence === undefined ? "–" : fmt(e.confidence), e.score, e.source_count || 1,
    link(`/ui/article/${encodeURIComponent(e.document_id)}`, clip(e.evidence, 140))])));
  root.appendChild(pager(data, offset, (o) => navigate(`/ui/events${qs({ ...filter, offset: o })}`)));
};
// Who did what to whom; an event without a recipient is a joint one (a meeting, an agreement of several).
function sides(actors, recipients) {
  const a = (actors || []).join(", ") || "–";
  return (recipients || []).length ? `${a} → ${recipients.join(", ")}` : `${a} (joint)`;
}

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
  const fitted = fitPeriods(yearly(a.timeline || []), (t) => (t.cooperative || 0) + (t.conflictual || 0));
  const timeline = fillPeriods(fitted.rows, { cooperative: 0, conflictual: 0, net_score: 0 });
  root.appendChild(barChart(timeline.map((t) => ({ label: t.period, values: [t.cooperative || 0, t.conflictual || 0] })), ["cooperative", "conflictual"], [COOP, CONF], false,
    // A bar opens the events counted in it: the counted statuses, at any confidence (the timeline counts them all).
    (label) => navigate(`/ui/events${qs({ party: code, ...periodRange(label, "month"), status: "realized,historical", min_confidence: 0 })}`), { unit: "events", period: (timeline[0] || {}).period?.length === 7 ? "month" : "year", title: "events over time",
      coverage: timeline.map((t) => coverageOf(a.coverage, t.period)), per100: new URLSearchParams(location.search).get("per") === "100" }));
  root.appendChild(per100Switch(`/ui/actor/${encodeURIComponent(code)}`));
  if (fitted.note) root.appendChild(noteAbove(fitted.note.replace(" (listed in the table below)", "")));
  root.appendChild(h("h2", {}, "Stance of sources toward it"));
  const panel = evidencePanel();
  const stanceOf = async (source, offset = 0) => {
    panel.el.hidden = false; delete panel.el.dataset.ready;
    let found;
    try { found = await api(`/api/actors/${encodeURIComponent(code)}/stance${qs({ source, limit: 50, offset })}`); }
    catch (err) { panel.el.replaceChildren(); showError(panel.el, err); panel.el.dataset.ready = "1"; return; }
    panel.el.replaceChildren(h("h2", {}, `How ${source} wrote about ${p.name || code} (${found.total} readings)`),
      table(["published", "article", "as", "stance", "sentences it was read from"], found.items.map((r) => [r.published || "", link(`/ui/article/${encodeURIComponent(r.document_id)}`, clip(r.title || r.document_id, 70)), r.actor || "",
        h("span", { class: `badge ${stanceClass(r.score)}` }, fmt(r.score)), r.sentences.length ? h("div", {}, r.sentences.map((x) => h("p", { class: "sentence" }, clip(x, 300)))) : h("span", { class: "muted" }, "no stance-bearing sentence")])),
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
  const fitted = fitPeriods(data.series || [], (r) => r.events || 0);
  const rows = fillPeriods(fitted.rows, { events: 0, score_sum: 0, cooperative: 0, conflictual: 0, by_type: {} });
  const per100 = params.get("per") === "100";
  root.appendChild(h("h2", {}, `${data.a} → ${data.b}: PLOVER score per ${data.by}`));
  root.appendChild(per100Switch("/ui/relations"));
  if (fitted.note) root.appendChild(noteAbove(fitted.note));
  const panel = evidencePanel();
  const pick = (label, type) => panel.show(`${type || "Events"} ${data.a} → ${data.b} in ${label}`,
    `/api/relations/events${qs({ a: data.a, b: data.b, by: data.by, since: since.value, until: until.value, period: label, type })}`);
  root.appendChild(lineChart(rows.map((r) => ({ label: r.period, value: r.score_sum, note: `${r.events} event(s)` })), "score sum", (label) => pick(label),
    { unit: "sum of PLOVER scores", period: data.by, coverage: rows.map((r) => coverageOf(data.coverage, r.period)), per100 }));
  root.appendChild(h("h2", {}, "Events by type"));
  const types = Object.keys(PLOVER_COLORS).filter((type) => rows.some((r) => (r.by_type || {})[type]));
  const pickType = (label, j) => pick(label, types[j]);
  root.appendChild(barChart(rows.map((r) => ({ label: r.period, values: types.map((type) => (r.by_type || {})[type] || 0) })), types, types.map((type) => PLOVER_COLORS[type]), false, pickType,
    { unit: "real-world events", period: data.by, title: "events by type", coverage: rows.map((r) => coverageOf(data.coverage, r.period)), per100 }));
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
  const fitted = fitPeriods(data.periods || [], (r) => (r.dyad_events || 0) + (r.shared_parties || []).length);
  const rows = fillPeriods(fitted.rows, { dyad_events: 0, dyad_score_sum: 0, dyad_score_mean: null, shared_parties: [], similarity: null });
  const panel = evidencePanel();
  const events = (label, kind) => panel.show(kind === "dyad" ? `Events between ${data.a} and ${data.b} in ${label}` : `Events of ${data.a} and ${data.b} with their shared third parties in ${label}`,
    `/api/convergence/events${qs({ a: data.a, b: data.b, by: data.by, period: label, kind })}`);
  const trend = (value, up, down) => value === null || value === undefined ? "not enough periods to tell" : `${value > 0 ? "+" : ""}${fmt(value, 3)} per ${data.by} (${value > 0 ? up : value < 0 ? down : "flat"})`;
  root.appendChild(h("div", { class: "card" },
    h("p", {}, h("strong", {}, "Score trend: "), trend(data.score_trend, "warming", "cooling"), h("span", { class: "muted" }, " — least-squares slope of the mean PLOVER score of their events with each other.")),
    h("p", {}, h("strong", {}, "Similarity trend: "), trend(data.similarity_trend, "converging", "diverging"), h("span", { class: "muted" }, ` — slope of the ${data.measure} similarity of their mean scores toward the third parties both dealt with.`)),
    h("p", {}, link(`/ui/relations${qs({ a: data.a, b: data.b })}`, `relations ${data.a} → ${data.b}`), " · ", link(`/ui/relations${qs({ a: data.b, b: data.a })}`, `relations ${data.b} → ${data.a}`))));
  root.appendChild(h("h2", {}, `Dyadic score: mean PLOVER score of the events between ${data.a} and ${data.b} (either direction) per ${data.by}`));
  root.appendChild(h("p", { class: "muted note per100-none" }, "Both charts are means and similarities, which do not grow with the number of articles stored: they have no per-100-articles option. A point's tooltip says how many articles stand behind its period, and the table how many events."));
  if (fitted.note) root.appendChild(noteAbove(fitted.note));
  root.appendChild(lineChart(rows.map((r) => ({ label: r.period, value: r.dyad_score_mean, note: `${r.dyad_events} events` })), "dyadic mean score", (label) => events(label, "dyad"),
    { empty: `no events between ${data.a} and ${data.b}`, unit: "mean PLOVER score", period: data.by, coverage: rows.map((r) => coverageOf(data.coverage, r.period)) }));
  root.appendChild(h("h2", {}, `Similarity of their stances toward shared third parties (${data.measure}, −1 opposite … +1 alike)`));
  root.appendChild(lineChart(rows.map((r) => ({ label: r.period, value: r.similarity, note: (r.shared_parties || []).join(", ") })), "stance similarity", (label) => events(label, "third_parties"),
    { lo: -1, hi: 1, unit: `${data.measure} similarity`, period: data.by, coverage: rows.map((r) => coverageOf(data.coverage, r.period)), empty: `no period in which both ${data.a} and ${data.b} had events with the same third party${data.measure === "pearson" ? " (Pearson needs three)" : ""}` }));
  const button = (label, kind, n) => n ? h("button", { type: "button", class: "secondary small", onclick: () => events(label, kind) }, String(n)) : "0";
  root.appendChild(table(["period", "events between them", "score mean", "shared third parties", "similarity", "UN vote distance"], (data.periods || []).map((p) => [
    p.period, button(p.period, "dyad", p.dyad_events), fmt(p.dyad_score_mean), p.shared_parties.length ? button(p.period, "third_parties", p.shared_parties.join(", ")) : "–", fmt(p.similarity), fmt(p.ideal_point_distance, 3)])));
  root.appendChild(panel.el);
  root.appendChild(ungaDistance(data));
};
// UN General Assembly voting beside the events: the distance between the two states' ideal points per year.
function ungaDistance(data) {
  const votes = data.ideal_points || { years: [] };
  const box = h("section", { class: "unga", id: "unga" }, h("h2", {}, `UN General Assembly voting: distance between the ideal points of ${data.a} and ${data.b} per year`));
  if (!votes.years.length) {
    box.appendChild(h("p", { class: "muted" }, `No UN ideal points loaded for ${data.a} and ${data.b}: `, h("code", {}, "communique import unga FILE"), " loads Bailey, Strezhnev & Voeten's estimates."));
    return box;
  }
  box.appendChild(h("p", { class: "muted note source" }, `${votes.source} ${votes.definition}`));
  const trend = votes.trend === null || votes.trend === undefined ? "not enough years to tell" : `${votes.trend > 0 ? "+" : ""}${fmt(votes.trend, 3)} per year (${votes.trend < 0 ? "their votes moving together" : votes.trend > 0 ? "moving apart" : "flat"})`;
  box.appendChild(h("p", {}, h("strong", {}, "Vote distance trend: "), trend));
  box.appendChild(lineChart(votes.years.map((y) => ({ label: String(y.year), value: y.distance, note: `${data.a} ${fmt(y.a, 3)} (${y.a_votes} votes), ${data.b} ${fmt(y.b, 3)} (${y.b_votes} votes)` })), "ideal-point distance", null,
    { lo: 0, unit: "|ideal point difference|", period: "year (session opens)" }));
  box.appendChild(table(["year", `${data.a} ideal point`, `${data.b} ideal point`, "distance"], votes.years.map((y) => [String(y.year), fmt(y.a, 3), fmt(y.b, 3), fmt(y.distance, 3)])));
  return box;
}
// A country's ideal point against each centre's, per year (a centre of several states: its members' mean).
function ungaCentres(data) {
  const votes = data.ideal_points || { years: [] };
  const centres = data.centres || [];
  const box = h("section", { class: "unga", id: "unga" }, h("h2", {}, `UN General Assembly voting: ${data.country}'s ideal point against each centre's`));
  if (!votes.years.length) {
    box.appendChild(h("p", { class: "muted" }, `No UN ideal points loaded for ${data.country}: `, h("code", {}, "communique import unga FILE"), " loads Bailey, Strezhnev & Voeten's estimates."));
    return box;
  }
  box.appendChild(h("p", { class: "muted note source" }, `${votes.source} ${votes.definition}`));
  box.appendChild(table(["year", `${data.country} ideal point`, ...centres.map((c) => `${c} (distance)`)], votes.years.map((y) => [String(y.year), fmt(y.point, 3),
    ...centres.map((c) => { const cell = (y.centres || {})[c] || {}; return cell.point === null || cell.point === undefined ? "–" : `${fmt(cell.point, 3)} (${fmt(cell.distance, 3)})`; })])));
  return box;
}

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
  const per100 = params.get("per") === "100";
  root.appendChild(h("h2", {}, per100 ? `${data.country}: cooperative events with each centre of power per 100 articles stored` : `${data.country}: share of cooperative engagement by centre of power`));
  root.appendChild(per100Switch("/ui/balance"));
  const panel = evidencePanel();
  const show = (label, centre) => panel.show(`${data.country}'s events with ${centre ? data.labels[centre] || centre : "every centre of power"} in ${label}`,
    `/api/balance/events${qs({ country: data.country, by: data.by, period: label, centre })}`);
  const engaged = (p) => Object.values(p.centres || {}).reduce((a, c) => a + (c.cooperative || 0) + (c.conflictual || 0), 0);
  const fitted = fitPeriods(data.periods || [], engaged);
  const periods = fillPeriods(fitted.rows, { centres: {}, evenness: null });  // a year without engagement stays visible
  if (fitted.note) root.appendChild(noteAbove(fitted.note));
  const counts = periods.map((p) => centres.map((c) => (p.centres[c] || {}).cooperative || 0));
  root.appendChild(barChart(periods.map((p, i) => ({ label: p.period, values: per100 ? counts[i] : centres.map((c) => (p.centres[c] || {}).share || 0) })), centres, colors, !per100,
    (label, j) => show(label, centres[j]), { unit: per100 ? "cooperative events" : "share of cooperative events, %", period: data.by, per100, counts, totals: counts.map((c) => c.reduce((x, y) => x + y, 0)), title: "share by centre of power",
      coverage: periods.map((p) => coverageOf(data.coverage, p.period)) }));
  root.appendChild(h("p", { class: "muted note" }, "n = the cooperative events behind each bar: a bar of n=1 is one event, not a trend. Hover for each centre's count. The dashed line: the articles stored for each period, the coverage behind the shares."))
  root.appendChild(h("h2", {}, "Evenness index (normalised entropy, 0 = one centre, 1 = perfectly even)"));
  root.appendChild(lineChart(periods.map((p) => ({ label: p.period, value: p.evenness })), "evenness", (label) => show(label, null),
    { lo: 0, hi: 1, unit: "evenness (0–1)", period: data.by, empty: `no cooperative event of ${data.country} with a centre of power` }));
  root.appendChild(table(["period", ...centres.map((c) => c + " share (events) / net"), "evenness"], (data.periods || []).map((p) => [p.period, ...centres.map((c) => `${fmt((p.centres[c] || {}).share)} (${(p.centres[c] || {}).cooperative || 0}) / ${fmt((p.centres[c] || {}).net_score, 1)}`), fmt(p.evenness)])));
  root.appendChild(panel.el);
  root.appendChild(ungaCentres(data));
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
    (world.countries[code] || {}).name || code, p.events, h("span", { class: `badge ${p.net_score > 0 ? "coop" : p.net_score < 0 ? "conf" : "neutral"}` }, fmt(p.net_score, 1)),
    h("span", {}, link(`/ui/relations${qs({ a: data.country, b: code })}`, "→ relations"), " · ", link(`/ui/relations${qs({ a: code, b: data.country })}`, "← relations"))])));
};

// ---------------------------------------------------------------- tables and charts
// Reports of events as the analytics endpoints return them; each evidence sentence opens its article.
function eventTable(items) {
  return table(["date", "type", "actor → recipient", "score", "source", "evidence"], items.map((e) => [
    e.date || "", h("span", { class: `badge ${PLOVER_COOP.has(e.type) ? "coop" : "conf"}` }, e.type),
    sides(e.actor_codes, e.recipient_codes), fmt(e.score, 1), e.source || "",
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
    h("tbody", {}, rows.length ? rows.map((r) => h("tr", {}, r.map((c, i) => h("td", { "data-label": typeof head[i] === "string" && head[i] ? head[i] : null }, c)))) : h("tr", {}, h("td", { colspan: String(head.length), class: "muted" }, "No data."))));
}
function pager(data, offset, go) {
  const next = offset + data.limit < data.total, prev = offset > 0;
  return h("div", { class: "pager" }, h("button", { class: "secondary", disabled: prev ? null : "", onclick: () => go(Math.max(0, offset - data.limit)) }, "‹ previous"),
    h("span", { class: "muted" }, `${data.total ? offset + 1 : 0}–${Math.min(offset + data.limit, data.total)} of ${data.total}`),
    h("button", { class: "secondary", disabled: next ? null : "", onclick: () => go(offset + data.limit) }, "next ›"));
}
// ---------------------------------------------------------------- charts (Apache ECharts, shipped in the package)
// Every chart: axes with their units, a legend, a tooltip, a button that saves it as an image; drawn once its box
// has a size and redrawn when that changes (a phone turned sideways). Tooltips are drawn as rich text in the
// chart's SVG, never as HTML: text from the store (an outlet's name) cannot become markup, and the page's
// Content-Security-Policy (no inline styles) holds. esc() keeps such text from being read as rich-text styles.
const esc = (x) => String(x === null || x === undefined ? "" : x).replace(/[{}|]/g, " ");
const COOP = "#15803d", CONF = "#b91c1c", NEUTRAL = "#94a3b8";
function chartBox(kind, label, height, option, onclick) {
  const el = h("div", { class: `chart ${kind}`, role: "img", "aria-label": label });
  el.style.height = `${height}px`;
  if (typeof echarts === "undefined") {  // the vendor files were not installed: say so instead of a blank box
    el.replaceChildren(h("p", { class: "error" }, "Charts need the web vendor files: run make install (npm ci)."));
    return el;
  }
  const observer = new ResizeObserver(() => {
    if (!el.clientWidth) return;
    let chart = echarts.getInstanceByDom(el);
    if (chart) { chart.resize(); return; }
    chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: "system-ui, sans-serif", fontSize: 12 },
      tooltip: { renderMode: "richText", confine: true, ...(option.tooltip || {}) },
      toolbox: { right: 4, top: 0, feature: { saveAsImage: { title: "save as image", name: `communique-${kind.split(" ")[0]}`, pixelRatio: 2 } } },
      ...Object.fromEntries(Object.entries(option).filter(([k]) => k !== "tooltip")),
    });
    if (onclick) chart.on("click", onclick);
    el.dataset.drawn = "1";
  });
  observer.observe(el);
  return el;
}
function narrow() { return window.innerWidth < 600; }
// Category axis of periods: every label shown when they fit, else thinned by ECharts without overlaps.
function periodAxis(labels, name) {
  return { type: "category", data: labels, name, nameLocation: "middle", nameGap: 30, axisLabel: { hideOverlap: true, lineHeight: 15 }, axisTick: { alignWithLabel: true } };
}
// Periods where nearly nothing happened long before the rest (a 1978 event cited in a 2019 article) squeeze the
// data into a sliver of the axis: leave out a sparse head (at most a tenth of the weight, before a gap of
// three periods or more) and say so. Returns { rows, note }.
function fitPeriods(rows, weight) {
  let kept = rows;
  let left = 0, before = null;
  const total = rows.reduce((a, r) => a + weight(r), 0);
  const index = (p) => p.length === 7 ? Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7)) : Number(p.slice(0, 4));
  if (!rows.length || !rows.every((r) => /^\d{4}(-\d{2})?$/.test(r.period))) return { rows, note: "" };
  for (;;) {
    const active = kept.filter((r) => weight(r) > 0);
    let cut = -1;
    for (let i = 0; i + 1 < active.length; i++) {
      const head = active.slice(0, i + 1).reduce((a, r) => a + weight(r), 0);
      if (head > 0.1 * total) break;
      if (index(active[i + 1].period) - index(active[i].period) >= 3) cut = i;
    }
    if (cut < 0) break;
    const first = active[cut + 1].period;
    left += active.slice(0, cut + 1).reduce((a, r) => a + weight(r), 0);
    before = first;
    kept = kept.filter((r) => r.period >= first);
  }
  return { rows: kept, note: left ? `Axis fitted to the data: ${left} event(s) before ${before} left out of the chart (listed in the table below).` : "" };
}
// Articles stored in a period, from the answer's coverage map: a year sums its months when the chart shows years.
function coverageOf(coverage, label) {
  if (!coverage) return 0;
  if (label in coverage) return coverage[label];
  return Object.entries(coverage).filter(([p]) => p.startsWith(label + "-")).reduce((a, [, n]) => a + n, 0);
}
// A "per 100 articles" switch kept in the address (?per=100), so a link reopens the same view.
function per100Switch(path) {
  const params = new URLSearchParams(location.search);
  const box = h("input", { type: "checkbox", name: "per100", checked: params.get("per") === "100" ? "" : null });
  box.addEventListener("change", () => { if (box.checked) params.set("per", "100"); else params.delete("per"); navigate(`${path}?${params}`); });
  return h("label", { class: "per100" }, box, " per 100 articles stored in the period (normalise by coverage)");
}
function noteAbove(note) { return note ? h("p", { class: "muted note" }, note) : null; }
// One line, with gaps where a period has nothing to measure. points: {label, value, note}; onpick(label).
// options: lo / hi (a fixed range, e.g. -1..1), unit (the y-axis name), period (the x-axis name), empty.
// coverage (articles stored per point) goes into the tooltip; per100 divides each value by it.
function lineChart(points, label, onpick, options = {}) {
  const cover = options.coverage, per100 = options.per100 && cover;
  if (per100) points = points.map((p, i) => ({ ...p, value: p.value === null || p.value === undefined ? p.value : cover[i] ? Math.round((10000 * p.value) / cover[i]) / 100 : null }));
  const known = points.filter((p) => p.value !== null && p.value !== undefined && !Number.isNaN(p.value));
  if (!known.length) return h("p", { class: "muted chart-empty" }, options.empty || "no data");
  return chartBox("line", label, 280, {
    legend: { top: 0, left: 0, data: [label] },
    tooltip: { trigger: "axis", formatter: (ps) => ps.map((p) => `${esc(p.axisValue)}\n${esc(p.seriesName)}: ${fmt(p.value)}${per100 ? " per 100 articles" : ""}${points[p.dataIndex].note ? "\n" + esc(points[p.dataIndex].note) : ""}${options.coverage ? `\n${options.coverage[p.dataIndex]} articles stored in the period` : ""}`).join("") },
    grid: { left: 8, right: 16, top: 60, bottom: 40, containLabel: true },
    xAxis: periodAxis(points.map((p) => p.label), options.period || ""),
    yAxis: { type: "value", name: per100 ? `${options.unit || label} per 100 articles stored` : options.unit || label, min: options.lo, max: options.hi, nameTextStyle: { align: "left" } },
    series: [{ name: label, type: "line", data: points.map((p) => p.value ?? null), connectNulls: false, symbolSize: 9, showAllSymbol: true, lineStyle: { width: 2 }, itemStyle: { color: "#2563eb" },
      markLine: { silent: true, symbol: "none", lineStyle: { color: NEUTRAL, type: "solid" }, label: { show: false }, data: [{ yAxis: 0 }] } }],
  }, onpick ? (e) => { if (e.componentType === "series") onpick(points[e.dataIndex].label); } : null);
}
// Stacked bars, one bar per period, one series per name; onpick(label, series index).
// options: unit (y-axis name), period (x-axis name), counts (per group, per series: shown beside shares),
// totals (a count per group written under its label, e.g. "n=3"), share (values are shares 0..1).
// coverage (articles stored per group) adds a dashed line on a right-hand axis, and per100 divides every count by
// it (events per 100 stored articles), so a period the corpus covers heavily does not look busier than it was.
function barChart(groups, names, colors, normalised = false, onpick = null, options = {}) {
  if (!groups.length) return h("p", { class: "muted chart-empty" }, options.empty || "no data");
  const labels = groups.map((g, i) => options.totals ? `${g.label}\nn=${options.totals[i]}` : g.label);
  const cover = options.coverage;
  const per100 = options.per100 && cover;
  const value = (v, i) => normalised ? Math.round(v * 1000) / 10 : per100 ? (cover[i] ? Math.round((10000 * v) / cover[i]) / 100 : null) : v;
  const coverage = cover ? [{ name: "articles stored", type: "line", yAxisIndex: 1, symbol: "none", lineStyle: { type: "dashed", width: 1 }, itemStyle: { color: "#64748b" }, data: cover }] : [];
  return chartBox("bars", options.title || "bar chart", 300 + (narrow() ? 20 * Math.ceil(names.length / 3) : 0), {
    legend: { type: "scroll", top: 0, left: 0, right: 40, data: [...names, ...(cover ? ["articles stored"] : [])] },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: (ps) => `${esc(groups[ps[0].dataIndex].label)}` + ps.filter((p) => p.value).map((p) => {
      const count = options.counts ? options.counts[p.dataIndex][p.seriesIndex] : null;
      if (p.seriesIndex >= names.length) return `\n${esc(p.seriesName)}: ${p.value}`;
      return `\n${p.marker}${esc(p.seriesName)}: ${normalised ? fmt(p.value, 1) + "%" : p.value}${per100 ? " per 100 articles" : ""}${count !== null && count !== undefined ? ` (${count} event${count === 1 ? "" : "s"})` : ""}`;
    }).join("") },
    grid: { left: 8, right: 16, top: 56, bottom: options.totals ? 52 : 40, containLabel: true },
    xAxis: { ...periodAxis(labels, options.period || ""), nameGap: options.totals ? 44 : 30 },
    yAxis: [{ type: "value", name: per100 ? `${options.unit || "events"} per 100 articles stored` : options.unit || (normalised ? "share of events, %" : "events"), max: normalised ? 100 : null, minInterval: normalised || per100 ? null : 1, nameTextStyle: { align: "left" } },
      ...(cover ? [{ type: "value", name: "articles stored", position: "right", splitLine: { show: false }, minInterval: 1, nameTextStyle: { align: "right" } }] : [])],
    dataZoom: groups.length > 36 ? [{ type: "slider", bottom: 0, height: 16 }] : [],
    series: [...names.map((n, j) => ({ name: n, type: "bar", stack: "all", barMaxWidth: 60, itemStyle: { color: colors[j % colors.length] }, data: groups.map((g, i) => value(g.values[j] || 0, i) || null) })), ...coverage],
  }, onpick ? (e) => { if (e.componentType === "series" && e.seriesIndex < names.length) onpick(groups[e.dataIndex].label, e.seriesIndex); } : null);
}
// One horizontal bar per source, from zero: right (green) favourable, left (red) hostile, grey neutral.
function stanceChart(rows, onpick) {
  if (!rows.length) return h("p", { class: "muted chart-empty" }, "no stance toward it in any source");
  const colour = (m) => m > 0.05 ? COOP : m < -0.05 ? CONF : NEUTRAL;
  const names = rows.map((r) => `(${r.documents}) ${r.source || "–"}`);  // the count first: a long name is cut at its end
  return chartBox("stance", "stance by source", 60 + 28 * rows.length, {
    legend: { top: 0, left: 0, data: [{ name: "mean stance (articles)", itemStyle: { color: "#475569" } }] },
    tooltip: { trigger: "item", formatter: (p) => `${esc(rows[p.dataIndex].source)}: mean stance ${fmt(rows[p.dataIndex].mean)} over ${rows[p.dataIndex].documents} article(s)\nclick: the sentences it was read from` },
    grid: { left: 8, right: 24, top: 36, bottom: 36, containLabel: true },
    xAxis: { type: "value", min: -1, max: 1, name: "−1 hostile … +1 favourable", nameLocation: "middle", nameGap: 24 },
    yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: narrow() ? 110 : 240, overflow: "truncate" } },
    series: [{ name: "mean stance (articles)", type: "bar", barMaxWidth: 18, barMinHeight: 4 /* a neutral source stays clickable */, data: rows.map((r) => ({ value: r.mean, itemStyle: { color: colour(r.mean) } })) }],
  }, (e) => { if (e.componentType === "series") onpick(rows[e.dataIndex].source); });
}
// Actors and their net directed relations. An edge is drawn from actor to recipient with an arrowhead, curved so
// that A→B and B→A are two visible arcs; green net cooperative, red net conflictual, width by events.
function networkChart(nodes, edges, options) {
  if (!nodes.length) return h("p", { class: "muted chart-empty" }, "no relations in this period");
  const ids = new Set(nodes.map((n) => n.id));
  const links = edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  const box = chartBox("network", "relation network", narrow() ? 460 : 620, {
    legend: { top: 0, left: 0, data: ["net cooperative", "net conflictual", "neutral"], selectedMode: false },
    tooltip: { trigger: "item", formatter: (p) => p.dataType === "edge"
      ? `${esc(p.data.source)} → ${esc(p.data.target)}: net score ${fmt(p.data.net_score, 1)} over ${p.data.events} event(s)\nclick: the relations and their evidence`
      : `${esc(p.data.label)} (${esc(p.data.name)}): ${p.data.events} event(s)\nclick: the actor's page` },
    series: [
      { type: "graph", layout: "force", roam: true, draggable: true, force: { repulsion: 260, edgeLength: [70, 160], gravity: 0.08, layoutAnimation: false },
        categories: [{ name: "net cooperative", itemStyle: { color: COOP } }, { name: "net conflictual", itemStyle: { color: CONF } }, { name: "neutral", itemStyle: { color: NEUTRAL } }],
        edgeSymbol: ["none", "arrow"], edgeSymbolSize: [0, 9],
        label: { show: true, position: "top", fontSize: 11, formatter: (p) => clip(p.data.name, narrow() ? 12 : 24) },
        emphasis: { focus: "adjacency" },
        // Start on a circle rather than at random places: the same network is laid out the same way every time.
        data: nodes.map((n, i) => ({ name: n.id, label: n.label || n.id, events: n.events,
          x: 300 + 250 * Math.cos((2 * Math.PI * i) / nodes.length), y: 300 + 250 * Math.sin((2 * Math.PI * i) / nodes.length), symbolSize: Math.min(30, 8 + Math.sqrt(n.events || 1) * 2),
          category: 2, itemStyle: { color: "#1d4ed8" } })),
        links: links.map((l) => ({ source: l.source, target: l.target, net_score: l.net_score, events: l.events,
          lineStyle: { color: l.net_score > 0 ? COOP : l.net_score < 0 ? CONF : NEUTRAL, width: Math.min(6, 1 + Math.log2(1 + (l.events || 1))), curveness: 0.18, opacity: 0.75 } })) },
    ],
  }, (e) => {
    if (e.dataType === "edge") navigate(`/ui/relations${qs({ a: e.data.source, b: e.data.target, by: "month", ...(options || {}) })}`);
    else if (e.dataType === "node") navigate(`/ui/actor/${encodeURIComponent(e.data.name)}`);
  });
  return h("div", {}, box, h("p", { class: "muted note" }, "Arrow: from the actor to the recipient. Edge colour: net PLOVER score of the events (green cooperative, red conflictual, grey neutral); width: number of events. Drag to pan, scroll or pinch to zoom."));
}
// Rings that cross the antimeridian (Russia, Fiji) would draw a band across the whole map: move their western
// points one map-width east so the ring stays in one piece.
function unwrapPath(d, width) {
  return d.split("Z").filter((r) => r.trim()).map((ring) => {
    const pts = ring.replace("M", "").trim().split(/\s+/).map((p) => p.split(",").map(Number));
    const xs = pts.map((p) => p[0]);
    if (Math.max(...xs) - Math.min(...xs) > width / 2) for (const p of pts) if (p[0] < width / 2) p[0] += width;
    return "M" + pts.map((p) => `${p[0].toFixed(2)},${p[1].toFixed(2)}`).join(" ") + "Z";
  }).join("");
}
let worldRegistered = false;
// The world shaded by the net score with each partner, on a diverging colour scale (its legend at the bottom).
function mapChart(world, focus, partners) {
  if (typeof echarts !== "undefined" && !worldRegistered) {
    const width = Number(String(world.viewBox).split(/\s+/)[2]) || 360;
    const paths = Object.entries(world.countries).filter(([code]) => code !== "ATA" && /^[A-Z0-9_-]+$/.test(code))
      .map(([code, c]) => `<path name="${code}" d="${unwrapPath(c.d, width)}"/>`).join("");
    echarts.registerMap("world", { svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${world.viewBox}">${paths}</svg>` });
    worldRegistered = true;
  }
  const scores = Object.values(partners).map((p) => Math.abs(p.net_score || 0));
  const hi = Math.max(1, ...scores);
  const name = (code) => (world.countries[code] || {}).name || code;
  const data = Object.entries(partners).map(([code, p]) => ({ name: code, value: p.net_score || 0, events: p.events }));
  return chartBox("map", "world map", narrow() ? 300 : 520, {
    tooltip: { trigger: "item", formatter: (p) => p.name === focus ? `${esc(name(p.name))}: the chosen country`
      : p.data ? `${esc(name(p.name))}: net score ${fmt(p.data.value, 1)} over ${p.data.events} event(s)\nclick: the relations` : esc(name(p.name)) },
    visualMap: { type: "continuous", min: -hi, max: hi, calculable: true, orient: "horizontal", left: "center", bottom: 0, itemWidth: 12, itemHeight: narrow() ? 140 : 220,
      text: ["cooperative", "conflictual"], inRange: { color: [CONF, "#fca5a5", "#f1f5f9", "#86efac", COOP] }, seriesIndex: 0 },
    series: [{ type: "map", map: "world", roam: true, name: "net score", itemStyle: { areaColor: "#e2e8f0", borderColor: "#fff", borderWidth: 0.3 },
      emphasis: { label: { show: false }, itemStyle: { areaColor: "#fde047" } }, select: { disabled: true },
      data: [...data, { name: focus, value: null, itemStyle: { areaColor: "#1e293b", color: "#1e293b" }, visualMap: false }] }],
  }, (e) => { if (e.name && e.name !== focus) navigate(`/ui/relations${qs({ a: focus, b: e.name })}`); });
}

// ---------------------------------------------------------------- writes, alerts and corrections (docs/daily-loop.md)
// A write (a correction, marking alerts read) needs the API token `communique serve` printed. The analyst types
// it once per tab: it is kept in sessionStorage and sent as a bearer header, never put into the page.
const TOKEN_KEY = "communique-token";
function tokenField() {
  const input = h("input", { type: "password", name: "token", placeholder: "API token", autocomplete: "off", size: "16", value: sessionStorage.getItem(TOKEN_KEY) || "" });
  input.addEventListener("change", () => sessionStorage.setItem(TOKEN_KEY, input.value.trim()));
  return h("label", { class: "token" }, "token ", input);
}
async function write(path, method, body) {
  const typed = [...document.querySelectorAll("input[name=token]")].map((f) => f.value.trim()).find(Boolean);
  if (typed) sessionStorage.setItem(TOKEN_KEY, typed);
  const token = sessionStorage.getItem(TOKEN_KEY) || "";
  return api(path, { method, headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
}
// The unread alerts beside "Alerts" in the navigation, after every page.
async function refreshUnread() {
  const badge = document.getElementById("unread-alerts");
  if (!badge) return;
  try {
    const unread = await api("/api/alerts/unread");
    badge.textContent = unread.total ? String(unread.total) : "";
    badge.hidden = !unread.total;
    badge.title = `${unread.total} unread alert(s)`;
  } catch (e) { badge.hidden = true; }
}
pages.alerts = async (root) => {
  const params = new URLSearchParams(location.search);
  const query = params.get("query") || "", unreadOnly = params.get("unread") === "1";
  const data = await api(`/api/alerts${qs({ query, unread: unreadOnly ? "true" : "" })}`);
  root.append(h("h1", {}, "Alerts"), h("p", { class: "muted note" }, "A saved query raises one alert for each new real-world event it matches, however often the watch runs, and a change alert when a dyad's monthly mean score or a balance share moves more than its chosen number of standard deviations from the trailing baseline. Each alert lists the events behind it with their evidence; the title opens the article."));
  const saving = h("div", { class: "status", role: "status" });
  if (!data.queries.length) {
    root.append(h("p", { class: "muted empty" }, "No saved query yet: save one below, or ", h("code", {}, "communique alerts save aze-rus --dyad AZE RUS"), " (docs/daily-loop.md)."), saveQueryForm(saving), saving);
    return;
  }
  const remove = (q) => h("button", { type: "button", class: "secondary delete", onclick: async () => {
    try { await write(`/api/alerts/queries/${q.id}`, "DELETE", {}); await render(); } catch (err) { saving.replaceChildren(); showError(saving, err); }
  } }, "Delete");
  root.appendChild(h("div", { class: "card" }, h("h2", {}, "Saved queries"), table(["query", "watches", "unread", "feed", ""], data.queries.map((q) => [
    link(`/ui/alerts${qs({ query: q.id })}`, q.name), q.describe, q.unread ? h("span", { class: "badge unread" }, String(q.unread)) : "0", h("a", { href: q.feed, class: "feed" }, "Atom feed"), remove(q)])),
  h("details", {}, h("summary", {}, "Save another query"), saveQueryForm(saving)), saving));
  const select = h("select", { name: "query", "aria-label": "saved query" }, h("option", { value: "" }, "every query"),
    data.queries.map((q) => h("option", { value: String(q.id), selected: String(q.id) === query ? "" : null }, q.name)));
  const unread = h("input", { type: "checkbox", name: "unread", checked: unreadOnly ? "" : null });
  const go = () => navigate(`/ui/alerts${qs({ query: select.value, unread: unread.checked ? "1" : "" })}`);
  select.addEventListener("change", go);
  unread.addEventListener("change", go);
  const status = h("div", { class: "status", role: "status" });
  const markAll = h("button", { type: "button", class: "secondary", onclick: () => markRead({ all: true }, status) }, "Mark all read");
  root.append(h("div", { class: "row controls" }, select, h("label", {}, unread, " unread only"), tokenField(), markAll), status);
  if (!data.items.length) { root.appendChild(h("p", { class: "muted empty" }, unreadOnly ? "No unread alerts." : "No alerts yet: they appear when the watch stores a matching event.")); return; }
  root.appendChild(h("ol", { class: "alerts" }, data.items.map((a) => alertItem(a, status))));
};
// A query to save: a dyad, a country's balance or a search, with types, a minimum confidence, a change alert.
function saveQueryForm(status) {
  const field = (name, placeholder, size = "10") => h("input", { name, placeholder, size, "aria-label": placeholder });
  const name = field("name", "name"), kind = h("select", { name: "kind", "aria-label": "kind" }, h("option", { value: "dyad" }, "a dyad"), h("option", { value: "balance" }, "a country's balance"), h("option", { value: "search" }, "a search"));
  const a = field("a", "actor (AZE)", "8"), b = field("b", "recipient (RUS)", "8"), text = field("search", "search words", "18");
  const types = field("types", "types: ACCUSE, THREATEN", "20"), confidence = h("input", { name: "min_confidence", type: "number", min: "0", max: "1", step: "0.05", placeholder: "min confidence", "aria-label": "minimum confidence" });
  const deviation = h("input", { name: "deviation", type: "number", min: "0.5", step: "0.5", placeholder: "change alert: SD", "aria-label": "standard deviations for a change alert" });
  const show = () => { b.hidden = kind.value !== "dyad"; a.hidden = kind.value === "search"; text.hidden = kind.value !== "search"; deviation.hidden = kind.value === "search"; a.placeholder = kind.value === "balance" ? "country (AZE)" : "actor (AZE)"; };
  kind.addEventListener("change", show);
  show();
  const form = h("form", { class: "save-query row" }, name, kind, a, b, text, types, confidence, deviation, tokenField(), h("button", { type: "submit" }, "Save query"));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const body = { name: name.value.trim(), event_types: types.value.split(",").map((x) => x.trim().toUpperCase()).filter(Boolean) };
    if (kind.value === "dyad") body.dyad = [a.value.trim(), b.value.trim()];
    else if (kind.value === "balance") body.country = a.value.trim();
    else body.search = text.value.trim();
    if (confidence.value) body.min_confidence = Number(confidence.value);
    if (deviation.value && kind.value !== "search") body.deviation = Number(deviation.value);
    try { await write("/api/alerts/queries", "POST", body); await render(); }
    catch (err) { status.replaceChildren(); showError(status, err); }
  });
  return form;
}
async function markRead(body, status) {
  try { await write("/api/alerts/read", "POST", body); await render(); }
  catch (err) { status.replaceChildren(); showError(status, err); }
}
function alertItem(a, status) {
  const delivery = a.delivered_at ? "webhook delivered" : a.delivery_error ? `webhook failed (${a.delivery_attempts}×, retried): ${a.delivery_error}` : null;
  return h("li", { class: `card alert ${a.read_at ? "read" : "unread"}`, dataset: { alert: a.id } },
    h("div", { class: "alert-head" }, a.read_at ? null : h("span", { class: "badge unread" }, "new"),
      h("span", { class: "badge neutral" }, a.kind === "deviation" ? "change" : "event"), h("strong", {}, a.summary), " ",
      h("span", { class: "muted" }, `${a.query} · ${a.created_at.slice(0, 19).replace("T", " ")} UTC`),
      delivery ? h("span", { class: "muted" }, ` · ${delivery}`) : null,
      a.read_at ? null : h("button", { type: "button", class: "secondary read", onclick: () => markRead({ ids: [a.id] }, status) }, "Mark read")),
    h("ul", { class: "evidence" }, a.evidence.map((e) => h("li", {},
      link(`/ui/article/${encodeURIComponent(e.document_id)}`, e.title || e.document_id),
      h("span", { class: "muted" }, ` ${e.source || "outlet unknown"} · ${e.published || "undated"} · ${e.type}${e.corrected ? " · corrected" : ""} · sentence ${e.sentence}, characters ${e.start}–${e.end}`),
      h("blockquote", {}, e.text || "")))));
}
// The Article page's corrections: change an event's type, participants or status, reject it, or add one the
// machine missed from a sentence; every correction of the article, with who, when and the machine's original.
function correctionsCard(a, made) {
  const d = a.document;
  const status = h("div", { class: "status", role: "status" });
  const who = h("input", { name: "by", placeholder: "your name", size: "12", value: sessionStorage.getItem("communique-by") || "" });
  const send = async (path, body) => {
    if (!who.value.trim()) { status.replaceChildren(); showError(status, new Error("say who corrects: your name")); return; }
    sessionStorage.setItem("communique-by", who.value.trim());
    try { await write(path, "POST", { ...body, by: who.value.trim() }); await render(); }
    catch (err) { status.replaceChildren(); showError(status, err); }
  };
  const codes = (text) => text.split(",").map((x) => x.trim()).filter(Boolean);
  const typeSelect = (value) => h("select", { name: "type", "aria-label": "PLOVER type" }, Object.keys(PLOVER_COLORS).map((t) => h("option", { value: t, selected: t === value ? "" : null }, t)));
  // A rejected event shows its status (chosen by no one): picking another status takes it back.
  const statusSelect = (value) => h("select", { name: "status", "aria-label": "status" }, (STATUSES.includes(value) ? STATUSES : [value, ...STATUSES]).map((x) => h("option", { value: x, selected: x === value ? "" : null, disabled: STATUSES.includes(x) ? null : "" }, x)));
  const carried = new Map(made.filter((c) => c.current_event).map((c) => [c.current_event, c]));
  const rows = (a.events || []).map((e, i) => {
    const id = `${d.id}:${i}`;
    const type = typeSelect(e.type), st = statusSelect(e.status);
    const actor = h("input", { name: "actor", size: "10", "aria-label": "actor", value: e.actor.map((p) => p.code || p.text).join(", ") });
    const recipient = h("input", { name: "recipient", size: "10", "aria-label": "recipient", value: e.recipient.map((p) => p.code || p.text).join(", ") });
    const note = h("input", { name: "note", size: "14", placeholder: "why (optional)", "aria-label": "note" });
    const form = h("form", { class: "correct-event row", hidden: "" }, type, actor, " → ", recipient, st, note,
      h("button", { type: "submit" }, "Save correction"),
      h("button", { type: "button", class: "secondary reject", onclick: () => send(`/api/events/${encodeURIComponent(id)}/corrections`, { reject: true, note: note.value || null }) }, "Reject event"));
    // Only what the analyst changed is sent: a correction records what it sets.
    const before = { type: e.type, status: e.status, actor: codes(actor.value).join(","), recipient: codes(recipient.value).join(",") };
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const body = { note: note.value || null };
      if (type.value !== before.type) body.type = type.value;
      if (st.value !== before.status) body.status = st.value;
      if (codes(actor.value).join(",") !== before.actor) body.actor = codes(actor.value);
      if (codes(recipient.value).join(",") !== before.recipient) body.recipient = codes(recipient.value);
      send(`/api/events/${encodeURIComponent(id)}/corrections`, body);
    });
    const open = h("button", { type: "button", class: "secondary open-correction", onclick: () => { form.hidden = !form.hidden; } }, "Correct");
    return h("li", { dataset: { event: id } }, h("span", { class: `badge ${PLOVER_COOP.has(e.type) ? "coop" : "conf"}` }, e.type), h("strong", {}, parties(e)), " ",
      h("span", { class: "muted" }, `${e.status} · sentence ${e.sentence}`), e.status === "rejected" ? h("span", { class: "badge conf" }, "rejected") : null,
      carried.has(id) ? h("span", { class: "badge corrected" }, `corrected by ${carried.get(id).corrected_by}`) : null, " ", open, form);
  });
  const sentence = h("select", { name: "sentence", "aria-label": "sentence" }, (a.sentences || []).map((x) => h("option", { value: String(x.index) }, `${x.index}: ${clip(d.text.slice(x.start, x.end), 70)}`)));
  const addType = typeSelect(Object.keys(PLOVER_COLORS)[0]), addStatus = statusSelect("realized");
  const addActor = h("input", { name: "actor", size: "10", placeholder: "actor (AZE)", "aria-label": "actor" });
  const addRecipient = h("input", { name: "recipient", size: "10", placeholder: "recipient", "aria-label": "recipient" });
  const trigger = h("input", { name: "trigger", size: "10", placeholder: "trigger word", "aria-label": "trigger" });
  const add = h("form", { class: "add-event row" }, sentence, addType, addActor, " → ", addRecipient, addStatus, trigger, h("button", { type: "submit" }, "Add event"));
  add.addEventListener("submit", (ev) => { ev.preventDefault(); send(`/api/documents/${encodeURIComponent(d.id)}/events`, { sentence: Number(sentence.value), type: addType.value, actor: codes(addActor.value), recipient: codes(addRecipient.value), status: addStatus.value, trigger: trigger.value || null }); });
  const machine = (c) => c.original ? `${c.original.type} ${sides(c.original.actor.map((p) => p.code || p.text), c.original.recipient.map((p) => p.code || p.text))} ${c.original.status}` : "(added by hand)";
  const history = table(["when", "who", "event", "action", "set", "machine's original"], made.map((c) => [c.corrected_at.replace("T", " ").slice(0, 19), c.corrected_by, c.current_event || `sentence ${c.sentence}`, c.action, JSON.stringify(c.changes), machine(c)]));
  return h("div", { class: "card corrections" }, h("h2", {}, "Correct the events"),
    h("p", { class: "muted note" }, "A correction is kept with who made it, when and the machine's original; the analytics and exports use it at once, and it holds when the article is analysed again. Writing needs the API token."),
    h("div", { class: "row" }, tokenField(), h("label", {}, "by ", who)), status,
    h("ul", { class: "correct-events" }, rows), h("h3", {}, "Add a missed event"), add, h("h3", {}, `Corrections (${made.length})`), history);
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
  try { await loadVocabulary(); await page(root, ...parts.slice(1)); root.dataset.ready = name; }
  catch (err) { showError(root, err); root.dataset.ready = name; }
  refreshUnread();
}
function navigate(path) { history.pushState({}, "", path); render(); }
document.addEventListener("click", (e) => {
  const a = e.target.closest && e.target.closest("a[data-nav]");
  if (!a || e.ctrlKey || e.metaKey || e.shiftKey) return;
  e.preventDefault(); navigate(a.getAttribute("href"));
});
window.addEventListener("popstate", render);
// The folded navigation of a narrow screen: the button opens it, choosing a page closes it.
document.addEventListener("click", (e) => {
  const header = document.querySelector("header.top");
  const button = header && header.querySelector("button.menu");
  if (!button) return;
  const open = e.target === button ? !header.classList.contains("open") : false;
  if (e.target === button || header.classList.contains("open")) {
    header.classList.toggle("open", open);
    button.setAttribute("aria-expanded", String(open));
  }
});
document.addEventListener("DOMContentLoaded", render);
