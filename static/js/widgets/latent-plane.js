// @ts-check
/**
 * The latent plane: each test sample's code as a dot coloured by its class, with a
 * legend of the class names (an anomaly lab's held-out classes ringed and named so),
 * and a note saying whether the plane is the code itself (a 2-number code) or its
 * first two principal components, with the share of variance they explain. Pressing
 * or dragging on the plane reports the point under the pointer (to decode it); the
 * point chosen is marked (and named by the container's data-chosen, for tests). Drawn
 * once per animation frame.
 */
import { classColor } from "../colors.js";
import { FrameScheduler, el, fitCanvas } from "../frame.js";

const PAD = { left: 34, right: 8, top: 8, bottom: 20 };

/**
 * @typedef {{points: import("../grids.js").NdArray, labels: number[], classNames: string[],
 *   range: {x: [number, number], y: [number, number]}, projection: string, explained: number[] | null,
 *   codeSize: number, anomalies: number[] | null}} Latent the latent view, its points
 *   decoded (n, 2); `anomalies` the held-out classes of an anomaly lab
 */

export class LatentPlane {
  /**
   * @param {HTMLElement} container
   * @param {{size: number, onPoint: (point: [number, number]) => void}} options
   */
  constructor(container, options) {
    this.container = container;
    this.options = options;
    this.note = el("p", "fine latent-note", container);
    this.note.dataset.testid = "latent-note";
    this.canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "latent-canvas", container));
    this.canvas.title = "Each test sample's code, coloured by its class: press or drag anywhere to decode that point";
    this.legend = el("div", "latent-legend", container);
    /** @type {Latent | null} */ this.data = null;
    /** @type {[number, number] | null} */ this.point = null;
    this.legendKey = "";
    this.frame = new FrameScheduler(() => this.draw());
    this.wire();
    this.frame.request();
  }

  wire() {
    const c = this.canvas;
    let dragging = false;
    const report = (/** @type {PointerEvent} */ e) => {
      const p = this.toData(e);
      if (p) this.options.onPoint(p);
    };
    c.addEventListener("pointerdown", (e) => {
      if (!this.data) return;
      dragging = true;
      c.setPointerCapture(e.pointerId);
      report(e);
    });
    c.addEventListener("pointermove", (e) => { if (dragging) report(e); });
    const stop = () => { dragging = false; };
    c.addEventListener("pointerup", stop);
    c.addEventListener("pointercancel", stop);
  }

  /** @param {Latent | null} d */
  update(d) {
    this.data = d;
    this.note.textContent = d ? noteText(d) : "";
    this.showLegend();
    this.frame.request();
  }

  /** Mark the point decoded (null: none). @param {[number, number] | null} point */
  mark(point) {
    this.point = point;
    if (point) this.container.dataset.chosen = point.map((v) => v.toFixed(4)).join(",");
    else delete this.container.dataset.chosen;
    this.frame.request();
  }

  /** The plane's coordinates under a pointer event, or null outside the plot. @param {PointerEvent} e @returns {[number, number] | null} */
  toData(e) {
    const d = this.data;
    if (!d) return null;
    const box = this.canvas.getBoundingClientRect(), s = this.options.size;
    const fx = (e.clientX - box.left - PAD.left) / (s - PAD.left - PAD.right);
    const fy = (e.clientY - box.top - PAD.top) / (s - PAD.top - PAD.bottom);
    const clamp = (/** @type {number} */ f) => Math.max(0, Math.min(1, f));
    const [x0, x1] = d.range.x, [y0, y1] = d.range.y;
    return [x0 + clamp(fx) * (x1 - x0), y1 - clamp(fy) * (y1 - y0)];
  }

  showLegend() {
    const d = this.data;
    const key = d ? JSON.stringify([d.classNames, d.anomalies]) : "";
    if (key === this.legendKey) return;
    this.legendKey = key;
    this.legend.replaceChildren();
    if (!d) return;
    const held = new Set(d.anomalies ?? []);
    d.classNames.forEach((name, k) => {
      const item = el("span", `legend-class${held.has(k) ? " anomalous" : ""}`, this.legend);
      el("i", "legend-swatch", item).style.background = classColor(k);
      item.append(held.has(k) ? `${name} (anomaly)` : name);
      item.title = held.has(k) ? `class ${name}: held out of training, an anomaly` : `class ${name}`;
    });
  }

  draw() {
    const s = this.options.size, d = this.data;
    const ctx = fitCanvas(this.canvas, s, s);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, s, s);
    const x0 = PAD.left, x1 = s - PAD.right, y0 = PAD.top, y1 = s - PAD.bottom;
    ctx.strokeStyle = "#d7dbde";
    ctx.strokeRect(x0 + 0.5, y0 + 0.5, x1 - x0 - 1, y1 - y0 - 1);
    if (!d) { this.container.dataset.points = "0"; return; }
    const [ax, bx] = d.range.x, [ay, by] = d.range.y;
    const sx = (/** @type {number} */ v) => x0 + ((v - ax) / (bx - ax)) * (x1 - x0);
    const sy = (/** @type {number} */ v) => y1 - ((v - ay) / (by - ay)) * (y1 - y0);
    this.ticks(ctx, ax, bx, sx, "x", y1);
    this.ticks(ctx, ay, by, sy, "y", x0);
    const held = new Set(d.anomalies ?? []);
    const n = d.points.shape[0], v = d.points.values;
    ctx.globalAlpha = 0.8;
    for (let i = 0; i < n; i++) {
      const x = sx(v[2 * i]), y = sy(v[2 * i + 1]);
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      ctx.fillStyle = classColor(d.labels[i]);
      ctx.beginPath();
      ctx.arc(x, y, held.has(d.labels[i]) ? 3.4 : 2.6, 0, 2 * Math.PI);
      ctx.fill();
      if (held.has(d.labels[i])) { ctx.strokeStyle = "#222"; ctx.lineWidth = 1; ctx.stroke(); }
    }
    ctx.globalAlpha = 1;
    if (this.point) {
      const px = sx(this.point[0]), py = sy(this.point[1]);
      ctx.strokeStyle = "#fff"; ctx.lineWidth = 4;
      ctx.beginPath(); ctx.arc(px, py, 6, 0, 2 * Math.PI); ctx.stroke();
      ctx.strokeStyle = "#111"; ctx.lineWidth = 1.6;
      ctx.beginPath(); ctx.arc(px, py, 6, 0, 2 * Math.PI); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(px - 10, py); ctx.lineTo(px - 3, py); ctx.moveTo(px + 3, py); ctx.lineTo(px + 10, py);
      ctx.moveTo(px, py - 10); ctx.lineTo(px, py - 3); ctx.moveTo(px, py + 3); ctx.lineTo(px, py + 10); ctx.stroke();
    }
    this.container.dataset.points = String(n);
  }

  /**
   * Grid lines and their values along one axis.
   * @param {CanvasRenderingContext2D} ctx @param {number} lo @param {number} hi
   * @param {(v: number) => number} scale @param {"x" | "y"} axis @param {number} at the other axis' edge
   */
  ticks(ctx, lo, hi, scale, axis, at) {
    const s = this.options.size, step = niceStep((hi - lo) / 4);
    ctx.font = "10px system-ui, sans-serif";
    ctx.fillStyle = "rgba(0,0,0,0.5)";
    ctx.strokeStyle = "#eef0f1";
    ctx.lineWidth = 1;
    for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) {
      const p = Math.round(scale(t)) + 0.5, text = short(t);
      ctx.beginPath();
      if (axis === "x") {
        ctx.moveTo(p, PAD.top); ctx.lineTo(p, at); ctx.stroke();
        ctx.fillText(text, p - ctx.measureText(text).width / 2, s - 6);
      } else {
        ctx.moveTo(at, p); ctx.lineTo(s - PAD.right, p); ctx.stroke();
        ctx.fillText(text, at - 4 - ctx.measureText(text).width, p + 3);
      }
    }
  }
}

/** What the plane is, in words. @param {Latent} d */
function noteText(d) {
  if (d.projection !== "pca") {
    return d.codeSize === 1 ? "The code is one number: drawn along x." : `The code is ${d.codeSize} numbers: the plane is the code itself.`;
  }
  const share = (d.explained ?? []).reduce((a, b) => a + b, 0);
  const parts = (d.explained ?? []).map((e) => `${Math.round(e * 100)}%`).join(" + ");
  return `PCA projection of the ${d.codeSize}-number code: its first two principal components, explaining `
    + `${parts} = ${Math.round(share * 100)}% of the codes' variance.`;
}

/** @param {number} raw */
function niceStep(raw) {
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw)), m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** @param {number} v */
function short(v) {
  const r = Math.abs(v) < 1e-9 ? 0 : v;
  return (Math.abs(r) >= 10 ? String(Math.round(r)) : String(Math.round(r * 100) / 100)).replace("-", "\u2212");
}
