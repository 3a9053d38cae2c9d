// @ts-check
/**
 * A series with its forecasts: the series itself (dark), the held-out test part shaded,
 * the one-step-ahead predictions (blue) along the whole series and the free-running
 * forecast (orange) over the test part, where each prediction is fed back as the next
 * input. The chosen window is marked: the steps it reads, and the steps it forecasts.
 * A click reports the step clicked, to choose the window that forecasts from there.
 * Drawn once per animation frame, only when the data, the window or the width changed.
 */
import { FrameScheduler, el, fitCanvas } from "../frame.js";

const PAD = { left: 40, right: 8, top: 8, bottom: 18 };
const ONE_STEP = "rgba(8, 119, 189, 0.75)";
const FREE_RUN = "rgba(224, 108, 0, 0.8)";

/**
 * @typedef {{values: number[], split: number, one_step: {x: number[], y: (number | null)[]},
 *   free_run: {x: number[], y: (number | null)[]}}} Forecast the forecast view
 * @typedef {{from: number, to: number, until: number}} WindowMark a window reads steps
 *   [from, to) and forecasts [to, until)
 */

export class ForecastChart {
  /** @param {HTMLElement} container @param {{height: number, onPick?: (step: number) => void}} options */
  constructor(container, options) {
    this.container = container;
    this.height = options.height;
    this.canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "forecast-canvas", container));
    const legend = el("div", "chart-legend", container);
    for (const [color, text] of [["#333", "series"], [ONE_STEP, "one step ahead"], [FREE_RUN, "free-running"], ["#e9ecef", "test part"]]) {
      const item = el("span", "legend-item", legend);
      el("span", "swatch", item).style.background = color;
      item.append(text);
    }
    /** @type {Forecast | null} */ this.data = null;
    /** @type {WindowMark | null} */ this.window = null;
    this.width = 0;
    this.frame = new FrameScheduler(() => this.draw());
    new ResizeObserver((entries) => {
      this.width = entries[entries.length - 1].contentRect.width;
      this.frame.request();
    }).observe(container);
    if (options.onPick) {
      const pick = options.onPick;
      this.canvas.classList.add("clickable");
      this.canvas.title = "Click a step to look inside the network as it forecasts from there";
      this.canvas.addEventListener("click", (e) => {
        const n = this.data?.values.length ?? 0;
        if (!n) return;
        const box = this.canvas.getBoundingClientRect();
        const f = (e.clientX - box.left - PAD.left) / (box.width - PAD.left - PAD.right);
        pick(Math.max(0, Math.min(n - 1, Math.round(f * (n - 1)))));
      });
    }
  }

  /** @param {{forecast?: Forecast | null, window?: WindowMark | null}} d */
  update(d) {
    if (d.forecast !== undefined) this.data = d.forecast;
    if (d.window !== undefined) this.window = d.window;
    this.frame.request();
  }

  draw() {
    const w = this.width || 400, h = this.height;
    const ctx = fitCanvas(this.canvas, w, h);
    ctx.clearRect(0, 0, w, h);
    const f = this.data;
    if (!f || f.values.length < 2) { this.mark("0"); return; }
    const n = f.values.length;
    let lo = Infinity, hi = -Infinity;
    for (const ys of [f.values, f.one_step.y, f.free_run.y]) {
      for (const v of ys) if (v !== null && Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
    }
    const spread = hi - lo || 1;
    lo -= spread * 0.05; hi += spread * 0.05;
    const x0 = PAD.left, x1 = w - PAD.right, y0 = PAD.top, y1 = h - PAD.bottom;
    const sx = (/** @type {number} */ t) => x0 + (t / (n - 1)) * (x1 - x0);
    const sy = (/** @type {number} */ v) => y1 - ((v - lo) / (hi - lo)) * (y1 - y0);
    ctx.fillStyle = "#e9ecef";
    ctx.fillRect(sx(f.split), y0, x1 - sx(f.split), y1 - y0);
    const win = this.window;
    if (win) {
      ctx.fillStyle = "rgba(8,119,189,0.10)";
      ctx.fillRect(sx(win.from), y0, sx(win.to) - sx(win.from), y1 - y0);
      ctx.fillStyle = "rgba(245,147,34,0.16)";
      ctx.fillRect(sx(win.to), y0, Math.max(2, sx(win.until - 1) - sx(win.to)), y1 - y0);
    }
    this.axes(ctx, lo, hi, sy, n, sx, x0, x1);
    // the forecasts wide and under the series, so that the series shows where they agree
    const drawn = this.line(ctx, f.one_step.x, f.one_step.y, sx, sy, ONE_STEP, 2.4)
      + this.line(ctx, f.free_run.x, f.free_run.y, sx, sy, FREE_RUN, 2.4);
    this.line(ctx, null, f.values, sx, sy, "#222", 1);
    this.mark(String(drawn));
  }

  /**
   * @param {CanvasRenderingContext2D} ctx @param {number} lo @param {number} hi
   * @param {(v: number) => number} sy @param {number} n @param {(t: number) => number} sx
   * @param {number} x0 @param {number} x1
   */
  axes(ctx, lo, hi, sy, n, sx, x0, x1) {
    ctx.font = "10px system-ui, sans-serif";
    ctx.fillStyle = "rgba(0,0,0,0.55)";
    ctx.strokeStyle = "#e4e4e4";
    ctx.lineWidth = 1;
    const step = niceStep((hi - lo) / 4);
    for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) {
      const y = Math.round(sy(v)) + 0.5;
      ctx.beginPath(); ctx.moveTo(x0, y); ctx.lineTo(x1, y); ctx.stroke();
      ctx.fillText(short(v), 2, y + 3);
    }
    const tStep = niceStep(n / Math.max(1, Math.floor((x1 - x0) / 60)));
    for (let t = 0; t < n; t += tStep) ctx.fillText(String(t), sx(t) - 4, this.height - 4);
  }

  /**
   * One line; its points' count. @param {CanvasRenderingContext2D} ctx
   * @param {number[] | null} xs null: 0, 1, 2, ... @param {(number | null)[]} ys
   * @param {(t: number) => number} sx @param {(v: number) => number} sy
   * @param {string} color @param {number} width
   */
  line(ctx, xs, ys, sx, sy, color, width) {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    let pen = false, count = 0;
    for (let i = 0; i < ys.length; i++) {
      const v = ys[i];
      if (v === null || !Number.isFinite(v)) { pen = false; continue; }
      const px = sx(xs ? xs[i] : i), py = sy(v);
      if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
      pen = true;
      count += 1;
    }
    ctx.stroke();
    return count;
  }

  /** How many forecast points are drawn, for tests (written only when it changes). @param {string} points */
  mark(points) {
    if (this.container.dataset.drawn !== points) this.container.dataset.drawn = points;
  }
}

/** @param {number} v */
function short(v) {
  const a = Math.abs(v);
  const text = a >= 1000 ? `${Math.round(v / 100) / 10}k` : a >= 10 ? String(Math.round(v)) : String(Math.round(v * 100) / 100);
  return text.replace("-", "\u2212");
}

/** @param {number} raw */
function niceStep(raw) {
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw)), m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}
