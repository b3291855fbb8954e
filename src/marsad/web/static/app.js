// marsad dashboard: reads the JSON API of the same server; the address bar holds the filters
// (?kind=air_strike&country=SY&event=ID), so a view can be shared.
"use strict";

const FILTERS = ["since", "until", "kind", "country", "admin1", "side", "status", "min_killed", "text", "actor", "source",
                 "acled_type", "bbox"];
// The filters an incident query takes (marsad.store.IncidentQuery).
const INCIDENT_FILTERS = ["since", "until", "kind", "country", "bbox", "contested", "min_killed", "min_sources"];
const FACETS = ["kind", "country", "admin1", "status", "side", "year"];
const PAGE = 50;
// Colours per kind: a qualitative palette (Tableau 10 and its lighter half), in kind-table order.
const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
                 "#bab0ac", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
                 "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5"];
// Field of an event -> the highlight class of its words; later entries win where spans overlap
// (a number inside a sentence shows as the number).
const FIELD_ORDER = ["evidence", "status_evidence", "sources", "actors", "targets", "date_evidence", "place_evidence",
                     "injured", "killed", "trigger"];

const state = { meta: null, i18n: null, lang: "en", offset: 0, map: null, layer: null, plot: null };

const $ = (sel, el = document) => el.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

function t(key) {
  const d = state.i18n ? state.i18n[state.lang] : null;
  return (d && d[key]) || key;
}
function kindLabel(k) {
  if (state.lang === "ar" && state.i18n && state.i18n.kinds_ar[k]) return state.i18n.kinds_ar[k];
  return String(k ?? "").replace(/_/g, " ");
}
function kindColour(k) {
  const i = state.meta ? state.meta.kinds.indexOf(k) : -1;
  return i < 0 ? "#777" : PALETTE[i % PALETTE.length];
}

function params() { return new URLSearchParams(location.search); }
function filterParams() {
  // the event filters (facets, timeline and the event list always show events)
  const p = params(), out = new URLSearchParams();
  for (const f of FILTERS) if (p.get(f)) out.set(f, p.get(f));
  return out;
}
function incidentParams() {
  const p = params(), out = new URLSearchParams();
  for (const f of INCIDENT_FILTERS) if (p.get(f)) out.set(f, p.get(f));
  return out;
}
const incidentsMode = () => params().get("mode") === "incidents";
function setParams(changes, push = true) {
  const p = params();
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === "") p.delete(k); else p.set(k, v);
  }
  const url = location.pathname + (p.toString() ? "?" + p : "");
  if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
}

async function api(path, p) {
  const r = await fetch(path + (p && p.toString() ? "?" + p : ""));
  const body = await r.json();
  if (!r.ok) throw new Error(body.detail ? (typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail)) : r.statusText);
  return body;
}

function showError(e) {
  $("#counts").textContent = "⚠ " + e.message;
}

// --- labels -----------------------------------------------------------------------------------

function applyLabels() {
  document.documentElement.lang = state.lang;
  document.documentElement.dir = state.lang === "ar" ? "rtl" : "ltr";
  for (const el of document.querySelectorAll("[data-l]")) el.textContent = t(el.dataset.l);
  const f = $("#filters");
  const opts = (name, values, label) => {
    const cur = params().get(name) || "";
    f[name].innerHTML = `<option value="">${esc(t("any"))}</option>` +
      values.map((v) => `<option value="${esc(v)}"${v === cur ? " selected" : ""}>${esc(label(v))}</option>`).join("");
  };
  opts("kind", state.meta.kinds, kindLabel);
  opts("side", state.meta.sides, t);
  opts("status", state.meta.statuses, t);
  for (const o of f.contested.options) o.textContent = t(o.dataset.l);
}

function fillForm() {
  const p = params(), f = $("#filters");
  for (const name of ["since", "until", "country", "admin1", "min_killed", "text"]) f[name].value = p.get(name) || "";
  for (const name of ["kind", "side", "status", "contested"]) f[name].value = p.get(name) || "";
}

// --- map ----------------------------------------------------------------------------------------

async function initMap() {
  state.map = L.map("map", { worldCopyJump: true, attributionControl: true }).setView([30, 40], 4);
  state.map.attributionControl.setPrefix("").addAttribution("Natural Earth (public domain) · Leaflet");
  // drawn in order: countries' fill, provinces' outlines (thin, under the country borders), countries' borders
  try {
    const [topo, admin1] = await Promise.all([
      fetch("/static/vendor/world-atlas/countries-50m.json").then((r) => r.json()),
      fetch("/static/vendor/admin1/admin1-mena.json").then((r) => r.json()).catch(() => null)]);
    const countries = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(countries, { style: { stroke: false, fillColor: "#f4f1ea", fillOpacity: 1 }, interactive: false })
      .addTo(state.map);
    if (admin1) state.admin1 = L.geoJSON(admin1, { style: admin1Style, onEachFeature: admin1Feature }).addTo(state.map);
    L.geoJSON(countries, { style: { color: "#7d8a99", weight: 0.8, fill: false }, interactive: false }).addTo(state.map);
  } catch (e) { console.warn("basemap", e); }
  state.layer = L.layerGroup().addTo(state.map);
}

// A province is drawn stronger when the admin1 filter names it; one the gazetteer names (the
// store's admin1 value) filters the events by it when clicked.
function admin1Style(f) {
  const on = f.properties.admin1 && f.properties.admin1 === params().get("admin1");
  // filled even when clear (opacity 0): a province is hovered and clicked anywhere inside, not on its line
  return { color: on ? "#b4462f" : "#b9c1ca", weight: on ? 1.6 : 0.5, fillColor: "#b4462f",
           fillOpacity: on ? 0.08 : 0, className: "admin1" };
}

function admin1Feature(f, layer) {
  const p = f.properties;
  layer.bindTooltip(`<span dir="rtl" lang="ar">${esc(p.name_ar || "")}</span> · ${esc(p.name || "")}`, { sticky: true });
  if (!p.admin1) return;
  layer.on("click", () => {
    const on = params().get("admin1") === p.admin1;
    state.offset = 0;
    setParams({ admin1: on ? null : p.admin1, country: on ? params().get("country") : p.country });
    refresh();
  });
}

async function drawMap(p) {
  if (state.admin1) state.admin1.setStyle(admin1Style);
  let data;
  if (incidentsMode()) {
    const q = incidentParams();
    q.set("limit", 1000);
    q.set("order_by", "-killed");
    const page = await api("/api/incidents", q);
    const points = page.items.filter((i) => i.lat !== null && i.lon !== null).map((i) => ({
      id: i.id, incident: true, kind: i.kind, date: i.date, lat: i.lat, lon: i.lon, place: i.place, killed: i.killed.best }));
    data = { total: page.total, shown: points.length, points };
  } else data = await api("/api/map", p);
  state.layer.clearLayers();
  const pts = [];
  for (const e of data.points) {
    const r = 4 + 2.5 * Math.sqrt(e.killed || 0);
    const m = L.circleMarker([e.lat, e.lon], { radius: r, color: "#333", weight: 0.6, fillColor: kindColour(e.kind),
                                               fillOpacity: 0.75, className: "pt" });
    m.bindTooltip(`${esc(e.date || "")} ${esc(kindLabel(e.kind))}<br><span dir="rtl" lang="ar">${esc(e.place || "")}</span>` +
                  ` · ${t("killed")} ${e.killed ?? "–"}`);
    m.on("click", () => (e.incident ? openIncident(e.id) : openEvent(e.id)));
    m.addTo(state.layer);
    pts.push([e.lat, e.lon]);
  }
  $("#map-note").textContent = `${data.shown} ${t("shown_of")} ${data.total}`;
  state.map.invalidateSize();
  if (pts.length) state.map.fitBounds(pts, { maxZoom: 7, padding: [20, 20] });
}

// --- timeline ------------------------------------------------------------------------------------

async function drawTimeline(p) {
  const q = new URLSearchParams(p);
  q.set("by", $("#period").value);
  const data = await api("/api/timeline", q);
  const measure = $("#measure").value;
  const box = $("#timeline");
  if (state.plot) { state.plot.destroy(); state.plot = null; }
  box.innerHTML = "";
  if (!data.keys.length) { box.textContent = "–"; return; }
  const toTs = (k) => Date.parse(k.length === 4 ? k + "-01-01" : k.length === 7 ? k + "-01" : k) / 1000;
  const xs = data.keys.map(toTs);
  const series = [{}].concat(data.series.map((s) => ({ label: kindLabel(s.kind), stroke: kindColour(s.kind), width: 1.5,
                                                         points: { show: xs.length < 60 } })));
  const cols = [xs].concat(data.series.map((s) => s[measure]));
  state.plot = new uPlot({ width: Math.max(300, box.clientWidth || 500), height: 200, series,
                           axes: [{}, { label: t(measure) }], scales: { x: { time: true } } }, cols, box);
}

// --- facets ------------------------------------------------------------------------------------------

async function drawFacets(p) {
  const q = new URLSearchParams(p);
  q.set("fields", FACETS.join(","));
  q.set("size", "12");
  const data = await api("/api/facets", q);
  const cur = params();
  let html = "";
  for (const name of FACETS) {
    const vals = data[name] || [];
    if (!vals.length) continue;
    html += `<div class="facet" data-facet="${name}"><h3>${esc(t(name))}</h3>`;
    for (const { value, count } of vals) {
      if (value === null) continue;
      const on = name === "year" ? cur.get("since") === String(value) && cur.get("until") === String(value)
                                 : cur.get(name) === String(value);
      const label = name === "kind" ? kindLabel(value) : name === "side" || name === "status" ? t(value) : value;
      const sw = name === "kind" ? `<span class="swatch" style="background:${kindColour(value)}"></span>` : "";
      html += `<button type="button" class="${on ? "on" : ""}" data-facet="${name}" data-value="${esc(value)}">` +
              `<span dir="auto">${sw}${esc(label)}</span><span class="n">${count}</span></button>`;
    }
    html += "</div>";
  }
  $("#facet-list").innerHTML = html;
}

// --- list -----------------------------------------------------------------------------------------------

const EVENT_HEAD = ["date", "kind", "place", "killed", "injured", "status", "sources"];
const INCIDENT_HEAD = ["date", "kind", "place", "killed", "reports", "n_sources", "contested"];

async function drawList(p) {
  const head = incidentsMode() ? INCIDENT_HEAD : EVENT_HEAD;
  $("#list thead").innerHTML = "<tr>" + head.map((h) => `<th>${esc(t(h))}</th>`).join("") + "</tr>";
  $("#list-title").textContent = t(incidentsMode() ? "incidents" : "list");
  if (incidentsMode()) return drawIncidents();
  const q = new URLSearchParams(p);
  q.set("limit", PAGE);
  q.set("offset", state.offset);
  q.set("order_by", "-date");
  const page = await api("/api/events", q);
  $("#list tbody").innerHTML = page.items.map((e) => {
    const pl = e.place || {};
    return `<tr data-id="${esc(e.id)}"><td>${esc(e.date || "–")}</td>` +
      `<td><span class="swatch" style="background:${kindColour(e.kind)}"></span>${esc(kindLabel(e.kind))}</td>` +
      `<td dir="rtl" lang="ar">${esc(pl.name || "–")}</td><td class="num">${e.killed.total ?? "–"}</td>` +
      `<td class="num">${e.injured.total ?? "–"}</td><td>${esc(t(e.status))}</td>` +
      `<td dir="rtl" lang="ar">${esc(e.sources.map((s) => s.text).join("، "))}</td></tr>`;
  }).join("");
  $("#page").textContent = page.total ? `${page.offset + 1}–${page.offset + page.items.length} / ${page.total}` : "0";
  $("#prev").disabled = page.offset === 0;
  $("#next").disabled = page.next_offset === null;
  $("#counts").textContent = `${page.total} ${t("events")}`;
}

async function drawIncidents() {
  const q = incidentParams();
  q.set("limit", PAGE);
  q.set("offset", state.offset);
  const page = await api("/api/incidents", q);
  $("#list tbody").innerHTML = page.items.map((i) => {
    const k = i.killed;
    const range = k.low !== null && k.low !== k.high ? ` (${k.low}–${k.high})` : "";
    return `<tr data-incident="${esc(i.id)}"><td>${esc(i.date || "–")}</td>` +
      `<td><span class="swatch" style="background:${kindColour(i.kind)}"></span>${esc(kindLabel(i.kind))}</td>` +
      `<td dir="rtl" lang="ar">${esc(i.place || "–")}</td><td class="num">${k.best ?? "–"}${range}</td>` +
      `<td class="num">${i.reports.length}</td><td class="num">${i.n_sources}</td>` +
      `<td>${i.contested ? i.reasons.map((r) => `<span class="badge">${esc(t(r))}</span>`).join(" ") : ""}</td></tr>`;
  }).join("");
  $("#page").textContent = page.total ? `${page.offset + 1}–${page.offset + page.items.length} / ${page.total}` : "0";
  $("#prev").disabled = page.offset === 0;
  $("#next").disabled = page.next_offset === null;
  $("#counts").textContent = `${page.total} ${t("incidents")}`;
}

// --- detail: the article text with each field's words highlighted -----------------------------------------

function spansOf(ev) {
  // [field, start, end, label] for every value of the event that carries an offset into the article text
  const out = [];
  const add = (field, s, label) => { if (s && Number.isInteger(s.start) && s.end > s.start) out.push([field, s.start, s.end, label]); };
  for (const s of ev.evidence || []) add("evidence", s, t("evidence"));
  add("trigger", ev.trigger, t("trigger"));
  add("date_evidence", ev.date_evidence, ev.date);
  if (ev.place) add("place_evidence", ev.place.evidence, ev.place.name);
  add("status_evidence", ev.status_evidence, ev.status);
  for (const role of ["actors", "targets", "sources"]) for (const x of ev[role] || []) add(role, x, x.text);
  for (const toll of ["killed", "injured"]) for (const s of (ev[toll] || {}).evidence || []) add(toll, s, ev[toll].total);
  return out;
}

function highlighted(text, spans) {
  // one owner per character: the field latest in FIELD_ORDER; runs of one owner become one <mark>
  const owner = new Array(text.length).fill(-1);
  const rank = (f) => FIELD_ORDER.indexOf(f);
  spans.forEach(([f, s, e], i) => {
    for (let k = Math.max(0, s); k < Math.min(e, text.length); k++) {
      if (owner[k] < 0 || rank(spans[owner[k]][0]) <= rank(f)) owner[k] = i;
    }
  });
  let html = "", k = 0;
  while (k < text.length) {
    let j = k;
    while (j < text.length && owner[j] === owner[k]) j++;
    const chunk = esc(text.slice(k, j));
    if (owner[k] < 0) html += chunk;
    else {
      const [f, s, e] = spans[owner[k]];
      html += `<mark class="f-${f}" data-field="${f}" data-start="${s}" data-end="${e}" title="${esc(t(f))}">${chunk}</mark>`;
    }
    k = j;
  }
  return html;
}

function fieldRows(ev) {
  const pl = ev.place || {};
  const rows = [
    ["kind", kindLabel(ev.kind), "trigger"],
    ["date", `${ev.date || "–"} (${ev.date_precision || "–"})`, "date_evidence"],
    ["place", `${pl.name || "–"}${pl.name_en ? " · " + pl.name_en : ""}${ev.admin1 ? " · " + ev.admin1 : ""}` +
              `${pl.country ? " · " + pl.country : ""}`, "place_evidence"],
    ["killed", ev.killed.total ?? "–", "killed"],
    ["injured", ev.injured.total ?? "–", "injured"],
    ["actors", (ev.actors || []).map((a) => `${a.text} (${t(a.side)})`).join("، ") || "–", "actors"],
    ["targets", (ev.targets || []).map((a) => `${a.text} (${t(a.side)})`).join("، ") || "–", "targets"],
    ["status", t(ev.status), "status_evidence"],
    ["sources", (ev.sources || []).map((s) => s.text).join("، ") || "–", "sources"],
  ];
  return rows.map(([k, v, f]) => `<tr data-field="${f}"><th><span class="key" style="" ></span> ${esc(t(k))}</th>` +
                                 `<td class="v" dir="auto">${esc(v)}</td></tr>`).join("");
}

async function openEvent(id, push = true) {
  if (push) setParams({ event: id });
  let data;
  try { data = await api("/api/events/" + encodeURIComponent(id)); } catch (e) { showError(e); return; }
  const ev = data.event, art = data.article;
  const spans = spansOf(ev);
  $("#detail-body").innerHTML =
    `<p><b>${esc(t("article"))}</b>: <code>${esc(art.id)}</code> · ${esc(t("published"))} ${esc(art.published || "–")}` +
    `${art.source && art.source.outlet ? " · " + esc(art.source.outlet) : ""}` +
    `${art.source && art.source.url ? ` · <a href="${esc(art.source.url)}" rel="noreferrer">url</a>` : ""}</p>` +
    `<table class="fields"><thead><tr><th>${esc(t("field"))}</th><th>${esc(t("value"))}</th></tr></thead>` +
    `<tbody>${fieldRows(ev)}</tbody></table>` +
    `<h3>${esc(t("words"))}</h3>` +
    `<div class="article-text" dir="rtl" lang="ar">${art.title ? `<h3>${esc(art.title)}</h3>` : ""}${highlighted(art.text, spans)}</div>`;
  $("#detail h2").textContent = t("detail");
  for (const row of document.querySelectorAll("#detail-body tr[data-field]")) {
    const f = row.dataset.field;
    const key = row.querySelector(".key");
    const m = document.querySelector(`#detail-body mark.f-${f}`);
    if (m) key.style.background = getComputedStyle(m).backgroundColor; else key.style.visibility = "hidden";
    row.addEventListener("click", () => {
      for (const x of document.querySelectorAll("mark.flash")) x.classList.remove("flash");
      const marks = document.querySelectorAll(`#detail-body mark.f-${f}`);
      marks.forEach((x) => x.classList.add("flash"));
      if (marks[0]) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
    });
  }
  $("#detail").hidden = false;
}

function closeEvent(push = true) {
  $("#detail").hidden = true;
  if (push) setParams({ event: null, incident: null });
}

// --- incident detail: every source's version side by side, contradictions marked ---------------------------

async function openIncident(id, push = true) {
  if (push) setParams({ incident: id, event: null });
  let data;
  try { data = await api("/api/incidents/" + encodeURIComponent(id)); } catch (e) { showError(e); return; }
  const inc = data.incident, reps = inc.reports;
  const differs = Object.fromEntries(data.comparison.map((c) => [c.key, new Set(c.differs)]));
  const fig = (f) => f.best === null ? "–" : `${f.best}` + (f.low !== f.high ? ` (${t("range")} ${f.low}–${f.high})` : "");
  const rows = [
    ["outlet", (r) => r.outlet || "–"], ["published", (r) => r.published || "–"], ["kind", (r) => kindLabel(r.kind), "kind"],
    ["killed", (r) => r.killed ?? "–", "killed"], ["injured", (r) => r.injured ?? "–", "injured"],
    ["status", (r) => t(r.status), "status"], ["sources", (r) => r.sources.join("، ") || "–"],
    ["copy_of", (r) => r.copy_of ? r.copy_of.slice(0, 10) + "…" : "–"],
  ];
  const table = `<table class="versions"><thead><tr><th></th>${reps.map((r, i) => `<th>${esc(t("report"))} ${i + 1}</th>`).join("")}` +
    `</tr></thead><tbody>` + rows.map(([label, get, field]) => `<tr><th>${esc(t(label))}</th>` + reps.map((r) => {
      const bad = field && differs[r.key] && differs[r.key].has(field);
      return `<td dir="auto" class="${bad ? "differs" : ""}"${bad ? ` title="${esc(t("differs"))}"` : ""}>${esc(get(r))}</td>`;
    }).join("") + "</tr>").join("") + "</tbody></table>";
  const cards = reps.map((r, i) => {
    const art = data.articles[r.article] || { text: "", events: [] };
    const idx = Number(String(r.key || "").split("#")[1]);
    const ev = art.events[idx];
    const spans = ev ? spansOf(ev) : r.evidence.map(([s, e]) => ["evidence", s, e, ""]);
    return `<div class="report"><b>${esc(t("report"))} ${i + 1}</b> · ${esc(r.outlet || "")} · ${esc(r.published || "")}` +
      `<div class="article-text" dir="rtl" lang="ar">${art.title ? `<h3>${esc(art.title)}</h3>` : ""}${highlighted(art.text, spans)}</div></div>`;
  }).join("");
  $("#detail-body").innerHTML =
    `<p><b>${esc(t("incident"))}</b> <code>${esc(inc.id)}</code> · ${esc(kindLabel(inc.kind))} · ${esc(inc.date || "–")} · ` +
    `<span dir="rtl" lang="ar">${esc(inc.place || "–")}</span> · ${esc(t("killed"))} ${esc(fig(inc.killed))} · ` +
    `${esc(t("injured"))} ${esc(fig(inc.injured))} · ${esc(t("n_sources"))} ${inc.n_sources}</p>` +
    `<p>${inc.contested ? inc.reasons.map((x) => `<span class="badge">${esc(t(x))}</span>`).join(" ") : esc(t("agree"))}</p>` +
    `<h3>${esc(t("versions"))}</h3>${table}<div class="reports">${cards}</div>`;
  $("#detail h2").textContent = t("incident");
  $("#detail").hidden = false;
}

// --- wiring ------------------------------------------------------------------------------------------------

async function refresh() {
  const p = filterParams();
  $("#csv").href = "/api/events.csv?" + p;
  $("#geojson").href = "/api/events.geojson?" + p;
  fillForm();
  try {
    await Promise.all([drawList(p), drawFacets(p), drawMap(p), drawTimeline(p)]);
  } catch (e) { showError(e); }
  for (const b of ["events", "incidents"]) $("#mode-" + b).classList.toggle("on", (b === "incidents") === incidentsMode());
  document.body.classList.toggle("incidents", incidentsMode());
  const ev = params().get("event"), inc = params().get("incident");
  if (ev) await openEvent(ev, false); else if (inc) await openIncident(inc, false); else closeEvent(false);
  document.body.dataset.ready = "1";
}

function wire() {
  $("#filters").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target, changes = {};
    for (const name of ["since", "until", "kind", "country", "admin1", "side", "status", "min_killed", "text", "contested"]) {
      changes[name] = f[name].value.trim();
    }
    state.offset = 0;
    setParams(changes);
    refresh();
  });
  $("#clear").addEventListener("click", () => {
    history.pushState(null, "", location.pathname + (state.lang === "ar" ? "?lang=ar" : ""));
    state.offset = 0;
    refresh();
  });
  $("#facet-list").addEventListener("click", (e) => {
    const b = e.target.closest("button[data-facet]");
    if (!b) return;
    const name = b.dataset.facet, v = b.dataset.value, on = b.classList.contains("on");
    state.offset = 0;
    if (name === "year") setParams({ since: on ? null : v, until: on ? null : v });
    else setParams({ [name]: on ? null : v });
    refresh();
  });
  $("#list tbody").addEventListener("click", (e) => {
    const tr = e.target.closest("tr[data-id], tr[data-incident]");
    if (tr && tr.dataset.incident) openIncident(tr.dataset.incident); else if (tr) openEvent(tr.dataset.id);
  });
  $("#prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); drawList(filterParams()); });
  $("#next").addEventListener("click", () => { state.offset += PAGE; drawList(filterParams()); });
  $("#close").addEventListener("click", () => closeEvent());
  for (const mode of ["events", "incidents"]) {
    $("#mode-" + mode).addEventListener("click", () => {
      state.offset = 0;
      setParams({ mode: mode === "incidents" ? "incidents" : null, event: null, incident: null });
      refresh();
    });
  }
  $("#measure").addEventListener("change", () => drawTimeline(filterParams()));
  $("#period").addEventListener("change", () => drawTimeline(filterParams()));
  $("#lang").addEventListener("click", () => {
    state.lang = state.lang === "ar" ? "en" : "ar";
    setParams({ lang: state.lang === "ar" ? "ar" : null }, false);
    applyLabels();
    refresh();
  });
  window.addEventListener("popstate", () => refresh());
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") closeEvent(); });
}

async function main() {
  try {
    [state.meta, state.i18n] = await Promise.all([api("/api/meta"), (await fetch("/static/i18n.json")).json()]);
  } catch (e) { showError(e); return; }
  state.lang = params().get("lang") === "ar" ? "ar" : "en";
  applyLabels();
  wire();
  await initMap();
  await refresh();
}

main();
