// @ts-check
/**
 * What the 2-D workspace shows of its session: the network's structure, the output
 * plane with its points, the predictions table and the activations panel. It holds
 * the widgets and reads the page's state from its owners (the set-up, the session,
 * the selection), never writing it, so points.js keeps the wiring and this module the
 * drawing decisions.
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
 * @typedef {{setup: import("./urlstate.js").UrlState, session: import("./session-state.js").SessionState,
 *   selection: import("./selection.js").Selection, offer: import("./offer.js").Offer}} Owners
 * @typedef {{points: number[][], sampleAt: number, hoverAt: number, sample: number}} Probes the raw
 *   points a snapshot carries the activations of, where the chosen sample and the hovered
 *   point are among them (-1: not there), and which sample was chosen
 *
 * A stack with activation layers of their own (dense, activation, dense) is drawn
 * folded: the activation layer's output is what its dense layer's neurons show, and
 * its activation is the one their select offers (layers.js's `foldDense`).
 */

export class SessionView {
  /** @param {Widgets} widgets @param {Owners} owners */
  constructor(widgets, owners) {
    this.w = widgets;
    this.o = owners;
    /** @type {{frame: any, discretize: boolean, node: any, plane: any}} the output frame's pictures */
    this.painted = { frame: null, discretize: false, node: null, plane: null };
    /** @type {Map<string, import("./heatmap.js").GridImage>} the neuron frame's pictures */
    this.neuronPictures = new Map();
    /** @type {{of: any, rows: number[][]}} the predictions table's samples, and the points they were taken from */
    this.table = { of: null, rows: [] };
  }

  /** A new session (or none): no pictures yet. */
  forgetFrames() {
    this.painted = { frame: null, discretize: false, node: null, plane: null };
    this.neuronPictures = new Map();
  }

  /**
   * The samples of the predictions table: all the training samples of small data (the
   * course's examples), none of larger. @returns {number[][]}
   */
  tablePoints() {
    const p = this.o.session.points;
    if (this.table.of !== p) {
      this.table = { of: p, rows: p && p.trainY.length <= 16 ? Array.from(p.trainY, (_, i) => p.trainX.map((c) => c[i])) : [] };
    }
    return this.table.rows;
  }

  /** No session (no points drawn yet, no file uploaded): a blank plane and network. */
  empty() {
    this.forgetFrames();
    this.w.boundary.update({ image: null, points: [], view: [-6, 6] });
    this.w.network.update({ clearImages: true, weights: null });
    this.w.activations.update(null);
    this.w.activations.choose(0, 0);
    this.w.metrics.clear();
    byId("boundary").hidden = false;
    byId("predictions").hidden = true;
    byId("legend").replaceChildren();
    byId("data-info").textContent = "";
    this.drawPoints();
  }

  /** The names of the network's inputs: its 2-D features, a CSV file's columns, or x1, x2, ... */
  inputNames() {
    const { spec, points } = this.o.session;
    if (points?.width === 2 && spec.data.features) return spec.data.features.map((/** @type {string} */ f) => this.featureLabel(f));
    const columns = this.csvColumns();
    return Array.from({ length: points?.width ?? 2 }, (_, k) => columns[k] ?? `x${k + 1}`);
  }

  /** A CSV file's input columns (none for other data). @returns {string[]} */
  csvColumns() {
    const spec = this.o.session.spec, own = this.o.setup.csv;
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
    return foldDense(this.o.session.spec?.model.layers ?? []) ?? [];
  }

  /** The weights of the drawn layers (activation layers have none). @param {any[] | null} weights */
  drawnWeights(weights) {
    return weights && this.folded().map((f) => weights[f.dense]);
  }

  /** The network drawing's structure, from the session's spec. */
  structure() {
    const { spec, points } = this.o.session, catalog = this.o.offer.catalog;
    const table = this.tablePoints();
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
      : `Each node is coloured by its value for the chosen sample: ${table.length
        ? "click a row of the table" : "the activations panel below"} chooses another.`;
    byId("predictions").hidden = table.length === 0;
    const n = (/** @type {ArrayLike<number> | undefined} */ a) => (a?.length ?? 0).toLocaleString();
    byId("data-info").textContent = `${n(points?.trainY)} training and ${n(points?.testY)} test points.`;
  }

  layerActivations() {
    return this.folded().map((l) => l.activation);
  }

  task() {
    return this.o.session.points?.task ?? "classification";
  }

  /**
   * The big plane: the output, or the hovered neuron's output. Each frame's pictures
   * are painted once, however often the plane is redrawn.
   */
  drawBoundary() {
    const frame = this.o.session.frame;
    const out = frame?.boundary;
    if (!out) return;
    const discretize = this.o.setup.state.discretize;
    if (this.painted.frame !== frame || this.painted.discretize !== discretize) {
      const acts = this.layerActivations();
      const how = { task: this.task(), outputActivation: acts[acts.length - 1] };
      const node = outputImage(out.output, { ...how, discretize: false });
      this.painted = { frame, discretize, node, plane: discretize ? outputImage(out.output, { ...how, discretize }) : node };
      this.w.network.update({ images: new Map([["out:0", node]]) });
    }
    const view = /** @type {[number, number]} */ ([out.x[0], out.x[out.x.length - 1]]);
    const neuron = this.o.selection.neuron;
    const hovered = neuron ? this.neuronPictures.get(neuron) : undefined;
    this.w.boundary.update({ view, image: hovered ?? this.painted.plane });
  }

  /** Every neuron's picture, to the network and for hovering. @param {import("./grids.js").Grid[]} layers every layer's */
  drawNeurons(layers) {
    this.neuronPictures = neuronImages(this.folded().map((f) => layers[f.out]), this.layerActivations());
    this.w.network.update({ images: this.neuronPictures });
  }

  /** The points over the plane: the session's, or the ones drawn so far. */
  drawPoints() {
    const p = this.o.session.points, state = this.o.setup.state;
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

  /**
   * The raw points whose activations each output snapshot carries: the predictions
   * table's samples (the chosen one among them), else the chosen sample alone, then
   * the point under the mouse.
   */
  /** @returns {Probes} */
  probes() {
    const p = this.o.session.points, table = this.tablePoints(), sample = this.sample();
    const count = p?.trainY.length ?? 0;
    const chosen = table.length || !p || !count ? [] : [p.trainX.map((c) => c[sample])];
    const hover = this.o.selection.point && p ? [this.o.selection.point] : [];
    return { points: [...table, ...chosen, ...hover], sampleAt: table.length ? sample : chosen.length ? 0 : -1,
      hoverAt: hover.length ? table.length + chosen.length : -1, sample };
  }

  /** The chosen sample, among the session's training samples. */
  sample() {
    const count = this.o.session.points?.trainY.length ?? 0;
    return Math.min(this.o.selection.sample, Math.max(0, count - 1));
  }

  /** The chosen sample marked where it is chosen, and ringed on the plane while the mouse is over its panel. */
  showSample() {
    const p = this.o.session.points, count = p?.trainY.length ?? 0, sample = this.sample();
    this.w.activations.choose(sample, count);
    this.w.table.highlight(this.tablePoints().length ? sample : -1);
    const ring = this.o.selection.ring && p?.width === 2 && count ? p.trainX.map((c) => c[sample]) : null;
    this.w.boundary.update({ marked: ring });
  }

  /**
   * @param {{features: number[][], layers: number[][][]}} all every layer's activations
   * @param {Probes} probes the points they are of (the snapshot request's)
   */
  activations(all, probes) {
    const p = this.o.session.points, table = this.tablePoints();
    const acts = { features: all.features, layers: this.folded().map((f) => all.layers[f.out]) };
    const n = table.length;
    if (n) {
      const targets = Array.from(p?.trainY ?? []);
      this.w.table.update({ inputs: table, targets, outputs: acts.layers[acts.layers.length - 1].slice(0, n), classes: null });
    }
    const { points, sampleAt, hoverAt, sample } = probes;
    const at = hoverAt >= 0 ? hoverAt : sampleAt;
    if (at < 0 || at >= acts.features.length || points.length !== acts.features.length) return;
    const layers = acts.layers.map((l) => l[at]), activations = this.layerActivations();
    this.w.activations.update({ point: points[at], features: acts.features[at], layers, names: this.inputNames(),
      hover: hoverAt >= 0, sample, target: hoverAt >= 0 ? null : p?.trainY[sample], acts: activations });
    if (p?.width !== 2) this.w.network.update({ images: sampleImages(acts.features[at], layers, activations) });
  }

  /** @param {import("./api.js").Api} api @param {string} id the input nodes' pictures */
  async featureImages(api, id) {
    const { points, spec } = this.o.session;
    if (points?.width !== 2 || !spec.data.features) return;
    const n = 20;
    const [lo, hi] = points.view ?? [-6, 6];
    const axis = Array.from({ length: n }, (_, k) => lo + ((hi - lo) * k) / (n - 1));
    const inputs = axis.flatMap((y) => axis.map((x) => [x, y]));
    const acts = await api.activations(id, inputs);
    const all = this.o.offer.catalog?.features ?? spec.data.features;
    const index = spec.data.features.map((/** @type {string} */ f) => all.indexOf(f));
    this.w.network.update({ images: featureImages(acts.features, n, index) });
  }
}
