// @ts-check
/**
 * GAN Lab's picture of the plane: the discriminator's output D(x) as a heatmap (green
 * where it says real, purple where it says fake; one canvas pixel a grid cell, smoothed
 * up by CSS), the real samples in green and the generated ones in purple, the
 * generator's manifold (where it sends a square grid of noise, drawn warped) and each
 * generated point's gradient arrow (the way the generator moves it: minus the gradient
 * of its loss at that point). Each layer has a checkbox. The points, the grid and the
 * arrows go on a devicePixelRatio-sized canvas over the heatmap, redrawn once an
 * animation frame however many updates came.
 */
import { NEUTRAL, hexToRgb } from "../colors.js";
import { FrameScheduler, el, fitCanvas } from "../frame.js";

/** Okabe–Ito's bluish green and reddish purple: GAN Lab's real and fake, readable with colour blindness. */
export const REAL = "#009E73", FAKE = "#CC79A7";
/** The heatmap's ends: D(x) = 1 (real) and D(x) = 0 (fake), lighter than the points over them. */
const REAL_TINT = mix(hexToRgb(REAL), [255, 255, 255], 0.35), FAKE_TINT = mix(hexToRgb(FAKE), [255, 255, 255], 0.3);
const STEPS = 256;
/** RGB of D at STEPS + 1 values over [0, 1]. */
const TABLE = (() => {
  const t = new Uint8Array((STEPS + 1) * 3);
  for (let k = 0; k <= STEPS; k++) {
    const d = (2 * k) / STEPS - 1;
    t.set(mix(NEUTRAL, d < 0 ? FAKE_TINT : REAL_TINT, Math.abs(d)), 3 * k);
  }
  return t;
})();
/** The longest gradient arrow, in CSS pixels (the others in proportion). */
const ARROW = 26;
const LAYERS = /** @type {const} */ ([["heatmap", "Discriminator's output", "D(x) over the plane: green where it says real, purple where it says fake"],
  ["real", "Real samples", "samples of the data (green)"], ["fake", "Generated samples", "the generator's samples from fixed noise (purple)"],
  ["manifold", "Generator's manifold", "where the generator sends a square grid of noise: the grid, warped"],
  ["gradients", "Gradients", "where the generator pushes each of its samples: minus the gradient of its loss there"]]);

/**
 * @typedef {import("../grids.js").NdArray} NdArray
 * @typedef {{view: [number, number], real?: NdArray, fake: NdArray, gradients: NdArray,
 *   discriminator: NdArray, manifold: {cells: number, points: NdArray}}} PlaneData arrays as decoded:
 *   real and fake (n, 2), gradients (n, 2), the discriminator N×N (row i at y[i], low to
 *   high), the manifold's points (cells + 1, cells + 1, 2) or (cells + 1, 2) for 1-D noise
 */

export class GanPlane {
  /**
   * @param {HTMLElement} container
   * @param {{size: number, onDraw?: () => void, onClick?: (p: {x: number, y: number}) => void}} options
   *   `onClick`: a click on the plane while drawing (`drawing`), at that point of the plane
   */
  constructor(container, options) {
    this.size = options.size;
    this.onDraw = options.onDraw;
    this.root = el("div", "gan-plane-box", container);
    const stage = el("div", "gan-stage", this.root);
    this.stage = stage;
    /** @type {{view: [number, number], points: number[][]} | null} the points being drawn (the real samples to be) */
    this.drawing = null;
    stage.addEventListener("click", (e) => {
      if (!this.drawing || !options.onClick) return;
      const [lo, hi] = this.drawing.view, box = stage.getBoundingClientRect();  // the drawn data's view (their sessions' too)
      options.onClick({ x: lo + ((e.clientX - box.left) / box.width) * (hi - lo),
        y: lo + (1 - (e.clientY - box.top) / box.height) * (hi - lo) });
    });
    stage.style.width = stage.style.height = `${this.size}px`;
    stage.title = "Real samples (green), generated ones (purple), the discriminator's verdict under them, "
      + "the generator's manifold and its gradient at each generated sample";
    this.grid = /** @type {HTMLCanvasElement} */ (el("canvas", "gan-grid", stage));
    this.overlay = /** @type {HTMLCanvasElement} */ (el("canvas", "gan-overlay", stage));
    this.axes = el("div", "gan-axes fine", this.root);
    /** @type {Record<string, boolean>} which layers are drawn */ this.shown = {};
    const boxes = el("div", "gan-layers", this.root);
    for (const [key, text, title] of LAYERS) {
      this.shown[key] = true;
      const label = /** @type {HTMLLabelElement} */ (el("label", "check", boxes));
      label.title = title;
      const box = /** @type {HTMLInputElement} */ (el("input", "", label));
      box.type = "checkbox";
      box.checked = true;
      box.dataset.layer = key;
      box.addEventListener("change", () => { this.shown[key] = box.checked; this.gridDirty = true; this.frame.request(); });
      label.append(` ${text}`);
    }
    /** @type {PlaneData | null} */ this.data = null;
    /** @type {NdArray | null} the real samples: they come once a session */ this.real = null;
    this.gridDirty = false;
    this.frame = new FrameScheduler(() => this.draw());
  }

  /** @param {PlaneData | null} d null: nothing to draw */
  update(d) {
    this.data = d;
    if (!d) this.real = null;
    else if (d.real && d.real.shape[0]) this.real = d.real;
    this.gridDirty = true;
    this.frame.request();
  }

  /**
   * Drawing mode: clicks add points (`onClick`), the points drawn so far shown over the
   * plane of `view` until a session's picture comes. @param {{view: [number, number], points: number[][]} | null} d
   */
  setDrawing(d) {
    this.drawing = d;
    this.stage.classList.toggle("drawing", Boolean(d));
    this.root.dataset.drawn = String(d?.points.length ?? 0);
    this.frame.request();
  }

  draw() {
    const d = this.data, size = this.size;
    const ctx = fitCanvas(this.overlay, size, size);
    ctx.clearRect(0, 0, size, size);
    if (this.gridDirty) this.drawGrid();
    this.gridDirty = false;
    if (this.drawing && this.shown.real) {
      const [lo, hi] = this.drawing.view;
      const xy = new Float32Array(this.drawing.points.flatMap((p) => [p[0], p[1]]));
      dots(ctx, xy, (x) => ((x - lo) / (hi - lo)) * size, (y) => size - ((y - lo) / (hi - lo)) * size, REAL, 3.5, 1);
    }
    if (!d) return;
    const [lo, hi] = d.view;
    const sx = (/** @type {number} */ x) => ((x - lo) / (hi - lo)) * size;
    const sy = (/** @type {number} */ y) => size - ((y - lo) / (hi - lo)) * size;
    if (this.shown.manifold) drawManifold(ctx, d.manifold, sx, sy);
    if (this.shown.real && this.real) dots(ctx, this.real.values, sx, sy, REAL, 2.2, 0.75);
    if (this.shown.fake) dots(ctx, d.fake.values, sx, sy, FAKE, 2.6, 1);
    if (this.shown.gradients) arrows(ctx, d.fake.values, d.gradients.values, sx, sy);
    const f = d.fake.values;
    this.root.dataset.fake = f.length ? `${f[0].toFixed(4)},${f[1].toFixed(4)}` : "";
    this.axes.textContent = `x₁ and x₂ from ${lo} to ${hi}`;
    this.onDraw?.();
  }

  /** The discriminator's grid onto its small canvas (hidden when switched off). */
  drawGrid() {
    const out = this.data?.discriminator;
    this.grid.hidden = !out || !this.shown.heatmap;
    if (!out || !this.shown.heatmap) return;
    const [n, m] = out.shape;
    if (this.grid.width !== m || this.grid.height !== n) { this.grid.width = m; this.grid.height = n; }
    const ctx = /** @type {CanvasRenderingContext2D} */ (this.grid.getContext("2d"));
    const img = ctx.createImageData(m, n);
    const rgba = img.data, v = out.values;
    for (let r = 0; r < n; r++) {
      const i = n - 1 - r;
      for (let j = 0; j < m; j++) {
        const d = v[i * m + j], o = (r * m + j) * 4;
        const t = 3 * Math.round((d === d ? (d < 0 ? 0 : d > 1 ? 1 : d) : 0.5) * STEPS);
        rgba[o] = TABLE[t]; rgba[o + 1] = TABLE[t + 1]; rgba[o + 2] = TABLE[t + 2]; rgba[o + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
  }
}

/**
 * @param {CanvasRenderingContext2D} ctx @param {Float32Array} xy (n, 2) flat
 * @param {(x: number) => number} sx @param {(y: number) => number} sy
 * @param {string} color @param {number} r @param {number} alpha
 */
function dots(ctx, xy, sx, sy, color, r, alpha) {
  ctx.globalAlpha = alpha;
  ctx.fillStyle = color;
  ctx.beginPath();
  for (let k = 0; k + 1 < xy.length; k += 2) {
    const x = sx(xy[k]), y = sy(xy[k + 1]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    ctx.moveTo(x + r, y);
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
  ctx.fill();
  ctx.globalAlpha = 1;
}

/**
 * Minus each gradient from its point, the longest ARROW pixels long, with a small head.
 * @param {CanvasRenderingContext2D} ctx @param {Float32Array} xy @param {Float32Array} g
 * @param {(x: number) => number} sx @param {(y: number) => number} sy
 */
function arrows(ctx, xy, g, sx, sy) {
  let longest = 0;
  for (let k = 0; k + 1 < g.length; k += 2) {
    const n = Math.hypot(g[k], g[k + 1]);
    if (n > longest && Number.isFinite(n)) longest = n;
  }
  if (!(longest > 0)) return;
  const scale = ARROW / longest;
  ctx.strokeStyle = "rgba(96, 40, 80, 0.7)";
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let k = 0; k + 1 < xy.length; k += 2) {
    const x = sx(xy[k]), y = sy(xy[k + 1]);
    const dx = -g[k] * scale, dy = g[k + 1] * scale;  // minus the gradient; the screen's y points down
    const len = Math.hypot(dx, dy);
    if (!Number.isFinite(x + y + len) || len < 1.5) continue;
    const ex = x + dx, ey = y + dy, ux = dx / len, uy = dy / len, h = Math.min(4, len / 2);
    ctx.moveTo(x, y); ctx.lineTo(ex, ey);
    ctx.moveTo(ex - h * (ux - 0.5 * uy), ey - h * (uy + 0.5 * ux)); ctx.lineTo(ex, ey);
    ctx.lineTo(ex - h * (ux + 0.5 * uy), ey - h * (uy - 0.5 * ux));
  }
  ctx.stroke();
}

/**
 * The warped noise grid: its rows and its columns as lines (a line of points for 1-D noise).
 * @param {CanvasRenderingContext2D} ctx @param {{cells: number, points: NdArray}} m
 * @param {(x: number) => number} sx @param {(y: number) => number} sy
 */
function drawManifold(ctx, m, sx, sy) {
  const p = m.points.values, n = m.cells + 1, square = m.points.shape.length === 3;
  ctx.strokeStyle = "rgba(70, 50, 90, 0.28)";
  ctx.lineWidth = 1;
  ctx.beginPath();
  const line = (/** @type {(k: number) => number} */ at) => {
    for (let k = 0; k < n; k++) {
      const o = 2 * at(k), x = sx(p[o]), y = sy(p[o + 1]);
      if (k) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    }
  };
  if (!square) line((k) => k);
  else for (let r = 0; r < n; r++) { line((k) => r * n + k); line((k) => k * n + r); }
  ctx.stroke();
}

/** @param {number[]} a @param {number[]} b @param {number} t @returns {[number, number, number]} */
function mix(a, b, t) {
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t));
}
