// @ts-check
/**
 * The app shell: the connection to the session, the URL state, the top bar, the data
 * column and which workspace is open. The dataset's modality picks the workspace:
 * points (and tables) open workspaces/points.js, images workspaces/images.js; each is
 * the composition root of its own widgets. This module holds the page's one mutable
 * state; every other module is a leaf (a widget class, a client, or pure functions)
 * or a workspace that works on the state it is given.
 * The user's own data (points, CSV), the sessions list and weight edits live in
 * actions.js, which works on the same state through the `app` object built here.
 */
import { Api } from "./api.js";
import { Actions } from "./actions.js";
import { Controls } from "./controls.js";
import { SessionController } from "./controller.js";
import { noCsv } from "./csvlink.js";
import { thumbnailSample } from "./datasource.js";
import { LossChart } from "./linechart.js";
import { MetricsDisplay } from "./metrics.js";
import { OwnDataPanel } from "./owndata.js";
import { SessionsPanel } from "./sessions.js";
import { bindShortcuts } from "./shortcuts.js";
import { CSV, DRAWN, IMAGES, MAX_HIDDEN_LAYERS, MAX_NEURONS, applyChange, deserialize, fromSpec,
  isImageState, lossesFor, outputKind, presetBase, serialize, toSpec } from "./state.js";
import { Banner } from "./status.js";
import { DatasetPicker } from "./thumbs.js";
import { ImagesWorkspace } from "./workspaces/images.js";
import { PointsWorkspace } from "./workspaces/points.js";

const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const api = new Api("/api", new URLSearchParams(location.search).get("token"));

/** The page's state, in one place. */
const page = {
  state: deserialize(location.hash),
  /** @type {import("./layers.js").Catalog | null} GET /api/catalog: every choice the engine offers */
  catalog: null,
  /** @type {any[]} */ datasets: [],
  /** @type {Map<string, any>} */ presets: new Map(),
  /** @type {Map<string, import("./thumbs.js").Sample>} */ samples: new Map(),
  /** @type {any} */ spec: null,
  /** @type {import("./datasource.js").SessionPoints | null} */ points: null,
  status: "ready", epoch: 0, step: 0, hovered: /** @type {string | null} */ (null),
  /** @type {any} the newest snapshot */ outputFrame: null,
  /** @type {any[] | null} */ weights: null,
  tablePoints: /** @type {number[][]} */ ([]), hoverPoint: /** @type {number[] | null} */ (null),
  /** the training sample the activations panel shows (0-based) */ sample: 0,
  rebuildTimer: 0, measuring: false,
  /** the uploaded CSV file */
  own: noCsv(),
  /** @type {{data: any, info: {n: number, shape: number[], classes: number}, file: string} | null} uploaded images: a spec's data section */
  ownImages: null,
  pick: 1,
  /** @type {any[]} */ sessions: [],
  /** how far the network may grow: the server's limits (GET /api/limits) once known */
  limits: { hiddenLayers: MAX_HIDDEN_LAYERS, neurons: MAX_NEURONS, units: 1024, layers: 32 },
};

/** Redraw counters for benchmarks/page.py (read as window.__playgroundStats). */
const stats = { outputFrames: 0, neuronFrames: 0, boundaryDraws: 0, networkDraws: 0, chartDraws: 0, chartMs: /** @type {number[]} */ ([]), chartPoints: 0 };
/** @type {any} */ (window).__playgroundStats = stats;

const banner = new Banner(byId("banner"));
const controls = new Controls(document.body, { onChange: (partial) => change(partial) });
const picker = new DatasetPicker(byId("thumbs"), { onSelect: (dataset) => change({ dataset }) });
const chart = new LossChart(byId("loss-chart"), { height: 70, onDraw: (ms, n) => {
  stats.chartDraws += 1;
  stats.chartPoints = n;
  if (stats.chartMs.push(ms) > 4096) stats.chartMs.splice(0, 2048);
} });
const metrics = new MetricsDisplay(byId("metrics-block"), { chart });

const live = new SessionController(api, {
  load: (summary) => workspaceOf(summary.spec).load(summary),
  snapshotRequest: () => open().snapshotRequest(),
  onSession(summary, loaded, history) {
    page.spec = summary.spec;
    page.step = summary.step;
    document.body.dataset.session = summary.id;
    const ws = workspaceOf(summary.spec);
    openWorkspace(ws);
    chart.load(history.epoch);
    ws.show(summary, loaded);
    showMetrics(summary.metrics);
    showStatus(summary.status);
    actions.refreshSessions();
  },
  onStatus(frame) {
    if (frame.spec) page.spec = frame.spec;
    if (frame.step < page.step) { chart.clear(); actions.measured = { key: "" }; }
    page.step = frame.step;
    if (frame.epoch !== undefined) { page.epoch = frame.epoch; metrics.epoch(frame.epoch); }
    showStatus(frame.status);
  },
  onMetrics(frame) {
    if (frame.step < page.step) { chart.clear(); actions.measured = { key: "" }; }
    page.step = frame.step;
    showMetrics(frame);
    if (frame.status && frame.status !== page.status) showStatus(frame.status);
  },
  onSnapshot(frame) { open().snapshot(frame); },
  onConnection(state, attempt) {
    if (state === "down") {
      banner.show("connection", `Lost the connection to the server; reconnecting (attempt ${attempt})…`, "warn");
      byId("rate").textContent = "";  // no training is seen while the connection is down
    } else if (banner.kind === "connection") {
      banner.show("reconnected", "Reconnected to the server.", "ok", 2500);
      if (live.id) api.history(live.id).then((h) => chart.load(h.epoch)).catch(() => {});
    }
  },
  onError(error) {
    banner.show("error", `Server: ${error.message}`, "error");
  },
});

const points = new PointsWorkspace(byId("workspace-points"), { api, page, stats, metrics, change,
  refresh: () => live.refresh(), addPoint: (p, secondary) => actions.addPoint(p, secondary),
  editWeight: (param, value) => actions.editWeight(param, value) });
const images = new ImagesWorkspace(byId("workspace-images"), { api, page, metrics, change, banner,
  refresh: () => live.refresh(), upload: byId("own-images") });
/** @type {PointsWorkspace | ImagesWorkspace} */
let current = points;

/** The workspace open now. */
function open() { return current; }

/** @param {PointsWorkspace | ImagesWorkspace} ws */
function openWorkspace(ws) {
  if (ws === current && !ws.root.hidden) return;
  current = ws;
  points.open(ws === points);
  images.open(ws === images);
  document.body.dataset.workspace = ws === images ? "images" : "points";
}

/** Whether a spec trains on images: an image dataset's name, or inline images (rank 4). @param {any} spec */
function isImageSpec(spec) {
  const d = spec.data ?? {};
  if (d.dataset === DRAWN) {
    const x = d.X;
    return Boolean(x && (Array.isArray(x.shape) ? x.shape.length === 4 : Array.isArray(x[0]?.[0]?.[0])));
  }
  return page.datasets.find((ds) => ds.name === d.dataset)?.modality === "image";
}

/** @param {any} spec */
function workspaceOf(spec) { return isImageSpec(spec) ? images : points; }

/** @param {Partial<import("./state.js").State>} partial */
function change(partial) {
  const before = page.state;
  const next = applyChange(before, partial, page.presets, page.datasets, page.catalog);
  page.state = next;
  history.replaceState(null, "", `#${serialize(next)}`);
  showState();
  const liveKeys = ["lr", "optimizer", "momentum", "beta1", "beta2", "reg", "regRate", "batch"];
  const changed = Object.keys(partial).filter((k) => /** @type {any} */ (partial)[k] !== /** @type {any} */ (before)[k]);
  if (changed.every((k) => k === "showTest" || k === "discretize")) { points.redraw(); return; }
  if (changed.every((k) => liveKeys.includes(k)) && live.id) {
    const optimizer = /** @type {any} */ ({ type: next.optimizer, lr: next.lr });
    for (const key of ["momentum", "beta1", "beta2"]) if (changed.includes(key)) optimizer[key] = /** @type {any} */ (next)[key];
    live.set({ optimizer, regularization: { type: next.reg, rate: next.regRate }, batch_size: next.batch });
    return;
  }
  window.clearTimeout(page.rebuildTimer);
  page.rebuildTimer = window.setTimeout(rebuild, changed.includes("points") ? 250 : 120);
}

/** What toSpec needs beyond the state. */
function specContext() {
  const s = page.state;
  const image = isImageState(s, page.datasets);
  const dataset = page.datasets.find((d) => d.name === s.dataset);
  return { catalog: page.catalog, image, imageData: page.ownImages?.data,
    classes: image ? dataset?.classes ?? page.ownImages?.info.classes ?? 2 : undefined };
}

/** The state a spec stands for (a session resumed from the list). @param {any} spec */
function stateOf(spec) {
  return fromSpec(spec, "", page.state, { catalog: page.catalog, image: isImageSpec(spec) });
}

/** Builds the session the state describes; resolves once it is shown (or has failed). */
function rebuild() {
  const s = page.state;
  const preset = page.presets.get(s.preset);
  byId("preset-note").hidden = !preset;
  byId("preset-note").textContent = preset?.description ?? "";
  const ws = isImageState(s, page.datasets) ? images : points;
  openWorkspace(ws);
  if ((s.dataset === DRAWN && !s.points.length) || (s.dataset === CSV && !page.own.csv) || (s.dataset === IMAGES && !page.ownImages)) {
    live.stop();
    delete document.body.dataset.session;
    page.spec = null;
    metrics.clear();
    page.epoch = 0;
    ws.empty();
    showStatus("ready");
    actions.refreshSessions();
    return;
  }
  const dataset = page.datasets.find((d) => d.name === s.dataset);
  const spec = toSpec(s, dataset, preset?.spec ?? null,
    { csv: page.own.csv, target: page.own.target, inputs: page.own.columns.length - 1, classes: page.own.classes },
    specContext());
  spec.name = actions.describe(spec);
  const autoplay = page.status === "running" && s.dataset === DRAWN;
  showStatus("ready");
  images.building(ws === images ? spec : null);
  return live.start(spec, { autoplay }).catch((e) => {
    delete document.body.dataset.session;
    page.spec = null;
    if (ws === images && images.failed(e)) return;
    ws.empty();
    banner.show("error", `Could not start the session: ${e.message}`, "error");
  });
}

function showState() {
  const s = page.state;
  const dataset = page.datasets.find((d) => d.name === s.dataset);
  const image = isImageState(s, page.datasets);
  const kind = image ? { regression: false, classes: specContext().classes ?? 2 } : outputKind(s, dataset, page.own);
  controls.update(s, { twoD: dataset?.n_features === 2, fixedData: s.dataset.startsWith("course") || s.dataset === DRAWN,
    losses: lossesFor(kind, page.catalog), classes: dataset && "classes" in dataset.params ? kind.classes : null,
    preset: presetBase(s, page.presets.get(s.preset)?.spec), image,
    noise: image ? Boolean(dataset && "noise" in dataset.params) : undefined });
  const shown = (/** @type {any} */ d) => d.kind === s.problem && !d.name.startsWith("course")
    && (d.n_features === 2 || d.modality === "image");
  const builtIn = page.datasets.filter(shown);
  const own = [...(s.problem === "classification" ? [{ name: DRAWN, title: "Your points", description: "click points onto the plane and train on them" }] : []),
    { name: CSV, title: "CSV file", description: "upload your own data as a CSV file" },
    ...(s.problem === "classification" ? [{ name: IMAGES, title: "Image files", description: "upload your own images: an .npz file (X, y) or MNIST's IDX files" }] : [])];
  page.samples.set(DRAWN, actions.drawnSample());
  if (!page.samples.has(CSV)) page.samples.set(CSV, { x: [], y: [], label: [], regression: false, text: "CSV" });
  if (!page.samples.has(IMAGES)) page.samples.set(IMAGES, { x: [], y: [], label: [], regression: false, text: "npz" });
  picker.update({ datasets: [...builtIn, ...own], selected: s.dataset, samples: page.samples });
  actions.showOwnData();
  points.showState(s);
  images.showState(s);
}

/** @param {any} m */
function showMetrics(m) {
  page.epoch = m.epoch;
  metrics.update(m);
  actions.showLive();
  if (m.step === 0 && (m.train_loss === null || m.train_loss === undefined)) actions.measureNow();
  live.pump();
}

/** @param {string} status */
function showStatus(status) { actions.showStatus(status); }

function togglePlay() {
  if (!live.id) return;
  if (page.status === "running") live.pause();
  else if (page.status === "finished" || page.status === "diverged") showStatus(page.status);
  else live.play();
}

const actions = new Actions({ api, page, live, banner, change, rebuild, showState,
  measureNow: () => actions.measureNow(), view: /** @type {any} */ ({ metrics: (/** @type {any} */ m) => showMetrics(m),
    folded: () => points.view.folded(), drawnWeights: (/** @type {any} */ w) => points.view.drawnWeights(w) }),
  network: points.network, stateOf, isImageSpec,
  titles: () => new Map(/** @type {[string, string][]} */ ([...page.datasets.map((d) => [d.name, d.title]),
    [DRAWN, "Your points"], [CSV, "CSV file"], [IMAGES, "Image files"]])),
  ownData: new OwnDataPanel(byId("own-data"), {
    onPick: (cls) => { page.pick = cls; actions.showOwnData(); },
    onClear: () => change({ points: [] }),
    onFile: (name, text) => actions.loadCsv(name, text),
    onTarget: (column) => actions.pickTarget(column),
  }),
  sessions: new SessionsPanel(byId("sessions-panel").querySelector(".panel-body") ?? document.body, {
    exportUrl: (id) => api.exportUrl(id),
    onLoad: (file) => actions.importFile(file),
    onResume: (summary) => actions.resume(summary),
    onDelete: (summary) => actions.deleteSession(summary),
    onRefresh: () => actions.refreshSessions(),
  }) });

/** Uploaded images arrived (a spec's data section): train on them. @param {any} upload */
images.onUploaded = (upload) => {
  page.ownImages = upload;
  window.clearTimeout(page.rebuildTimer);
  if (page.state.dataset !== IMAGES) change({ dataset: IMAGES });
  else { showState(); rebuild(); }
};

function wire() {
  byId("play").addEventListener("click", togglePlay);
  byId("step").addEventListener("click", () => { if (page.status === "running") live.pause(); if (live.id) live.stepEpoch(); });
  byId("reset").addEventListener("click", () => live.reset());
  byId("regenerate").addEventListener("click", () => change({ seed: page.state.seed + 1 }));
  byId("add-layer").addEventListener("click", () => change({ hidden: [...page.state.hidden, 2] }));
  byId("remove-layer").addEventListener("click", () => change({ hidden: page.state.hidden.slice(0, -1) }));
  byId("preset").addEventListener("change", (e) => change({ preset: /** @type {HTMLSelectElement} */ (e.target).value }));
  bindShortcuts({ toggle: togglePlay, step: () => byId("step").click(), reset: () => live.reset() });
  window.addEventListener("pagehide", () => live.leave());
  window.addEventListener("pageshow", (e) => { if (e.persisted && !live.id) rebuild(); });  // back from the cache
  window.addEventListener("hashchange", async () => {
    if (location.hash.slice(1) === serialize(page.state)) return;
    page.state = deserialize(location.hash);
    await actions.csvFromLink();
    showState();
    rebuild();
  });
}

/** Open a session given by `?session=ID` in the address: resume it here. */
async function sessionFromAddress() {
  const id = new URLSearchParams(location.search).get("session");
  if (!id) return false;
  const rest = new URLSearchParams(location.search);
  rest.delete("session");  // from here on the hash is the set-up: a reload must not go back to this session
  history.replaceState(null, "", `${location.pathname}${rest.size ? `?${rest}` : ""}${location.hash}`);
  try {
    await actions.resume(await api.session(id));
    return true;
  } catch (e) {
    banner.show("error", `Could not open session ${id}: ${/** @type {Error} */ (e).message}`, "error");
    return false;
  }
}

async function main() {
  wire();
  const [catalog, datasets, presets, limits] = await Promise.all([api.catalog(), api.datasets(), api.presets(),
    api.limits()]);
  page.catalog = catalog;
  page.limits = { hiddenLayers: limits.max_layers - 1, neurons: limits.max_units, units: limits.max_units, layers: limits.max_layers };
  page.datasets = datasets;
  for (const p of presets) page.presets.set(p.name, p);
  controls.setCatalog(catalog);
  controls.setPresets(presets);
  images.setCatalog(catalog);
  await actions.csvFromLink();
  if (page.state.preset && !location.hash.includes("dataset=")) change({ preset: page.state.preset });
  showState();
  if (!(await sessionFromAddress())) await rebuild();  // the session first: the thumbnails' requests would queue before it
  await Promise.all(datasets.filter((/** @type {any} */ d) => (d.n_features === 2 || d.modality === "image") && !d.name.startsWith("course"))
    .map(async (/** @type {any} */ d) => {
      try {
        page.samples.set(d.name, await thumbnailSample(api, d));
        showState();
      } catch (e) { console.warn(`thumbnail of ${d.name}:`, e); }
    }));
}

main().catch((e) => banner.show("error", `The page could not start: ${e.message}`, "error"));
