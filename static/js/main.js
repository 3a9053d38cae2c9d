// @ts-check
/**
 * The composition root: builds every widget, holds the page's one mutable state, and
 * wires controls, the URL hash and the live session together. Every other module is a
 * leaf (a widget class, a client, or pure functions) and holds no module-level state.
 */
import { ActivationsPanel } from "./activations.js";
import { Api } from "./api.js";
import { classColor, divergingCss } from "./colors.js";
import { Controls } from "./controls.js";
import { SessionController } from "./controller.js";
import { thumbnailSample } from "./datasource.js";
import { Heatmap } from "./heatmap.js";
import { LossChart } from "./linechart.js";
import { NetworkView } from "./network.js";
import { PredictionsTable } from "./predictions.js";
import { featureImages, neuronImages, outputImage } from "./render.js";
import { FEATURES, LEARNING_RATES, MAX_HIDDEN_LAYERS, MAX_NEURONS, deserialize, fromSpec,
  serialize, toSpec } from "./state.js";
import { Banner, formatEpoch, formatLoss } from "./status.js";
import { DatasetPicker } from "./thumbs.js";
import { WeightsPanel } from "./weights.js";

const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const version = new URL(import.meta.url).searchParams.get("v") ?? "dev";
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
  /** @type {any} */ neuronFrame: null, /** @type {any} */ outputFrame: null,
  tablePoints: /** @type {number[][]} */ ([]), hoverPoint: /** @type {number[] | null} */ (null),
  rebuildTimer: 0,
};

const banner = new Banner(byId("banner"));
const controls = new Controls(document.body, { onChange: (partial) => change(partial) });
const picker = new DatasetPicker(byId("thumbs"), { onSelect: (dataset) => change({ dataset }) });
const network = new NetworkView(byId("network"), {
  onToggleFeature: (name) => {
    const on = page.state.features.includes(name);
    const features = on ? page.state.features.filter((f) => f !== name)
      : FEATURES.filter((f) => f === name || page.state.features.includes(f));
    if (features.length) change({ features });
  },
  onAddNeuron: (l) => change({ hidden: page.state.hidden.map((u, k) => (k === l ? Math.min(MAX_NEURONS, u + 1) : u)) }),
  onRemoveNeuron: (l) => change({ hidden: page.state.hidden.map((u, k) => (k === l ? Math.max(1, u - 1) : u)) }),
  onHover: (id) => { page.hovered = id; drawBoundary(); },
});
const boundary = new Heatmap(byId("boundary"), { size: 300, axes: true, onHover: (p) => hoverPlane(p) });
const chart = new LossChart(byId("loss-chart"), { height: 70 });
const table = new PredictionsTable(byId("predictions"));
const weightsPanel = new WeightsPanel(byId("weights-panel").querySelector(".panel-body") ?? document.body, { cell: 14 });
const activationsPanel = new ActivationsPanel(byId("activations-panel").querySelector(".panel-body") ?? document.body);

const live = new SessionController(api, {
  onSession(summary, points, history) {
    page.spec = summary.spec;
    page.points = points;
    document.body.dataset.session = summary.id;
    page.outputFrame = page.neuronFrame = null;
    page.tablePoints = points.trainY.length <= 16
      ? Array.from(points.trainY, (_, i) => points.trainX.map((c) => c[i])) : [];
    chart.load(history.epoch);
    network.update({ clearImages: true, weights: null });
    showMetrics(summary.metrics);
    showStructure();
    drawPoints();
    updateProbes();
    loadFeatureImages(summary.id);
  },
  onStatus(frame) {
    if (frame.spec) page.spec = frame.spec;
    if (frame.step < page.step) chart.clear();
    page.step = frame.step;
    showStatus(frame.status);
  },
  onMetrics(frame) {
    if (frame.step < page.step) chart.clear();
    page.step = frame.step;
    showMetrics(frame);
    if (frame.status && frame.status !== page.status) showStatus(frame.status);
  },
  onSnapshot(frame, kind) {
    if (kind === "neurons") page.neuronFrame = frame; else page.outputFrame = frame;
    if (frame.weights) { network.update({ weights: frame.weights }); weightsPanel.update({ weights: frame.weights }); }
    if (kind === "neurons" && frame.boundary?.layers) {
      network.update({ images: neuronImages(frame.boundary.layers, layerActivations()) });
    }
    if (frame.activations) showActivations(frame.activations);
    drawBoundary();
  },
  onConnection(state, attempt) {
    if (state === "down") banner.show("connection", `Lost the connection to the server; reconnecting (attempt ${attempt})…`, "warn");
    else if (banner.kind === "connection") {
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
  let next = { ...before, ...partial };
  if (partial.preset !== undefined) {
    const preset = page.presets.get(partial.preset);
    if (preset) next = fromSpec(preset.spec, preset.name, next);
  }
  if (partial.problem && partial.problem !== before.problem) {
    const first = page.datasets.find((d) => d.kind === partial.problem && !d.name.startsWith("course"));
    if (first) next.dataset = first.name;
  }
  if (partial.dataset && page.presets.get(before.preset)?.spec.data.dataset !== partial.dataset) next.preset = "";
  page.state = next;
  history.replaceState(null, "", `#${serialize(next)}`);
  showState();
  const liveKeys = ["lr", "optimizer", "reg", "regRate", "batch"];
  const changed = Object.keys(partial).filter((k) => /** @type {any} */ (partial)[k] !== /** @type {any} */ (before)[k]);
  if (changed.every((k) => k === "showTest" || k === "discretize")) { drawPoints(); drawBoundary(); return; }
  if (changed.every((k) => liveKeys.includes(k)) && live.id) {
    live.set({ optimizer: { type: next.optimizer, lr: next.lr }, regularization: { type: next.reg, rate: next.regRate }, batch_size: next.batch });
    return;
  }
  window.clearTimeout(page.rebuildTimer);
  page.rebuildTimer = window.setTimeout(rebuild, 120);
}

function rebuild() {
  const dataset = page.datasets.find((d) => d.name === page.state.dataset);
  const preset = page.presets.get(page.state.preset);
  const spec = toSpec(page.state, dataset, preset?.spec ?? null);
  byId("preset-note").hidden = !preset;
  byId("preset-note").textContent = preset?.description ?? "";
  showStatus("ready");
  live.start(spec).catch((e) => banner.show("error", `Could not start the session: ${e.message}`, "error"));
}

function showState() {
  const s = page.state;
  const dataset = page.datasets.find((d) => d.name === s.dataset);
  const fixedData = s.dataset.startsWith("course");
  controls.update(s, { twoD: dataset?.n_features === 2, fixedData });
  picker.update({ datasets: page.datasets.filter((d) => d.kind === s.problem && d.n_features === 2 && !d.name.startsWith("course")), selected: s.dataset, samples: page.samples });
  byId("layers-count").textContent = `${s.hidden.length} hidden layer${s.hidden.length === 1 ? "" : "s"}`;
  /** @type {HTMLButtonElement} */ (byId("add-layer")).disabled = s.hidden.length >= MAX_HIDDEN_LAYERS;
  /** @type {HTMLButtonElement} */ (byId("remove-layer")).disabled = s.hidden.length === 0;
}

function showStructure() {
  const spec = page.spec;
  const dense = spec.model.layers.filter((/** @type {any} */ l) => l.type === "dense");
  const twoD = page.points?.width === 2;
  const features = spec.data.features;
  const inputs = twoD && features
    ? FEATURES.map((name) => ({ name, active: features.includes(name) }))
    : Array.from({ length: page.points?.width ?? 2 }, (_, k) => ({ name: `x${k + 1}`, active: true }));
  network.update({ structure: { inputs, hidden: dense.slice(0, -1).map((/** @type {any} */ l) => l.units), outputs: dense[dense.length - 1].units, toggleable: Boolean(twoD && features) } });
  byId("boundary").hidden = !twoD;
  byId("predictions").hidden = page.tablePoints.length === 0;
  byId("data-info").textContent = `${page.points?.trainY.length ?? 0} training and ${page.points?.testY.length ?? 0} test points; ${live.summary?.n_params ?? "?"} parameters.`;
}

function layerActivations() {
  return page.spec.model.layers.filter((/** @type {any} */ l) => l.type === "dense").map((/** @type {any} */ l) => l.activation);
}

function task() {
  return page.datasets.find((d) => d.name === page.spec?.data.dataset)?.kind ?? "classification";
}

function drawBoundary() {
  const out = page.outputFrame?.boundary;
  if (!out) return;
  const view = /** @type {[number, number]} */ ([out.x[0], out.x[out.x.length - 1]]);
  const hovered = page.hovered && page.neuronFrame?.boundary?.layers
    ? neuronImages(page.neuronFrame.boundary.layers, layerActivations()).get(page.hovered) : null;
  const acts = layerActivations();
  boundary.update({ view, image: hovered ?? outputImage(out.output, { task: task(), outputActivation: acts[acts.length - 1], discretize: page.state.discretize }) });
  network.update({ images: new Map([[`out:0`, outputImage(out.output, { task: task(), outputActivation: acts[acts.length - 1], discretize: false })]]) });
}

function drawPoints() {
  const p = page.points;
  if (!p || p.width !== 2) return;
  const colour = task() === "regression" ? divergingCss : classColor;
  const sets = [{ x: p.trainX[0], y: p.trainX[1], color: Array.from(p.trainY, (v) => colour(v)) }];
  if (page.state.showTest) sets.push({ x: p.testX[0], y: p.testX[1], color: Array.from(p.testY, (v) => colour(v)), test: true });
  boundary.update({ points: sets });
}

/** @param {any} m */
function showMetrics(m) {
  page.epoch = m.epoch;
  byId("epoch").textContent = formatEpoch(m.epoch);
  byId("rate").textContent = m.epochs_per_second ? `${Math.round(m.epochs_per_second).toLocaleString()} epochs/s` : "";
  byId("train-loss").textContent = formatLoss(m.train_loss);
  byId("test-loss").textContent = formatLoss(m.test_loss);
  const acc = (/** @type {number | null | undefined} */ a) => (a === null || a === undefined ? "" : `accuracy ${(a * 100).toFixed(1)}%`);
  byId("train-acc").textContent = acc(m.train_accuracy);
  byId("test-acc").textContent = acc(m.test_accuracy);
  chart.push(m.epoch, m.train_loss ?? null, m.test_loss ?? null);
  live.pump();
}

/** @param {string} status */
function showStatus(status) {
  page.status = status;
  const play = byId("play");
  play.classList.toggle("playing", status === "running");
  play.setAttribute("aria-pressed", String(status === "running"));
  play.setAttribute("aria-label", status === "running" ? "Pause" : "Play");
  document.body.dataset.status = status;
  if (status === "diverged") {
    const lower = LEARNING_RATES.filter((r) => r < page.state.lr).pop() ?? page.state.lr / 10;
    banner.show("diverged", `Training diverged at epoch ${page.epoch.toLocaleString()}: the loss became NaN or infinite, so the server stopped with the last finite weights.`, "error", 0,
      { label: `Reset with learning rate ${lower}`, run: () => { change({ lr: lower }); live.reset(); banner.hide(); } });
  } else if (status === "finished") {
    banner.show("finished", `Finished: all ${page.spec?.epochs?.toLocaleString() ?? ""} epochs of this preset are done. Reset to watch it again.`, "ok");
  } else if (banner.kind === "diverged" || banner.kind === "finished") banner.hide();
}

/** @param {{features: number[][], layers: number[][][]}} acts */
function showActivations(acts) {
  const n = page.tablePoints.length;
  if (n) {
    const targets = Array.from(page.points?.trainY ?? []);
    table.update({ inputs: page.tablePoints, targets, outputs: acts.layers[acts.layers.length - 1].slice(0, n), classes: null });
  }
  if (page.hoverPoint && acts.features.length > n) {
    const names = (page.spec.data.features ?? []).map(String);
    activationsPanel.update({ point: page.hoverPoint, features: acts.features[n], layers: acts.layers.map((l) => l[n]), names });
  }
}

/** @param {{x: number, y: number} | null} p */
function hoverPlane(p) {
  page.hoverPoint = p ? [p.x, p.y] : null;
  if (!p) activationsPanel.update(null);
  updateProbes();
}

function updateProbes() {
  live.setProbes(page.hoverPoint ? [...page.tablePoints, page.hoverPoint] : page.tablePoints);
}

/** @param {string} id */
async function loadFeatureImages(id) {
  if (page.points?.width !== 2 || !page.spec.data.features) return;
  const n = 20;
  const [lo, hi] = [-6, 6];
  const frame = page.outputFrame?.boundary;
  const low = frame ? frame.x[0] : lo, high = frame ? frame.x[frame.x.length - 1] : hi;
  const axis = Array.from({ length: n }, (_, k) => low + ((high - low) * k) / (n - 1));
  const inputs = axis.flatMap((y) => axis.map((x) => [x, y]));
  const acts = await api.activations(id, inputs);
  const index = page.spec.data.features.map((/** @type {string} */ f) => FEATURES.indexOf(f));
  network.update({ images: featureImages(acts.features, n, index) });
}

function togglePlay() {
  if (page.status === "running") live.pause();
  else if (page.status === "finished" || page.status === "diverged") showStatus(page.status);
  else live.play();
}

function wire() {
  byId("play").addEventListener("click", togglePlay);
  byId("step").addEventListener("click", () => { if (page.status === "running") live.pause(); live.stepEpoch(); });
  byId("reset").addEventListener("click", () => live.reset());
  byId("regenerate").addEventListener("click", () => change({ seed: page.state.seed + 1 }));
  byId("add-layer").addEventListener("click", () => change({ hidden: [...page.state.hidden, 2] }));
  byId("remove-layer").addEventListener("click", () => change({ hidden: page.state.hidden.slice(0, -1) }));
  byId("preset").addEventListener("change", (e) => change({ preset: /** @type {HTMLSelectElement} */ (e.target).value }));
  document.addEventListener("keydown", (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    if (e.ctrlKey || e.metaKey || e.altKey || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)) return;
    if (e.key === " ") { e.preventDefault(); togglePlay(); }
    else if (e.key === "ArrowRight") { e.preventDefault(); byId("step").click(); }
    else if (e.key === "r" || e.key === "R") live.reset();
  });
  window.addEventListener("hashchange", () => {
    if (location.hash.slice(1) === serialize(page.state)) return;
    page.state = deserialize(location.hash);
    showState();
    rebuild();
  });
}

async function main() {
  wire();
  const [datasets, presets] = await Promise.all([api.datasets(), api.presets()]);
  page.datasets = datasets;
  for (const p of presets) page.presets.set(p.name, p);
  controls.setPresets(presets);
  if (page.state.preset && !location.hash.includes("dataset=")) change({ preset: page.state.preset });
  showState();
  rebuild();
  for (const d of datasets.filter((/** @type {any} */ d) => d.n_features === 2 && !d.name.startsWith("course"))) {
    try {
      page.samples.set(d.name, await thumbnailSample(api, d, version));
      showState();
    } catch (e) { console.warn(`thumbnail of ${d.name}:`, e); }
  }
}

main().catch((e) => banner.show("error", `The page could not start: ${e.message}`, "error"));
