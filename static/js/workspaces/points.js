// @ts-check
/**
 * The 2-D workspace (and the table one: data with more inputs and no plane): the
 * network drawing with its features, the output plane with the points, the
 * predictions table, and the weights and activations panels. The composition root of
 * these widgets; the shell (main.js) owns the page's state, the session and the
 * controls, and tells this workspace what happened.
 */
import { ActivationsPanel } from "../activations.js";
import { sessionPoints } from "../datasource.js";
import { SessionView } from "../display.js";
import { ValueEditor } from "../editor.js";
import { Heatmap } from "../heatmap.js";
import { NetworkView } from "../network.js";
import { PredictionsTable } from "../predictions.js";
import { WeightsPanel } from "../weights.js";

const OUTPUT_RESOLUTION = 80;
const NEURON_RESOLUTION = 24;

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @typedef {{api: import("../api.js").Api, page: any, stats: any,
 *   metrics: import("../metrics.js").MetricsDisplay, change: (partial: any) => void,
 *   refresh: () => void, addPoint: (p: {x: number, y: number}, secondary: boolean) => boolean,
 *   editWeight: (param: import("../network.js").Param, value: number) => void}} Shell
 */

export class PointsWorkspace {
  /** @param {HTMLElement} root @param {Shell} shell */
  constructor(root, shell) {
    this.root = root;
    this.shell = shell;
    const { page, stats, change } = shell;
    /** the data section of the session shown, to know when the chosen sample's data changed */
    this.data = "";
    /** @type {number[][]} raw points whose activations every snapshot carries */
    this.probes = [];
    const editor = new ValueEditor(document.body);
    const features = () => /** @type {string[]} */ (page.catalog?.features ?? page.state.features);
    this.network = new NetworkView(byId("network"), {
      onToggleFeature: (name) => {
        const on = page.state.features.includes(name);
        const next = on ? page.state.features.filter((/** @type {string} */ f) => f !== name)
          : features().filter((f) => f === name || page.state.features.includes(f));
        if (next.length) change({ features: next });
      },
      onAddNeuron: (l) => change({ hidden: page.state.hidden.map((/** @type {number} */ u, /** @type {number} */ k) => (k === l ? Math.min(page.limits.neurons, u + 1) : u)) }),
      onRemoveNeuron: (l) => change({ hidden: page.state.hidden.map((/** @type {number} */ u, /** @type {number} */ k) => (k === l ? Math.max(1, u - 1) : u)) }),
      onHover: (id) => { page.hovered = id; this.view.drawBoundary(); },
      onActivation: (l, activation) => {
        const acts = page.state.hidden.map((/** @type {number} */ _, /** @type {number} */ k) => (k === l ? activation : page.state.acts[k] || page.state.activation));
        change({ acts: acts.every((/** @type {string} */ a) => a === page.state.activation) ? [] : acts });
      },
      onEdit: (param, label, value, at) => editor.open(at, { label, value }, (v) => shell.editWeight(param, v)),
      onDraw: () => { stats.networkDraws += 1; },
    });
    const boundary = new Heatmap(byId("boundary"), {
      size: 300, axes: true, onHover: (p) => this.hoverPlane(p),
      onClick: (p, secondary) => shell.addPoint(p, secondary),
      onDraw: () => { stats.boundaryDraws += 1; },
    });
    this.weightsPanel = new WeightsPanel(byId("weights-panel").querySelector(".panel-body") ?? document.body, { cell: 14 });
    const pickSample = (/** @type {number} */ k) => { page.sample = k; this.updateProbes(); };
    this.view = new SessionView({ boundary, network: this.network, metrics: shell.metrics,
      table: new PredictionsTable(byId("predictions"), { onPick: pickSample }),
      activations: new ActivationsPanel(byId("activations-panel").querySelector(".panel-body") ?? document.body,
        { onPick: pickSample, onShowSample: (on) => this.view.ringChosenSample(on) }) }, page);
  }

  /** Show or hide this workspace (and its panels); the losses block comes along. @param {boolean} on */
  open(on) {
    this.root.hidden = !on;
    for (const id of ["weights-panel", "activations-panel"]) byId(id).hidden = !on;
    if (on) this.shell.metrics.moveTo(/** @type {HTMLElement} */ (this.root.querySelector("[data-slot=metrics]")));
  }

  /** What a session needs before it is shown: its points. @param {any} summary */
  load(summary) {
    return sessionPoints(this.shell.api, summary.id);
  }

  /** A new session. @param {any} summary @param {import("../datasource.js").SessionPoints} points */
  show(summary, points) {
    const page = this.shell.page;
    const data = JSON.stringify(summary.spec.data);
    if (data !== this.data) page.sample = 0;
    this.data = data;
    page.points = points;
    page.weights = null;
    this.view.forgetFrames();
    page.tablePoints = points.trainY.length <= 16
      ? Array.from(points.trainY, (_, i) => points.trainX.map((c) => c[i])) : [];
    this.network.update({ clearImages: true, weights: null });
    this.view.structure();
    this.view.drawPoints();
    this.updateProbes();
    this.view.featureImages(this.shell.api, summary.id).catch((e) => console.warn("feature images:", e));
  }

  /** A spec changed live (a preset's epochs lifted): nothing to redraw. */
  empty() {
    this.data = "";
    this.view.empty();
    this.weightsPanel.update({ weights: null });
  }

  /** The snapshot this workspace draws: the plane, every neuron's picture, the weights, its points' activations. */
  snapshotRequest() {
    /** @type {any} */
    const msg = { weights: true, layers: false, encoding: "base64" };
    if (this.shell.page.points?.width === 2) {
      msg.resolution = OUTPUT_RESOLUTION;
      msg.neurons = NEURON_RESOLUTION;
    }
    if (this.probes.length) msg.inputs = this.probes;
    return msg;
  }

  /** @param {any} frame */
  snapshot(frame) {
    const { page, stats } = this.shell;
    page.outputFrame = frame;
    if (frame.boundary) stats.outputFrames += 1;
    if (frame.neurons) stats.neuronFrames += 1;
    if (frame.weights) {
      page.weights = frame.weights;
      const drawn = this.view.drawnWeights(frame.weights);
      this.network.update({ weights: drawn });
      this.weightsPanel.update({ weights: drawn });
    }
    if (frame.neurons) this.view.drawNeurons(frame.neurons.layers);
    if (frame.activations) this.view.activations(frame.activations);
    this.view.drawBoundary();
  }

  /** Only the points' look changed (test points shown, output discretized). */
  redraw() {
    this.view.drawPoints();
    this.view.drawBoundary();
  }

  /** The header of the network column. @param {any} s the state */
  showState(s) {
    byId("layers-count").textContent = `${s.hidden.length} hidden layer${s.hidden.length === 1 ? "" : "s"}`;
    /** @type {HTMLButtonElement} */ (byId("add-layer")).disabled = s.hidden.length >= this.shell.page.limits.hiddenLayers;
    /** @type {HTMLButtonElement} */ (byId("remove-layer")).disabled = s.hidden.length === 0;
  }

  /** @param {{x: number, y: number} | null} p */
  hoverPlane(p) {
    this.shell.page.hoverPoint = p ? [p.x, p.y] : null;
    this.updateProbes();
  }

  updateProbes() {
    this.view.showSample();
    this.probes = this.view.probes().points;
    this.shell.refresh();
  }
}
