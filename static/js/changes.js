// @ts-check
/**
 * One change the user makes to the set-up, and what follows from it: a preset fills in
 * its network, a new dataset brings its first preset, a new objective its stacks.
 */
import { ADVERSARIAL, drawnStart, encodeStack, GAN_DEFAULTS, ganLearns, ganStart, isGenerative } from "./gan-state.js";
import { fromSpec, presetBase } from "./spec.js";
import { CSV, DRAWN, isImageState, RECONSTRUCTION, SEQUENTIAL, SUPERVISED } from "./state.js";

/** @typedef {import("./state.js").State} State */

/**
 * The preset whose network and training a text or series dataset starts from: its own
 * preset when it has one (delayed-copy has two: the LSTM, which remembers), else one of
 * a dataset of its kind. Only names: the stacks come from GET /api/presets.
 */
const FIRST_PRESETS = { "python-source": "char-lstm", "delayed-copy": "copy-lstm", brackets: "brackets-gru",
  counting: "brackets-gru", sine: "sine-forecast", sunspots: "sine-forecast", "trend-season": "airline-forecast",
  airline: "airline-forecast", "series-anomalies": "series-anomaly" };

/**
 * The state after the user changed `partial`, with what follows from it: a preset
 * brings its whole set-up, a new problem type its first dataset, a new dataset its own
 * class count (and, between points and images, its own train/test ratio and a fresh
 * network; a text or series dataset its first preset's network and training, see
 * `firstPreset`), one activation for all layers clears the per-layer ones, and leaving
 * a preset's dataset leaves the preset.
 * @param {State} before @param {Partial<State>} partial
 * @param {Map<string, {name: string, spec: any}>} presets
 * @param {{name: string, kind: string, modality?: string, n_features?: number, default_test_fraction?: number,
 *   params?: any}[]} datasets
 * @param {import("./layers.js").Catalog | null} [catalog]
 * @returns {State}
 */
export function applyChange(before, partial, presets, datasets, catalog = null) {
  let next = { ...before, ...partial };
  const described = (/** @type {string} */ name) => datasets.find((d) => d.name === name);
  if (partial.preset !== undefined) {
    const preset = presets.get(partial.preset);
    if (preset) {
      const image = isImageState({ ...next, dataset: preset.spec.data.dataset }, datasets);
      next = fromSpec(preset.spec, preset.name, next, { catalog, image, dataset: described(preset.spec.data.dataset) });
    }
  }
  if (partial.problem && partial.problem !== before.problem && next.dataset !== CSV) {
    const first = datasets.find((d) => d.kind === partial.problem && d.n_features === 2 && !d.name.startsWith("course"));
    if (first) next.dataset = first.name;
  }
  const newDataset = Boolean(partial.dataset && partial.dataset !== before.dataset);
  if (newDataset && presets.get(before.preset)?.spec.data.dataset !== partial.dataset) next.preset = "";
  if (newDataset) {
    next.classes = 0;
    next.params = {};
    const wasImage = isImageState(before, datasets), image = isImageState(next, datasets);
    if (image || wasImage) next.layers = "";
    const d = described(next.dataset);
    if (d?.modality && !["points", "table"].includes(d.modality)) next.problem = d.kind;  // images, text, series: their own
    if (image !== wasImage) {
      next.ratio = Math.round(100 - (d?.default_test_fraction || (image ? 0.2 : 0.5)) * 100);
      next.noise = Math.round((d?.params?.noise?.default ?? 0) * 100);
    }
    const first = d && partial.preset === undefined ? firstPreset(d, presets) : undefined;
    if (isGenerative(d) && next.objective !== ADVERSARIAL && partial.preset === undefined) {
      // a GAN distribution picked: a GAN of it (they are for GANs only)
      next = ganObjective({ ...next, objective: ADVERSARIAL, layers: "", normal: [], denoise: 0, loss: "" }, presets, datasets, catalog);
    } else if (d && first) {
      // its own preset whole; another dataset's for its network and training, on this one's data
      const own = first.spec.data.dataset === d.name;
      next = fromSpec(own ? first.spec : { ...first.spec, data: { dataset: d.name } }, own ? first.name : "", next,
        { catalog, image: !own, dataset: d });
    } else if (next.objective === RECONSTRUCTION && partial.preset === undefined) {
      // an autoencoder of other data: of these too if they take one, else a classifier (or regressor) again
      next = autoencodes(next, datasets) ? withObjective(next, presets, datasets, catalog)
        : { ...next, objective: SUPERVISED, normal: [], denoise: 0 };
    } else if (next.objective === ADVERSARIAL && partial.preset === undefined) {
      next = ganData(before, next, presets, datasets, catalog);
    }
  }
  if (partial.objective !== undefined && partial.objective !== before.objective && partial.preset === undefined) {
    next = withObjective(next, presets, datasets, catalog);
  }
  if (partial.activation) next.acts = [];
  if (partial.hidden && partial.hidden.length !== before.hidden.length) {
    if (next.acts.length) next.acts = next.hidden.map((_, k) => next.acts[k] || next.activation);
    const out = before.hidden.length;  // the output's index moves with the hidden layers
    next.sep = next.sep.filter((k) => k < next.hidden.length || k === out)
      .map((k) => (k === out ? next.hidden.length : k));
  }
  return next;
}

/**
 * Whether a set-up's data can train an autoencoder: images, and the labelled windows of
 * a series made for one (`reconstructionOnly`).
 * @param {State} state @param {{name: string, kind: string, modality?: string}[]} datasets
 */
export function autoencodes(state, datasets) {
  const d = datasets.find((x) => x.name === state.dataset);
  return isImageState(state, datasets) || Boolean(d && reconstructionOnly(d));
}

/**
 * Whether a dataset is for autoencoders only: a series' windows labelled by kind (the
 * anomaly lab's), which have nothing to forecast. @param {{kind: string, modality?: string}} d
 */
export function reconstructionOnly(d) {
  return d.modality === "sequence" && d.kind === "classification";
}

/**
 * The state once its objective (the state's) is new: a fresh network, all classes
 * normal, no input noise, and a preset only if it fits. An autoencoder of data with a
 * preset of its own (digits) is that preset; of other images, the first autoencoder
 * preset's training with a first network for their shape.
 * @param {State} state @param {Map<string, {name: string, spec: any}>} presets
 * @param {{name: string, kind: string, modality?: string, default_test_fraction?: number, params?: any}[]} datasets
 * @param {import("./layers.js").Catalog | null} catalog
 * @returns {State}
 */
function withObjective(state, presets, datasets, catalog) {
  const next = { ...state, layers: "", normal: [], denoise: 0, loss: "" };
  const preset = presets.get(next.preset);
  if (preset && !presetBase(next, preset.spec)) next.preset = "";
  if (next.objective === ADVERSARIAL) return ganObjective(next, presets, datasets, catalog);
  Object.assign(next, GAN_DEFAULTS);
  if (isGenerative(datasets.find((d) => d.name === next.dataset))) {
    // a GAN distribution is for GANs only: a classifier goes back to the first points
    const d = datasets.find((x) => x.kind === "classification" && x.n_features === 2 && (x.modality ?? "points") === "points"
      && !isGenerative(x) && !x.name.startsWith("course"));
    if (d) Object.assign(next, { dataset: d.name, problem: "classification", classes: 0,
      ratio: Math.round(100 - (d.default_test_fraction || 0.5) * 100) });
  }
  if (next.objective !== RECONSTRUCTION) return next;
  const described = datasets.find((d) => d.name === next.dataset);
  const image = isImageState(next, datasets);
  const autoencoders = [...presets.values()].filter((p) => p.spec.objective === RECONSTRUCTION);
  const own = autoencoders.find((p) => p.spec.data.dataset === next.dataset && !p.spec.data.normal_classes)
    ?? autoencoders.find((p) => p.spec.data.dataset === next.dataset);
  if (own) return fromSpec(own.spec, own.name, next, { catalog, image, dataset: described });
  const first = autoencoders.find((p) => isImageState({ ...next, dataset: p.spec.data.dataset }, datasets));
  if (!first || !image) return next;
  const data = { dataset: next.dataset, test_fraction: Math.round(100 - next.ratio) / 100 };
  return fromSpec({ ...first.spec, data, model: { layers: [] } }, "", next, { catalog, image, dataset: described });
}

/**
 * The state once it is a GAN: of these data if a GAN learns them (gan-state.js's
 * `ganStart`: their own preset, else the first of their kind's; the points drawn:
 * `drawnStart`), else as it was.
 * @param {State} next @param {Map<string, {name: string, spec: any}>} presets
 * @param {any[]} datasets @param {import("./layers.js").Catalog | null} catalog
 * @returns {State}
 */
function ganObjective(next, presets, datasets, catalog) {
  const d = datasets.find((x) => x.name === next.dataset);
  const start = next.dataset === DRAWN ? drawnStart(presets, { dataset: DRAWN })  // the points drawn stay the state's
    : ganLearns(d) ? ganStart(d, presets, datasets) : null;
  if (!start) return { ...next, objective: SUPERVISED, ...GAN_DEFAULTS };
  const dataset = datasets.find((x) => x.name === start.spec.data.dataset);
  return fromSpec(start.spec, start.name, next, { catalog, image: dataset?.modality === "image", dataset });
}

/**
 * A GAN's state on new data: its networks and training kept when the samples keep their
 * shape (the stacks of the preset it leaves written out), else those `ganObjective` starts with.
 * @param {State} before @param {State} next @param {Map<string, {name: string, spec: any}>} presets
 * @param {any[]} datasets @param {import("./layers.js").Catalog | null} catalog
 * @returns {State}
 */
function ganData(before, next, presets, datasets, catalog) {
  const was = datasets.find((x) => x.name === before.dataset), d = datasets.find((x) => x.name === next.dataset);
  if (next.dataset === DRAWN) return ganObjective(next, presets, datasets, catalog);
  if (!ganLearns(d)) return { ...next, objective: SUPERVISED, ...GAN_DEFAULTS };
  if (JSON.stringify(was?.shape) !== JSON.stringify(d.shape)) return ganObjective(next, presets, datasets, catalog);
  const left = presets.get(before.preset)?.spec;
  const out = { ...next };
  if (!out.preset && left?.objective === ADVERSARIAL) {
    for (const net of /** @type {const} */ (["generator", "discriminator"])) {
      if (!out[net]) out[net] = encodeStack(left[net].layers, catalog);
    }
  }
  return out;
}

/**
 * The preset a text or series dataset starts from (FIRST_PRESETS, else a preset of that
 * dataset); none for other data.
 * @param {{name: string, modality?: string}} dataset @param {Map<string, {name: string, spec: any}>} presets
 */
export function firstPreset(dataset, presets) {
  if (!SEQUENTIAL.includes(dataset.modality ?? "")) return undefined;
  return presets.get(/** @type {any} */ (FIRST_PRESETS)[dataset.name])
    ?? [...presets.values()].find((p) => p.spec.data.dataset === dataset.name);
}
