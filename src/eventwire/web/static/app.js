/* eventwire workbench: the page's own script (no libraries).
 *
 * Reads the JSON API of `eventwire serve` and draws five views of the events that match the
 * current filter: a table, a map, a timeline, an actor network, and the article view, where
 * every extracted span is highlighted and the chosen event's evidence is marked.
 */
"use strict";

const TYPES = [
  "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
];
// Cooperative types in blues and greens, conflictual ones in yellows, oranges and reds.
const TYPE_COLORS = {
  AGREE: "#1b9e77", CONSULT: "#4575b4", SUPPORT: "#66a61e", CONCEDE: "#74add1",
  COOPERATE: "#2c7fb8", AID: "#41ab5d", RETREAT: "#9e9ac8", REQUEST: "#6a51a3",
  ACCUSE: "#fdae61", REJECT: "#d9a404", THREATEN: "#f46d43", PROTEST: "#d95f02",
  SANCTION: "#a6761d", MOBILIZE: "#e7298a", COERCE: "#c51b7d", ASSAULT: "#b2182b",
};
const HIGHLIGHTS = [
  ["hl-event", "event"], ["hl-actor", "actor"], ["hl-place", "place"], ["hl-date", "date"],
  ["hl-attribution", "attribution"], ["hl-quantity", "quantity"],
];
const SVG_NS = "http://www.w3.org/2000/svg";
const PAGE_SIZE = 100;
const MAP_LIMIT = 1000;
const NETWORK_NODES = 40;
const NETWORK_EDGES = 150;

const state = {
  params: {},
  offset: 0,
  total: 0,
  outlines: null,
  stats: null,
  mapEvents: [],
  eventId: null,
  articleId: null,
  articles: new Map(),
  hidden: new Set(),
  loadSeq: 0,
};

const $ = (sel, root = document) => root.querySelector(sel);

function typeColor(type) {
  return TYPE_COLORS[type] || "#777";
}

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function s(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  if (parent) parent.append(node);
  return node;
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
}

function status(message, isError = false) {
  const line = $("#status-line");
  line.textContent = message || "";
  line.classList.toggle("error", Boolean(isError));
}

async function api(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== "" && value !== null && value !== undefined) query.set(key, value);
  }
  const url = query.toString() ? `${path}?${query}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      detail = (await response.json()).detail || detail;
    } catch (_) { /* not JSON */ }
    throw new Error(`${path}: ${response.status} ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
  }
  return response.json();
}

function plural(n, word) {
  return `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
}

function party(name, country) {
  if (!name && !country) return "—";
  if (name && country) return `${name} (${country})`;
  return name || country;
}

function partyCell(name, country) {
  if (!name && !country) return h("td", { class: "none" }, "—");
  return h("td", {}, name || "", name && country ? " " : "", country ? h("span", { class: "code" }, country) : null);
}

function isoDate(value) {
  return value ? String(value).slice(0, 10) : "";
}

/* --- filters ------------------------------------------------------------------------------ */

const SELECTS = [
  ["#filter-type", "types"], ["#filter-country", "countries"],
  ["#filter-actor-country", "countries"], ["#filter-recipient-country", "countries"],
  ["#filter-sector", "sectors"], ["#filter-status", "statuses"],
  ["#filter-source-type", "source_types"],
];

function fillFilters(values) {
  for (const [sel, key] of SELECTS) {
    const select = $(sel);
    select.replaceChildren(...(values[key] || []).map((v) => h("option", { value: v }, v)));
  }
}

function readFilters() {
  const params = {};
  for (const [sel] of SELECTS) {
    const select = $(sel);
    const chosen = [...select.selectedOptions].map((o) => o.value);
    if (chosen.length) params[select.name] = chosen.join(",");
  }
  for (const sel of ["#filter-text", "#filter-from", "#filter-to", "#filter-near"]) {
    const input = $(sel);
    if (input.value.trim()) params[input.name] = input.value.trim();
  }
  return params;
}

function writeFilters(params) {
  for (const [sel] of SELECTS) {
    const select = $(sel);
    const wanted = new Set((params[select.name] || "").split(",").filter(Boolean));
    for (const option of select.options) option.selected = wanted.has(option.value);
  }
  for (const sel of ["#filter-text", "#filter-from", "#filter-to", "#filter-near"]) {
    const input = $(sel);
    input.value = params[input.name] || "";
  }
  showNear();
}

function saveHash() {
  const query = new URLSearchParams(state.params);
  if (state.eventId) query.set("event", state.eventId);
  if (state.articleId) query.set("article", state.articleId);
  const hash = query.toString();
  history.replaceState(null, "", hash ? `#${hash}` : location.pathname);
}

function readHash() {
  const query = new URLSearchParams(location.hash.slice(1));
  const params = {};
  for (const [key, value] of query) if (key !== "event" && key !== "article") params[key] = value;
  return { params, eventId: query.get("event"), articleId: query.get("article") };
}

function applyFilters(params) {
  state.params = params;
  state.offset = 0;
  saveHash();
  return loadAll();
}

/* --- loading ------------------------------------------------------------------------------ */

async function loadAll() {
  const seq = ++state.loadSeq;
  document.body.dataset.loading = "true";
  status("Loading…");
  const params = state.params;
  try {
    const [page, stats, actors] = await Promise.all([
      api("/api/events", { ...params, limit: PAGE_SIZE, offset: state.offset }),
      api("/api/stats", params),
      api("/api/actors", { ...params, limit: 200 }),
    ]);
    let located = page;
    if (page.total > page.events.length || state.offset > 0) {
      located = await api("/api/events", { ...params, limit: MAP_LIMIT, offset: 0 });
    }
    if (seq !== state.loadSeq) return;
    state.total = page.total;
    state.stats = stats;
    state.mapEvents = located.events;
    renderSummary(stats, page.total);
    renderCounts(stats);
    renderTable(page);
    renderLegend(stats);
    renderMap();
    renderTimeline(stats);
    renderNetwork(actors);
    status("");
  } catch (err) {
    if (seq === state.loadSeq) status(`Could not load the events (${err.message}).`, true);
  } finally {
    if (seq === state.loadSeq) document.body.dataset.loading = "false";
  }
}

async function loadPage() {
  try {
    const page = await api("/api/events", { ...state.params, limit: PAGE_SIZE, offset: state.offset });
    renderTable(page);
  } catch (err) {
    status(`Could not load the events (${err.message}).`, true);
  }
}

function renderSummary(stats, total) {
  $("#event-count").textContent = plural(total, "event");
  const parts = [];
  if (stats && typeof stats.mentions === "number") parts.push(plural(stats.mentions, "mention"));
  if (stats && typeof stats.articles === "number") parts.push(`in ${plural(stats.articles, "article")}`);
  const filtered = Object.keys(state.params).length ? " · filtered" : "";
  $("#summary-rest").textContent = parts.join(" ") + filtered;
}

function renderCounts(stats) {
  const bars = (list, counts, colorOf) => {
    const entries = Object.entries(counts || {}).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
    const max = Math.max(1, ...entries.map(([, n]) => n));
    list.replaceChildren(...entries.map(([key, n]) => h("li", {},
      h("span", { class: "bar-label" }, key),
      h("span", { class: "bar-track" }, h("span", {
        class: "bar-fill", style: `width:${(100 * n / max).toFixed(1)}%;background:${colorOf(key)}`,
      })),
      h("span", { class: "bar-count" }, n))));
    if (!entries.length) list.replaceChildren(h("li", { class: "empty" }, "none"));
  };
  bars($("#type-counts"), stats.by_type, typeColor);
  bars($("#status-counts"), stats.by_status, () => "#8a9bb0");
  // Counts beside each type in the filter list.
  for (const option of $("#filter-type").options) {
    const n = (stats.by_type || {})[option.value];
    option.textContent = n ? `${option.value} (${n})` : option.value;
  }
}

function renderLegend(stats) {
  const present = TYPES.filter((t) => (stats.by_type || {})[t]);
  $("#type-legend").replaceChildren(...present.map((t) => h("span", { class: "legend-item" },
    h("span", { class: "swatch", style: `background:${typeColor(t)}` }), t)));
}

/* --- table -------------------------------------------------------------------------------- */

function renderTable(page) {
  const body = $("#event-table tbody");
  const rows = page.events.map((e) => {
    const row = h("tr", {
      class: "event-row" + (e.id === state.eventId ? " selected" : ""),
      "data-event-id": e.id, tabindex: 0,
    },
    h("td", { class: "nowrap" }, isoDate(e.date_value) || "—"),
    h("td", {}, h("span", { class: "type-chip", style: `--c:${typeColor(e.event_type)}` }, e.event_type)),
    partyCell(e.actor_name, e.actor_country),
    partyCell(e.recipient_name, e.recipient_country),
    partyCell(e.place_name, e.place_country),
    h("td", {}, h("span", { class: `status status-${e.status}` }, e.status)),
    h("td", { class: "num" }, e.num_articles ?? ""),
    h("td", { class: "num" }, typeof e.confidence === "number" ? e.confidence.toFixed(2) : ""));
    return row;
  });
  body.replaceChildren(...rows);
  $("#table-panel .table-wrap").scrollTop = 0;
  if (!rows.length) {
    body.append(h("tr", {}, h("td", { colspan: 8, class: "empty" }, "No event matches the filter.")));
  }
  const from = page.total ? page.offset + 1 : 0;
  const to = page.offset + page.events.length;
  $("#page-info").textContent = `${from}–${to} of ${page.total}`;
  $("#table-note").textContent = "click a row to check it against its article";
  $("#page-prev").disabled = page.offset <= 0;
  $("#page-next").disabled = to >= page.total;
}

/* --- tooltip ------------------------------------------------------------------------------ */

function showTip(event, text) {
  const tip = $("#tooltip");
  tip.textContent = text;
  tip.hidden = false;
  const pad = 14;
  let x = event.clientX + pad;
  let y = event.clientY + pad;
  const box = tip.getBoundingClientRect();
  if (x + box.width > window.innerWidth - 4) x = event.clientX - box.width - pad;
  if (y + box.height > window.innerHeight - 4) y = event.clientY - box.height - pad;
  tip.style.left = `${Math.max(4, x)}px`;
  tip.style.top = `${Math.max(4, y)}px`;
}

function hideTip() {
  $("#tooltip").hidden = true;
}

function withTips(svg) {
  svg.addEventListener("mousemove", (event) => {
    const target = event.target.closest("[data-tip]");
    if (target) showTip(event, target.getAttribute("data-tip"));
    else hideTip();
  });
  svg.addEventListener("mouseleave", hideTip);
  return svg;
}

function eventTip(e) {
  const lines = [
    `${e.event_type} · ${e.status}${e.date_value ? " · " + isoDate(e.date_value) : ""}`,
    `${party(e.actor_name, e.actor_country)} → ${party(e.recipient_name, e.recipient_country)}`,
  ];
  if (e.place_name) lines.push(`at ${party(e.place_name, e.place_country)}`);
  if (e.num_articles) lines.push(plural(e.num_articles, "article"));
  return lines.join("\n");
}

/* --- map ---------------------------------------------------------------------------------- */

// Equirectangular projection, K units per degree, latitudes 84N..58S shown.
const MAP = { k: 3, top: 84, bottom: -58 };
const project = (lon, lat) => [(lon + 180) * MAP.k, (90 - lat) * MAP.k];

function ringPath(ring) {
  let d = "";
  ring.forEach(([lon, lat], i) => {
    const [x, y] = project(lon, lat);
    d += `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
  });
  return d + "Z";
}

function featurePath(geometry) {
  if (!geometry) return "";
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates]
    : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  return polygons.map((rings) => rings.map(ringPath).join("")).join("");
}

// A few events at one place are spread on a small spiral so each stays clickable; more
// become one pie of their types, which filters the table to that place when clicked.
const SPIRAL_MAX = 6;
const NEAR_KM = 25;

function drawDot(layer, e, x, y, i) {
  const angle = i * 2.4;
  const offset = i ? 7 * Math.sqrt(i) : 0;
  const marker = s("g", {
    class: "marker", "data-x": x + offset * Math.cos(angle), "data-y": y + offset * Math.sin(angle),
  }, layer);
  s("circle", {
    cx: 0, cy: 0, r: 6 + Math.min(6, Math.sqrt((e.num_articles || 1) - 1) * 3),
    class: "event-dot" + (e.id === state.eventId ? " selected" : ""),
    fill: typeColor(e.event_type), "data-event-id": e.id, "data-tip": eventTip(e),
    tabindex: 0, role: "button", "aria-label": eventTip(e).replace(/\n/g, "; "),
  }, marker);
}

function drawCluster(layer, group, x, y) {
  const counts = {};
  for (const e of group) counts[e.event_type] = (counts[e.event_type] || 0) + 1;
  const parts = TYPES.filter((t) => counts[t]).map((t) => [t, counts[t]]);
  const first = group[0];
  const place = first.place_name || `${first.lat.toFixed(2)}, ${first.lon.toFixed(2)}`;
  const tip = `${place}: ${plural(group.length, "event")}\n`
    + parts.map(([t, n]) => `${t} ${n}`).join(", ") + "\nclick to list them";
  const marker = s("g", {
    class: "marker event-cluster", "data-x": x, "data-y": y, "data-count": group.length,
    "data-near": `${first.lat.toFixed(4)},${first.lon.toFixed(4)},${NEAR_KM}`, "data-tip": tip,
    tabindex: 0, role: "button", "aria-label": tip.replace(/\n/g, "; "),
  }, layer);
  const r = Math.min(22, 8 + 2 * Math.sqrt(group.length));
  let angle = -Math.PI / 2;
  for (const [type, n] of parts) {
    const sweep = (2 * Math.PI * n) / group.length;
    if (parts.length === 1) {
      s("circle", { cx: 0, cy: 0, r, fill: typeColor(type), class: "slice" }, marker);
      break;
    }
    const [x0, y0] = [r * Math.cos(angle), r * Math.sin(angle)];
    const [x1, y1] = [r * Math.cos(angle + sweep), r * Math.sin(angle + sweep)];
    s("path", {
      d: `M0,0L${x0.toFixed(2)},${y0.toFixed(2)}A${r},${r} 0 ${sweep > Math.PI ? 1 : 0} 1 ${x1.toFixed(2)},${y1.toFixed(2)}Z`,
      fill: typeColor(type), class: "slice",
    }, marker);
    angle += sweep;
  }
  s("circle", { cx: 0, cy: 0, r, class: "cluster-rim" }, marker);
  s("text", { x: 0, y: 4, "text-anchor": "middle", class: "cluster-count", text: group.length }, marker);
}

function setNear(near) {
  $("#filter-near").value = near || "";
  showNear();
  applyFilters(readFilters());
}

function showNear() {
  const value = $("#filter-near").value;
  const chip = $("#near-chip");
  chip.hidden = !value;
  if (value) {
    const [lat, lon, km] = value.split(",");
    $("#near-text").textContent = `within ${km} km of ${Number(lat).toFixed(2)}, ${Number(lon).toFixed(2)}`;
  }
}

function renderMap() {
  const box = $("#map");
  const width = 360 * MAP.k;
  const y0 = (90 - MAP.top) * MAP.k;
  const height = (MAP.top - MAP.bottom) * MAP.k;
  const full = [0, y0, width, height];
  const svg = withTips(s("svg", {
    viewBox: full.join(" "), role: "img", "aria-label": "Map of event locations",
    preserveAspectRatio: "xMidYMid meet",
  }));
  s("rect", { x: 0, y: y0, width, height, class: "sea" }, svg);
  const world = s("g", { class: "countries" }, svg);
  const grid = s("g", { class: "graticule" }, svg);
  for (let lon = -150; lon <= 150; lon += 30) {
    const [x] = project(lon, 0);
    s("line", { x1: x, x2: x, y1: y0, y2: y0 + height }, grid);
  }
  for (let lat = -30; lat <= 60; lat += 30) {
    const [, y] = project(0, lat);
    s("line", { x1: 0, x2: width, y1: y, y2: y }, grid);
  }
  const counts = (state.stats && state.stats.countries) || {};
  const maxCount = Math.max(1, ...Object.values(counts));
  if (state.outlines) {
    for (const feature of state.outlines.features || []) {
      const props = feature.properties || {};
      const n = counts[props.iso3] || 0;
      const path = s("path", {
        d: featurePath(feature.geometry),
        class: n ? "country involved" : "country",
        "data-iso3": props.iso3 || "",
        "data-tip": `${props.name || props.iso3 || "?"}${n ? ` · ${plural(n, "event")}` : ""}`,
      }, world);
      if (n) path.style.fillOpacity = (0.25 + 0.75 * Math.sqrt(n / maxCount)).toFixed(2);
    }
  }
  const dots = s("g", { class: "dots" }, svg);
  const located = state.mapEvents.filter((e) => typeof e.lat === "number" && typeof e.lon === "number");
  const places = new Map();
  for (const e of located) {
    const key = `${e.lat.toFixed(2)},${e.lon.toFixed(2)}`;
    if (!places.has(key)) places.set(key, []);
    places.get(key).push(e);
  }
  for (const group of places.values()) {
    const [x, y] = project(group[0].lon, group[0].lat);
    if (group.length > SPIRAL_MAX) drawCluster(dots, group, x, y);
    else group.forEach((e, i) => drawDot(dots, e, x, y, i));
  }
  svg.addEventListener("click", (event) => {
    const dot = event.target.closest(".event-dot");
    if (dot) selectEvent(dot.dataset.eventId, null, true);
    const cluster = event.target.closest(".event-cluster");
    if (cluster) setNear(cluster.dataset.near);
  });
  svg.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    const dot = event.target.closest(".event-dot");
    const cluster = event.target.closest(".event-cluster");
    if (dot || cluster) event.preventDefault();
    if (dot) selectEvent(dot.dataset.eventId, null, true);
    if (cluster) setNear(cluster.dataset.near);
  });
  enableZoom(svg, full, dots);
  box.replaceChildren(svg);
  const shown = located.length;
  const capped = state.mapEvents.length < state.total ? ` (first ${state.mapEvents.length})` : "";
  $("#map-note").textContent = `${shown} of ${plural(state.total, "event")}${capped} have a place · scroll to zoom, drag to pan`;
}

function enableZoom(svg, full, dots) {
  let view = [...full];
  const apply = () => {
    svg.setAttribute("viewBox", view.map((v) => v.toFixed(2)).join(" "));
    const scale = Math.max(view[2] / full[2], 0.15);
    for (const marker of dots.children) {
      const { x, y } = marker.dataset;
      marker.setAttribute("transform", `translate(${Number(x).toFixed(2)},${Number(y).toFixed(2)}) scale(${scale.toFixed(3)})`);
    }
  };
  const toSvg = (event) => {
    const rect = svg.getBoundingClientRect();
    const scale = Math.max(view[2] / rect.width, view[3] / rect.height);
    const offX = (rect.width * scale - view[2]) / 2;
    const offY = (rect.height * scale - view[3]) / 2;
    return [view[0] + (event.clientX - rect.left) * scale - offX,
      view[1] + (event.clientY - rect.top) * scale - offY, scale];
  };
  const clamp = () => {
    view[2] = Math.min(full[2], Math.max(full[2] / 40, view[2]));
    view[3] = view[2] * full[3] / full[2];
    view[0] = Math.min(full[0] + full[2] - view[2], Math.max(full[0], view[0]));
    view[1] = Math.min(full[1] + full[3] - view[3], Math.max(full[1], view[1]));
  };
  svg.addEventListener("wheel", (event) => {
    event.preventDefault();
    const [x, y] = toSvg(event);
    const factor = event.deltaY < 0 ? 0.8 : 1.25;
    view = [x - (x - view[0]) * factor, y - (y - view[1]) * factor, view[2] * factor, view[3] * factor];
    clamp();
    apply();
  }, { passive: false });
  let drag = null;
  svg.addEventListener("pointerdown", (event) => {
    if (event.target.closest(".marker")) return;
    drag = { x: event.clientX, y: event.clientY, view: [...view], scale: toSvg(event)[2] };
    svg.classList.add("dragging");
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag) return;
    view[0] = drag.view[0] - (event.clientX - drag.x) * drag.scale;
    view[1] = drag.view[1] - (event.clientY - drag.y) * drag.scale;
    clamp();
    apply();
  });
  const stop = () => { drag = null; svg.classList.remove("dragging"); };
  svg.addEventListener("pointerup", stop);
  svg.addEventListener("pointerleave", stop);
  svg.addEventListener("dblclick", () => { view = [...full]; apply(); });
  apply();
}

/* --- timeline ----------------------------------------------------------------------------- */

const DAY = 86400000;
const parseDay = (text) => Date.UTC(+text.slice(0, 4), +text.slice(5, 7) - 1, +text.slice(8, 10));
const dayText = (ms) => new Date(ms).toISOString().slice(0, 10);

function bucketStart(ms, unit) {
  if (unit === "day") return ms;
  const date = new Date(ms);
  if (unit === "week") return ms - ((date.getUTCDay() + 6) % 7) * DAY; // weeks start on Monday
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

function nextBucket(ms, unit) {
  if (unit === "day") return ms + DAY;
  if (unit === "week") return ms + 7 * DAY;
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

function renderTimeline(stats) {
  const box = $("#timeline");
  const rows = (stats.timeline || []).filter((r) => r.date && r.events > 0);
  const W = 1000;
  const H = 220;
  const m = { left: 40, right: 10, top: 10, bottom: 28 };
  const svg = withTips(s("svg", {
    viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Events over time by type",
    preserveAspectRatio: "xMidYMid meet",
  }));
  if (!rows.length) {
    s("text", { x: W / 2, y: H / 2, class: "empty-note", "text-anchor": "middle", text: "No dated event matches the filter." }, svg);
    box.replaceChildren(svg);
    $("#timeline-note").textContent = "";
    return;
  }
  const days = rows.map((r) => parseDay(r.date));
  const first = Math.min(...days);
  const last = Math.max(...days);
  const span = (last - first) / DAY;
  const unit = span <= 90 ? "day" : span <= 3 * 366 ? "week" : "month";
  // A short range is widened to two weeks of days, so that a bar keeps a sensible width.
  const pad = unit === "day" && span < 13 ? Math.ceil((13 - span) / 2) * DAY : 0;
  const buckets = [];
  const index = new Map();
  for (let b = bucketStart(first - pad, unit); b <= last + pad; b = nextBucket(b, unit)) {
    index.set(b, buckets.length);
    buckets.push({ start: b, total: 0, byType: {} });
  }
  rows.forEach((r, i) => {
    const bucket = buckets[index.get(bucketStart(days[i], unit))];
    bucket.total += r.events;
    bucket.byType[r.type] = (bucket.byType[r.type] || 0) + r.events;
  });
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const step = plotW / buckets.length;
  const barW = Math.max(1, step * (step > 4 ? 0.8 : 1));
  const y = (v) => m.top + plotH - (v / max) * plotH;
  const axis = s("g", { class: "axis" }, svg);
  const ticks = max <= 4 ? [...Array(max + 1).keys()] : [0, Math.round(max / 2), max];
  for (const t of ticks) {
    s("line", { x1: m.left, x2: W - m.right, y1: y(t), y2: y(t), class: t ? "grid" : "base" }, axis);
    s("text", { x: m.left - 6, y: y(t) + 4, "text-anchor": "end", text: t }, axis);
  }
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 8));
  const fmt = (ms) => (unit === "month" ? dayText(ms).slice(0, 7) : dayText(ms));
  buckets.forEach((b, i) => {
    if (i % labelEvery === 0) {
      const x = m.left + i * step + step / 2;
      s("line", { x1: x, x2: x, y1: m.top + plotH, y2: m.top + plotH + 4, class: "base" }, axis);
      s("text", { x, y: H - 8, "text-anchor": "middle", text: fmt(b.start) }, axis);
    }
  });
  const bars = s("g", { class: "bars" }, svg);
  const label = { day: "", week: "week of ", month: "month of " }[unit];
  buckets.forEach((b, i) => {
    if (!b.total) return;
    let acc = 0;
    const x = m.left + i * step + (step - barW) / 2;
    const parts = TYPES.filter((t) => b.byType[t]).map((t) => `${t}: ${b.byType[t]}`);
    const tip = `${label}${fmt(b.start)} · ${plural(b.total, "event")}\n${parts.join("\n")}`;
    const group = s("g", {
      class: "bucket", "data-from": dayText(b.start),
      "data-to": dayText(nextBucket(b.start, unit) - DAY), "data-tip": tip,
    }, bars);
    for (const t of TYPES) {
      const n = b.byType[t];
      if (!n) continue;
      s("rect", {
        x: x.toFixed(2), width: barW.toFixed(2), y: y(acc + n).toFixed(2),
        height: Math.max(0.5, y(acc) - y(acc + n)).toFixed(2),
        class: "bar", fill: typeColor(t), "data-type": t,
      }, group);
      acc += n;
    }
  });
  svg.addEventListener("click", (event) => {
    const bucket = event.target.closest(".bucket");
    if (!bucket) return;
    $("#filter-from").value = bucket.dataset.from;
    $("#filter-to").value = bucket.dataset.to;
    applyFilters(readFilters());
  });
  box.replaceChildren(svg);
  $("#timeline-note").textContent =
    `events per ${unit}, by type · click a bar to filter on its ${unit}`;
}

/* --- network ------------------------------------------------------------------------------ */

function networkData(data) {
  const nodes = new Map();
  const node = (key) => {
    if (!nodes.has(key)) nodes.set(key, { key, events: 0, names: new Map(), degree: 0 });
    return nodes.get(key);
  };
  for (const actor of data.actors || []) {
    const key = actor.key || actor.country || actor.name;
    if (!key) continue;
    const n = node(key);
    n.events += actor.events || 0;
    if (actor.name) n.names.set(actor.name, (n.names.get(actor.name) || 0) + (actor.events || 0));
  }
  const edges = (data.edges || []).filter((e) => e.source && e.target && e.events > 0);
  for (const e of edges) {
    node(e.source).degree += e.events;
    node(e.target).degree += e.events;
  }
  for (const n of nodes.values()) n.weight = Math.max(n.events, n.degree, 1);
  const kept = [...nodes.values()].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : 1))
    .slice(0, NETWORK_NODES);
  const keep = new Set(kept.map((n) => n.key));
  const among = edges.filter((e) => keep.has(e.source) && keep.has(e.target))
    .sort((a, b) => b.events - a.events || (a.source + a.target < b.source + b.target ? -1 : 1));
  return { nodes: kept, edges: among.slice(0, NETWORK_EDGES), allEdges: among.length };
}

// A small force layout: nodes repel, edges pull, a weak pull keeps the graph centred. It is
// deterministic (nodes start on a circle in weight order); after fitting the drawing area,
// overlapping nodes are pushed apart so that every label stays readable.
// A dense graph (many more links than nodes) stays on its starting circle, where a force
// layout would only make a ball.
function layout(nodes, edges, W, H, sizeOf, dense) {
  const n = nodes.length;
  const cx = W / 2;
  const cy = H / 2;
  const ring = dense ? 0.5 - 30 / Math.min(W, H) : 0.3;
  nodes.forEach((node, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, n) - Math.PI / 2;
    node.x = cx + Math.cos(angle) * W * ring;
    node.y = cy + Math.sin(angle) * H * ring;
  });
  const byKey = new Map(nodes.map((node) => [node.key, node]));
  const links = edges.filter((e) => e.source !== e.target)
    .map((e) => [byKey.get(e.source), byKey.get(e.target)]);
  const ideal = Math.min(W, H) / Math.sqrt(n + 1);
  let temperature = Math.min(W, H) / 8;
  for (let iter = 0; n > 2 && !dense && iter < 300; iter++) {
    for (const node of nodes) { node.dx = 0; node.dy = 0; }
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const a = nodes[i];
        const b = nodes[j];
        let dx = a.x - b.x;
        let dy = a.y - b.y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 0.01) { dx = 0.1 * (i - j); dy = 0.1; d2 = dx * dx + dy * dy; }
        const force = (ideal * ideal) / d2;
        a.dx += dx * force; a.dy += dy * force;
        b.dx -= dx * force; b.dy -= dy * force;
      }
    }
    for (const [a, b] of links) {
      const dx = a.x - b.x;
      const dy = a.y - b.y;
      const d = Math.sqrt(dx * dx + dy * dy) || 0.01;
      const force = d / ideal;
      a.dx -= dx * force; a.dy -= dy * force;
      b.dx += dx * force; b.dy += dy * force;
    }
    for (const node of nodes) {
      node.dx += (cx - node.x) * 0.08;
      node.dy += (cy - node.y) * 0.08;
      const d = Math.sqrt(node.dx * node.dx + node.dy * node.dy) || 1;
      const moveBy = Math.min(d, temperature);
      node.x += (node.dx / d) * moveBy;
      node.y += (node.dy / d) * moveBy;
    }
    temperature *= 0.985;
  }
  const pad = 12;
  const size = new Map(nodes.map((node) => [node, sizeOf(node)]));
  const [minX, maxX, minY, maxY] = [
    Math.min(...nodes.map((o) => o.x - size.get(o).w)), Math.max(...nodes.map((o) => o.x + size.get(o).w)),
    Math.min(...nodes.map((o) => o.y - size.get(o).h)), Math.max(...nodes.map((o) => o.y + size.get(o).h)),
  ];
  const scale = Math.min((W - 2 * pad) / Math.max(1, maxX - minX), (H - 2 * pad) / Math.max(1, maxY - minY), 8);
  for (const node of nodes) {
    node.x = cx + (node.x - (minX + maxX) / 2) * scale;
    node.y = cy + (node.y - (minY + maxY) / 2) * scale;
  }
  for (let pass = 0; pass < 80; pass++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const a = nodes[i];
        const b = nodes[j];
        const sa = size.get(a);
        const sb = size.get(b);
        const overlapX = sa.w + sb.w + 4 - Math.abs(a.x - b.x);
        const overlapY = sa.h + sb.h + 4 - Math.abs(a.y - b.y);
        if (overlapX <= 0 || overlapY <= 0) continue;
        moved = true;
        // Push apart along the axis that needs the smaller move.
        if (overlapX < overlapY) {
          const dir = a.x < b.x || (a.x === b.x && i < j) ? -1 : 1;
          a.x += (dir * overlapX) / 2; b.x -= (dir * overlapX) / 2;
        } else {
          const dir = a.y < b.y || (a.y === b.y && i < j) ? -1 : 1;
          a.y += (dir * overlapY) / 2; b.y -= (dir * overlapY) / 2;
        }
      }
    }
    for (const node of nodes) {
      const sz = size.get(node);
      node.x = Math.min(W - pad - sz.w, Math.max(pad + sz.w, node.x));
      node.y = Math.min(H - pad - sz.h, Math.max(pad + sz.h + sz.top, node.y));
    }
    if (!moved) break;
  }
}

function dominantType(types) {
  let best = null;
  for (const [t, n] of Object.entries(types || {})) if (!best || n > best[1]) best = [t, n];
  return best ? best[0] : null;
}

function renderNetwork(data) {
  const box = $("#network");
  const W = 400;
  const H = 380;
  const svg = withTips(s("svg", {
    viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Actor network",
    preserveAspectRatio: "xMidYMid meet",
  }));
  const { nodes, edges, allEdges } = networkData(data);
  const dense = edges.length > 2.5 * nodes.length;
  if (!nodes.length) {
    s("text", { x: W / 2, y: H / 2, class: "empty-note", "text-anchor": "middle", text: "No actor in the current filter." }, svg);
    box.replaceChildren(svg);
    $("#network-note").textContent = "";
    return;
  }
  const maxEdge = Math.max(1, ...edges.map((e) => e.events));
  const maxNode = Math.max(1, ...nodes.map((node) => node.weight));
  const [rMin, rGrow] = dense ? [10, 8] : [12, 12];
  const radius = (node) => rMin + rGrow * Math.sqrt(node.weight / maxNode);
  const label = (node) => (node.key.length > 16 ? node.key.slice(0, 15) + "…" : node.key);
  const inside = (node) => label(node).length <= 3;
  const loops = new Set(edges.filter((e) => e.source === e.target).map((e) => e.source));
  // The box each node needs: its circle, a label under it when the label does not fit inside,
  // and room above for a self-loop.
  const sizeOf = (node) => {
    const r = radius(node);
    const w = inside(node) ? r : Math.max(r, label(node).length * 3.1);
    return { w, h: inside(node) ? r : r + 7, top: loops.has(node.key) ? r * 1.4 : 0 };
  };
  layout(nodes, edges, W, H, sizeOf, dense);
  const byKey = new Map(nodes.map((node) => [node.key, node]));
  const defs = s("defs", {}, svg);
  const usedColors = new Set(edges.map((e) => typeColor(dominantType(e.types))));
  for (const color of usedColors) {
    const marker = s("marker", {
      id: `arrow-${color.slice(1)}`, viewBox: "0 0 10 10", refX: 9, refY: 5,
      markerWidth: 5, markerHeight: 5, orient: "auto-start-reverse", markerUnits: "userSpaceOnUse",
    }, defs);
    marker.setAttribute("markerWidth", 9);
    marker.setAttribute("markerHeight", 9);
    s("path", { d: "M0,0L10,5L0,10Z", fill: color }, marker);
  }
  const edgeLayer = s("g", { class: dense ? "edges dense" : "edges" }, svg);
  const pairs = new Set(edges.map((e) => `${e.source}\u0000${e.target}`));
  for (const e of edges) {
    const a = byKey.get(e.source);
    const b = byKey.get(e.target);
    const color = typeColor(dominantType(e.types));
    const width = dense ? 0.6 + 3.5 * (e.events / maxEdge) : 1.2 + 7 * (e.events / maxEdge);
    const parts = Object.entries(e.types || {}).sort((x, y) => y[1] - x[1]).map(([t, n]) => `${t} ${n}`);
    const tip = `${e.source} → ${e.target}: ${plural(e.events, "event")}${parts.length ? "\n" + parts.join(", ") : ""}`;
    let d;
    if (a === b) {
      const r = radius(a);
      d = `M${a.x - r * 0.5},${a.y - r * 0.85} C${a.x - r * 1.5},${a.y - r * 2.5} ${a.x + r * 1.5},${a.y - r * 2.5} ${a.x + r * 0.5},${a.y - r * 0.85}`;
    } else {
      // Curve both ways between a pair so A→B and B→A stay apart; straight otherwise.
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len = Math.sqrt(dx * dx + dy * dy) || 1;
      const bend = pairs.has(`${e.target}\u0000${e.source}`) ? 0.18 : 0.06;
      let mx = (a.x + b.x) / 2 - dy * bend;
      let my = (a.y + b.y) / 2 + dx * bend;
      if (dense) {
        // On the circle, links bow towards the centre.
        mx += (W / 2 - mx) * 0.3;
        my += (H / 2 - my) * 0.3;
      }
      const rb = radius(b) + 2;
      // End at the target's rim, along the curve's last direction.
      const ex = b.x - ((b.x - mx) / Math.hypot(b.x - mx, b.y - my)) * rb;
      const ey = b.y - ((b.y - my) / Math.hypot(b.x - mx, b.y - my)) * rb;
      d = `M${a.x.toFixed(1)},${a.y.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`;
      if (len < 1) continue;
    }
    s("path", {
      d, class: "edge", stroke: color, "stroke-width": width.toFixed(2),
      "marker-end": a === b ? null : `url(#arrow-${color.slice(1)})`, "data-tip": tip,
      "data-source": e.source, "data-target": e.target,
    }, edgeLayer);
  }
  const nodeLayer = s("g", { class: "nodes" }, svg);
  for (const node of nodes) {
    const names = [...node.names.entries()].sort((x, y) => y[1] - x[1]).slice(0, 6).map(([name]) => name);
    const tip = `${node.key}: ${plural(node.weight, "event")}${names.length ? "\n" + names.join(", ") : ""}`;
    const group = s("g", { class: "node", "data-key": node.key, "data-tip": tip, tabindex: 0 }, nodeLayer);
    s("circle", { cx: node.x.toFixed(1), cy: node.y.toFixed(1), r: radius(node).toFixed(1) }, group);
    const r = radius(node);
    const y = inside(node) ? node.y + 4 : node.y + r + 11;
    s("text", {
      x: node.x.toFixed(1), y: y.toFixed(1), "text-anchor": "middle", text: label(node),
      class: inside(node) ? "inside" : "below",
    }, group);
  }
  svg.addEventListener("click", (event) => {
    const group = event.target.closest(".node");
    if (!group) return;
    const select = $("#filter-country");
    const option = [...select.options].find((o) => o.value === group.dataset.key);
    if (!option) return;
    for (const o of select.options) o.selected = o === option;
    applyFilters(readFilters());
  });
  box.replaceChildren(svg);
  $("#network-note").textContent =
    `${plural(nodes.length, "actor")}, ${allEdges > edges.length ? `the ${edges.length} strongest of ${allEdges} links` : plural(edges.length, "link")} · width by events · click a country to filter`;
}

/* --- article view ------------------------------------------------------------------------- */

async function getArticle(id) {
  if (!state.articles.has(id)) state.articles.set(id, await api(`/api/articles/${encodeURIComponent(id)}`));
  return state.articles.get(id);
}

async function selectEvent(eventId, articleId = null, reveal = false) {
  try {
    const event = await api(`/api/events/${encodeURIComponent(eventId)}`);
    const mentions = event.mentions || [];
    let mention = mentions.find((m) => m.article_id === articleId);
    if (!mention) mention = mentions.find((m) => m.article_id === event.first_article_id) || mentions[0];
    const chosen = mention ? mention.article_id : event.first_article_id;
    const article = chosen ? await getArticle(chosen) : null;
    state.eventId = eventId;
    state.articleId = chosen || null;
    saveHash();
    for (const row of document.querySelectorAll("#event-table tr.event-row")) {
      row.classList.toggle("selected", row.dataset.eventId === eventId);
    }
    for (const dot of document.querySelectorAll("#map .event-dot")) {
      dot.classList.toggle("selected", dot.dataset.eventId === eventId);
    }
    renderDetail(event, mention, article);
    if (article) renderArticle(article, event, mention);
    if (reveal) $("#article-panel").scrollIntoView({ block: "start" });
    scrollToActive();
  } catch (err) {
    status(`Could not open the event (${err.message}).`, true);
  }
}

function analysisOf(article) {
  let analysis = article.analysis;
  if (typeof analysis === "string") {
    try { analysis = JSON.parse(analysis); } catch (_) { analysis = null; }
  }
  return analysis && typeof analysis === "object" ? analysis : null;
}

function recordOf(mention) {
  if (!mention.record) return null;
  if (typeof mention.record === "object") return mention.record;
  try { return JSON.parse(mention.record); } catch (_) { return null; }
}

function validSpan(span, length) {
  return Array.isArray(span) && span.length === 2 && Number.isInteger(span[0])
    && Number.isInteger(span[1]) && span[0] >= 0 && span[0] < span[1] && span[1] <= length;
}

// Every highlight of an article: [start, end) with its classes, a rank (lower ranks are placed
// first and are never split by later ones) and a tooltip.
function collectSpans(article, activeMention) {
  const text = article.text || "";
  const spans = [];
  const seen = new Set();
  const add = (span, cls, rank, tip, data = {}) => {
    if (!validSpan(span, text.length)) return;
    const key = `${cls}|${span[0]}|${span[1]}|${data["data-event-id"] || ""}`;
    if (seen.has(key)) return;
    seen.add(key);
    spans.push({ start: span[0], end: span[1], cls, rank, tip, data });
  };
  const mentions = article.mentions || [];
  for (const m of mentions) {
    const active = activeMention && m.id === activeMention.id && m.article_id === activeMention.article_id;
    const tip = `${m.event_type} · ${m.status}\n${party(m.actor_name, m.actor_country)} → ${party(m.recipient_name, m.recipient_country)}`;
    add([m.evidence_start, m.evidence_end], active ? "hl-event hl-evidence active" : "hl-event",
      active ? 0 : 1, tip, { "data-event-id": m.event_id, "data-mention-id": m.id });
  }
  const analysis = analysisOf(article);
  const actorTip = (a) => `actor: ${a.name || a.text}${a.country || a.sector ? ` (${[a.country, a.sector].filter(Boolean).join(", ")})` : ""}`;
  const placeTip = (p) => `place: ${p.name || p.text}${p.country ? ` (${p.country})` : ""}`;
  const dateTip = (d) => `date: ${d.value || "?"}${d.precision ? ` (${d.precision})` : ""}`;
  const sourceTip = (a) => `source: ${a.source} (${a.source_type})`;
  const quantityTip = (q) => `quantity: ${q.value ?? q.text}${q.item ? ` × ${q.item}` : ""}${q.unit ? ` ${q.unit}` : ""}`;
  const addAll = (found) => {
    for (const a of found.actors || []) add(a.span, "hl-actor", 3, actorTip(a));
    for (const a of found.attributions || []) {
      add(a.span, "hl-attribution", 2, sourceTip(a));
      add(a.cue_span, "hl-attribution hl-cue", 2, `attribution cue: ${a.cue || ""}`);
    }
    for (const p of found.places || []) add(p.span, "hl-place", 4, placeTip(p));
    for (const d of found.dates || []) add(d.span, "hl-date", 5, dateTip(d));
    for (const q of found.quantities || []) add(q.span, "hl-quantity", 6, quantityTip(q));
  };
  if (analysis) {
    addAll(analysis);
    if (!mentions.length) {
      for (const e of analysis.events || []) {
        if (e.evidence) add([e.evidence.start, e.evidence.end], "hl-event", 1, `${e.event_type} · ${e.status}`);
      }
    }
  } else {
    // An article stored without its analysis: the spans of its event records still show.
    for (const m of mentions) {
      const r = recordOf(m);
      if (!r) continue;
      addAll({
        actors: [r.actor, r.recipient].filter(Boolean),
        attributions: r.attribution ? [r.attribution] : [],
        places: r.location ? [r.location] : [],
        dates: r.date ? [r.date] : [],
        quantities: r.quantities || [],
      });
    }
  }
  return spans;
}

// Inserts a span into a tree of properly nested spans; where it crosses an existing span's
// boundary it is cut there, so the marks always nest and every character keeps its classes.
function insertSpan(parent, span) {
  const cuts = new Set([span.start, span.end]);
  for (const child of parent.children) {
    if (child.end <= span.start || child.start >= span.end) continue;
    if (span.start >= child.start && span.end <= child.end) {
      insertSpan(child, span);
      return;
    }
    if (child.start >= span.start && child.end <= span.end) continue;
    if (child.start > span.start) cuts.add(child.start);
    if (child.end < span.end) cuts.add(child.end);
  }
  if (cuts.size > 2) {
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      insertSpan(parent, { ...span, start: points[i], end: points[i + 1], piece: true });
    }
    return;
  }
  const inside = (c) => c.start >= span.start && c.end <= span.end;
  const node = { ...span, children: parent.children.filter(inside) };
  parent.children = parent.children.filter((c) => !inside(c)).concat(node)
    .sort((a, b) => a.start - b.start);
}

function buildMarks(text, spans) {
  const root = { start: 0, end: text.length, children: [] };
  spans.sort((a, b) => a.rank - b.rank || a.start - b.start || b.end - a.end);
  for (const span of spans) insertSpan(root, span);
  const emit = (node, into) => {
    let at = node.start;
    for (const child of node.children) {
      if (child.start > at) into.append(text.slice(at, child.start));
      const mark = h("mark", { class: child.cls, title: child.tip, ...child.data });
      if (child.piece) mark.classList.add("piece");
      emit(child, mark);
      into.append(mark);
      at = child.end;
    }
    if (at < node.end) into.append(text.slice(at, node.end));
  };
  const frag = document.createDocumentFragment();
  emit(root, frag);
  return frag;
}

function renderArticle(article, event, mention) {
  const view = $("#article-view");
  const meta = [article.outlet, isoDate(article.published)].filter(Boolean).join(" · ");
  const legend = h("div", { class: "hl-legend", role: "group", "aria-label": "Highlights" },
    ...HIGHLIGHTS.map(([cls, label]) => {
      const box = h("input", { type: "checkbox", "data-cls": cls });
      box.checked = !state.hidden.has(cls);
      box.addEventListener("change", () => {
        if (box.checked) state.hidden.delete(cls); else state.hidden.add(cls);
        view.classList.toggle(`hide-${cls}`, !box.checked);
      });
      return h("label", { class: "hl-key" }, box, h("mark", { class: cls }, label));
    }));
  const body = h("div", { class: "article-text" });
  body.append(buildMarks(article.text || "", collectSpans(article, mention)));
  body.addEventListener("click", (clicked) => {
    const mark = clicked.target.closest("mark.hl-event");
    if (mark && mark.dataset.eventId && !mark.classList.contains("active")) {
      selectEvent(mark.dataset.eventId, article.id);
    }
  });
  const title = h("h3", {}, article.title || "(untitled article)");
  const link = article.url ? h("a", { href: article.url, target: "_blank", rel: "noopener noreferrer" }, "original") : null;
  view.replaceChildren(title, h("p", { class: "meta" }, meta, meta && link ? " · " : "", link), legend, body);
  for (const [cls] of HIGHLIGHTS) view.classList.toggle(`hide-${cls}`, state.hidden.has(cls));
  view.dataset.articleId = article.id;
  view.dataset.eventId = event.id;
}

function scrollToActive() {
  const body = $("#article-view .article-text");
  const mark = body && body.querySelector("mark.hl-evidence.active");
  if (!mark) return;
  body.scrollTop = Math.max(0, mark.offsetTop - body.clientHeight / 4);
}

function renderDetail(event, mention, article) {
  const detail = $("#event-detail");
  const evidence = mention ? mention.evidence_text : "";
  const others = (event.articles || []).filter((a) => !article || a.id !== article.id);
  const rows = [
    ["Who", `${party(event.actor_name, event.actor_country)} → ${party(event.recipient_name, event.recipient_country)}${event.reciprocal ? " (reciprocal)" : ""}`],
    ["This article", mention ? `${mention.actor_text || "—"} → ${mention.recipient_text || "—"}${mention.place_text ? ` · in ${mention.place_text}` : ""}${mention.date_text ? ` · ${mention.date_text}` : ""}` : "—"],
    ["When", event.date_value ? `${isoDate(event.date_value)}${event.date_precision ? ` (${event.date_precision})` : ""}` : "—"],
    ["Where", party(event.place_name, event.place_country)],
    ["Source", mention && mention.source ? `${mention.source} (${mention.source_type})` : (mention ? "the article itself" : "—")],
    ["Confidence", typeof event.confidence === "number" ? event.confidence.toFixed(2) : "—"],
  ];
  const list = h("ul", { id: "other-articles" }, ...others.map((a) => h("li", {},
    h("a", { href: "#", "data-article-id": a.id, onclick: (clicked) => {
      clicked.preventDefault();
      selectEvent(event.id, a.id);
    } }, a.title || a.id),
    h("span", { class: "meta" }, [a.outlet, isoDate(a.published)].filter(Boolean).join(" · ")))));
  detail.replaceChildren(
    h("div", { class: "detail-head" },
      h("span", { class: "type-chip", style: `--c:${typeColor(event.event_type)}` }, event.event_type),
      event.mode ? h("span", { class: "mode" }, `mode: ${event.mode}`) : null,
      h("span", { class: `status status-${event.status}` }, event.status),
      h("span", { class: "event-id" }, `event ${event.id}`)),
    h("dl", {}, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    h("p", { class: "label" }, "Evidence in this article"),
    h("blockquote", { class: "evidence-text" }, evidence || "—"),
    h("p", { class: "label" }, others.length
      ? `Also reported by ${plural(others.length, "other article")}`
      : "No other article in the store reports this event."),
    list,
  );
  detail.hidden = false;
}

/* --- start -------------------------------------------------------------------------------- */

async function loadOutlines() {
  try {
    state.outlines = await api("/api/outlines");
    if (state.stats) renderMap();
  } catch (err) {
    status(`Map outlines unavailable (${err.message}).`, true);
  }
}

async function start() {
  const form = $("#filters");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    applyFilters(readFilters());
  });
  $("#near-clear").addEventListener("click", () => setNear(""));
  $("#reset-filters").addEventListener("click", () => {
    writeFilters({});
    applyFilters({});
  });
  $("#page-prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE);
    loadPage();
  });
  $("#page-next").addEventListener("click", () => {
    state.offset += PAGE_SIZE;
    loadPage();
  });
  const table = $("#event-table");
  table.addEventListener("click", (event) => {
    const row = event.target.closest("tr.event-row");
    if (row) selectEvent(row.dataset.eventId);
  });
  table.addEventListener("keydown", (event) => {
    const row = event.target.closest("tr.event-row");
    if (row && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      selectEvent(row.dataset.eventId);
    }
  });
  const outlines = loadOutlines();
  try {
    fillFilters(await api("/api/filters"));
  } catch (err) {
    status(`Could not load the filter values (${err.message}).`, true);
  }
  const saved = readHash();
  writeFilters(saved.params);
  state.params = readFilters();
  await loadAll();
  await outlines;
  if (saved.eventId) await selectEvent(saved.eventId, saved.articleId);
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
