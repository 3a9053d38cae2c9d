// @ts-check
/**
 * The images workspace: a grid of training samples (click one to choose it), the
 * chosen image with the receptive field of a chosen feature-map pixel and its
 * arithmetic, the network as a column of layer cards with their live feature maps and
 * filters (image-network.js), a canvas to draw on with the prediction for the drawing,
 * and the test results (image-results.js: the confusion matrix, the misclassified).
 * The composition root of these widgets: it asks the server for every view it shows
 * (in the websocket's snapshots while training, over REST for a drawing or a click)
 * and never computes one. The views it draws are the session state's newest, the
 * chosen image and the marked pixel the selection's: it asks their owners for changes
 * and redraws when the selection says so.
 */
import { decodeArray } from "../grids.js";
import { encodeLayers } from "../layers.js";
import { IMAGES, imageStack } from "../state.js";
import { ChosenImage } from "../widgets/chosen-image.js";
import { DrawCanvas } from "../widgets/draw-canvas.js";
import { ImageGrid } from "../widgets/image-grid.js";
import { ImageUpload } from "../widgets/image-upload.js";
import { ProbabilityBars } from "../widgets/probabilities.js";
import { ReceptiveField } from "../widgets/receptive.js";
import { NetworkColumn } from "./image-network.js";
import { TestResults } from "./image-results.js";

const PAGE = 48;
/** While training, the confusion matrix, misclassified images and filters come at most this often (ms). */
const HEAVY_MS = 300;
const DRAW_SCALE = 8;

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @typedef {{api: import("../api.js").Api, offer: import("../offer.js").Offer,
 *   setup: import("../urlstate.js").UrlState, session: import("../session-state.js").SessionState,
 *   selection: import("../selection.js").Selection, live: import("../controller.js").SessionController,
 *   metrics: import("../metrics.js").MetricsDisplay, banner: import("../status.js").Banner,
 *   change: (partial: Partial<import("../state.js").State>, how?: {now?: boolean}) => void,
 *   upload: HTMLElement}} Shell
 */

export class ImagesWorkspace {
  /** @param {HTMLElement} root @param {Shell} shell */
  constructor(root, shell) {
    this.root = root;
    this.shell = shell;
    const { session, selection } = shell;
    /** @type {Set<string>} the views the session offers */ this.views = new Set();
    /** @type {number[] | null} */ this.inputShape = null;
    /** @type {string[]} */ this.classNames = [];
    /** the sample grid's page: its first index, and how many samples there are */
    this.start = 0;
    this.total = 0;
    /** the data section of the session shown, to know when the chosen image's data changed */
    this.data = "";
    /** strokes drawn (and clears): an answer for an older drawing is not shown */
    this.strokes = 0;
    this.heavyAt = 0;
    /** Measured in the page (read as window.__imagesStats): feature-map frames, draw latencies */
    this.stats = { featureFrames: 0, frameTimes: /** @type {number[]} */ ([]), drawMs: /** @type {number[]} */ ([]),
      lastDrawMs: 0, perSecond: () => perSecond(this.stats.frameTimes) };
    /** @type {any} */ (window).__imagesStats = this.stats;

    this.samples = new ImageGrid(byId("sample-grid"), { onPick: (id) => selection.chooseImage({ split: "train", sample: id }), size: 27 });
    this.pager = byId("sample-grid").appendChild(document.createElement("div"));
    this.pager.className = "pager fine";
    this.chosenImage = new ChosenImage(byId("chosen"), { size: 176 });
    this.receptive = new ReceptiveField(byId("receptive"), { onClose: () => selection.markPixel(null) });
    this.network = new NetworkColumn(byId("layer-cards"), {
      onStack: (layers) => shell.change({ layers: encodeLayers(layers, shell.offer.catalog) }),
      onPixel: (index, y, x, channel) => selection.markPixel({ index, y, x, channel }),
    });
    this.draw = new DrawCanvas(byId("draw"), { size: 140, onStroke: (image) => this.drawn(image), onClear: () => this.undraw() });
    this.prediction = new ProbabilityBars(byId("prediction"), { caption: "draw in the box" });
    this.results = new TestResults({ api: shell.api, session, selection,
      onChoose: (id) => selection.chooseImage({ split: "test", sample: id }) });
    this.upload = new ImageUpload(shell.upload, { onUpload: (body, label) => this.uploaded(body, label) });
    byId("add-layer-button").addEventListener("click", () => this.network.add(/** @type {HTMLSelectElement} */ (byId("add-layer-type")).value));
    selection.subscribe((what) => {
      if (what === "image") this.showChoice();
      else if (what === "marked") this.showMark();
    });
  }

  /** @param {import("../layers.js").Catalog} catalog */
  setCatalog(catalog) {
    this.network.setCatalog(catalog);
    const select = /** @type {HTMLSelectElement} */ (byId("add-layer-type"));
    select.replaceChildren(...catalog.layers.map((l) => {
      const o = new Option(l.type, l.type);
      o.title = l.description;
      return o;
    }));
    select.value = catalog.layers.some((l) => l.type === "conv2d") ? "conv2d" : catalog.layers[0]?.type;
  }

  /** @param {boolean} on */
  open(on) {
    this.root.hidden = !on;
    if (on) this.shell.metrics.moveTo(/** @type {HTMLElement} */ (this.root.querySelector("[data-slot=metrics]")));
  }

  /** The state changed: the stack its cards show, the upload box. @param {any} s */
  showState(s) {
    this.shell.upload.hidden = s.dataset !== IMAGES;
    if (this.root.hidden) return;
    this.network.update({ stack: this.stack(s), info: this.shell.session.summary?.layers ?? null, inputShape: this.inputShape, classes: this.classCount() });
    const dataset = this.shell.offer.dataset(s.dataset);
    const digits = /digit|mnist/i.test(`${s.dataset} ${dataset?.title ?? ""}`);
    byId("draw-h").textContent = digits ? "Draw a digit" : "Draw an image";
  }

  classCount() {
    const { setup } = this.shell;
    return setup.dataset()?.classes ?? setup.images?.info.classes ?? 10;
  }

  /** The state's layer stack. @param {import("../state.js").State} s */
  stack(s) {
    const { offer } = this.shell;
    return imageStack(s, offer.presets.get(s.preset)?.spec ?? null, offer.catalog, this.classCount());
  }

  /** What a session needs before it is shown: its views and a first page of samples. @param {any} summary */
  async load(summary) {
    const api = this.shell.api;
    const [views, samples] = await Promise.all([api.views(summary.id),
      api.view(summary.id, "samples", { split: "train", start: 0, count: PAGE })]);
    return { views, samples };
  }

  /** The session state holds a new session: show it. @param {{views: any[], samples: any}} loaded */
  show(loaded) {
    const { session, selection, setup } = this.shell;
    this.views = new Set(loaded.views.map((v) => v.name));
    const data = JSON.stringify(session.spec.data);
    if (data !== this.data) {
      this.strokes += 1;
      this.draw.clear();
      this.prediction.update(null);
      selection.chooseImage({ split: "train", sample: 0 });
    }
    this.data = data;
    delete this.root.dataset.frameStep;
    selection.markPixel(null);
    this.showSamples(loaded.samples);
    const [h, w] = this.inputShape ?? [8, 8];
    this.draw.resize(h, w, DRAW_SCALE, h >= 20 ? 0.09 : 0.16);
    this.network.building(false);
    this.showState(setup.state);
    this.results.reset();
    byId("confusion-note").textContent = this.views.has("confusion") ? "test data" : "";
    this.heavyAt = 0;
    this.shell.live.refresh();
  }

  /** No session (nothing uploaded yet, or the stack was refused). */
  empty() {
    const state = this.shell.setup.state;
    delete this.root.dataset.frameStep;
    this.samples.update(null);
    this.pager.textContent = state.dataset === IMAGES ? "Upload images (left) to train on them." : "";
    this.chosenImage.update(null);
    this.receptive.update(null);
    this.results.reset();
    this.network.building(false);
    this.network.showMaps(null, null, null);
    this.showState(state);
  }

  /** A session is being made from `spec` (null: not an image one). @param {any} spec */
  building(spec) {
    if (spec) this.network.building(true);
  }

  /**
   * The session could not be made: a refused layer's message goes on its card.
   * @param {any} e an ApiError @returns {boolean} whether it was shown here
   */
  failed(e) {
    this.network.building(false);
    const m = /^model\.layers(?:\[(\d+)\](?:\.(\w+))?)?$/.exec(e.path ?? "");
    if (!m) return false;
    this.shell.metrics.clear();
    this.showState(this.shell.setup.state);
    this.network.showMaps(null, null, null);
    this.results.reset();
    this.shell.selection.markPixel(null);
    // a whole-stack problem (the output's shape) is the last layer's to fix
    const index = m[1] === undefined ? this.network.stack.length - 1 : Number(m[1]);
    this.network.showError({ index, field: m[2] ?? null, message: e.message });
    return true;
  }

  /** The chosen input as a view's parameters. */
  chosenParams() {
    const chosen = this.shell.selection.image;
    return "image" in chosen ? { image: this.modelImage(chosen.image) } : { split: chosen.split, sample: chosen.sample };
  }

  /** The snapshot this workspace draws: its views, the costly ones at most every HEAVY_MS while training. */
  snapshotRequest() {
    if (!this.shell.session.id) return null;
    /** @type {Record<string, any>} */
    const views = { feature_maps: this.chosenParams() };
    const now = performance.now();
    if (now - this.heavyAt >= HEAVY_MS || this.shell.session.status !== "running") {
      this.heavyAt = now;
      if (this.views.has("confusion")) views.confusion = {};
      if (this.views.has("misclassified")) views.misclassified = { limit: 12 };
      if (this.views.has("filters")) views.filters = {};
    }
    return { weights: false, encoding: "base64", views };
  }

  /** A snapshot arrived (the session state keeps its views). @param {any} frame */
  snapshot(frame) {
    const v = frame.views;
    if (!v) return;
    if (v.feature_maps) {
      this.stats.featureFrames += 1;
      this.stats.frameTimes.push(performance.now());
      if (this.stats.frameTimes.length > 200) this.stats.frameTimes.splice(0, 100);
    }
    if (v.feature_maps || v.filters) this.showMaps();
    this.results.update(v);
    if (frame.view_errors) console.warn("views:", frame.view_errors);
    this.root.dataset.frameStep = String(frame.step);  // what the tests wait on: the step drawn
  }

  /** The feature maps of the chosen input on the cards, and its picture and prediction. */
  showMaps() {
    const { session, selection } = this.shell;
    const m = session.views.feature_maps, chosen = selection.image;
    this.network.showMaps(m, session.views.filters, selection.marked);
    if (!m) return;
    const names = m.class_names ?? this.classNames;
    const p = m.probabilities ?? [];
    const sure = Math.round((p[m.predicted] ?? 0) * 100);
    const what = "image" in chosen ? "your drawing" : `${chosen.split} sample ${chosen.sample}`;
    const label = m.label === null || m.label === undefined ? "" : `label ${names[m.label]} · `;
    this.chosenImage.update({ image: decodeArray(m.input), caption: `${what}: ${label}predicted ${names[m.predicted]} (${sure}%)` });
  }

  /** @param {any} s the samples view */
  showSamples(s) {
    const images = decodeArray(s.images);
    this.inputShape = images.shape.slice(1);
    this.classNames = s.class_names;
    this.start = s.start;
    this.total = s.total;
    const c = this.shell.selection.image;
    const chosen = "image" in c || c.split !== "train" ? null : c.sample;
    this.samples.update({ images, ids: s.indices, captions: s.labels.map((/** @type {number} */ l) => s.class_names[l] ?? String(l)), selected: chosen });
    this.pager.replaceChildren();
    const prev = this.pager.appendChild(document.createElement("button"));
    prev.type = "button"; prev.className = "text-button"; prev.textContent = "‹"; prev.title = "Earlier samples";
    prev.disabled = s.start === 0;
    prev.addEventListener("click", () => this.page(-PAGE));
    const text = this.pager.appendChild(document.createElement("span"));
    text.textContent = `${(s.start + 1).toLocaleString()}–${(s.start + s.indices.length).toLocaleString()} of ${s.total.toLocaleString()}`;
    const next = this.pager.appendChild(document.createElement("button"));
    next.type = "button"; next.className = "text-button"; next.textContent = "›"; next.title = "Later samples";
    next.disabled = s.start + s.indices.length >= s.total;
    next.addEventListener("click", () => this.page(PAGE));
  }

  /** @param {number} by */
  async page(by) {
    const { api, session } = this.shell;
    const id = session.id;
    if (!id) return;
    const s = await api.view(id, "samples", { split: "train", start: Math.max(0, this.start + by), count: PAGE });
    if (id === session.id) this.showSamples(s);
  }

  /** The network is to be looked at with another input (the selection's). */
  showChoice() {
    const { selection, live } = this.shell;
    const chosen = selection.image;
    this.samples.select("image" in chosen || chosen.split !== "train" ? null : chosen.sample);
    this.results.select();
    if (selection.marked) this.showMark();
    live.refresh();
  }

  /** A drawing for the model's input: rows of grey levels, or of grey pixels with c channels. @param {number[][]} image */
  modelImage(image) {
    const c = this.inputShape?.[2] ?? 1;
    return c === 1 ? image : image.map((row) => row.map((v) => new Array(c).fill(v)));
  }

  /** A stroke ended: classify the drawing now (over REST, not waiting for a snapshot). @param {number[][]} image */
  async drawn(image) {
    const { api, session, selection, banner } = this.shell;
    const id = session.id;
    if (!id) return;
    const stroke = ++this.strokes, t0 = performance.now();
    try {
      const m = await api.view(id, "feature_maps", { image: this.modelImage(image) });
      const ms = performance.now() - t0;
      this.stats.lastDrawMs = ms;
      this.stats.drawMs.push(ms);
      if (id !== session.id || stroke !== this.strokes) return;
      this.prediction.update({ probabilities: m.probabilities, class_names: m.class_names, predicted: m.predicted });
      session.setView("feature_maps", m);
      selection.chooseImage({ image });
      this.showMaps();
    } catch (e) {
      this.prediction.update(null);
      banner.show("error", `Could not classify the drawing: ${/** @type {Error} */ (e).message}`, "error");
    }
  }

  undraw() {
    const { selection } = this.shell;
    this.strokes += 1;
    this.prediction.update(null);
    if ("image" in selection.image) selection.chooseImage(selection.lastSample);
  }

  /** Show what the marked feature-map pixel (the selection's) is computed from. */
  async showMark() {
    const { api, session, selection } = this.shell;
    const p = selection.marked, id = session.id;
    this.network.showMaps(session.views.feature_maps, session.views.filters, p);
    if (!p || !id) {
      this.receptive.update(null);
      this.chosenImage.showBox(null);
      return;
    }
    try {
      const v = await api.view(id, "receptive_field", { layer: p.index, y: p.y, x: p.x, channel: p.channel, ...this.chosenParams() });
      if (id !== session.id || selection.marked !== p) return;
      const arrays = Object.fromEntries(["patch", "kernel", "products"].filter((k) => v[k]).map((k) => [k, decodeArray(v[k])]));
      this.receptive.update({ view: v, ...arrays });
      this.chosenImage.showBox(v.box.clipped);
    } catch (e) {
      this.receptive.update(null);
      this.shell.banner.show("error", `Receptive field: ${/** @type {Error} */ (e).message}`, "warn", 4000);
    }
  }

  /** Uploaded files: the server reads them into a spec's data section. @param {Record<string, string>} body @param {string} label */
  async uploaded(body, label) {
    this.upload.update({ busy: `Sending ${label}…` });
    try {
      const answer = await this.shell.api.uploadImages(body);
      const info = answer.info;
      this.upload.update({ done: `${label}: ${info.n.toLocaleString()} images of ${info.shape.join("×")}, ${info.classes} classes.` });
      this.shell.setup.useImages({ data: answer.data, info, file: label });
      this.shell.change({ dataset: IMAGES }, { now: true });
    } catch (e) {
      this.upload.update({ error: `${label}: ${/** @type {Error} */ (e).message}` });
    }
  }
}

/** Frames a second over the last two seconds of `times` (performance.now() stamps). @param {number[]} times */
function perSecond(times) {
  const now = performance.now();
  const recent = times.filter((t) => now - t <= 2000);
  if (recent.length < 2) return 0;
  return (recent.length - 1) / ((recent[recent.length - 1] - recent[0]) / 1000);
}
