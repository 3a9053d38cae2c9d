// @ts-check
/**
 * What the page shows of its session: the network's structure, the output plane with
 * its points, the losses, the predictions table and the activations panel. It holds
 * the widgets and reads the composition root's state (passed in, never its own), so
 * main.js keeps the wiring and this module the drawing decisions.
 */
import { classColor, divergingCss } from "./colors.js";
import { drawLegend } from "./legend.js";
import { prettyFeature } from "./network.js";
import { foldDense } from "./layers.js";
import { featureImages, sampleImages, neuronImages, outputImage } from "./render.js";
import { CSV, DRAWN } from "./state.js";

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @typedef {{boundary: import("./heatmap.js").Heatmap, network: import("./network.js").NetworkView,
 *   metrics: import("./metrics.js").MetricsDisplay, table: import("./predictions.js").PredictionsTable,
 *   activations: import("./activations.js").ActivationsPanel}} Widgets
 * @typedef {{state: import("./state.js").State, spec: any, datasets: any[],
 *   points: import("./datasource.js").SessionPoints | null, hovered: string | null,
 *   outputFrame: any, tablePoints: number[][], hoverPoint: number[] | null, sample: number,
 *   own: {columns: string[], target: string}, epoch: number,
 *   catalog: import("./layers.js").Catalog | null}} PageState
 *
 * A stack with activation layers of their own (dense, activation, dense) is drawn
 * folded: the activation layer's output is what its dense layer's neurons show, and
 * its activation is the one their select offers (layers.js's `foldDense`).
 */

export class SessionView {
  /** @param {Widgets} widgets @param {PageState} page */
  constructor(widgets, page) {
    this.w = widgets;
    this.page = page;
    /** @type {{frame: any, discretize: boolean, node: any, plane: any}} the output frame's pictures */
    this.painted = { frame: null, discretize: false, node: null, plane: null };
    /** whether the chosen sample is ringed on the plane (the mouse is over its panel) */
    this.ringSample = false;
    /** @type {Map<string, import("./heatmap.js").GridImage>} the neuron frame's pictures */
    this.neuronPictures = new Map();
  }

  /** A new session (or none): no frames, no pictures yet. */
  forgetFrames() {
    this.page.outputFrame = null;
    this.painted = { frame: null, discretize: false, node: null, plane: null };
    this.neuronPictures = new Map();
  }

  /** No session (no points drawn yet, no file uploaded): a blank plane and network. */
  empty() {
    const page = this.page;
    page.spec = page.points = null;
    this.forgetFrames();
    page.tablePoints = [];
    this.w.boundary.update({ image: null, points: [], view: [-6, 6] });
    this.w.network.update({ clearImages: true, weights: null });
    this.w.activations.update(null);
    this.w.activations.choose(0, 0);
    this.w.metrics.clear();
    this.page.epoch = 0;
    byId("boundary").hidden = false;
    byId("predictions").hidden = true;
    byId("legend").replaceChildren();
    byId("data-info").textContent = "";
    this.drawPoints();
  }

  /** The names of the network's inputs: its 2-D features, a CSV file's columns, or x1, x2, ... */
  inputNames() {
    const { spec, points } = this.page;
    if (points?.width === 2 && spec.data.features) return spec.data.features.map((/** @type {string} */ f) => this.featureLabel(f));
    const columns = this.csvColumns();
    return Array.from({ length: points?.width ?? 2 }, (_, k) => columns[k] ?? `x${k + 1}`);
  }

  /** A CSV file's input columns (none for other data). @returns {string[]} */
  csvColumns() {
    const { spec, own } = this.page;
    return spec.data.dataset === CSV ? own.columns.filter((c) => c !== own.target) : [];
  }

  /** A 2-D feature's label; a CSV file's two columns name it: sin(a) rather than sin(X₁). @param {string} name */
  featureLabel(name) {
    const columns = this.csvColumns();
    const pretty = prettyFeature(name);
    return columns.length === 2 ? pretty.replaceAll("X₁", columns[0]).replaceAll("X₂", columns[1]) : pretty;
  }

  /** The dense layers as drawn: each with the layer whose output its neurons show. */
  folded() {
    return foldDense(this.page.spec?.model.layers ?? []) ?? [];
  }

  /** The weights of the drawn layers (activation layers have none). @param {any[] | null} weights */
  drawnWeights(weights) {
    return weights && this.folded().map((f) => weights[f.dense]);
  }

  /** The network drawing's structure, from the session's spec. */
  structure() {
    const { spec, points, catalog } = this.page;
    const dense = this.folded();
    const twoD = points?.width === 2;
    const features = spec.data.features;
    const names = this.inputNames();
    const inputs = twoD && features
      ? (catalog?.features ?? features).map((name) => ({ name, active: features.includes(name), label: this.featureLabel(name) }))
      : names.map((name) => ({ name, active: true }));
    const hidden = dense.slice(0, -1);
    this.w.network.update({ structure: {
      inputs, hidden: hidden.map((l) => l.units), outputs: dense[dense.length - 1].units,
      toggleable: Boolean(twoD && features), acts: hidden.map((l) => l.activation),
      separate: hidden.map((l) => l.separate), choices: catalog?.activations ?? [] } });
    byId("boundary").hidden = !twoD;
    drawLegend(byId("legend"), { task: this.task(), classes: dense[dense.length - 1].units, twoD });
    byId("network-hint").textContent = twoD ? "Click a feature to switch it on or off. Hover a neuron to see its output on the right."
      : `Each node is coloured by its value for the chosen sample: ${this.page.tablePoints.length
        ? "click a row of the table" : "the activations panel below"} chooses another.`;
    byId("predictions").hidden = this.page.tablePoints.length === 0;
    const n = (/** @type {ArrayLike<number> | undefined} */ a) => (a?.length ?? 0).toLocaleString();
    byId("data-info").textContent = `${n(points?.trainY)} training and ${n(points?.testY)} test points.`;
  }

  layerActivations() {
    return this.folded().map((l) => l.activation);
  }

  task() {
    return this.page.points?.task ?? "classification";
  }

  /**
   * The big plane: the output, or the hovered neuron's output. Each frame's pictures
   * are painted once, however often the plane is redrawn.
   */
  drawBoundary() {
    const page = this.page;
    const frame = page.outputFrame;
    const out = frame?.boundary;
    if (!out) return;
    const discretize = page.state.discretize;
    if (this.painted.frame !== frame || this.painted.discretize !== discretize) {
      const acts = this.layerActivations();
      const how = { task: this.task(), outputActivation: acts[acts.length - 1] };
      const node = outputImage(out.output, { ...how, discretize: false });
      this.painted = { frame, discretize, node, plane: discretize ? outputImage(out.output, { ...how, discretize }) : node };
      this.w.network.update({ images: new Map([["out:0", node]]) });
    }
    const view = /** @type {[number, number]} */ ([out.x[0], out.x[out.x.length - 1]]);
    const hovered = page.hovered ? this.neuronPictures.get(page.hovered) : undefined;
    this.w.boundary.update({ view, image: hovered ?? this.painted.plane });
  }

  /** Every neuron's picture, to the network and for hovering. @param {import("./grids.js").Grid[]} layers every layer's */
  drawNeurons(layers) {
    this.neuronPictures = neuronImages(this.folded().map((f) => layers[f.out]), this.layerActivations());
    this.w.network.update({ images: this.neuronPictures });
  }

  /** The points over the plane: the session's, or the ones drawn so far. */
  drawPoints() {
    const { points: p, state } = this.page;
    const editing = state.dataset === DRAWN;
    if (editing && !p) {
      const pts = state.points;
      this.w.boundary.update({ editing, points: [{ x: pts.map((q) => q[0]), y: pts.map((q) => q[1]), color: pts.map((q) => classColor(q[2])) }] });
      return;
    }
    if (!p || p.width !== 2) return;
    const colour = this.task() === "regression" ? divergingCss : classColor;
    const sets = [{ x: p.trainX[0], y: p.trainX[1], color: Array.from(p.trainY, (v) => colour(v)) }];
    if (state.showTest) sets.push({ x: p.testX[0], y: p.testX[1], color: Array.from(p.testY, (v) => colour(v)), test: true });
    this.w.boundary.update({ editing, points: sets });
  }

  /** The epoch counter alone (status frames carry the epoch but no losses). @param {number} epoch */
  epoch(epoch) {
    this.page.epoch = epoch;
    this.w.metrics.epoch(epoch);
  }

  /** @param {any} m a metrics frame or summary metrics */
  metrics(m) {
    this.page.epoch = m.epoch;
    this.w.metrics.update(m);
  }

  /**
   * The raw points whose activations each output snapshot carries: the predictions
   * table's samples (the chosen one among them), else the chosen sample alone, then
   * the point under the mouse.
   */
  probes() {
    const page = this.page, p = page.points, table = page.tablePoints;
    const count = p?.trainY.length ?? 0;
    const chosen = table.length || !p || !count ? [] : [p.trainX.map((c) => c[page.sample])];
    const hover = page.hoverPoint && p ? [page.hoverPoint] : [];
    return { points: [...table, ...chosen, ...hover], sampleAt: table.length ? page.sample : chosen.length ? 0 : -1,
      hoverAt: hover.length ? table.length + chosen.length : -1 };
  }

  /** The chosen sample, kept among the session's training samples, marked where it is chosen. */
  showSample() {
    const page = this.page, p = page.points, count = p?.trainY.length ?? 0;
    page.sample = Math.min(page.sample, Math.max(0, count - 1));
    this.w.activations.choose(page.sample, count);
    this.w.table.highlight(page.tablePoints.length ? page.sample : -1);
    const ring = this.ringSample && p?.width === 2 && count ? p.trainX.map((c) => c[page.sample]) : null;
    this.w.boundary.update({ marked: ring });
  }

  /** Ring the chosen sample on the plane while the mouse is over the activations panel. @param {boolean} on */
  ringChosenSample(on) {
    this.ringSample = on;
    this.showSample();
  }

  /** @param {{features: number[][], layers: number[][][]}} all every layer's activations */
  activations(all) {
    const page = this.page;
    const acts = { features: all.features, layers: this.folded().map((f) => all.layers[f.out]) };
    const n = page.tablePoints.length;
    if (n) {
      const targets = Array.from(page.points?.trainY ?? []);
      this.w.table.update({ inputs: page.tablePoints, targets, outputs: acts.layers[acts.layers.length - 1].slice(0, n), classes: null });
    }
    const { points, sampleAt, hoverAt } = this.probes();
    const at = hoverAt >= 0 ? hoverAt : sampleAt;
    if (at < 0 || at >= acts.features.length || points.length !== acts.features.length) return;
    const layers = acts.layers.map((l) => l[at]), activations = this.layerActivations();
    this.w.activations.update({ point: points[at], features: acts.features[at], layers, names: this.inputNames(),
      hover: hoverAt >= 0, target: hoverAt >= 0 ? null : page.points?.trainY[page.sample], acts: activations });
    if (page.points?.width !== 2) this.w.network.update({ images: sampleImages(acts.features[at], layers, activations) });
  }

  /** @param {import("./api.js").Api} api @param {string} id the input nodes' pictures */
  async featureImages(api, id) {
    const page = this.page;
    if (page.points?.width !== 2 || !page.spec.data.features) return;
    const n = 20;
    const [lo, hi] = page.points.view ?? [-6, 6];
    const axis = Array.from({ length: n }, (_, k) => lo + ((hi - lo) * k) / (n - 1));
    const inputs = axis.flatMap((y) => axis.map((x) => [x, y]));
    const acts = await api.activations(id, inputs);
    const all = page.catalog?.features ?? page.spec.data.features;
    const index = page.spec.data.features.map((/** @type {string} */ f) => all.indexOf(f));
    this.w.network.update({ images: featureImages(acts.features, n, index) });
  }
}
