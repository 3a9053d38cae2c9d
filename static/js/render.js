// @ts-check
/**
 * Snapshot grids to pictures: the output over the plane (two classes on the diverging
 * scale, more classes each in its colour with the shade of its probability, regression
 * values on the diverging scale) and each neuron's output. Pure functions.
 */
import { affineFor, classColor, diverging, hexToRgb, NEUTRAL, paintDiverging, paintGrid } from "./colors.js";

/** @typedef {import("./heatmap.js").GridImage} GridImage @typedef {import("./grids.js").Grid} Grid */

/**
 * @param {Grid} grid the output over an n×n grid
 * @param {{task: string, outputActivation: string, discretize: boolean}} how
 * @returns {GridImage}
 */
export function outputImage(grid, how) {
  const n = grid.rows, units = grid.units, values = grid.values;
  const rgba = new Uint8ClampedArray(n * n * 4);
  if (how.task === "classification" && units > 1) {
    const colors = Array.from({ length: units }, (_, k) => hexToRgb(classColor(k)));
    paintGrid(rgba, n, (i, j) => {
      const at = (i * n + j) * units;
      let best = 0;
      for (let k = 1; k < units; k++) if (values[at + k] > values[at + best]) best = k;
      const p = values[at + best];
      if (!Number.isFinite(p)) return [120, 120, 120];
      const confidence = how.discretize ? 1 : Math.max(0, (p - 1 / units) / (1 - 1 / units));
      const a = 0.25 + 0.75 * confidence, c = colors[best];
      return [Math.round(NEUTRAL[0] + (c[0] - NEUTRAL[0]) * a), Math.round(NEUTRAL[1] + (c[1] - NEUTRAL[1]) * a),
        Math.round(NEUTRAL[2] + (c[2] - NEUTRAL[2]) * a)];
    });
    return { n, rgba };
  }
  const [a, b] = how.task === "classification" ? affineFor(how.outputActivation) : [1, 0];
  if (!how.discretize) {
    paintDiverging(rgba, n, values, 0, units, a, b);
    return { n, rgba };
  }
  const signs = new Float32Array(n * n);
  for (let k = 0; k < n * n; k++) {
    const v = a * values[k * units] + b;
    signs[k] = Number.isFinite(v) ? (v >= 0 ? 1 : -1) : NaN;
  }
  paintDiverging(rgba, n, signs, 0, 1);
  return { n, rgba };
}

/**
 * One picture per neuron of each layer, keyed as the network view names nodes
 * ("h:layer:unit" for hidden layers, "out:unit" for the output layer).
 * @param {Grid[]} layers each layer's output over an n×n grid
 * @param {string[]} activations each layer's activation
 * @returns {Map<string, GridImage>}
 */
export function neuronImages(layers, activations) {
  const out = new Map();
  layers.forEach((grid, l) => {
    const n = grid.rows;
    const [a, b] = affineFor(activations[l] ?? "linear");
    for (let u = 0; u < grid.units; u++) {
      const rgba = new Uint8ClampedArray(n * n * 4);
      paintDiverging(rgba, n, grid.values, u, grid.units, a, b);
      const id = l === layers.length - 1 ? `out:${u}` : `h:${l}:${u}`;
      out.set(id, { n, rgba });
    }
  });
  return out;
}

/**
 * Input nodes' pictures from the features the server computed over an n×n grid
 * (rows of `features` in grid order: row i, column j at index i*n + j).
 * @param {(number|null)[][]} features @param {number} n @param {number[]} nodeIndex
 * @returns {Map<string, GridImage>}
 */
export function featureImages(features, n, nodeIndex) {
  const out = new Map();
  nodeIndex.forEach((node, f) => {
    let max = 1e-9;
    for (const row of features) max = Math.max(max, Math.abs(row[f] ?? 0));
    const rgba = new Uint8ClampedArray(n * n * 4);
    paintGrid(rgba, n, (i, j) => diverging((features[i * n + j][f] ?? 0) / max));
    out.set(`in:${node}`, { n, rgba });
  });
  return out;
}

/**
 * For data that is not 2-D there is no plane to picture: each node is filled with its
 * value for one sample instead (inputs scaled by the largest |x|, neurons as their
 * heatmaps would colour them).
 * @param {(number|null)[]} features @param {(number|null)[][]} layers @param {string[]} activations
 * @returns {Map<string, GridImage>}
 */
export function sampleImages(features, layers, activations) {
  const out = new Map();
  const pixel = (/** @type {number | null} */ v) => {
    const [r, g, b] = diverging(v);
    return { n: 1, rgba: new Uint8ClampedArray([r, g, b, 255]) };
  };
  const max = Math.max(1e-9, ...features.map((v) => Math.abs(v ?? 0)));
  features.forEach((v, k) => out.set(`in:${k}`, pixel(v === null ? null : v / max)));
  layers.forEach((values, l) => {
    const [a, b] = affineFor(activations[l] ?? "linear");
    values.forEach((v, u) => out.set(l === layers.length - 1 ? `out:${u}` : `h:${l}:${u}`, pixel(v === null ? null : a * v + b)));
  });
  return out;
}
