// @ts-check
/**
 * What the server offers, read once as the page starts: the catalog (every layer,
 * activation, loss, optimizer ... the engine has), the datasets, the presets and the
 * limits. The shell loads it (`load`); every other module only reads it.
 */
import { reconstructionOnly } from "./changes.js";
import { ADVERSARIAL, CSV, DRAWN, IMAGES, MAX_HIDDEN_LAYERS, MAX_NEURONS, RECONSTRUCTION } from "./state.js";

/**
 * @typedef {{name: string, title: string, kind: string, modality?: string, classes: number | null,
 *   n_features: number, params: any, default_test_fraction?: number, description: string,
 *   shape?: number[], class_names?: string[]}} Dataset
 * @typedef {{name: string, title: string, description: string, spec: any}} Preset
 */

export class Offer {
  constructor() {
    /** @type {import("./layers.js").Catalog | null} GET /api/catalog */ this.catalog = null;
    /** @type {Dataset[]} */ this.datasets = [];
    /** @type {Map<string, Preset>} */ this.presets = new Map();
    /** how far the network may grow: the server's limits (GET /api/limits) once known */
    this.limits = { hiddenLayers: MAX_HIDDEN_LAYERS, neurons: MAX_NEURONS, units: 1024, layers: 32 };
  }

  /**
   * @param {{catalog: import("./layers.js").Catalog, datasets: Dataset[], presets: Preset[],
   *   limits: {max_layers: number, max_units: number}}} offer
   */
  load({ catalog, datasets, presets, limits }) {
    this.catalog = catalog;
    this.datasets = datasets;
    this.presets = new Map(presets.map((p) => [p.name, p]));
    this.limits = { hiddenLayers: limits.max_layers - 1, neurons: limits.max_units, units: limits.max_units,
      layers: limits.max_layers };
  }

  /** @param {string} name */
  dataset(name) {
    return this.datasets.find((d) => d.name === name);
  }

  /**
   * The datasets with a thumbnail in the picker: 2-D points, images, text and series
   * (to forecast, or a labelled one for an autoencoder), not the course's tables.
   */
  pictured() {
    return this.datasets.filter((d) => (d.n_features === 2 || ["image", "text", "sequence"].includes(d.modality ?? ""))
      && !d.name.startsWith("course"));
  }

  /** Whether a dataset is for autoencoders only (a series' windows labelled by kind). @param {string} name */
  reconstructionOnly(name) {
    const d = this.dataset(name);
    return Boolean(d && reconstructionOnly(d));
  }

  /** Whether a spec trains on images: an image dataset's name, or inline images (rank 4). @param {any} spec */
  isImageSpec(spec) {
    const d = spec.data ?? {};
    if (d.dataset === DRAWN) {
      const x = d.X;
      return Boolean(x && (Array.isArray(x.shape) ? x.shape.length === 4 : Array.isArray(x[0]?.[0]?.[0])));
    }
    return this.dataset(d.dataset)?.modality === "image";
  }

  /**
   * What a spec trains on: "image", "text", "sequence" (a series), or a built-in
   * dataset's modality ("points", "table"). @param {any} spec
   */
  modalityOf(spec) {
    const name = spec.data?.dataset;
    if (this.isImageSpec(spec)) return "image";
    if (name === "text") return "text";
    if (name === "series") return "sequence";
    return this.dataset(name)?.modality ?? "points";
  }

  /** The workspace a spec opens: "autoencoder" for an autoencoder, "gan" for a GAN, else its modality's. @param {any} spec */
  workspaceOf(spec) {
    if (spec.objective === ADVERSARIAL) return "gan";
    return spec.objective === RECONSTRUCTION ? "autoencoder" : this.modalityOf(spec);
  }

  /** Every dataset's title by name, the user's own data too (for sessions' names). @returns {Map<string, string>} */
  titles() {
    return new Map(/** @type {[string, string][]} */ ([...this.datasets.map((d) => [d.name, d.title]),
      [DRAWN, "Your points"], [CSV, "CSV file"], [IMAGES, "Image files"],
      ["text", "Your text"], ["series", "Your series"]]));
  }
}
