// @ts-check
/**
 * The page's set-up as a table of properties, as TF Playground's state.ts has it:
 * each property has a type and a default, the whole state lives in the URL hash (so a
 * link reproduces the set-up), and `toSpec` turns it into the session spec that
 * POST /api/sessions takes. The spec is the contract: nothing here computes anything
 * a network does.
 */
import { ADVERSARIAL, DRAWN_GAN_VIEW, GAN_DEFAULTS, drawnStart, encodeStack, ganFromSpec, ganLearns, ganSpecPart, ganStart, isGenerative } from "./gan-state.js";
import { decodeLayers, defaultAutoencoderLayers, defaultImageLayers, encodeLayers, foldDense, layerType } from "./layers.js";


export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
/** Batch slider's sizes (1..30, then the sizes image networks like); one more slot: the whole training set. */
export const BATCH_SIZES = [...Array.from({ length: 30 }, (_, k) => k + 1), 32, 48, 64, 96, 128, 256];
export const MOMENTA = [0, 0.5, 0.8, 0.9, 0.95, 0.99];
export const BETA1S = [0.5, 0.8, 0.9, 0.95, 0.99];
export const BETA2S = [0.9, 0.99, 0.999, 0.9999];
/** Gradient clipping's ladder: the largest norm of the whole gradient (0: no clipping). */
export const CLIP_NORMS = [0, 0.1, 0.25, 0.5, 1, 2, 5, 10, 25];
/** The user's own data: points clicked onto the plane, an uploaded CSV file, or image files. */
export const DRAWN = "inline";
export const CSV = "csv";
export const IMAGES = "images";
/** The modalities whose datasets bring their own parameters as controls (the `params` property). */
export const SEQUENTIAL = ["text", "sequence"];
/**
 * The preset whose network and training a text or series dataset starts from: its own
 * preset when it has one (delayed-copy has two: the LSTM, which remembers), else one of
 * a dataset of its kind. Only names: the stacks come from GET /api/presets.
 */
const FIRST_PRESETS = { "python-source": "char-lstm", "delayed-copy": "copy-lstm", brackets: "brackets-gru",
  counting: "brackets-gru", sine: "sine-forecast", sunspots: "sine-forecast", "trend-season": "airline-forecast",
  airline: "airline-forecast", "series-anomalies": "series-anomaly" };
/** What a session trains for: inputs to targets, the inputs themselves (an autoencoder), or samples like them (a GAN). */
export const SUPERVISED = "supervised";
export const RECONSTRUCTION = "reconstruction";
export { ADVERSARIAL };
/** The plane points are clicked onto: TF Playground's, whatever the points span. */
export const DRAWN_VIEW = [-6, 6];
export const MAX_HIDDEN_LAYERS = 16;  // until the server's own limits arrive
export const MAX_NEURONS = 64;

/**
 * @typedef {{preset: string, dataset: string, problem: string, noise: number,
 *   ratio: number, batch: number | "full", seed: number, classes: number, features: string[],
 *   hidden: number[], activation: string, acts: string[], sep: number[], layers: string,
 *   params: Record<string, number>, lr: number, optimizer: string, clip: number,
 *   momentum: number, beta1: number, beta2: number, loss: string, init: string, reg: string,
 *   regRate: number, showTest: boolean, discretize: boolean, points: number[][],
 *   csv: string, csvFile: string, csvTarget: string, objective: string, normal: number[],
 *   denoise: number, generator: string, discriminator: string, noiseDim: number, noiseDist: string,
 *   ganLoss: string, dSteps: number, gSteps: number}} State
 *   `classes` 0, `loss` and `init` "" mean the dataset's or problem's default; `acts` is
 *   each hidden layer's activation (missing entries: `activation`); `sep` the dense
 *   layers (0-based, the output last) whose activation is a layer of its own (dense
 *   with a linear activation, then an activation layer); `layers` an image network's
 *   stack in layers.js's compact text ("": the dataset's first network); `params` a text
 *   or series dataset's own parameters (those not given: the dataset's defaults); `clip`
 *   the optimizer's clip_norm (0: off); `points` the
 *   points clicked onto the plane, [x, y, class] each; `csv` an uploaded file's text
 *   packed for the link (csvlink.js; "" when too long), `csvTarget` its predicted column;
 *   `objective` SUPERVISED or RECONSTRUCTION (an autoencoder), `normal` an autoencoder's
 *   normal classes (the anomaly lab: it trains on them and tests on all; []: no lab, all
 *   classes), `denoise` the σ of the noise added to its training inputs (a denoising one);
 *   for a GAN (objective ADVERSARIAL, gan-state.js) `generator` and `discriminator` its
 *   stacks in layers.js's text ("": the preset's), `noiseDim` and `noiseDist` its noise,
 *   `ganLoss` its loss, `dSteps` and `gSteps` each network's steps a round.
 * @typedef {{csv: string | null, target: string, inputs: number, classes?: number}} OwnData an
 *   uploaded CSV file, the column it predicts, how many input columns it has, and how many
 *   classes the column names (0: values)
 * @typedef {{catalog: import("./layers.js").Catalog | null, image?: boolean,
 *   imageData?: any, classes?: number, inputShape?: number[] | null}} Context what a spec
 *   needs beyond the state: the catalog (losses, optimizers' hyperparameters, layer
 *   defaults), whether the data are images (or another stack's), an upload's data
 *   section, an image dataset's class count, and one sample's shape
 */

/** @typedef {"string" | "number" | "list" | "numbers" | "indices" | "bool" | "batch" | "points" | "layers" | "params"} PropType */
/** @type {{[K in keyof State]: {type: PropType, def: State[K], quiet?: boolean}}} `quiet`: left out of the link while at its default */
const PROPS = {
  preset: { type: "string", def: "" },
  dataset: { type: "string", def: "circle" },
  problem: { type: "string", def: "classification" },
  noise: { type: "number", def: 0 },
  ratio: { type: "number", def: 50 },
  batch: { type: "batch", def: 10 },
  seed: { type: "number", def: 1 },
  classes: { type: "number", def: 0 },
  features: { type: "list", def: ["x1", "x2"] },
  hidden: { type: "numbers", def: [4, 2] },
  activation: { type: "string", def: "tanh" },
  acts: { type: "list", def: [] },
  sep: { type: "indices", def: [], quiet: true },
  layers: { type: "layers", def: "", quiet: true },
  params: { type: "params", def: {}, quiet: true },
  lr: { type: "number", def: 0.03 },
  optimizer: { type: "string", def: "sgd" },
  clip: { type: "number", def: 0, quiet: true },
  momentum: { type: "number", def: 0 },
  beta1: { type: "number", def: 0.9 },
  beta2: { type: "number", def: 0.999 },
  loss: { type: "string", def: "" },
  init: { type: "string", def: "" },
  reg: { type: "string", def: "none" },
  regRate: { type: "number", def: 0 },
  showTest: { type: "bool", def: false },
  discretize: { type: "bool", def: false },
  points: { type: "points", def: [] },
  csv: { type: "string", def: "" },
  csvFile: { type: "string", def: "" },
  csvTarget: { type: "string", def: "" },
  objective: { type: "string", def: SUPERVISED, quiet: true },
  normal: { type: "indices", def: [], quiet: true },
  denoise: { type: "number", def: 0, quiet: true },
  generator: { type: "layers", def: GAN_DEFAULTS.generator, quiet: true },
  discriminator: { type: "layers", def: GAN_DEFAULTS.discriminator, quiet: true },
  noiseDim: { type: "number", def: GAN_DEFAULTS.noiseDim, quiet: true },
  noiseDist: { type: "string", def: GAN_DEFAULTS.noiseDist, quiet: true },
  ganLoss: { type: "string", def: GAN_DEFAULTS.ganLoss, quiet: true },
  dSteps: { type: "number", def: GAN_DEFAULTS.dSteps, quiet: true },
  gSteps: { type: "number", def: GAN_DEFAULTS.gSteps, quiet: true },
};

/** @returns {State} */
export function defaultState() {
  return /** @type {State} */ (Object.fromEntries(Object.entries(PROPS).map(
    ([k, p]) => [k, Array.isArray(p.def) ? [...p.def] : typeof p.def === "object" ? { ...p.def } : p.def])));
}

/** @param {State} state @returns {string} the hash, without '#' */
export function serialize(state) {
  const parts = [];
  for (const [key, prop] of Object.entries(PROPS)) {
    if (key.startsWith("csv") && state.dataset !== CSV) continue;
    const value = /** @type {any} */ (state)[key];
    if (prop.quiet && JSON.stringify(value) === JSON.stringify(prop.def)) continue;
    let text;
    if (prop.type === "points") text = value.map((/** @type {number[]} */ p) => p.join(":")).join(";");
    else if (prop.type === "list" || prop.type === "numbers" || prop.type === "indices") text = value.join(",");
    else if (prop.type === "bool") text = value ? "1" : "0";
    else if (prop.type === "params") text = Object.entries(value).map(([k, v]) => `${k}:${v}`).join(",");
    else text = String(value);
    let encoded = encodeURIComponent(text);
    if (prop.type === "layers" || prop.type === "params") encoded = encoded.replace(/%2C/g, ",").replace(/%3A/g, ":");  // readable, and safe in a hash
    parts.push(`${key}=${encoded}`);
  }
  return parts.join("&");
}

/** @param {string} hash @returns {State} defaults for what the hash lacks or garbles */
export function deserialize(hash) {
  const state = /** @type {any} */ (defaultState());
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  for (const [key, prop] of Object.entries(PROPS)) {
    const raw = params.get(key);
    if (raw === null) continue;
    if (prop.type === "number") {
      const n = Number(raw);
      if (raw !== "" && Number.isFinite(n)) state[key] = n;
    } else if (prop.type === "batch") {
      const n = Number(raw);
      state[key] = raw === "full" ? "full" : Number.isInteger(n) && n > 0 ? n : prop.def;
    } else if (prop.type === "bool") {
      state[key] = raw === "1" || raw === "true";
    } else if (prop.type === "points") {
      const points = raw === "" ? [] : raw.split(";").map((p) => p.split(":").map(Number));
      if (points.every((p) => p.length === 3 && p.every(Number.isFinite))) state[key] = points;
    } else if (prop.type === "list") {
      state[key] = raw === "" ? [] : raw.split(",");
    } else if (prop.type === "params") {
      const pairs = raw === "" ? [] : raw.split(",").map((p) => p.split(":"));
      if (pairs.every((p) => p.length === 2 && /^\w+$/.test(p[0]) && p[1] !== "" && Number.isFinite(Number(p[1])))) {
        state[key] = Object.fromEntries(pairs.map(([k, v]) => [k, Number(v)]));
      }
    } else if (prop.type === "numbers" || prop.type === "indices") {
      const units = raw === "" ? [] : raw.split(",").map(Number);
      const least = prop.type === "numbers" ? 1 : 0;
      if (units.every((u) => Number.isInteger(u) && u >= least)) state[key] = units;
    } else {
      state[key] = raw;
    }
  }
  return state;
}

/**
 * Whether a set-up trains on images: an image dataset, or the user's image files.
 * @param {State} state @param {{name: string, modality?: string}[]} datasets
 */
export function isImageState(state, datasets) {
  return state.dataset === IMAGES || datasets.find((d) => d.name === state.dataset)?.modality === "image";
}

/**
 * The kind of output a set-up needs: regression, two classes or more.
 * @param {State} state
 * @param {{kind: string, classes: number | null, params: object} | undefined} dataset
 * @param {{classes?: number} | null} [own] the uploaded file: the classes its target names
 * @returns {{regression: boolean, classes: number}}
 */
export function outputKind(state, dataset, own = null) {
  if (state.objective === RECONSTRUCTION) return { regression: true, classes: 0 };  // the inputs back: values
  if (state.dataset === DRAWN) {
    return { regression: false, classes: Math.max(2, ...state.points.map((p) => p[2] + 1)) };
  }
  if (state.dataset === IMAGES) return { regression: false, classes: own?.classes || 2 };
  if (state.dataset === CSV || !dataset) {
    return { regression: state.problem === "regression", classes: state.dataset === CSV ? own?.classes || 2 : 2 };
  }
  const classes = dataset && "classes" in dataset.params && state.classes ? state.classes : dataset.classes ?? 2;
  return { regression: dataset.kind === "regression", classes };
}

/**
 * The losses that suit a kind of problem, from the catalog; the first is the default:
 * for classes, the cross-entropy that fuses with the output's activation (sigmoid for
 * two, softmax for more), then the regression losses; for a regression, mean squared
 * error first.
 * @param {{regression: boolean, classes: number}} kind
 * @param {import("./layers.js").Catalog | null} catalog
 * @returns {string[]}
 */
export function lossesFor(kind, catalog) {
  const losses = catalog?.losses ?? [];
  const plain = losses.filter((l) => !l.classification).map((l) => l.name);
  if (kind.regression) return [...plain.filter((n) => n === "mse"), ...plain.filter((n) => n !== "mse")];
  const output = kind.classes > 2 ? "softmax" : "sigmoid";
  return [...losses.filter((l) => l.classification && l.fuses_with === output).map((l) => l.name), ...plain];
}

/**
 * The optimizer with the hyperparameters its type takes (the catalog says which).
 * @param {State} state @param {import("./layers.js").Catalog | null} catalog
 */
export function optimizerSpec(state, catalog) {
  /** @type {Record<string, number | string>} */
  const opt = { type: state.optimizer, lr: state.lr };
  const takes = catalog?.optimizers[state.optimizer] ?? {};
  for (const key of /** @type {const} */ (["momentum", "beta1", "beta2"])) {
    if (key in takes) opt[key] = state[key];
  }
  if ("clip_norm" in takes) opt.clip_norm = state.clip;
  return opt;
}

/**
 * The preset's spec when the state builds on it (it still uses the preset's dataset,
 * for the same objective), else null. @param {State} state @param {any} presetSpec
 */
export function presetBase(state, presetSpec) {
  return presetSpec && presetSpec.data.dataset === state.dataset
    && (presetSpec.objective ?? SUPERVISED) === state.objective ? presetSpec : null;
}

/**
 * The spec for a state. A preset's spec is the base when the state still uses the
 * preset's dataset (so the course's initializers, loss and epochs are kept); the
 * state's own choices are written over it.
 * @param {State} state
 * @param {{kind: string, modality?: string, classes: number | null, n_features: number, params: object} | undefined} dataset
 * @param {any} presetSpec the selected preset's spec, or null
 * @param {OwnData} [own] the uploaded CSV file, for the csv dataset
 * @param {Context} [context] `inputShape`: one sample's shape, for an autoencoder's first network
 */
export function toSpec(state, dataset, presetSpec, own, context = { catalog: null }) {
  if (state.objective === ADVERSARIAL) return ganToSpec(state, dataset, presetSpec, context);
  const base = presetBase(state, presetSpec) && structuredClone(presetSpec);
  const kind = outputKind(state, dataset, context.image ? { classes: context.classes } : own);
  const spec = base ?? {};
  spec.seed = state.seed;
  const testFraction = Math.round(100 - state.ratio) / 100;
  let twoD = (dataset?.n_features ?? 2) === 2 && !state.dataset.startsWith("course");
  if (context.image) {
    twoD = false;
    spec.data = state.dataset === IMAGES ? { ...context.imageData, test_fraction: testFraction }
      : { ...(base?.data ?? {}), dataset: state.dataset, test_fraction: testFraction };
    if (SEQUENTIAL.includes(dataset?.modality ?? "")) {
      const params = { ...(spec.data.params ?? {}), ...state.params };
      if (Object.keys(params).length) spec.data.params = params;
    } else if (dataset && "noise" in dataset.params) {
      spec.data.params = { ...(spec.data.params ?? {}), noise: state.noise / 100 };
    }
  } else if (state.dataset === DRAWN) {
    spec.data = { dataset: DRAWN, task: "classification", test_fraction: 0, view: DRAWN_VIEW,
      X: state.points.map((p) => [p[0], p[1]]), y: state.points.map((p) => [p[2]]) };
  } else if (state.dataset === CSV) {
    twoD = own?.inputs === 2;
    spec.data = { dataset: CSV, csv: own?.csv ?? "", targets: [own?.target ?? ""],
      task: kind.regression ? "regression" : "classification", test_fraction: testFraction };
  } else {
    spec.data = { ...(base?.data ?? {}), dataset: state.dataset };
    const params = { ...(spec.data.params ?? {}) };
    if (dataset && "noise" in dataset.params) params.noise = state.noise / 100;
    if (dataset && "classes" in dataset.params) params.classes = kind.classes;
    if (Object.keys(params).length) spec.data.params = params;
    if (twoD) spec.data.test_fraction = testFraction;
  }
  if (twoD) spec.data.features = state.features.length ? state.features : ["x1", "x2"];
  if (context.image) {
    spec.model = { layers: imageStack(state, presetSpec, context.catalog, kind.classes, context.inputShape) };
  } else {
    spec.model = { layers: denseStack(state, base, kind) };
  }
  const takesInit = (/** @type {any} */ l) => layerType(context.catalog, l.type)?.fields.some((f) => f.name === "init") ?? l.type === "dense";
  if (state.init) for (const layer of spec.model.layers) if (takesInit(layer)) layer.init = state.init;
  if (state.loss) spec.loss = state.loss;
  else if (!base) spec.loss = lossesFor(kind, context.catalog)[0];
  spec.optimizer = optimizerSpec(state, context.catalog);
  spec.regularization = { type: state.reg, rate: state.regRate };
  spec.batch_size = state.batch;
  if (state.objective === RECONSTRUCTION) {
    spec.objective = RECONSTRUCTION;
    spec.reconstruction = { ...(base?.reconstruction ?? {}), noise: state.denoise };
    if (state.normal.length) spec.data.normal_classes = [...state.normal];
    else delete spec.data.normal_classes;
  }
  return spec;
}

/**
 * A GAN's spec: its data (nothing held out), its networks, noise, loss and steps
 * (gan-state.js), and the training the other objectives have too; over its preset's.
 * @param {State} state @param {{params: object} | undefined} dataset @param {any} presetSpec
 * @param {Context} context `inputShape`: one sample's shape, for first networks
 */
function ganToSpec(state, dataset, presetSpec, context) {
  const base = presetBase(state, presetSpec);
  const spec = base ? structuredClone(base) : {};
  spec.seed = state.seed;
  spec.data = state.dataset === DRAWN  // the points drawn on the plane, all of them real samples
    ? { dataset: DRAWN, view: [...DRAWN_GAN_VIEW], X: state.points.map((p) => [p[0], p[1]]) }
    : { ...(base?.data ?? {}), dataset: state.dataset };
  if (dataset && "noise" in dataset.params) spec.data.params = { ...(spec.data.params ?? {}), noise: state.noise / 100 };
  Object.assign(spec, ganSpecPart(state, base, context.inputShape ?? null));
  spec.optimizer = optimizerSpec(state, context.catalog);
  spec.regularization = { type: state.reg, rate: state.regRate };
  spec.batch_size = state.batch;
  return spec;
}

/**
 * An image network's layers: the state's own stack, else its preset's, else a first
 * network for the data (an autoencoder's for one sample's shape).
 * @param {State} state @param {any} presetSpec @param {import("./layers.js").Catalog | null} catalog
 * @param {number} classes @param {number[] | null} [shape] one sample's
 * @returns {any[]}
 */
export function imageStack(state, presetSpec, catalog, classes, shape = null) {
  const own = decodeLayers(state.layers);
  if (own.length) return own;
  const base = presetBase(state, presetSpec);
  if (base?.model) return structuredClone(base.model.layers);
  return state.objective === RECONSTRUCTION ? defaultAutoencoderLayers(catalog, shape ?? [8, 8, 1])
    : defaultImageLayers(catalog, classes);
}

/**
 * The layers of a 2-D (or table) network: the hidden layers, then the output; those in
 * `sep` as a linear dense layer followed by an activation layer.
 * @param {State} state @param {any} base @param {{regression: boolean, classes: number}} kind
 */
function denseStack(state, base, kind) {
  const template = base?.model.layers[0] ?? {};
  const hidden = state.hidden.map((units, l) => ({
    ...template, type: "dense", units, activation: state.acts[l] || state.activation,
  }));
  const baseOut = base ? foldDense(base.model.layers)?.at(-1) : null;
  const output = base && baseOut ? { ...base.model.layers[baseOut.dense], activation: baseOut.activation }
    : kind.regression ? { type: "dense", units: 1, activation: "linear" }
      : kind.classes > 2 ? { type: "dense", units: kind.classes, activation: "softmax" }
        : { type: "dense", units: 1, activation: "sigmoid" };
  return [...hidden, { ...output }].flatMap((layer, l) => (state.sep.includes(l)
    ? [{ ...layer, activation: "linear" }, { type: "activation", activation: layer.activation }] : [layer]));
}

/**
 * The state a spec (a preset's, or a session's being resumed) stands for: what the
 * controls can show of it. An image network's stack is kept whole (its essentials, in
 * compact text); a dense one as its hidden sizes and activations. What the spec leaves
 * to its dataset (the noise, the test fraction, a text's or series' parameters) is the
 * dataset's default: a series without noise would repeat itself exactly, and its
 * seasonal-naive error would be zero.
 * @param {any} spec @param {string} presetName @param {State} previous
 * @param {{catalog: import("./layers.js").Catalog | null, image: boolean,
 *   dataset?: {kind: string, modality?: string, default_test_fraction?: number, params?: any}}} [context]
 *   `dataset`: the description of the spec's dataset (GET /api/datasets), if built in
 * @returns {State}
 */
export function fromSpec(spec, presetName, previous, context = { catalog: null, image: false }) {
  const image = context.image, described = context.dataset;
  const sequential = SEQUENTIAL.includes(described?.modality ?? "");
  const gan = spec.objective === ADVERSARIAL;  // two stacks of their own (gan-state.js); the hidden layers stay
  const model = gan ? [] : spec.model.layers;
  const folded = image || gan ? null : foldDense(model);
  const layers = model.filter((/** @type {any} */ l) => (l.type ?? "dense") === "dense");
  const hidden = (folded ?? []).slice(0, -1);
  const opt = typeof spec.optimizer === "string" ? { type: spec.optimizer } : spec.optimizer ?? {};
  const reg = typeof spec.regularization === "string"
    ? { type: spec.regularization } : spec.regularization ?? {};
  const data = spec.data;
  const inits = new Set(layers.map((/** @type {any} */ l) => (typeof l.init === "string" ? l.init : l.init?.type)));
  const init = [...inits][0];
  const isDefaultInit = presetName || image || (inits.size === 1 && init === "glorot_uniform");
  const acts = hidden.map((l) => l.activation);
  const last = layers[layers.length - 1];
  const lastAct = folded?.at(-1)?.activation ?? last?.activation;
  const kind = { regression: gan ? false : sequential ? described?.kind === "regression" : data.task === "regression" || lastAct === "linear",
    classes: last?.units > 1 ? last.units : 2 };
  const loss = presetName || spec.loss === lossesFor(kind, context.catalog)[0] ? "" : spec.loss ?? "";
  return {
    ...previous,
    preset: presetName,
    dataset: image && data.dataset === DRAWN ? IMAGES : data.dataset,
    problem: kind.regression ? "regression" : "classification",
    noise: Math.round((data.params?.noise ?? described?.params?.noise?.default ?? 0) * 100),
    ratio: Math.round(100 - (data.test_fraction ?? described?.default_test_fraction ?? 0.5) * 100),
    batch: spec.batch_size ?? 10,
    seed: spec.seed ?? 1,
    classes: data.params?.classes ?? 0,
    features: image ? previous.features : data.features ?? ["x1", "x2"],
    hidden: folded ? hidden.map((l) => l.units) : previous.hidden,
    activation: acts[0] ?? previous.activation,
    acts: folded ? (acts.every((a) => a === acts[0]) ? [] : acts) : previous.acts,
    sep: folded ? folded.flatMap((l, k) => (l.separate ? [k] : [])) : [],
    layers: image && !gan ? encodeLayers(model, context.catalog) : "",
    params: sequential ? { ...(data.params ?? {}) } : {},
    lr: opt.lr ?? 0.01,
    optimizer: opt.type ?? "sgd",
    clip: opt.clip_norm ?? 0,
    momentum: opt.momentum ?? previous.momentum,
    beta1: opt.beta1 ?? previous.beta1,
    beta2: opt.beta2 ?? previous.beta2,
    loss,
    init: isDefaultInit || inits.size !== 1 ? "" : init,
    reg: reg.type ?? "none",
    regRate: reg.rate ?? 0,
    points: data.dataset === DRAWN && !image && Array.isArray(data.X)
      ? data.X.map((/** @type {number[]} */ p, /** @type {number} */ i) => [p[0], p[1], data.y ? Number(data.y[i]?.[0] ?? data.y[i]) : 0])
      : previous.points,
    objective: spec.objective ?? SUPERVISED,
    normal: Array.isArray(data.normal_classes) ? [...data.normal_classes] : [],
    denoise: spec.reconstruction?.noise ?? 0,
    ...ganFromSpec(spec, presetName, context.catalog),
  };
}

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
