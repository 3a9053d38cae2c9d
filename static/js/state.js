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
export const MAX_HIDDEN_LAYERS = 16;
export const MAX_NEURONS = 64;

/**
 * @typedef {{preset: string, dataset: string, problem: string, noise: number,
 *   ratio: number, batch: number | "full", seed: number, features: string[],
 *   hidden: number[], activation: string, lr: number, optimizer: string, reg: string,
 *   regRate: number, showTest: boolean, discretize: boolean}} State
 */

/** @type {{[K in keyof State]: {type: "string" | "number" | "list" | "numbers" | "bool" | "batch", def: State[K]}}} */
const PROPS = {
  preset: { type: "string", def: "" },
  dataset: { type: "string", def: "circle" },
  problem: { type: "string", def: "classification" },
  noise: { type: "number", def: 0 },
  ratio: { type: "number", def: 50 },
  batch: { type: "batch", def: 10 },
  seed: { type: "number", def: 1 },
  features: { type: "list", def: ["x1", "x2"] },
  hidden: { type: "numbers", def: [4, 2] },
  activation: { type: "string", def: "tanh" },
  lr: { type: "number", def: 0.03 },
  optimizer: { type: "string", def: "sgd" },
  reg: { type: "string", def: "none" },
  regRate: { type: "number", def: 0 },
  showTest: { type: "bool", def: false },
  discretize: { type: "bool", def: false },
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
    const value = /** @type {any} */ (state)[key];
    let text;
    if (prop.type === "list" || prop.type === "numbers") text = value.join(",");
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
 * The spec for a state. A preset's spec is the base when the state still uses the
 * preset's dataset (so the course's initializers, loss and epochs are kept); the
 * state's own choices are written over it.
 * @param {State} state
 * @param {{kind: string, classes: number | null, n_features: number, params: object} | undefined} dataset
 * @param {any} presetSpec the selected preset's spec, or null
 */
export function toSpec(state, dataset, presetSpec) {
  const base = presetSpec && presetSpec.data.dataset === state.dataset
    ? structuredClone(presetSpec) : null;
  const regression = dataset ? dataset.kind === "regression" : state.problem === "regression";
  const twoD = (dataset?.n_features ?? 2) === 2 && !state.dataset.startsWith("course");
  const spec = base ?? {};
  spec.seed = state.seed;
  spec.data = { ...(base?.data ?? {}), dataset: state.dataset };
  if (dataset && "noise" in dataset.params) {
    spec.data.params = { ...(spec.data.params ?? {}), noise: state.noise / 100 };
  }
  if (twoD) {
    spec.data.features = state.features.length ? state.features : ["x1", "x2"];
    spec.data.test_fraction = Math.round(100 - state.ratio) / 100;
  }
  const classes = spec.data.params?.classes ?? dataset?.classes ?? 2;
  const template = base?.model.layers[0] ?? {};
  const hidden = state.hidden.map((units) => ({
    ...template, type: "dense", units, activation: state.activation,
  }));
  const output = base ? base.model.layers[base.model.layers.length - 1]
    : regression ? { type: "dense", units: 1, activation: "linear" }
      : classes > 2 ? { type: "dense", units: classes, activation: "softmax" }
        : { type: "dense", units: 1, activation: "sigmoid" };
  spec.model = { layers: [...hidden, output] };
  if (!base) spec.loss = regression ? "mse" : classes > 2 ? "categorical_crossentropy" : "binary_crossentropy";
  spec.optimizer = { type: state.optimizer, lr: state.lr };
  spec.regularization = { type: state.reg, rate: state.regRate };
  spec.batch_size = state.batch;
  return spec;
}

/**
 * The state a spec (a preset's) stands for: what the controls can show of it.
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
  return {
    ...previous,
    preset: presetName,
    dataset: data.dataset,
    noise: Math.round((data.params?.noise ?? 0) * 100),
    ratio: Math.round(100 - (data.test_fraction ?? 0.5) * 100),
    batch: spec.batch_size ?? 10,
    seed: spec.seed ?? 1,
    features: data.features ?? ["x1", "x2"],
    hidden: hidden.map((/** @type {any} */ l) => l.units),
    activation: hidden[0]?.activation ?? previous.activation,
    lr: opt.lr ?? 0.01,
    optimizer: opt.type ?? "sgd",
    reg: reg.type ?? "none",
    regRate: reg.rate ?? 0,
  };
}
