// @ts-check
/**
 * A GAN's set-up ("objective": "adversarial"), as state.js's table keeps it: the two
 * networks' stacks (layers.js's compact text, initializers kept: GAN Lab's networks
 * are LeCun-normal), the noise's dimension and distribution, the loss and the steps a
 * round; to the spec's generator, discriminator, noise, gan_loss, d_steps and g_steps,
 * and back. Which data a GAN learns (2-D points and images) and the set-up it starts
 * from on them (a preset of its own, else the first GAN preset of its kind). Pure
 * functions only.
 */
import { decodeLayers, encodeLayers } from "./layers.js";

export const ADVERSARIAL = "adversarial";
/** The GAN properties' defaults (the engine's): a state of another objective keeps these. */
export const GAN_DEFAULTS = Object.freeze({ generator: "", discriminator: "", noiseDim: 2, noiseDist: "uniform",
  ganLoss: "non_saturating", dSteps: 1, gSteps: 1 });
/** The GAN properties a session takes live, and the spec field of each. */
const LIVE = /** @type {Record<string, string>} */ ({ ganLoss: "gan_loss", dSteps: "d_steps", gSteps: "g_steps" });
/** A dataset's own GAN preset; other data start from their kind's (FIRST). Names only: GET /api/presets has them. */
const OWN = /** @type {Record<string, string>} */ ({ "gan-gaussians": "gan-lab", "gan-ring": "gan-ring",
  "eight-gaussians": "gan-eight-non-saturating", digits: "gan-digits" });
const FIRST = /** @type {Record<string, string>} */ ({ points: "gan-lab", image: "gan-digits" });
/** The data a GAN of 2-D points starts on when switched to from other points: GAN Lab's default. */
export const FIRST_GAN_DATA = "gan-gaussians";
/** The plane a GAN's real points are drawn on: where GAN Lab's tanh generator reaches. */
export const DRAWN_GAN_VIEW = Object.freeze([-1, 1]);
/** Layers with parameters: a layer added with the editor goes before the last of them (the output). */
const WEIGHTED = new Set(["dense", "conv2d"]);

/**
 * @typedef {{name: string, kind?: string, modality?: string, generative?: boolean, n_features?: number,
 *   shape?: number[], params?: any, objectives?: string[], classes?: number | null}} Described a dataset
 *   as GET /api/datasets describes it
 * @typedef {{name: string, spec: any}} Preset
 */

/** Whether a dataset is one of the GAN distributions: for GANs only (GET /api/datasets: `objectives`). @param {Described | undefined} d */
export function isGenerative(d) {
  return Boolean(d?.generative || (d?.objectives?.length === 1 && d.objectives[0] === ADVERSARIAL));
}

/**
 * What a GAN learns here: data for it (GET /api/datasets: `objectives`) that are 2-D
 * points (a GAN distribution or a classification set) or images.
 * @param {Described | undefined} d
 */
export function ganLearns(d) {
  if (!d || d.name.startsWith("course") || !(d.objectives ?? [ADVERSARIAL]).includes(ADVERSARIAL)) return false;
  return d.modality === "image" || (d.modality === "points" && d.n_features === 2 && (d.generative || d.kind === "classification"));
}

/** A stack as the link keeps it. @param {any[]} layers @param {import("./layers.js").Catalog | null} catalog */
export function encodeStack(layers, catalog) {
  return encodeLayers(layers, catalog, { keepInit: true });
}

/**
 * The GAN properties a spec stands for (another objective's: the defaults). A preset's
 * stacks stay its own ("": the preset's) until they are edited.
 * @param {any} spec @param {string} presetName @param {import("./layers.js").Catalog | null} catalog
 */
export function ganFromSpec(spec, presetName, catalog) {
  if (spec.objective !== ADVERSARIAL) return { ...GAN_DEFAULTS };
  const stack = (/** @type {any} */ net) => (presetName ? "" : encodeStack(net?.layers ?? [], catalog));
  return {
    generator: stack(spec.generator), discriminator: stack(spec.discriminator),
    noiseDim: spec.noise?.dim ?? GAN_DEFAULTS.noiseDim, noiseDist: spec.noise?.distribution ?? GAN_DEFAULTS.noiseDist,
    ganLoss: spec.gan_loss ?? GAN_DEFAULTS.ganLoss, dSteps: spec.d_steps ?? 1, gSteps: spec.g_steps ?? 1,
  };
}

/**
 * The generator's and the discriminator's layers: the state's own, else its base's (a
 * preset's), else a first pair for the data (`shape`: one sample's).
 * @param {{generator: string, discriminator: string}} state @param {any} base @param {number[] | null} shape
 * @returns {{generator: any[], discriminator: any[]}}
 */
export function ganStacks(state, base, shape) {
  const first = firstStacks(shape ?? [2]);
  const pick = (/** @type {"generator" | "discriminator"} */ net) => {
    const own = decodeLayers(state[net]);
    if (own.length) return own;
    return base?.[net]?.layers ? structuredClone(base[net].layers) : first[net];
  };
  return { generator: pick("generator"), discriminator: pick("discriminator") };
}

/**
 * A first generator and discriminator for samples of `shape`: for points two layers of
 * 16 ReLUs each (a linear output: the points may lie anywhere), for images the digits
 * GAN's (128 and 256 ReLUs to tanh pixels, and 256, 128 leaky ReLUs).
 * @param {number[]} shape
 */
export function firstStacks(shape) {
  if (shape.length === 1) {
    const hidden = [16, 16].map((units) => ({ type: "dense", units, activation: "relu" }));
    return { generator: [...hidden, { type: "dense", units: shape[0], activation: "linear" }],
      discriminator: structuredClone([...hidden, { type: "dense", units: 1, activation: "sigmoid" }]) };
  }
  return fitGenerator({
    generator: [{ type: "dense", units: 128, activation: "relu" }, { type: "dense", units: 256, activation: "relu" },
      { type: "dense", units: 1, activation: "tanh" }, { type: "reshape", shape: [1] }],
    discriminator: [{ type: "flatten" }, { type: "dense", units: 256, activation: "leaky_relu" },
      { type: "dense", units: 128, activation: "leaky_relu" }, { type: "dense", units: 1, activation: "sigmoid" }],
  }, shape);
}

/**
 * The stacks with the generator's output made one sample of `shape` (its last dense
 * layer's units, and a last reshape for images). @param {{generator: any[], discriminator: any[]}} stacks
 * @param {number[]} shape
 */
export function fitGenerator(stacks, shape) {
  const g = structuredClone(stacks.generator);
  const size = shape.reduce((a, b) => a * b, 1);
  const last = g.findLastIndex((/** @type {any} */ l) => (l.type ?? "dense") === "dense");
  if (last >= 0) g[last] = { ...g[last], units: size };
  const reshape = g.at(-1)?.type === "reshape";
  if (shape.length > 1) {
    if (reshape) g[g.length - 1] = { ...g[g.length - 1], shape: [...shape] };
    else g.push({ type: "reshape", shape: [...shape] });
  } else if (reshape) g.pop();
  return { generator: g, discriminator: structuredClone(stacks.discriminator) };
}

/**
 * Where a GAN of `dataset` starts: its own preset whole, else the first GAN preset of
 * its kind with its networks fitted to the data (`own` false). Points without a preset
 * of their own go to GAN Lab's default data.
 * @param {Described} dataset @param {Map<string, Preset>} presets @param {Described[]} datasets
 * @returns {{spec: any, name: string} | null}
 */
export function ganStart(dataset, presets, datasets) {
  const own = presets.get(OWN[dataset.name]);
  if (own) return { spec: own.spec, name: own.name };
  const kind = dataset.modality === "image" ? "image" : "points";
  const first = presets.get(FIRST[kind]);
  if (!first) return null;
  if (kind === "points") return dataset.generative ? { spec: { ...first.spec, data: { dataset: dataset.name } }, name: "" }
    : ganStart(datasets.find((d) => d.name === FIRST_GAN_DATA) ?? dataset, presets, []);
  const fitted = fitGenerator({ generator: first.spec.generator.layers, discriminator: first.spec.discriminator.layers },
    dataset.shape ?? [8, 8, 1]);
  return { spec: { ...first.spec, data: { dataset: dataset.name }, generator: { layers: fitted.generator },
    discriminator: { layers: fitted.discriminator } }, name: "" };
}

/**
 * Where a GAN of the user's drawn points starts: the first points GAN preset's networks
 * and training (GAN Lab's), with `data` (the points) as its real samples.
 * @param {Map<string, Preset>} presets @param {any} data
 * @returns {{spec: any, name: string} | null}
 */
export function drawnStart(presets, data) {
  const first = presets.get(FIRST.points);
  return first ? { spec: { ...first.spec, data }, name: "" } : null;
}

/**
 * The GAN part of a session spec for a state: its stacks, noise, loss and steps.
 * @param {{generator: string, discriminator: string, noiseDim: number, noiseDist: string, ganLoss: string,
 *   dSteps: number, gSteps: number}} state
 * @param {any} base the preset's spec it builds on, or null @param {number[] | null} shape one sample's
 */
export function ganSpecPart(state, base, shape) {
  const stacks = ganStacks(state, base, shape);
  return { objective: ADVERSARIAL, generator: { layers: stacks.generator }, discriminator: { layers: stacks.discriminator },
    noise: { dim: state.noiseDim, distribution: state.noiseDist }, gan_loss: state.ganLoss,
    d_steps: state.dSteps, g_steps: state.gSteps };
}

/**
 * What a `set` message changes of a GAN for changed state keys, when they are all a
 * GAN's live ones (else null: the session is made anew).
 * @param {string[]} changed @param {Record<string, any>} state
 */
export function ganLiveChanges(changed, state) {
  if (state.objective !== ADVERSARIAL || !changed.length || !changed.every((k) => k in LIVE)) return null;
  return Object.fromEntries(changed.map((k) => [LIVE[k], state[k]]));
}

/** Where a layer added to a stack goes: before its output (the last layer with weights). @param {any[]} stack */
export function insertAt(stack) {
  const last = stack.findLastIndex((l) => WEIGHTED.has(l.type ?? "dense"));
  return last < 0 ? stack.length : last;
}

/** A GAN's networks in a few words: "GAN 8-8-2 / 8-8-1". @param {any} spec */
export function describeGan(spec) {
  const sizes = (/** @type {any} */ net) => (net?.layers ?? []).filter((/** @type {any} */ l) => l.units)
    .map((/** @type {any} */ l) => l.units).join("-");
  return `GAN ${sizes(spec.generator)} / ${sizes(spec.discriminator)}`;
}
