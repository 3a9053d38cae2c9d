// @ts-check
/**
 * The autoencoder workspace, for any session with "objective": "reconstruction":
 * test inputs beside their reconstructions, live (an image grid, or small plots of
 * series windows; a pager and the split), the latent plane with a pressed point
 * decoded (latent-space.js), the anomaly lab when the session trains on some classes
 * only (anomaly-lab.js), and the network's layer cards with each layer's output for
 * the reconstruction chosen (image-network.js).
 * The composition root of these widgets: it asks the server for every view it shows
 * (in the websocket's snapshots while training, over REST for a decoded point, a
 * threshold or a page) and never computes one. The page of reconstructions and the
 * one chosen are its own state; the decoded point and the threshold the selection's.
 */
import { decodeArray } from "../grids.js";
import { encodeLayers } from "../layers.js";
import { ReconstructionGrid } from "../widgets/reconstruction-grid.js";
import { AnomalyLab } from "./anomaly-lab.js";
import { NetworkColumn, offerLayerTypes } from "./image-network.js";
import { LatentSpace } from "./latent-space.js";

/** While training, the codes come at most this often (ms), the anomaly lab's scores half as often. */
const HEAVY_MS = 300;
/** Reconstructions a page: images, or series windows. */
const PAGE = { images: 24, windows: 8 };
/** Units a layer added with the editor starts with. */
const NEW_UNITS = 16;

/** @typedef {import("./images.js").Shell} Shell */

export class AutoencoderWorkspace {
  /** @param {HTMLElement} root @param {Shell} shell */
  constructor(root, shell) {
    this.root = root;
    this.shell = shell;
    const part = (/** @type {string} */ name) => /** @type {HTMLElement} */ (root.querySelector(`[data-part=${name}]`));
    /** @type {Set<string>} the views the session offers */ this.views = new Set();
    /** the page of reconstructions shown, and the one chosen (its layers' outputs on the cards) */
    this.page = { split: "test", start: 0, count: PAGE.images, total: 0 };
    /** @type {number | null} */ this.chosen = null;
    /** @type {string[]} */ this.classNames = [];
    /** @type {Set<number> | null} the normal classes of an anomaly split */ this.normal = null;
    this.heavyAt = 0;
    this.anomalyAt = 0;
    this.heavyNow = false;
    this.grid = new ReconstructionGrid(part("reconstructions"), { onPick: (id) => this.choose(id), size: 28, plotWidth: 190 });
    this.pager = part("recon-pager");
    this.split = /** @type {HTMLSelectElement} */ (part("recon-split"));
    this.split.addEventListener("change", () => this.turn(0, this.split.value));
    this.latent = new LatentSpace({ plane: part("latent"), decoded: part("decoded") }, shell);
    this.lab = new AnomalyLab({ root: part("anomaly-lab"), histogram: part("histogram"), scores: part("scores"),
      roc: part("roc"), note: part("anomaly-note") }, shell);
    this.network = new NetworkColumn(part("cards"), {
      onStack: (layers) => shell.change({ layers: encodeLayers(layers, shell.offer.catalog) }),
      onPixel: () => {},
    });
    this.addType = /** @type {HTMLSelectElement} */ (part("add-type"));
    part("add-button").addEventListener("click", () => this.network.add(this.addType.value));
    /** @type {any} */ (window).__autoencoderStats = this.latent.stats;
  }

  /** @param {import("../layers.js").Catalog} catalog */
  setCatalog(catalog) {
    this.network.setCatalog(catalog);
    offerLayerTypes(this.addType, catalog.layers, "dense");
  }

  /** @param {boolean} on */
  open(on) {
    this.root.hidden = !on;
    if (on) this.shell.metrics.moveTo(/** @type {HTMLElement} */ (this.root.querySelector("[data-slot=metrics]")));
  }

  /** The state changed: the stack its cards show. @param {import("../state.js").State} _s */
  showState(_s) {
    if (this.root.hidden) return;
    const { setup, session } = this.shell;
    this.network.update({ stack: setup.stack(), info: session.summary?.layers ?? null, inputShape: setup.inputShape(),
      classes: NEW_UNITS });
  }

  /** What a session needs before it is shown: its views. @param {any} summary */
  async load(summary) {
    return { views: await this.shell.api.views(summary.id) };
  }

  /** The session state holds a new session: show it. @param {{views: any[]}} loaded */
  show(loaded) {
    const { session, offer, live } = this.shell;
    this.views = new Set(loaded.views.map((v) => v.name));
    const spec = session.spec, normal = spec.data.normal_classes;
    this.normal = Array.isArray(normal) ? new Set(normal) : null;
    const described = offer.dataset(spec.data.dataset);
    this.classNames = described?.class_names ?? [];
    const images = offer.modalityOf(spec) === "image";
    this.page = { split: this.split.value, start: 0, count: images ? PAGE.images : PAGE.windows, total: 0 };
    this.chosen = null;
    delete this.root.dataset.frameStep;
    this.grid.update(null);
    this.network.building(false);
    this.network.showMaps(null, null, null);
    const held = this.normal ? this.heldOut() : null;
    this.latent.reset(held);
    this.lab.reset(Boolean(this.normal) && this.views.has("anomaly"));
    this.showPager();
    this.showState(this.shell.setup.state);
    this.heavyNow = true;
    live.refresh();
  }

  /** The classes an anomaly split holds out (known once the class names are). */
  heldOut() {
    const normal = this.normal;
    return normal ? this.classNames.map((_, k) => k).filter((k) => !normal.has(k)) : [];
  }

  /** No session (the stack was refused). */
  empty() {
    delete this.root.dataset.frameStep;
    this.grid.update(null);
    this.latent.reset(null);
    this.lab.reset(false);
    this.network.building(false);
    this.network.showMaps(null, null, null);
    this.showState(this.shell.setup.state);
  }

  /** A session is being made from `spec`. @param {any} spec */
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
    this.empty();
    const index = m[1] === undefined ? this.network.stack.length - 1 : Number(m[1]);
    this.network.showError({ index, field: m[2] ?? null, message: e.message });
    return true;
  }

  /** The snapshot this workspace draws: its views, the costly ones at most every HEAVY_MS while training. */
  snapshotRequest() {
    const { session } = this.shell;
    if (!session.id) return null;
    const now = performance.now(), running = session.status === "running";
    const heavy = this.heavyNow || !running || now - this.heavyAt >= HEAVY_MS;
    const lab = this.views.has("anomaly") && Boolean(this.normal) && (this.heavyNow || !running || now - this.anomalyAt >= 2 * HEAVY_MS);
    if (heavy) { this.heavyAt = now; }
    if (lab) this.anomalyAt = now;
    this.heavyNow = false;
    const p = this.page;
    /** @type {Record<string, any>} */
    const views = { reconstructions: { split: p.split, start: p.start, count: p.count },
      ...(this.views.has("latent") ? this.latent.request(heavy) : {}) };
    if (lab) views.anomaly = this.lab.request();
    if (this.chosen !== null && this.views.has("feature_maps")) views.feature_maps = { split: p.split, sample: this.chosen };
    return { weights: false, encoding: "base64", views };
  }

  /** A snapshot arrived. @param {any} frame */
  snapshot(frame) {
    const v = frame.views ?? {};
    if (v.latent && !this.classNames.length) {
      this.classNames = v.latent.class_names;  // a series' kinds: GET /api/datasets names an image set's classes only
      if (this.normal) this.latent.anomalies = this.heldOut();
    }
    if (v.reconstructions) this.showReconstructions(v.reconstructions);
    this.latent.update(v);
    if (v.anomaly) this.lab.update(v.anomaly, this.classNames);
    if (v.feature_maps) this.network.showMaps(v.feature_maps, null, null);
    if (frame.view_errors) console.warn("views:", frame.view_errors);
    this.root.dataset.frameStep = String(frame.step);  // what the tests wait on: the step drawn
  }

  /** @param {any} r the reconstructions view */
  showReconstructions(r) {
    const inputs = decodeArray(r.inputs), outputs = decodeArray(r.outputs);
    const labels = /** @type {number[]} */ (r.labels), normal = this.normal;
    this.page.start = r.start;
    this.grid.update({ inputs, outputs, labels, errors: r.errors, ids: labels.map((_, k) => r.start + k),
      classNames: this.classNames, anomalous: normal ? labels.map((l) => !normal.has(l)) : null, selected: this.chosen });
    this.showPager(labels.length);
  }

  /** @param {number} [shown] how many the page holds */
  showPager(shown = 0) {
    const p = this.page;
    this.pager.replaceChildren();
    const button = (/** @type {string} */ text, /** @type {string} */ title, /** @type {number} */ by, /** @type {boolean} */ off) => {
      const b = this.pager.appendChild(document.createElement("button"));
      b.type = "button"; b.className = "text-button"; b.textContent = text; b.title = title;
      b.disabled = off;
      b.addEventListener("click", () => this.turn(Math.max(0, p.start + by), p.split));
    };
    button("‹", "Earlier samples", -p.count, p.start === 0);
    this.pager.appendChild(document.createElement("span")).textContent = shown
      ? `${(p.start + 1).toLocaleString()}–${(p.start + shown).toLocaleString()}` : "";
    button("›", "Later samples", p.count, shown < p.count);
  }

  /** Another page of reconstructions (or split): asked for at once. @param {number} start @param {string} split */
  async turn(start, split) {
    const { api, session } = this.shell, id = session.id;
    if (!id) return;
    if (split !== this.page.split) this.chosen = null;
    this.page = { ...this.page, split, start };
    try {
      const r = await api.view(id, "reconstructions", { split, start, count: this.page.count });
      if (id === session.id && this.page.start === start && this.page.split === split) this.showReconstructions(r);
    } catch (e) {
      this.shell.banner.show("error", `Reconstructions: ${/** @type {Error} */ (e).message}`, "warn", 4000);
    }
  }

  /** A reconstruction clicked: its layers' outputs on the cards. @param {number} id */
  choose(id) {
    this.chosen = id;
    this.grid.select(id);
    this.shell.live.refresh();
  }
}
