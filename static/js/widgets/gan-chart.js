// @ts-check
/**
 * A GAN's training chart, by step: the discriminator's and the generator's losses
 * above, D(real) and D(fake) (the discriminator's mean output on real and on generated
 * samples, 0 to 1, with ½ marked: where it can no longer tell them apart) below.
 * Columnar and bounded as the loss chart is (at most CAPACITY points a series; when
 * full, neighbours are averaged pairwise and each point holds twice the steps); a step
 * that leaves a value out (a generator step has no D(real)) keeps the one before. One
 * redraw per animation frame.
 */
import { FrameScheduler, el, fitCanvas } from "../frame.js";
import { FAKE, REAL } from "./gan-plane.js";

const CAPACITY = 1024;
/** @type {{key: Key, label: string, color: string, dash?: number[]}[]} */
const SERIES = [
  { key: "d_loss", label: "D loss", color: "#333" },
  { key: "g_loss", label: "G loss", color: FAKE },
  { key: "d_real", label: "D(real)", color: REAL },
  { key: "d_fake", label: "D(fake)", color: FAKE, dash: [4, 3] },
];

/** @typedef {"d_loss" | "g_loss" | "d_real" | "d_fake"} Key */

export class GanChart {
  /** @param {HTMLElement} container @param {{height: number}} options */
  constructor(container, options) {
    this.container = container;
    this.height = options.height;
    this.canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "chart-canvas", container));
    this.canvas.title = "Above: the discriminator's and the generator's loss at each step. Below: D's mean output "
      + "on real and on generated samples (0 to 1; ½ dashed: it cannot tell them apart)";
    const legend = el("div", "gan-legend fine", container);
    for (const s of SERIES) {
      const item = el("span", "gan-key", legend);
      const swatch = el("i", s.dash ? "dashed" : "", item);
      swatch.style.borderColor = s.color;
      item.append(s.label);
    }
    this.frame = new FrameScheduler(() => this.draw());
    this.width = 0;
    new ResizeObserver((entries) => {
      this.width = entries[entries.length - 1].contentRect.width;
      this.frame.request();
    }).observe(container);
    this.clear();
  }

  clear() {
    this.x = new Float64Array(CAPACITY);
    /** @type {Record<Key, Float64Array>} */
    this.y = /** @type {any} */ (Object.fromEntries(SERIES.map((s) => [s.key, new Float64Array(CAPACITY)])));
    this.length = 0;
    this.stride = 1;
    /** @type {Record<Key, number>} the last value of each, for steps that leave it out */
    this.last = { d_loss: NaN, g_loss: NaN, d_real: NaN, d_fake: NaN };
    this.bucket = { n: 0, x: 0, sums: { d_loss: 0, g_loss: 0, d_real: 0, d_fake: 0 } };
    this.lastX = -Infinity;
    this.frame.request();
  }

  /** One step's values (ignored unless the step grows). @param {number} x @param {Partial<Record<Key, number | null>>} row */
  push(x, row) {
    if (!(x > this.lastX)) return;
    this.lastX = x;
    const b = this.bucket;
    b.n += 1; b.x = x;
    for (const { key } of SERIES) {
      const v = row[key];
      if (v !== null && v !== undefined && Number.isFinite(v)) this.last[key] = v;
      b.sums[key] += this.last[key];
    }
    if (b.n < this.stride) return;
    if (this.length === CAPACITY) this.halve();
    const i = this.length++;
    this.x[i] = b.x;
    for (const { key } of SERIES) this.y[key][i] = b.sums[key] / b.n;
    this.bucket = { n: 0, x: 0, sums: { d_loss: 0, g_loss: 0, d_real: 0, d_fake: 0 } };
    this.frame.request();
  }

  /** A session's history by step: {x, d_loss, g_loss, d_real, d_fake}. @param {any} steps */
  load(steps) {
    this.clear();
    const n = steps?.x?.length ?? 0;
    for (let i = 0; i < n; i++) {
      this.push(steps.x[i], Object.fromEntries(SERIES.map((s) => [s.key, steps[s.key]?.[i] ?? null])));
    }
  }

  halve() {
    const half = this.length >> 1;
    for (let i = 0; i < half; i++) {
      this.x[i] = this.x[2 * i + 1];
      for (const { key } of SERIES) this.y[key][i] = (this.y[key][2 * i] + this.y[key][2 * i + 1]) / 2;
    }
    this.length = half;
    this.stride *= 2;
  }

  draw() {
    const width = this.width || 300, h = this.height, n = this.length;
    const ctx = fitCanvas(this.canvas, width, h);
    ctx.clearRect(0, 0, width, h);
    if (this.container.dataset.points !== String(n)) this.container.dataset.points = String(n);
    const split = Math.round(h * 0.56);
    const top = { y0: 12, y1: split - 6 }, bottom = { y0: split + 12, y1: h - 2 };
    ctx.fillStyle = "#888";
    ctx.font = "10px system-ui, sans-serif";
    ctx.fillText("losses", 2, 9);
    ctx.fillText("D(x)  1", 2, split + 9);
    ctx.strokeStyle = "#ddd";
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const y of [top.y1 + 0.5, bottom.y1 + 0.5, bottom.y0 + 0.5]) { ctx.moveTo(0, y); ctx.lineTo(width, y); }
    ctx.stroke();
    ctx.setLineDash([2, 3]);
    ctx.beginPath();
    const half = Math.round((bottom.y0 + bottom.y1) / 2) + 0.5;
    ctx.moveTo(0, half); ctx.lineTo(width, half);
    ctx.stroke();
    ctx.setLineDash([]);
    if (n < 1) return;
    // the losses' range (from 0; the minimax generator's log(1 − D) is negative)
    let max = 0, min = 0;
    for (const key of /** @type {Key[]} */ (["d_loss", "g_loss"])) {
      for (let i = 0; i < n; i++) {
        const v = this.y[key][i];
        if (v > max) max = v;
        if (v < min) min = v;
      }
    }
    if (!(max > min)) max = min + 1;
    ctx.textAlign = "right";
    ctx.fillText(max.toPrecision(2), width - 2, 9);
    if (min < 0) ctx.fillText(min.toPrecision(2), width - 2, top.y1 - 2);
    ctx.textAlign = "left";
    const x0 = this.x[0], x1 = Math.max(this.x[n - 1], x0 + 1);
    const sx = (/** @type {number} */ v) => ((v - x0) / (x1 - x0)) * (width - 2) + 1;
    for (const s of SERIES) {
      const loss = s.key.endsWith("loss"), band = loss ? top : bottom;
      const lo = loss ? min : 0, hi = loss ? max : 1;
      const sy = (/** @type {number} */ v) => band.y1 - ((v - lo) / (hi - lo)) * (band.y1 - band.y0);
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 1.5;
      ctx.setLineDash(s.dash ?? []);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < n; i++) {
        const v = this.y[s.key][i];
        if (!Number.isFinite(v)) { pen = false; continue; }
        if (pen) ctx.lineTo(sx(this.x[i]), sy(v)); else ctx.moveTo(sx(this.x[i]), sy(v));
        pen = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }
}
