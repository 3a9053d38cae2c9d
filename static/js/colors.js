// @ts-check
/**
 * The palette: TF Playground's orange/blue diverging scale (readable with the common
 * kinds of colour blindness) and Okabe–Ito colours for more than two classes.
 * Pure functions only: no state.
 */

/** @typedef {[number, number, number]} RGB */

/** @type {RGB} */ export const NEGATIVE = [245, 147, 34];  // #f59322
/** @type {RGB} */ export const NEUTRAL = [232, 234, 235];
/** @type {RGB} */ export const POSITIVE = [8, 119, 189];   // #0877bd

/**
 * Okabe–Ito: class 0 orange and class 1 blue, as in the two-class scale; then grey and
 * brown, so that ten classes (the digits) get ten colours.
 */
export const CLASS_COLORS = ["#E69F00", "#0072B2", "#009E73", "#CC79A7", "#56B4E9",
  "#D55E00", "#F0E442", "#000000", "#9E9E9E", "#8C564B"];

/** @param {string} hex @returns {RGB} */
export function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * Colour of a value on [-1, 1]: orange below 0, grey at 0, blue above (clamped).
 * @param {number | null} v @returns {RGB}
 */
export function diverging(v) {
  if (v === null || !Number.isFinite(v)) return [120, 120, 120];
  const t = Math.max(-1, Math.min(1, v));
  const end = t < 0 ? NEGATIVE : POSITIVE;
  const a = Math.abs(t);
  return [0, 1, 2].map((i) => Math.round(NEUTRAL[i] + (end[i] - NEUTRAL[i]) * a));
}

/** Steps of the diverging scale in its lookup table: finer than 8-bit colour needs. */
const STEPS = 1024;
/** RGB of `diverging` at STEPS + 1 evenly spaced values over [-1, 1]. */
const TABLE = (() => {
  const table = new Uint8Array((STEPS + 1) * 3);
  for (let k = 0; k <= STEPS; k++) table.set(diverging((2 * k) / STEPS - 1), 3 * k);
  return table;
})();

/**
 * Paint a grid of values on the diverging scale, the fast way (a lookup table, no
 * allocation per pixel): pixel (row i, column j) takes values[(i*n + j)*stride + offset],
 * mapped by a*v + b (an activation's range onto [-1, 1]). Rows flip as in paintGrid.
 * @param {Uint8ClampedArray} rgba @param {number} n @param {ArrayLike<number>} values
 * @param {number} offset @param {number} stride @param {number} [a] @param {number} [b]
 */
export function paintDiverging(rgba, n, values, offset, stride, a = 1, b = 0) {
  for (let r = 0; r < n; r++) {
    const i = n - 1 - r;
    for (let j = 0; j < n; j++) {
      const v = a * values[(i * n + j) * stride + offset] + b;
      const o = (r * n + j) * 4;
      if (v === v && v !== Infinity && v !== -Infinity) {
        const t = 3 * Math.round(((v < -1 ? -1 : v > 1 ? 1 : v) + 1) * (STEPS / 2));
        rgba[o] = TABLE[t]; rgba[o + 1] = TABLE[t + 1]; rgba[o + 2] = TABLE[t + 2];
      } else {
        rgba[o] = rgba[o + 1] = rgba[o + 2] = 120;
      }
      rgba[o + 3] = 255;
    }
  }
}

/** Steps of the CSS colour table: as fine as a link's or a cell's colour can show. */
const CSS_STEPS = 256;
const RGB_TABLE = Array.from({ length: CSS_STEPS + 1 }, (_, k) => diverging((2 * k) / CSS_STEPS - 1));
const CSS_TABLE = RGB_TABLE.map(([r, g, b]) => `rgb(${r},${g},${b})`);

/**
 * The step of `v` in the CSS colour table (-1 for NaN and infinities): callers that
 * redraw often compare steps and touch the DOM only when one changes.
 * @param {number | null | undefined} v
 */
export function divergingStep(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return -1;
  return Math.round(((v < -1 ? -1 : v > 1 ? 1 : v) + 1) * (CSS_STEPS / 2));
}

/** The RGB colour of a step from `divergingStep`. @param {number} step @returns {RGB} */
export function divergingRgbOfStep(step) {
  return step < 0 ? [120, 120, 120] : RGB_TABLE[step];
}

/** The CSS colour of a step from `divergingStep`. @param {number} step */
export function divergingCssOfStep(step) {
  return step < 0 ? "rgb(120,120,120)" : CSS_TABLE[step];
}

/** @param {number | null} v */
export function divergingCss(v) {
  const [r, g, b] = diverging(v);
  return `rgb(${r},${g},${b})`;
}

/** @param {number} k class index */
export function classColor(k) {
  return CLASS_COLORS[((k % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];
}

/**
 * Fill `rgba` (n*n*4) from a grid whose row i is y[i] (low to high): canvas rows go
 * top-down, so grid row n-1-r lands on canvas row r.
 * @param {Uint8ClampedArray} rgba
 * @param {number} n
 * @param {(i: number, j: number) => RGB} colorAt colour of grid row i, column j
 */
export function paintGrid(rgba, n, colorAt) {
  for (let r = 0; r < n; r++) {
    const i = n - 1 - r;
    for (let j = 0; j < n; j++) {
      const c = colorAt(i, j);
      const o = (r * n + j) * 4;
      rgba[o] = c[0]; rgba[o + 1] = c[1]; rgba[o + 2] = c[2]; rgba[o + 3] = 255;
    }
  }
}

/**
 * How to colour a neuron or output value: maps the activation's natural range to
 * [-1, 1] (sigmoid and softmax live on [0, 1]).
 * @param {string} activation @returns {(v: number | null) => number | null}
 */
export function scaleFor(activation) {
  const [a, b] = affineFor(activation);
  return (v) => (v === null ? null : a * v + b);
}

/** `scaleFor` as the pair [a, b] of a*v + b. @param {string} activation @returns {[number, number]} */
export function affineFor(activation) {
  return activation === "sigmoid" || activation === "softmax" ? [2, -1] : [1, 0];
}
