// @ts-check
/**
 * The composition root: builds every widget, holds the page's one mutable state, and
 * wires controls, the URL hash and the live session together. Every other module is a
 * leaf (a widget class, a client, or pure functions) and holds no module-level state.
 * The user's own data (points, CSV), the sessions list and weight edits live in
 * actions.js, which works on the same state through the `app` object built here.
 */
import { ActivationsPanel } from "./activations.js";
import { Api } from "./api.js";
import { Actions } from "./actions.js";
import { Controls } from "./controls.js";
import { SessionController } from "./controller.js";
import { noCsv } from "./csvlink.js";
import { thumbnailSample } from "./datasource.js";
import { SessionView } from "./display.js";
import { ValueEditor } from "./editor.js";
import { Heatmap } from "./heatmap.js";
import { LossChart } from "./linechart.js";
import { NetworkView } from "./network.js";
import { OwnDataPanel } from "./owndata.js";
import { PredictionsTable } from "./predictions.js";
import { SessionsPanel } from "./sessions.js";
import { bindShortcuts } from "./shortcuts.js";
import { CSV, DRAWN, FEATURES, MAX_HIDDEN_LAYERS, MAX_NEURONS, applyChange, deserialize,
  lossesFor, outputKind, presetBase, serialize, toSpec } from "./state.js";
import { Banner } from "./status.js";
import { DatasetPicker } from "./thumbs.js";
import { WeightsPanel } from "./weights.js";

const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const api = new Api("/api", new URLSearchParams(location.search).get("token"));

/** The page's state, in one place. */
const page = {
  state: deserialize(location.hash),
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
  pick: 1,
  /** @type {any[]} */ sessions: [],
  /** how far the network may grow: the server's limits (GET /api/limits) once known */
  limits: { hiddenLayers: MAX_HIDDEN_LAYERS, neurons: MAX_NEURONS },
};

/** Redraw counters for benchmarks/page.py (read as window.__playgroundStats). */
const stats = { outputFrames: 0, neuronFrames: 0, boundaryDraws: 0, networkDraws: 0, chartDraws: 0, chartMs: /** @type {number[]} */ ([]), chartPoints: 0 };
/** @type {any} */ (window).__playgroundStats = stats;

const banner = new Banner(byId("banner"));
const controls = new Controls(document.body, { onChange: (partial) => change(partial) });
const picker = new DatasetPicker(byId("thumbs"), { onSelect: (dataset) => change({ dataset }) });
const editor = new ValueEditor(document.body);
const network = new NetworkView(byId("network"), {
  onToggleFeature: (name) => {
    const on = page.state.features.includes(name);
    const features = on ? page.state.features.filter((f) => f !== name)
      : FEATURES.filter((f) => f === name || page.state.features.includes(f));
    if (features.length) change({ features });
  },
  onAddNeuron: (l) => change({ hidden: page.state.hidden.map((u, k) => (k === l ? Math.min(page.limits.neurons, u + 1) : u)) }),
  onRemoveNeuron: (l) => change({ hidden: page.state.hidden.map((u, k) => (k === l ? Math.max(1, u - 1) : u)) }),
  onHover: (id) => { page.hovered = id; view.drawBoundary(); },
  onActivation: (l, activation) => {
    const acts = page.state.hidden.map((_, k) => (k === l ? activation : page.state.acts[k] || page.state.activation));
    change({ acts: acts.every((a) => a === page.state.activation) ? [] : acts });
  },
  onEdit: (param, label, value, at) => editor.open(at, { label, value }, (v) => actions.editWeight(param, v)),
  onDraw: () => { stats.networkDraws += 1; },
});
const boundary = new Heatmap(byId("boundary"), {
  size: 300, axes: true, onHover: (p) => hoverPlane(p),
  onClick: (p, secondary) => actions.addPoint(p, secondary),
  onDraw: () => { stats.boundaryDraws += 1; },
});
const chart = new LossChart(byId("loss-chart"), { height: 70, onDraw: (ms, n) => {
  stats.chartDraws += 1;
  stats.chartPoints = n;
  if (stats.chartMs.push(ms) > 4096) stats.chartMs.splice(0, 2048);
} });
const weightsPanel = new WeightsPanel(byId("weights-panel").querySelector(".panel-body") ?? document.body, { cell: 14 });
const pickSample = (/** @type {number} */ k) => { page.sample = k; updateProbes(); };
const view = new SessionView({ boundary, network, chart, table: new PredictionsTable(byId("predictions"), { onPick: pickSample }),
  activations: new ActivationsPanel(byId("activations-panel").querySelector(".panel-body") ?? document.body,
    { onPick: pickSample, onShowSample: (on) => view.ringChosenSample(on) }) }, page);

const live = new SessionController(api, {
  onSession(summary, points, history) {
    if (JSON.stringify(summary.spec.data) !== JSON.stringify(page.spec?.data)) page.sample = 0;
    page.spec = summary.spec;
    page.points = points;
    page.step = summary.step;
    document.body.dataset.session = summary.id;
    page.weights = null;
    view.forgetFrames();
    page.tablePoints = points.trainY.length <= 16
      ? Array.from(points.trainY, (_, i) => points.trainX.map((c) => c[i])) : [];
    chart.load(history.epoch);
    network.update({ clearImages: true, weights: null });
    showMetrics(summary.metrics);
    showStatus(summary.status);
    view.structure();
    view.drawPoints();
    updateProbes();
    view.featureImages(api, summary.id).catch((e) => console.warn("feature images:", e));
    actions.refreshSessions();
  },
  onStatus(frame) {
    if (frame.spec) page.spec = frame.spec;
    if (frame.step < page.step) { chart.clear(); actions.measured = { key: "" }; }
    page.step = frame.step;
    if (frame.epoch !== undefined) view.epoch(frame.epoch);
    showStatus(frame.status);
  },
  onMetrics(frame) {
    if (frame.step < page.step) { chart.clear(); actions.measured = { key: "" }; }
    page.step = frame.step;
    showMetrics(frame);
    if (frame.status && frame.status !== page.status) showStatus(frame.status);
  },
  onSnapshot(frame) {
    page.outputFrame = frame;
    if (frame.boundary) stats.outputFrames += 1;
    if (frame.neurons) stats.neuronFrames += 1;
    if (frame.weights) {
      page.weights = frame.weights;
      network.update({ weights: frame.weights });
      weightsPanel.update({ weights: frame.weights });
    }
    if (frame.neurons) view.drawNeurons(frame.neurons.layers);
    if (frame.activations) view.activations(frame.activations);
    view.drawBoundary();
  },
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

/** @param {Partial<import("./state.js").State>} partial */
function change(partial) {
  const before = page.state;
  const next = applyChange(before, partial, page.presets, page.datasets);
  page.state = next;
  history.replaceState(null, "", `#${serialize(next)}`);
  showState();
  const liveKeys = ["lr", "optimizer", "momentum", "beta1", "beta2", "reg", "regRate", "batch"];
  const changed = Object.keys(partial).filter((k) => /** @type {any} */ (partial)[k] !== /** @type {any} */ (before)[k]);
  if (changed.every((k) => k === "showTest" || k === "discretize")) { view.drawPoints(); view.drawBoundary(); return; }
  if (changed.every((k) => liveKeys.includes(k)) && live.id) {
    const optimizer = /** @type {any} */ ({ type: next.optimizer, lr: next.lr });
    for (const key of ["momentum", "beta1", "beta2"]) if (changed.includes(key)) optimizer[key] = /** @type {any} */ (next)[key];
    live.set({ optimizer, regularization: { type: next.reg, rate: next.regRate }, batch_size: next.batch });
    return;
  }
  window.clearTimeout(page.rebuildTimer);
  page.rebuildTimer = window.setTimeout(rebuild, changed.includes("points") ? 250 : 120);
}

/** Builds the session the state describes; resolves once it is shown (or has failed). */
function rebuild() {
  const s = page.state;
  const preset = page.presets.get(s.preset);
  byId("preset-note").hidden = !preset;
  byId("preset-note").textContent = preset?.description ?? "";
  if ((s.dataset === DRAWN && !s.points.length) || (s.dataset === CSV && !page.own.csv)) {
    live.stop();
    delete document.body.dataset.session;
    view.empty();
    showStatus("ready");
    actions.refreshSessions();
    return;
  }
  const dataset = page.datasets.find((d) => d.name === s.dataset);
  const spec = toSpec(s, dataset, preset?.spec ?? null,
    { csv: page.own.csv, target: page.own.target, inputs: page.own.columns.length - 1, classes: page.own.classes });
  spec.name = actions.describe(spec);
  const autoplay = page.status === "running" && s.dataset === DRAWN;
  showStatus("ready");
  return live.start(spec, { autoplay }).catch((e) => {
    delete document.body.dataset.session;
    view.empty();
    weightsPanel.update({ weights: null });
    banner.show("error", `Could not start the session: ${e.message}`, "error");
  });
}

function showState() {
  const s = page.state;
  const dataset = page.datasets.find((d) => d.name === s.dataset);
  const kind = outputKind(s, dataset, page.own);
  controls.update(s, { twoD: dataset?.n_features === 2, fixedData: s.dataset.startsWith("course") || s.dataset === DRAWN,
    losses: lossesFor(kind), classes: dataset && "classes" in dataset.params ? kind.classes : null,
    preset: presetBase(s, page.presets.get(s.preset)?.spec) });
  const builtIn = page.datasets.filter((d) => d.kind === s.problem && d.n_features === 2 && !d.name.startsWith("course"));
  const own = [...(s.problem === "classification" ? [{ name: DRAWN, title: "Your points", description: "click points onto the plane and train on them" }] : []),
    { name: CSV, title: "CSV file", description: "upload your own data as a CSV file" }];
  page.samples.set(DRAWN, actions.drawnSample());
  if (!page.samples.has(CSV)) page.samples.set(CSV, { x: [], y: [], label: [], regression: false, text: "CSV" });
  picker.update({ datasets: [...builtIn, ...own], selected: s.dataset, samples: page.samples });
  actions.showOwnData();
  byId("layers-count").textContent = `${s.hidden.length} hidden layer${s.hidden.length === 1 ? "" : "s"}`;
  /** @type {HTMLButtonElement} */ (byId("add-layer")).disabled = s.hidden.length >= page.limits.hiddenLayers;
  /** @type {HTMLButtonElement} */ (byId("remove-layer")).disabled = s.hidden.length === 0;
}

/** @param {any} m */
function showMetrics(m) {
  view.metrics(m);
  actions.showLive();
  if (m.step === 0 && (m.train_loss === null || m.train_loss === undefined)) measureNow();
  live.pump();
}

/** The losses at epoch 0, before any training. */
function measureNow() { actions.measureNow(); }

/** @param {string} status */
function showStatus(status) { actions.showStatus(status); }

/** @param {{x: number, y: number} | null} p */
function hoverPlane(p) {
  page.hoverPoint = p ? [p.x, p.y] : null;
  updateProbes();
}

function updateProbes() { view.showSample(); live.setProbes(view.probes().points); }

function togglePlay() {
  if (!live.id) return;
  if (page.status === "running") live.pause();
  else if (page.status === "finished" || page.status === "diverged") showStatus(page.status);
  else live.play();
}

const actions = new Actions({ api, page, live, banner, change, rebuild, showState, measureNow,
  view, network, titles: () => new Map([...page.datasets.map((d) => [d.name, d.title]), [DRAWN, "Your points"], [CSV, "CSV file"]]),
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

async function main() {
  wire();
  const [datasets, presets, limits] = await Promise.all([api.datasets(), api.presets(),
    api.limits()]);
  page.limits = { hiddenLayers: limits.max_layers - 1, neurons: limits.max_units };
  page.datasets = datasets;
  for (const p of presets) page.presets.set(p.name, p);
  controls.setPresets(presets);
  await actions.csvFromLink();
  if (page.state.preset && !location.hash.includes("dataset=")) change({ preset: page.state.preset });
  showState();
  await rebuild();  // the session first: the thumbnails' requests would queue before it
  await Promise.all(datasets.filter((/** @type {any} */ d) => d.n_features === 2 && !d.name.startsWith("course"))
    .map(async (/** @type {any} */ d) => {
      try {
        page.samples.set(d.name, await thumbnailSample(api, d));
        showState();
      } catch (e) { console.warn(`thumbnail of ${d.name}:`, e); }
    }));
}

main().catch((e) => banner.show("error", `The page could not start: ${e.message}`, "error"));
