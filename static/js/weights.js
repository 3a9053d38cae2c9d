// @ts-check
/**
 * The weights panel: each dense layer's W as a heatmap (rows: inputs, columns:
 * neurons; orange negative, blue positive, scaled by the layer's largest |w|) with a
 * histogram of its values and the biases beneath.
 */
import { diverging, divergingRgbOfStep, divergingStep } from "./colors.js";
import { FrameScheduler, el, fitCanvas } from "./frame.js";

const BINS = 24;
const DRAWS_PER_SECOND = 10;

/**
 * @typedef {{matrix: HTMLCanvasElement, hist: HTMLCanvasElement, caption: HTMLElement,
 *   pixels: HTMLCanvasElement, scale: HTMLElement}} View `scale`: the histogram's axis
 *   labels, as text in the page (text drawn on a canvas forces a style pass each time)
 */

export class WeightsPanel {
  /** @param {HTMLElement} container @param {{cell: number}} options */
  constructor(container, options) {
    this.container = container;
    this.cell = options.cell;
    /** @type {any[] | null} */ this.weights = null;
    this.frame = new FrameScheduler(() => this.draw());
    this.shape = "";
    this.lastDraw = -Infinity;
    /** @type {number | null} */ this.timer = null;
    /** @type {View[]} */
    this.views = [];
  }

  /**
   * New weights: drawn at most DRAWS_PER_SECOND times a second (a matrix changing
   * faster cannot be read; the time goes to the plane).
   * @param {{weights: any[] | null}} data
   */
  update(data) {
    this.weights = data.weights;
    if (!data.weights) {  // no session: nothing stale stays on screen, not even for a frame
      this.draw();
      return;
    }
    if (this.timer !== null) return;
    const wait = this.lastDraw + 1000 / DRAWS_PER_SECOND - performance.now();
    if (wait <= 0) this.frame.request();
    else this.timer = window.setTimeout(() => { this.timer = null; this.frame.request(); }, wait);
  }

  draw() {
    this.lastDraw = performance.now();
    const layers = (this.weights ?? []).filter((l) => l.W);
    const shape = layers.map((l) => `${l.W.length}x${l.W[0]?.length ?? 0}`).join(",");
    if (shape !== this.shape) {
      this.shape = shape;
      this.container.replaceChildren();
      this.views = layers.map((l, k) => {
        const box = el("figure", "weights-layer", this.container);
        const caption = el("figcaption", "", box);
        const matrix = /** @type {HTMLCanvasElement} */ (el("canvas", "matrix", box));
        const hist = /** @type {HTMLCanvasElement} */ (el("canvas", "hist", box));
        matrix.title = `Layer ${k + 1}: W, ${l.W.length} inputs × ${l.W[0]?.length ?? 0} neurons`;
        hist.title = `Layer ${k + 1}: how many weights have each value`;
        const scale = el("div", "hist-scale", box);
        const pixels = document.createElement("canvas");  // one pixel a weight, scaled up
        return { matrix, hist, caption, pixels, scale };
      });
    }
    layers.forEach((layer, k) => this.drawLayer(layer, this.views[k], k));
  }

  /**
   * @param {{W: (number|null)[][], b: (number|null)[]}} layer
   * @param {View} view
   * @param {number} k
   */
  drawLayer(layer, view, k) {
    const rows = layer.W.length, cols = layer.W[0]?.length ?? 0;
    const values = layer.W.flat().filter((v) => v !== null && Number.isFinite(v));
    const max = values.reduce((m, v) => Math.max(m, Math.abs(/** @type {number} */ (v))), 1e-9);
    const caption = `Layer ${k + 1} · ${rows}×${cols} · max |w| ${max.toPrecision(3)}`;
    if (view.caption.textContent !== caption) view.caption.textContent = caption;
    const cell = Math.max(3, Math.min(this.cell, Math.floor(160 / Math.max(rows, cols))));
    // W's rows, then the biases on the same scale: one pixel each, drawn scaled up
    const image = new ImageData(Math.max(1, cols), rows + 1);
    const put = (/** @type {number} */ at, /** @type {number | null | undefined} */ v) => {
      const [r, g, b] = divergingRgbOfStep(divergingStep(v === null || v === undefined ? null : v / max));
      image.data[4 * at] = r; image.data[4 * at + 1] = g; image.data[4 * at + 2] = b; image.data[4 * at + 3] = 255;
    };
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) put(i * cols + j, layer.W[i][j]);
    for (let j = 0; j < cols; j++) put(rows * cols + j, layer.b?.[j] ?? null);
    view.pixels.width = image.width;
    view.pixels.height = image.height;
    /** @type {CanvasRenderingContext2D} */ (view.pixels.getContext("2d")).putImageData(image, 0, 0);
    const ctx = fitCanvas(view.matrix, cols * cell, (rows + 1) * cell + 2);
    ctx.clearRect(0, 0, cols * cell, (rows + 1) * cell + 2);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(view.pixels, 0, 0, cols, rows, 0, 0, cols * cell, rows * cell);
    ctx.drawImage(view.pixels, 0, rows, cols, 1, 0, rows * cell + 2, cols * cell, cell);  // below a gap
    const width = 140, height = 36;
    const h = fitCanvas(view.hist, width, height);
    h.clearRect(0, 0, width, height);
    const counts = new Array(BINS).fill(0);
    for (const v of values) {
      const bin = Math.min(BINS - 1, Math.floor(((/** @type {number} */ (v) / max + 1) / 2) * BINS));
      counts[bin] += 1;
    }
    const top = Math.max(...counts, 1);
    const bw = width / BINS;
    counts.forEach((c, b) => {
      const centre = ((b + 0.5) / BINS) * 2 - 1;
      h.fillStyle = rgb(diverging(centre));
      const bh = (c / top) * (height - 2);
      h.fillRect(b * bw + 0.5, height - bh, bw - 1, bh);
    });
    const scale = `−${max.toPrecision(2)}|0|${max.toPrecision(2)}`;
    if (view.scale.dataset.text !== scale) {
      view.scale.dataset.text = scale;
      view.scale.replaceChildren(...scale.split("|").map((t) => Object.assign(document.createElement("span"), { textContent: t })));
    }
  }
}

/** @param {[number, number, number]} c */
function rgb(c) {
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}
