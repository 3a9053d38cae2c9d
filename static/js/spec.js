// @ts-check
/**
 * The page's set-up (state.js) to the session spec that POST /api/sessions takes, and a
 * spec (a preset's, a saved session's) back to the set-up: the two directions in one
 * place, so that a link and a preset describe a network the same way.
 */
import { ADVERSARIAL, DRAWN_GAN_VIEW, ganFromSpec, ganSpecPart } from "./gan-state.js";
import { decodeLayers, defaultAutoencoderLayers, defaultImageLayers, encodeLayers, foldDense, layerType } from "./layers.js";
import { CSV, DRAWN, DRAWN_VIEW, IMAGES, RECONSTRUCTION, SEQUENTIAL, SUPERVISED } from "./state.js";

/** @typedef {import("./state.js").State} State */

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
