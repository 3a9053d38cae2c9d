// @ts-check
/**
 * The page's set-up as a table of properties, as TF Playground's state.ts has it:
 * each property has a type and a default, the whole state lives in the URL hash (so a
 * link reproduces the set-up), and `toSpec` turns it into the session spec that
 * POST /api/sessions takes. The spec is the contract: nothing here computes anything
 * a network does.
 */

export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const ACTIVATIONS = ["relu", "tanh", "sigmoid", "linear", "leaky_relu", "elu",
  "softplus", "swish", "gelu", "softmax"];
export const OPTIMIZERS = ["sgd", "adam", "rmsprop", "adagrad", "adamw"];
export const REGULARIZATIONS = ["none", "l1", "l2"];
export const FEATURES = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)",
  "cos(x1)", "cos(x2)"];
/** Batch slider: 1..30, and its last slot is the whole training set. */
export const FULL_BATCH_SLOT = 31;
export const MOMENTA = [0, 0.5, 0.8, 0.9, 0.95, 0.99];
export const BETA1S = [0.5, 0.8, 0.9, 0.95, 0.99];
export const BETA2S = [0.9, 0.99, 0.999, 0.9999];
export const INITIALIZERS = ["glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
  "lecun_uniform", "lecun_normal", "uniform", "normal", "zeros"];
/** Losses that suit each kind of problem; the first is the default. */
export const LOSSES = {
  binary: ["binary_crossentropy", "mse", "mae", "huber", "sse"],
  multiclass: ["categorical_crossentropy", "mse", "mae", "sse"],
  regression: ["mse", "mae", "huber", "sse"],
};
/** The user's own data: points clicked onto the plane, or an uploaded CSV file. */
export const DRAWN = "inline";
export const CSV = "csv";
/** The plane points are clicked onto: TF Playground's, whatever the points span. */
export const DRAWN_VIEW = [-6, 6];
export const MAX_HIDDEN_LAYERS = 16;  // until the server's own limits arrive
export const MAX_NEURONS = 64;

/**
 * @typedef {{preset: string, dataset: string, problem: string, noise: number,
 *   ratio: number, batch: number | "full", seed: number, classes: number, features: string[],
 *   hidden: number[], activation: string, acts: string[], lr: number, optimizer: string,
 *   momentum: number, beta1: number, beta2: number, loss: string, init: string, reg: string,
 *   regRate: number, showTest: boolean, discretize: boolean, points: number[][],
 *   csv: string, csvFile: string, csvTarget: string}} State
 *   `classes` 0, `loss` and `init` "" mean the dataset's or problem's default; `acts` is
 *   each hidden layer's activation (missing entries: `activation`); `points` the
 *   points clicked onto the plane, [x, y, class] each; `csv` an uploaded file's text
 *   packed for the link (csvlink.js; "" when too long), `csvTarget` its predicted column.
 * @typedef {{csv: string | null, target: string, inputs: number, classes?: number}} OwnData an
 *   uploaded CSV file, the column it predicts, how many input columns it has, and how many
 *   classes the column names (0: values)
 */

/** @type {{[K in keyof State]: {type: "string" | "number" | "list" | "numbers" | "bool" | "batch" | "points", def: State[K]}}} */
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
  lr: { type: "number", def: 0.03 },
  optimizer: { type: "string", def: "sgd" },
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
};

/** @returns {State} */
export function defaultState() {
  return /** @type {State} */ (Object.fromEntries(Object.entries(PROPS).map(
    ([k, p]) => [k, Array.isArray(p.def) ? [...p.def] : p.def])));
}

/** @param {State} state @returns {string} the hash, without '#' */
export function serialize(state) {
  const parts = [];
  for (const [key, prop] of Object.entries(PROPS)) {
    if (key.startsWith("csv") && state.dataset !== CSV) continue;
    const value = /** @type {any} */ (state)[key];
    let text;
    if (prop.type === "points") text = value.map((/** @type {number[]} */ p) => p.join(":")).join(";");
    else if (prop.type === "list" || prop.type === "numbers") text = value.join(",");
    else if (prop.type === "bool") text = value ? "1" : "0";
    else text = String(value);
    parts.push(`${key}=${encodeURIComponent(text)}`);
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
    } else if (prop.type === "numbers") {
      const units = raw === "" ? [] : raw.split(",").map(Number);
      if (units.every((u) => Number.isInteger(u) && u > 0)) state[key] = units;
    } else {
      state[key] = raw;
    }
  }
  return state;
}

/**
 * The kind of output a set-up needs: regression, two classes or more.
 * @param {State} state
 * @param {{kind: string, classes: number | null, params: object} | undefined} dataset
 * @param {{classes?: number} | null} [own] the uploaded CSV file: the classes its target names
 * @returns {{regression: boolean, classes: number}}
 */
export function outputKind(state, dataset, own = null) {
  if (state.dataset === DRAWN) {
    return { regression: false, classes: Math.max(2, ...state.points.map((p) => p[2] + 1)) };
  }
  if (state.dataset === CSV || !dataset) {
    return { regression: state.problem === "regression", classes: state.dataset === CSV ? own?.classes || 2 : 2 };
  }
  const classes = dataset && "classes" in dataset.params && state.classes ? state.classes : dataset.classes ?? 2;
  return { regression: dataset.kind === "regression", classes };
}

/** @param {{regression: boolean, classes: number}} kind @returns {string[]} */
export function lossesFor(kind) {
  return kind.regression ? LOSSES.regression : kind.classes > 2 ? LOSSES.multiclass : LOSSES.binary;
}

/** The optimizer with the hyperparameters its type takes. @param {State} state */
export function optimizerSpec(state) {
  /** @type {Record<string, number | string>} */
  const opt = { type: state.optimizer, lr: state.lr };
  if (state.optimizer === "sgd" || state.optimizer === "rmsprop") opt.momentum = state.momentum;
  if (state.optimizer === "adam" || state.optimizer === "adamw") {
    opt.beta1 = state.beta1;
    opt.beta2 = state.beta2;
  }
  return opt;
}

/**
 * The preset's spec when the state builds on it (it still uses the preset's dataset),
 * else null. @param {State} state @param {any} presetSpec
 */
export function presetBase(state, presetSpec) {
  return presetSpec && presetSpec.data.dataset === state.dataset ? presetSpec : null;
}

/**
 * The spec for a state. A preset's spec is the base when the state still uses the
 * preset's dataset (so the course's initializers, loss and epochs are kept); the
 * state's own choices are written over it.
 * @param {State} state
 * @param {{kind: string, classes: number | null, n_features: number, params: object} | undefined} dataset
 * @param {any} presetSpec the selected preset's spec, or null
 * @param {OwnData} [own] the uploaded CSV file, for the csv dataset
 */
export function toSpec(state, dataset, presetSpec, own) {
  const base = presetBase(state, presetSpec) && structuredClone(presetSpec);
  const kind = outputKind(state, dataset, own);
  const spec = base ?? {};
  spec.seed = state.seed;
  const testFraction = Math.round(100 - state.ratio) / 100;
  let twoD = (dataset?.n_features ?? 2) === 2 && !state.dataset.startsWith("course");
  if (state.dataset === DRAWN) {
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
  const template = base?.model.layers[0] ?? {};
  const hidden = state.hidden.map((units, l) => ({
    ...template, type: "dense", units, activation: state.acts[l] || state.activation,
  }));
  const output = base ? base.model.layers[base.model.layers.length - 1]
    : kind.regression ? { type: "dense", units: 1, activation: "linear" }
      : kind.classes > 2 ? { type: "dense", units: kind.classes, activation: "softmax" }
        : { type: "dense", units: 1, activation: "sigmoid" };
  spec.model = { layers: [...hidden, { ...output }] };
  if (state.init) for (const layer of spec.model.layers) layer.init = state.init;
  if (state.loss) spec.loss = state.loss;
  else if (!base) spec.loss = lossesFor(kind)[0];
  spec.optimizer = optimizerSpec(state);
  spec.regularization = { type: state.reg, rate: state.regRate };
  spec.batch_size = state.batch;
  return spec;
}

/**
 * The state a spec (a preset's, or a session's being resumed) stands for: what the
 * controls can show of it.
 * @param {any} spec @param {string} presetName @param {State} previous
 * @returns {State}
 */
export function fromSpec(spec, presetName, previous) {
  const layers = spec.model.layers.filter((/** @type {any} */ l) => (l.type ?? "dense") === "dense");
  const hidden = layers.slice(0, -1);
  const opt = typeof spec.optimizer === "string" ? { type: spec.optimizer } : spec.optimizer ?? {};
  const reg = typeof spec.regularization === "string"
    ? { type: spec.regularization } : spec.regularization ?? {};
  const data = spec.data;
  const inits = new Set(layers.map((/** @type {any} */ l) => (typeof l.init === "string" ? l.init : l.init?.type)));
  const init = [...inits][0];
  const isDefaultInit = presetName || (inits.size === 1 && init === "glorot_uniform");
  const acts = hidden.map((/** @type {any} */ l) => l.activation);
  const last = layers[layers.length - 1];
  const kind = { regression: data.task === "regression" || last?.activation === "linear",
    classes: last?.units > 1 ? last.units : 2 };
  const loss = presetName || spec.loss === lossesFor(kind)[0] ? "" : spec.loss ?? "";
  return {
    ...previous,
    preset: presetName,
    dataset: data.dataset,
    problem: kind.regression ? "regression" : "classification",
    noise: Math.round((data.params?.noise ?? 0) * 100),
    ratio: Math.round(100 - (data.test_fraction ?? 0.5) * 100),
    batch: spec.batch_size ?? 10,
    seed: spec.seed ?? 1,
    classes: data.params?.classes ?? 0,
    features: data.features ?? ["x1", "x2"],
    hidden: hidden.map((/** @type {any} */ l) => l.units),
    activation: acts[0] ?? previous.activation,
    acts: acts.every((/** @type {string} */ a) => a === acts[0]) ? [] : acts,
    lr: opt.lr ?? 0.01,
    optimizer: opt.type ?? "sgd",
    momentum: opt.momentum ?? previous.momentum,
    beta1: opt.beta1 ?? previous.beta1,
    beta2: opt.beta2 ?? previous.beta2,
    loss,
    init: isDefaultInit || inits.size !== 1 ? "" : init,
    reg: reg.type ?? "none",
    regRate: reg.rate ?? 0,
    points: data.dataset === DRAWN && Array.isArray(data.X)
      ? data.X.map((/** @type {number[]} */ p, /** @type {number} */ i) => [p[0], p[1], Number(data.y[i]?.[0] ?? data.y[i])])
      : previous.points,
  };
}

/**
 * The state after the user changed `partial`, with what follows from it: a preset
 * brings its whole set-up, a new problem type its first dataset, a new dataset its own
 * class count, one activation for all layers clears the per-layer ones, and leaving a
 * preset's dataset leaves the preset.
 * @param {State} before @param {Partial<State>} partial
 * @param {Map<string, {name: string, spec: any}>} presets
 * @param {{name: string, kind: string}[]} datasets
 * @returns {State}
 */
export function applyChange(before, partial, presets, datasets) {
  let next = { ...before, ...partial };
  if (partial.preset !== undefined) {
    const preset = presets.get(partial.preset);
    if (preset) next = fromSpec(preset.spec, preset.name, next);
  }
  if (partial.problem && partial.problem !== before.problem && next.dataset !== CSV) {
    const first = datasets.find((d) => d.kind === partial.problem && !d.name.startsWith("course"));
    if (first) next.dataset = first.name;
  }
  if (partial.dataset && partial.dataset !== before.dataset) next.classes = 0;
  if (partial.activation) next.acts = [];
  if (partial.hidden && partial.hidden.length !== before.hidden.length && next.acts.length) {
    next.acts = next.hidden.map((_, k) => next.acts[k] || next.activation);
  }
  if (partial.dataset && presets.get(before.preset)?.spec.data.dataset !== partial.dataset) next.preset = "";
  return next;
}
