// @ts-check
/**
 * Snapshot grids to pictures: the output over the plane (two classes on the diverging
 * scale, more classes each in its colour with the shade of its probability, regression
 * values on the diverging scale) and each neuron's output. Pure functions.
 */
import { classColor, diverging, hexToRgb, NEUTRAL, paintGrid, scaleFor } from "./colors.js";

/** @typedef {import("./heatmap.js").GridImage} GridImage */

/**
 * @param {(number|null)[][][]} grid [row][column][unit]
 * @param {{task: string, outputActivation: string, discretize: boolean}} how
 * @returns {GridImage}
 */
export function outputImage(grid, how) {
  const n = grid.length;
  const rgba = new Uint8ClampedArray(n * n * 4);
  const units = grid[0]?.[0]?.length ?? 1;
  if (how.task === "classification" && units > 1) {
    const colors = Array.from({ length: units }, (_, k) => hexToRgb(classColor(k)));
    paintGrid(rgba, n, (i, j) => {
      const p = grid[i][j];
      let best = 0;
      for (let k = 1; k < units; k++) if ((p[k] ?? -1) > (p[best] ?? -1)) best = k;
      const confidence = how.discretize ? 1 : Math.max(0, ((p[best] ?? 0) - 1 / units) / (1 - 1 / units));
      const a = 0.25 + 0.75 * confidence;
      return /** @type {[number, number, number]} */ (colors[best].map((c, m) => Math.round(NEUTRAL[m] + (c - NEUTRAL[m]) * a)));
    });
    return { n, rgba };
  }
  const scale = how.task === "classification" ? scaleFor(how.outputActivation) : (/** @type {number|null} */ v) => v;
  paintGrid(rgba, n, (i, j) => {
    let v = scale(grid[i][j][0]);
    if (how.discretize && v !== null) v = v >= 0 ? 1 : -1;
    return diverging(v);
  });
  return { n, rgba };
}

/**
 * One picture per neuron of each layer, keyed as the network view names nodes
 * ("h:layer:unit" for hidden layers, "out:unit" for the output layer).
 * @param {(number|null)[][][][]} layers [layer][row][column][unit]
 * @param {string[]} activations each layer's activation
 * @returns {Map<string, GridImage>}
 */
export function neuronImages(layers, activations) {
  const out = new Map();
  layers.forEach((grid, l) => {
    const n = grid.length;
    const units = grid[0]?.[0]?.length ?? 0;
    const scale = scaleFor(activations[l] ?? "linear");
    for (let u = 0; u < units; u++) {
      const rgba = new Uint8ClampedArray(n * n * 4);
      paintGrid(rgba, n, (i, j) => diverging(scale(grid[i][j][u])));
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
