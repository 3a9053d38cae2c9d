// @ts-check
/**
 * Layer stacks as the page handles them, from the catalog's declarations (GET
 * /api/catalog lists each layer type with its fields, kinds, ranges and defaults; the
 * page keeps no copy of them). Pure functions only:
 *
 * - a compact text form of a stack for the URL: layers joined by "~", each its type
 *   then ",field:value" for every field that differs from its default, for example
 *   `conv2d,filters:8,kernel_size:3,padding:same,activation:relu~maxpool2d~flatten~dense,units:10,activation:softmax`
 *   (pairs and shapes as `3x3`, `4x4x8`); an initializer travels by its name only;
 * - a dense stack folded for the network drawing: each dense layer with the
 *   shape-keeping layers after it (an `activation` layer is drawn as the activation
 *   of the dense layer's neurons).
 */

/**
 * @typedef {{name: string, kind: string, description?: string, required?: boolean, default?: any,
 *   low?: number | null, high?: number | null, choices?: string[], nullable?: boolean,
 *   default_derived?: boolean}} Field
 * @typedef {{type: string, description: string, fields: Field[], has_params: boolean}} LayerType
 * @typedef {{layers: LayerType[], activations: string[], losses: {name: string,
 *   classification: boolean, fuses_with: string | null}[], optimizers: Record<string,
 *   Record<string, {default: any, low: number | null, high: number | null}>>,
 *   initializers: Record<string, object>, regularization: {kinds: string[]}, features: string[],
 *   datasets: any[], views: any[]}} Catalog
 */

/** @param {Catalog | null} catalog @param {string} type @returns {LayerType | undefined} */
export function layerType(catalog, type) {
  return catalog?.layers.find((l) => l.type === type);
}

/** @param {unknown} a @param {unknown} b */
function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A layer with only what differs from its type's defaults (what a user chose), as a
 * normalized spec from the server is written back into the page's state.
 * An initializer whose field derives its default (He for ReLUs, Glorot otherwise) is left
 * out unless `keepInit` (a GAN's stacks keep theirs: GAN Lab's are LeCun-normal).
 * @param {any} layer @param {Catalog | null} catalog @param {{keepInit?: boolean}} [how]
 */
export function essentials(layer, catalog, how = {}) {
  const type = layerType(catalog, layer.type);
  /** @type {Record<string, any>} */
  const out = { type: layer.type };
  for (const [key, value] of Object.entries(layer)) {
    if (key === "type" || value === undefined) continue;
    const field = type?.fields.find((f) => f.name === key);
    if (field && !field.required && same(value, field.default)) continue;
    if (key === "name" && (value === null || new RegExp(`^${layer.type}_\\d+$`).test(String(value)))) continue;
    if (field?.kind === "initializer" && isBare(value) && isBare(field.default) && valueText(value) === valueText(field.default)) continue;
    if (field?.kind === "initializer" && field.default_derived && isBare(value) && !how.keepInit) continue;
    out[key] = value;
  }
  return out;
}

/** An initializer given by its name alone ("he_normal" or {type: "he_normal"}). @param {any} init */
function isBare(init) {
  return typeof init === "string" || (init && typeof init === "object" && Object.keys(init).length === 1);
}

/** @param {any} value */
function valueText(value) {
  if (Array.isArray(value)) return value.join("x");
  if (value && typeof value === "object") return String(value.type);
  return String(value);
}

/** @param {string} text */
function parseValue(text) {
  if (/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return Number(text);
  if (/^\d+(x\d+)+$/.test(text)) return text.split("x").map(Number);
  if (text === "true" || text === "false") return text === "true";
  if (text === "null") return null;
  return text;
}

/**
 * The compact text of a stack (see the module's note).
 * @param {any[]} layers @param {Catalog | null} catalog @param {{keepInit?: boolean}} [how] see `essentials`
 */
export function encodeLayers(layers, catalog, how = {}) {
  return layers.map((layer) => {
    const parts = [layer.type];
    for (const [key, value] of Object.entries(essentials(layer, catalog, how))) {
      if (key !== "type") parts.push(`${key}:${valueText(value)}`);
    }
    return parts.join(",");
  }).join("~");
}

/** The stack a compact text stands for ([] for ""). @param {string} text @returns {any[]} */
export function decodeLayers(text) {
  if (!text) return [];
  return text.split("~").filter(Boolean).map((part) => {
    const [type, ...fields] = part.split(",");
    /** @type {Record<string, any>} */
    const layer = { type };
    for (const field of fields) {
      const at = field.indexOf(":");
      if (at > 0) layer[field.slice(0, at)] = parseValue(field.slice(at + 1));
    }
    return layer;
  });
}

/**
 * A first network for an image dataset, from what the catalog offers: a small
 * LeNet-like CNN when convolutions exist, else a flattening MLP.
 * @param {Catalog | null} catalog @param {number} classes
 */
export function defaultImageLayers(catalog, classes) {
  const has = (/** @type {string} */ t) => Boolean(layerType(catalog, t));
  const out = { type: "dense", units: classes, activation: "softmax" };
  if (has("conv2d") && has("flatten")) {
    return [{ type: "conv2d", filters: 8, kernel_size: 3, padding: "same", activation: "relu" },
      ...(has("maxpool2d") ? [{ type: "maxpool2d", pool_size: 2 }] : []),
      { type: "flatten" }, out];
  }
  return [...(has("flatten") ? [{ type: "flatten" }] : []), { type: "dense", units: 32, activation: "relu" }, out];
}

/**
 * A first autoencoder for samples of `shape`: flattened, through 32 units into a code
 * of two numbers (the layer named "code": a 2-D latent plane drawn as it is) and back
 * out to the sample's shape. An image's pixels come back through a sigmoid, as they
 * lie in [0, 1]; a series' values linear.
 * @param {Catalog | null} catalog @param {number[]} shape one sample's: (h, w, c) or (time, features)
 */
export function defaultAutoencoderLayers(catalog, shape) {
  const size = shape.reduce((a, b) => a * b, 1);
  const image = shape.length === 3;
  return [...(layerType(catalog, "flatten") ? [{ type: "flatten" }] : []),
    { type: "dense", units: 32, activation: image ? "relu" : "tanh" },
    { type: "dense", units: 2, name: "code" },
    { type: "dense", units: 32, activation: image ? "relu" : "tanh" },
    { type: "dense", units: size, ...(image ? { activation: "sigmoid" } : {}) },
    { type: "reshape", shape: [...shape] }];
}

/** A new layer of a type with its required fields filled in. @param {Catalog | null} catalog @param {string} type @param {number} classes */
export function newLayer(catalog, type, classes) {
  /** @type {Record<string, any>} */
  const layer = { type };
  for (const f of layerType(catalog, type)?.fields ?? []) {
    if (!f.required) continue;
    if (f.name === "units") layer.units = classes;
    else if (f.name === "filters") layer.filters = 8;
    else if (f.name === "kernel_size") layer.kernel_size = 3;
    else if (f.kind === "activation") layer[f.name] = "relu";
    else if (f.kind === "choice") layer[f.name] = f.choices?.[0];
    else if (f.kind === "shape") layer[f.name] = [1];
    else layer[f.name] = f.low ?? 1;
  }
  return layer;
}

/** Layers that keep their input's shape, drawn as part of the dense layer before them. */
const KEEPS_SHAPE = new Set(["activation", "dropout", "batchnorm"]);

/**
 * A dense stack as the network drawing shows it: one entry per dense layer, with the
 * index of the layer whose output its neurons show (the last shape-keeping layer after
 * it), their activation (an activation layer's, when one follows), and whether that
 * activation is a layer of its own. Null when the stack has other layers.
 * @param {any[]} layers
 * @returns {{dense: number, out: number, units: number, activation: string, separate: boolean}[] | null}
 */
export function foldDense(layers) {
  /** @type {{dense: number, out: number, units: number, activation: string, separate: boolean}[]} */
  const folded = [];
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    const type = l.type ?? "dense";
    if (type === "dense") {
      folded.push({ dense: i, out: i, units: l.units, activation: l.activation ?? "linear", separate: false });
    } else if (KEEPS_SHAPE.has(type) && folded.length) {
      const last = folded[folded.length - 1];
      last.out = i;
      if (type === "activation") { last.activation = l.activation; last.separate = true; }
    } else {
      return null;
    }
  }
  return folded.length ? folded : null;
}
