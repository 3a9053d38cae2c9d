// @ts-check
/**
 * The anomaly lab's error histogram with its threshold: the reconstruction errors of
 * the normal test samples (blue) and of the anomalous ones (orange), each as a share
 * of its own group so that a few anomalies still show beside many normal samples; the
 * threshold as a line, everything right of it called anomalous (shaded); and under the
 * plot, aligned with its axis, the threshold slider over the errors' range. Moving the
 * slider (or pressing on the plot) reports the new threshold; the line follows at once.
 */
import { FrameScheduler, el, fitCanvas } from "../frame.js";

const PAD = { left: 34, right: 10, top: 8, bottom: 18 };
const STEPS = 1000;
const NORMAL = "rgba(8, 119, 189, 0.55)";
const ANOMALOUS = "rgba(245, 147, 34, 0.75)";

/**
 * @typedef {{edges: number[], normal: number[], anomalous: number[]}} Histogram counts
 *   over shared bin edges
 */

export class ErrorHistogram {
  /**
   * @param {HTMLElement} container
   * @param {{height: number, onThreshold: (threshold: number) => void}} options
   */
  constructor(container, options) {
    this.container = container;
    this.options = options;
    this.canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "histogram-canvas", container));
    this.canvas.title = "Reconstruction errors of the test samples: blue normal, orange anomalous (each as a share of its group); right of the line is called anomalous. Press on it to move the threshold";
    const row = el("label", "threshold-row", container);
    row.title = "The threshold: a test sample whose reconstruction error is above it is called anomalous";
    row.style.paddingLeft = `${PAD.left}px`;
    row.style.paddingRight = `${PAD.right}px`;
    this.slider = /** @type {HTMLInputElement} */ (el("input", "threshold-slider", row));
    this.slider.type = "range";
    this.slider.min = "0";
    this.slider.max = String(STEPS);
    this.slider.dataset.testid = "threshold";
    this.slider.setAttribute("aria-label", "Threshold on the reconstruction error");
    this.legend = el("div", "chart-legend", container);
    /** @type {Histogram | null} */ this.data = null;
    this.threshold = 0;
    this.dragging = false;
    this.width = 0;
    this.frame = new FrameScheduler(() => this.draw());
    new ResizeObserver((entries) => {
      this.width = entries[entries.length - 1].contentRect.width;
      this.frame.request();
    }).observe(container);
    this.wire();
  }

  wire() {
    const s = this.slider;
    s.addEventListener("pointerdown", () => { this.dragging = true; });
    s.addEventListener("change", () => { this.dragging = false; });
    s.addEventListener("input", () => this.choose(this.valueOf(Number(s.value))));
    let pressed = false;
    const at = (/** @type {PointerEvent} */ e) => {
      const box = this.canvas.getBoundingClientRect();
      const f = (e.clientX - box.left - PAD.left) / (box.width - PAD.left - PAD.right);
      this.choose(this.valueOf(Math.max(0, Math.min(1, f)) * STEPS));
    };
    this.canvas.addEventListener("pointerdown", (e) => {
      if (!this.data) return;
      pressed = true;
      this.canvas.setPointerCapture(e.pointerId);
      at(e);
    });
    this.canvas.addEventListener("pointermove", (e) => { if (pressed) at(e); });
    this.canvas.addEventListener("pointerup", () => { pressed = false; });
  }

  /** The errors' range: the histogram's outer edges. @returns {[number, number]} */
  range() {
    const e = this.data?.edges ?? [0, 1];
    return [e[0], e[e.length - 1] > e[0] ? e[e.length - 1] : e[0] + 1];
  }

  /** @param {number} step a slider position @returns {number} its threshold */
  valueOf(step) {
    const [lo, hi] = this.range();
    return lo + (step / STEPS) * (hi - lo);
  }

  /** The user moved the threshold. @param {number} t */
  choose(t) {
    this.threshold = t;
    this.frame.request();
    this.options.onThreshold(t);
  }

  /**
   * @param {{histogram: Histogram, threshold: number, counts: {normal: number, anomalous: number}} | null} d
   */
  update(d) {
    this.data = d?.histogram ?? null;
    this.slider.disabled = !d;
    if (d) {
      this.threshold = d.threshold;
      if (!this.dragging) {
        const [lo, hi] = this.range();
        this.slider.value = String(Math.round(Math.max(0, Math.min(1, (d.threshold - lo) / (hi - lo))) * STEPS));
      }
      this.legend.replaceChildren();
      for (const [color, text] of [[NORMAL, `normal (${d.counts.normal})`], [ANOMALOUS, `anomalous (${d.counts.anomalous})`],
        ["#222", "threshold"]]) {
        const item = el("span", "legend-item", this.legend);
        el("span", "swatch", item).style.background = color;
        item.append(text);
      }
    }
    this.frame.request();
  }

  draw() {
    const w = this.width || 360, h = this.options.height;
    const ctx = fitCanvas(this.canvas, w, h);
    ctx.clearRect(0, 0, w, h);
    const d = this.data;
    const x0 = PAD.left, x1 = w - PAD.right, y0 = PAD.top, y1 = h - PAD.bottom;
    ctx.strokeStyle = "#d7dbde";
    ctx.beginPath(); ctx.moveTo(x0, y1 + 0.5); ctx.lineTo(x1, y1 + 0.5); ctx.stroke();
    if (!d) return;
    const [lo, hi] = this.range();
    const sx = (/** @type {number} */ v) => x0 + ((v - lo) / (hi - lo)) * (x1 - x0);
    const share = (/** @type {number[]} */ counts) => {
      const total = counts.reduce((a, b) => a + b, 0) || 1;
      return counts.map((c) => c / total);
    };
    const normal = share(d.normal), anomalous = share(d.anomalous);
    const top = Math.max(...normal, ...anomalous, 1e-9);
    const sy = (/** @type {number} */ v) => y1 - (v / top) * (y1 - y0);
    const t = sx(Math.max(lo, Math.min(hi, this.threshold)));
    ctx.fillStyle = "rgba(245, 147, 34, 0.08)";
    ctx.fillRect(t, y0, x1 - t, y1 - y0);
    for (const [values, color] of /** @type {[number[], string][]} */ ([[normal, NORMAL], [anomalous, ANOMALOUS]])) {
      ctx.fillStyle = color;
      values.forEach((v, k) => {
        if (!v) return;
        const a = sx(d.edges[k]), b = sx(d.edges[k + 1]);
        ctx.fillRect(a + 0.5, sy(v), Math.max(1, b - a - 1), y1 - sy(v));
      });
    }
    ctx.font = "10px system-ui, sans-serif";
    ctx.fillStyle = "rgba(0,0,0,0.55)";
    ctx.fillText(`${Math.round(top * 100)}%`, 2, y0 + 8);
    ctx.fillText("0", 2, y1);
    ctx.fillText(short(lo), x0, h - 4);
    const right = short(hi);
    ctx.fillText(right, x1 - ctx.measureText(right).width, h - 4);
    ctx.strokeStyle = "#222";
    ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(t, y0 - 2); ctx.lineTo(t, y1); ctx.stroke();
    const label = `threshold ${short(this.threshold)}`;
    const lw = ctx.measureText(label).width;
    ctx.fillStyle = "#222";
    ctx.fillText(label, t + 4 + lw <= x1 ? t + 4 : Math.max(x0, t - 4 - lw), y0 + 9);
  }
}

/** An error for an axis. @param {number} v */
function short(v) {
  if (!Number.isFinite(v)) return "–";
  return v >= 0.01 ? v.toFixed(3) : v.toExponential(1);
}
