// @ts-check
/**
 * The images workspace: a grid of training samples (image-samples.js: click one to
 * choose it), the chosen image with the receptive field of a chosen feature-map pixel
 * and its arithmetic, the network as a column of layer cards with their live feature
 * maps and filters (image-network.js), a canvas to draw on with the prediction for the
 * drawing (image-draw.js), and the test results (image-results.js: the confusion
 * matrix, the misclassified).
 * The composition root of these widgets: it asks the server for every view it shows
 * (in the websocket's snapshots while training, over REST for a drawing or a click)
 * and never computes one. The views it draws are the session state's newest, the
 * chosen image and the marked pixel the selection's: it asks their owners for changes
 * and redraws when the selection says so.
 */
import { decodeArray } from "../grids.js";
import { encodeLayers } from "../layers.js";
import { imageStack } from "../spec.js";
import { IMAGES } from "../state.js";
import { ChosenImage } from "../widgets/chosen-image.js";
import { ImageUpload } from "../widgets/image-upload.js";
import { ReceptiveField } from "../widgets/receptive.js";
import { DrawPanel } from "./image-draw.js";
import { NetworkColumn, offerLayerTypes } from "./image-network.js";
import { TestResults } from "./image-results.js";
import { PAGE, SampleColumn } from "./image-samples.js";

/** While training, the confusion matrix, misclassified images and filters come at most this often (ms). */
const HEAVY_MS = 300;

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
    const { api, session, selection, banner } = shell;
    /** @type {Set<string>} the views the session offers */ this.views = new Set();
    /** the data section of the session shown, to know when the chosen image's data changed */
    this.data = "";
    this.heavyAt = 0;
    /**
     * Measured in the page (read as window.__imagesStats): feature-map frames, draw latencies
     * @type {{featureFrames: number, frameTimes: number[], drawMs: number[], lastDrawMs: number, perSecond: () => number}}
     */
    this.stats = { featureFrames: 0, frameTimes: [], drawMs: [], lastDrawMs: 0, perSecond: () => perSecond(this.stats.frameTimes) };
    /** @type {any} */ (window).__imagesStats = this.stats;

    this.samples = new SampleColumn(byId("sample-grid"), { api, session, selection });
    this.chosenImage = new ChosenImage(byId("chosen"), { size: 176 });
    this.receptive = new ReceptiveField(byId("receptive"), { onClose: () => selection.markPixel(null) });
    this.network = new NetworkColumn(byId("layer-cards"), {
      onStack: (layers) => shell.change({ layers: encodeLayers(layers, shell.offer.catalog) }),
      onPixel: (index, y, x, channel) => selection.markPixel({ index, y, x, channel }),
    });
    this.draw = new DrawPanel({ canvas: byId("draw"), prediction: byId("prediction") },
      { api, session, selection, banner, stats: this.stats, onAnswer: () => this.showMaps() });
    this.results = new TestResults({ api, session, selection,
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
    offerLayerTypes(select, catalog.layers, "conv2d");
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
    this.network.update({ stack: this.stack(s), info: this.shell.session.summary?.layers ?? null,
      inputShape: this.samples.inputShape, classes: this.classCount() });
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
    if (data !== this.data) selection.chooseImage({ split: "train", sample: 0 });
    delete this.root.dataset.frameStep;
    selection.markPixel(null);
    this.samples.show(loaded.samples);
    this.draw.reset(this.samples.inputShape, data !== this.data);
    this.data = data;
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
    this.samples.empty(state.dataset === IMAGES ? "Upload images (left) to train on them." : "");
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
    return "image" in chosen ? { image: this.draw.modelImage(chosen.image) } : { split: chosen.split, sample: chosen.sample };
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
    const m = session.views.feature_maps;
    this.network.showMaps(m, session.views.filters, selection.marked);
    if (!m) return;
    const names = m.class_names ?? this.samples.classNames;
    const p = m.probabilities ?? [];
    const sure = Math.round((p[m.predicted] ?? 0) * 100);
    // what the maps are of, as the view says (a snapshot asked for before a new choice may come after it)
    const what = m.sample === null || m.sample === undefined ? "your drawing" : `${m.split} sample ${m.sample}`;
    const label = m.label === null || m.label === undefined ? "" : `label ${names[m.label]} · `;
    this.chosenImage.update({ image: decodeArray(m.input), caption: `${what}: ${label}predicted ${names[m.predicted]} (${sure}%)` });
  }

  /** The network is to be looked at with another input (the selection's). */
  showChoice() {
    const { selection, live } = this.shell;
    this.samples.select();
    this.results.select();
    if (selection.marked) this.showMark();
    live.refresh();
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
