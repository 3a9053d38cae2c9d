// @ts-check
/**
 * The 2-D workspace (and the table one: data with more inputs and no plane): the
 * network drawing with its features, the output plane with the points, the
 * predictions table, and the weights and activations panels. The composition root of
 * these widgets: it reads the set-up, the session and the selection from their owners
 * and asks them for changes (a hovered neuron, a chosen sample, a point clicked onto
 * the plane, an edited weight); the shell tells it when a session comes and a snapshot.
 */
import { ActivationsPanel } from "../activations.js";
import { sessionPoints } from "../datasource.js";
import { SessionView } from "../display.js";
import { ValueEditor } from "../editor.js";
import { Heatmap } from "../heatmap.js";
import { NetworkView } from "../network.js";
import { PredictionsTable } from "../predictions.js";
import { DRAWN } from "../state.js";
import { WeightsPanel } from "../weights.js";

const OUTPUT_RESOLUTION = 80;
const NEURON_RESOLUTION = 24;
const MAX_POINTS = 500;

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @typedef {{api: import("../api.js").Api, offer: import("../offer.js").Offer,
 *   setup: import("../urlstate.js").UrlState, session: import("../session-state.js").SessionState,
 *   selection: import("../selection.js").Selection, live: import("../controller.js").SessionController,
 *   banner: import("../status.js").Banner, metrics: import("../metrics.js").MetricsDisplay,
 *   measure: import("../measure.js").LossMeasure, stats: any,
 *   change: (partial: Partial<import("../state.js").State>) => void}} Shell
 */

export class PointsWorkspace {
  /** @param {HTMLElement} root @param {Shell} shell */
  constructor(root, shell) {
    this.root = root;
    this.shell = shell;
    const { setup, offer, selection, stats, change } = shell;
    /** the data section of the session shown, to know when the chosen sample's data changed */
    this.data = "";
    /** @type {import("../display.js").Probes} the raw points whose activations the next snapshot carries */
    this.probes = { points: [], sampleAt: -1, hoverAt: -1, sample: 0 };
    /** the probes of the snapshot asked for last */
    this.asked = this.probes;
    const editor = new ValueEditor(document.body);
    const features = () => /** @type {string[]} */ (offer.catalog?.features ?? setup.state.features);
    const hidden = (/** @type {(units: number, layer: number) => number} */ how) => change({ hidden: setup.state.hidden.map(how) });
    this.network = new NetworkView(byId("network"), {
      onToggleFeature: (name) => {
        const on = setup.state.features.includes(name);
        const next = on ? setup.state.features.filter((f) => f !== name)
          : features().filter((f) => f === name || setup.state.features.includes(f));
        if (next.length) change({ features: next });
      },
      onAddNeuron: (l) => hidden((u, k) => (k === l ? Math.min(offer.limits.neurons, u + 1) : u)),
      onRemoveNeuron: (l) => hidden((u, k) => (k === l ? Math.max(1, u - 1) : u)),
      onHover: (id) => selection.hoverNeuron(id),
      onActivation: (l, activation) => {
        const s = setup.state;
        const acts = s.hidden.map((_, k) => (k === l ? activation : s.acts[k] || s.activation));
        change({ acts: acts.every((a) => a === s.activation) ? [] : acts });
      },
      onEdit: (param, label, value, at) => editor.open(at, { label, value }, (v) => this.editWeight(param, v)),
      onDraw: () => { stats.networkDraws += 1; },
    });
    const boundary = new Heatmap(byId("boundary"), {
      size: 300, axes: true, onHover: (p) => selection.hoverPoint(p),
      onClick: (p, secondary) => this.addPoint(p, secondary),
      onDraw: () => { stats.boundaryDraws += 1; },
    });
    this.weightsPanel = new WeightsPanel(byId("weights-panel").querySelector(".panel-body") ?? document.body, { cell: 14 });
    const pickSample = (/** @type {number} */ k) => selection.chooseSample(k);
    this.view = new SessionView({ boundary, network: this.network, metrics: shell.metrics,
      table: new PredictionsTable(byId("predictions"), { onPick: pickSample }),
      activations: new ActivationsPanel(byId("activations-panel").querySelector(".panel-body") ?? document.body,
        { onPick: pickSample, onShowSample: (on) => selection.ringSample(on) }) }, shell);
    byId("add-layer").addEventListener("click", () => change({ hidden: [...setup.state.hidden, 2] }));
    byId("remove-layer").addEventListener("click", () => change({ hidden: setup.state.hidden.slice(0, -1) }));
    selection.subscribe((what) => {
      if (what === "sample" || what === "point") this.updateProbes();
      else if (what === "neuron") this.view.drawBoundary();
      else if (what === "ring") this.view.showSample();
    });
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

  /** The session state holds a new session (with its points): show it. */
  show() {
    const { session, selection, api } = this.shell;
    const data = JSON.stringify(session.spec.data);
    if (data !== this.data && selection.sample !== 0) selection.chooseSample(0);
    this.data = data;
    delete this.root.dataset.frameStep;
    this.view.forgetFrames();
    this.network.update({ clearImages: true, weights: null });
    this.view.structure();
    this.view.drawPoints();
    this.updateProbes();
    const id = /** @type {string} */ (session.id);
    this.view.featureImages(api, id).catch((e) => console.warn("feature images:", e));
  }

  /** No session: a blank plane and network. */
  empty() {
    this.data = "";
    delete this.root.dataset.frameStep;
    this.view.empty();
    this.weightsPanel.update({ weights: null });
  }

  /** The snapshot this workspace draws: the plane, every neuron's picture, the weights, its points' activations. */
  snapshotRequest() {
    /** @type {any} */
    const msg = { weights: true, layers: false, encoding: "base64" };
    if (this.shell.session.points?.width === 2) {
      msg.resolution = OUTPUT_RESOLUTION;
      msg.neurons = NEURON_RESOLUTION;
    }
    if (this.probes.points.length) msg.inputs = this.probes.points;
    this.asked = this.probes;
    return msg;
  }

  /** A snapshot arrived (the session state has it already). @param {any} frame */
  snapshot(frame) {
    const { stats } = this.shell;
    if (frame.boundary) stats.outputFrames += 1;
    if (frame.neurons) stats.neuronFrames += 1;
    if (frame.weights) this.showWeights(frame.weights);
    if (frame.neurons) this.view.drawNeurons(frame.neurons.layers);
    if (frame.activations) this.view.activations(frame.activations, this.asked);
    this.view.drawBoundary();
    this.root.dataset.frameStep = String(frame.step);  // what the tests wait on: the step drawn
  }

  /** @param {any[]} weights every layer's */
  showWeights(weights) {
    const drawn = this.view.drawnWeights(weights);
    this.network.update({ weights: drawn });
    this.weightsPanel.update({ weights: drawn });
  }

  /** Only the points' look changed (test points shown, output discretized). */
  redraw() {
    this.view.drawPoints();
    this.view.drawBoundary();
  }

  /** The header of the network column. @param {import("../state.js").State} s */
  showState(s) {
    byId("layers-count").textContent = `${s.hidden.length} hidden layer${s.hidden.length === 1 ? "" : "s"}`;
    /** @type {HTMLButtonElement} */ (byId("add-layer")).disabled = s.hidden.length >= this.shell.offer.limits.hiddenLayers;
    /** @type {HTMLButtonElement} */ (byId("remove-layer")).disabled = s.hidden.length === 0;
  }

  /** The chosen sample or the point under the mouse changed: snapshots carry their activations. */
  updateProbes() {
    this.view.showSample();
    this.probes = this.view.probes();
    this.shell.live.refresh();
  }

  /**
   * A click on the plane: in drawing mode, a new point of the picked class (class 0 for
   * a right or shift click). @param {{x: number, y: number}} p @param {boolean} secondary
   * @returns {boolean} whether the click was used
   */
  addPoint(p, secondary) {
    const { setup, selection, banner, change } = this.shell;
    const points = setup.state.points;
    if (setup.state.dataset !== DRAWN) return false;
    if (points.length >= MAX_POINTS) {
      banner.show("points", `At most ${MAX_POINTS} points; clear some first.`, "warn", 3000);
      return true;
    }
    const round = (/** @type {number} */ v) => Math.round(v * 100) / 100;
    change({ points: [...points, [round(p.x), round(p.y), secondary ? 0 : selection.pick]] });
    return true;
  }

  /**
   * Set one weight or bias: the whole list goes back with that one value changed
   * (PUT .../weights). A playing session is paused first.
   * @param {import("../network.js").Param} param @param {number} value
   */
  async editWeight(param, value) {
    const { api, session, live, banner, measure } = this.shell;
    const id = session.id;
    if (!id || !session.weights) return;
    const weights = structuredClone(session.weights);
    const layer = weights[this.view.folded()[param.layer]?.dense ?? param.layer];
    if (param.kind === "bias") layer.b[param.j] = value; else layer.W[param.i][param.j] = value;
    if (session.status === "running") live.pause();
    for (let attempt = 0; ; attempt++) {
      try {
        await api.putWeights(id, weights);
        break;
      } catch (e) {
        const err = /** @type {any} */ (e);
        if (err.status === 409 && attempt < 20) { await new Promise((r) => setTimeout(r, 100)); continue; }
        banner.show("error", `Could not set the value: ${err.message}`, "error");
        return;
      }
    }
    if (session.id !== id) return;
    session.setWeights(weights);
    this.network.update({ weights: this.view.drawnWeights(weights) });
    live.refresh();
    measure.again();
  }
}
