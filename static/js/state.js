// @ts-check
/**
 * The page's set-up as a table of properties, as TF Playground's state.ts has it:
 * each property has a type and a default, and the whole state lives in the URL hash (so
 * a link reproduces the set-up). spec.js turns it into the session spec that
 * POST /api/sessions takes and back; changes.js applies one change of the user's. The
 * spec is the contract: nothing here computes anything a network does.
 */
import { ADVERSARIAL, GAN_DEFAULTS } from "./gan-state.js";

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
