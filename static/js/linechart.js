// @ts-check
/**
 * The live loss chart: test (dark) and training (grey) loss per epoch.
 *
 * Columnar and bounded (as uPlot keeps its data): at most CAPACITY points a series.
 * When full, neighbouring points are averaged pairwise and each stored point holds
 * twice as many epochs (`stride`), so drawing costs the same at epoch 100 and at epoch
 * 1,000,000 and the chart never slows down. One redraw per animation frame.
 */
import { FrameScheduler, el, fitCanvas } from "./frame.js";

const CAPACITY = 1024;

export class LossChart {
  /**
   * @param {HTMLElement} container
   * @param {{height: number, onDraw?: (ms: number, points: number) => void}} options
   *   `onDraw` is told how long each redraw took
   */
  constructor(container, options) {
    this.container = container;
    this.onDraw = options.onDraw;
    this.height = options.height;
    this.canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "chart-canvas", container));
    this.frame = new FrameScheduler(() => this.draw());
    /** the container's width, as the ResizeObserver reports it: reading clientWidth in
     * each redraw would force a style and layout pass of the whole page */
    this.width = 0;
    this.clear();
    new ResizeObserver((entries) => {
      this.width = entries[entries.length - 1].contentRect.width;
      this.frame.request();
    }).observe(container);
  }

  clear() {
    this.x = new Float64Array(CAPACITY);
    this.train = new Float64Array(CAPACITY);
    this.test = new Float64Array(CAPACITY);
    this.length = 0;
    this.stride = 1;
    /** pending bucket: sums of the raw points not yet stored */
    this.bucket = { n: 0, x: 0, train: 0, test: 0 };
    this.lastX = -Infinity;
    this.frame.request();
  }

  /**
   * Append one epoch's losses (ignored unless x grows; null losses count as NaN).
   * @param {number} x @param {number | null} train @param {number | null} test
   */
  push(x, train, test) {
    if (!(x > this.lastX)) return;
    this.lastX = x;
    const b = this.bucket;
    b.n += 1; b.x = x;
    b.train += train ?? NaN; b.test += test ?? NaN;
    if (b.n < this.stride) return;
    if (this.length === CAPACITY) this.halve();
    const i = this.length++;
    this.x[i] = b.x; this.train[i] = b.train / b.n; this.test[i] = b.test / b.n;
    this.bucket = { n: 0, x: 0, train: 0, test: 0 };
    this.frame.request();
  }

  /** @param {{x: number[], train_loss?: (number|null)[], test_loss?: (number|null)[]}} epochs */
  load(epochs) {
    this.clear();
    const n = epochs.x.length;
    for (let i = 0; i < n; i++) {
      this.push(epochs.x[i], epochs.train_loss?.[i] ?? null, epochs.test_loss?.[i] ?? null);
    }
  }

  halve() {
    const half = this.length >> 1;
    for (let i = 0; i < half; i++) {
      this.x[i] = this.x[2 * i + 1];
      this.train[i] = (this.train[2 * i] + this.train[2 * i + 1]) / 2;
      this.test[i] = (this.test[2 * i] + this.test[2 * i + 1]) / 2;
    }
    this.length = half;
    this.stride *= 2;
  }

  draw() {
    const start = performance.now();
    this.drawLines();
    this.onDraw?.(performance.now() - start, this.length);
  }

  drawLines() {
    const width = this.width || 300;
    const h = this.height;
    const ctx = fitCanvas(this.canvas, width, h);
    ctx.clearRect(0, 0, width, h);
    ctx.strokeStyle = "#ddd";
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(0, h - 0.5); ctx.lineTo(width, h - 0.5); ctx.stroke();
    const n = this.length;
    this.mark("points", String(n));
    this.mark("lastEpoch", String(n ? this.x[n - 1] : 0));
    if (n < 1) return;
    let max = 0;
    for (let i = 0; i < n; i++) {
      if (this.train[i] > max) max = this.train[i];
      if (this.test[i] > max) max = this.test[i];
    }
    if (!(max > 0)) max = 1;
    const x0 = this.x[0], x1 = Math.max(this.x[n - 1], x0 + 1);
    const sx = (/** @type {number} */ v) => ((v - x0) / (x1 - x0)) * (width - 2) + 1;
    const sy = (/** @type {number} */ v) => h - 2 - (v / max) * (h - 6);
    this.line(ctx, this.train, n, sx, sy, "#999");
    this.line(ctx, this.test, n, sx, sy, "#222");
  }

  /** A data- attribute for tests, written only when it changes. @param {string} key @param {string} value */
  mark(key, value) {
    if (this.container.dataset[key] !== value) this.container.dataset[key] = value;
  }

  /**
   * @param {CanvasRenderingContext2D} ctx @param {Float64Array} ys @param {number} n
   * @param {(v: number) => number} sx @param {(v: number) => number} sy @param {string} color
   */
  line(ctx, ys, n, sx, sy, color) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(ys[i])) { pen = false; continue; }
      const px = sx(this.x[i]), py = sy(ys[i]);
      if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
      pen = true;
    }
    ctx.stroke();
  }
}
