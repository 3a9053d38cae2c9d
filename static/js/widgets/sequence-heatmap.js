// @ts-check
/**
 * Values over time as a heatmap: one row a unit, one column a time step (units × time),
 * on the page's diverging scale (orange negative, grey zero, blue positive). The canvas
 * is as small as the data (one pixel a cell) and stretched by CSS; under it the time
 * axis shows what the network read at each step: the window's characters, or its
 * values as a small line. Hovering a cell names its unit, step and value.
 */
import { divergingRgbOfStep, divergingStep } from "../colors.js";
import { el, fitCanvas } from "../frame.js";

/** Each unit's row at least this many CSS pixels, the whole map at most MAX_PX tall. */
const ROW_PX = 2;
const MIN_PX = 48;
const MAX_PX = 200;
const LINE_PX = 22;

/**
 * @typedef {{values: import("../grids.js").NdArray, labels?: string[] | null, line?: number[] | null,
 *   range?: "signed" | "unit", title?: string}} SequenceMapData `values` (time, units);
 *   `range` "unit": values in [0, 1] (a gate: 0.5 grey), else signed, scaled by the
 *   largest |value| (at least 1, so that tanh's range is the scale's);
 *   `labels` one a step (the characters read), or `line` the values read
 */

/** A character as the axis shows it: visible marks for white space. @param {string} c */
export function visibleChar(c) {
  return c === "\n" ? "↵" : c === " " ? "␣" : c === "\t" ? "⇥" : c;
}

export class SequenceHeatmap {
  /** @param {HTMLElement} container @param {{caption?: string, maxHeight?: number}} [options] `maxHeight` in CSS pixels */
  constructor(container, options = {}) {
    this.maxHeight = options.maxHeight ?? MAX_PX;
    this.root = el("figure", "seq-heatmap", container);
    this.caption = el("figcaption", "seq-caption", this.root);
    this.caption.textContent = options.caption ?? "";
    this.frame = el("div", "seq-frame", this.root);
    this.canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "pixels seq-cells", this.frame));
    this.axis = el("div", "seq-axis", this.root);
    this.lineCanvas = /** @type {HTMLCanvasElement} */ (el("canvas", "seq-line", this.root));
    this.tip = el("div", "seq-tip", this.frame);
    this.tip.hidden = true;
    /** @type {SequenceMapData | null} */ this.data = null;
    this.scale = 1;
    this.width = 0;
    this.axisKey = "";
    new ResizeObserver((entries) => {
      this.width = entries[entries.length - 1].contentRect.width;
      this.drawLine();
    }).observe(this.root);
    this.canvas.addEventListener("mousemove", (e) => this.hover(e));
    this.canvas.addEventListener("mouseleave", () => { this.tip.hidden = true; });
  }

  /** @param {SequenceMapData | null} d */
  update(d) {
    this.root.hidden = !d;
    this.data = d;
    if (!d) return;
    const [time, units] = d.values.shape;
    const v = d.values.values;
    let a = 1, b = 0;
    if (d.range === "unit") {
      a = 2; b = -1;
    } else {
      let max = 0;
      for (let i = 0; i < v.length; i++) { const x = Math.abs(v[i]); if (x > max) max = x; }
      this.scale = Math.max(1, max);
      a = 1 / this.scale;
    }
    if (this.canvas.width !== time || this.canvas.height !== units) {
      this.canvas.width = time;
      this.canvas.height = units;
      this.canvas.style.height = `${Math.round(Math.min(this.maxHeight, Math.max(MIN_PX, units * ROW_PX)))}px`;
    }
    const ctx = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext("2d"));
    const img = ctx.createImageData(time, units);
    const rgba = img.data;
    for (let t = 0; t < time; t++) {
      for (let u = 0; u < units; u++) {
        const [r, g, bl] = divergingRgbOfStep(divergingStep(a * v[t * units + u] + b));
        const o = (u * time + t) * 4;
        rgba[o] = r; rgba[o + 1] = g; rgba[o + 2] = bl; rgba[o + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
    const scaleNote = d.range === "unit" ? "0 … 1" : `±${this.scale < 10 ? this.scale.toFixed(2) : Math.round(this.scale)}`;
    const caption = `${d.title ?? ""} · ${units} units × ${time} steps · ${scaleNote}`;
    if (this.caption.textContent !== caption) this.caption.textContent = caption;
    this.showAxis(d, time);
    this.drawLine();
  }

  /** The characters under their steps, rebuilt only when they change. @param {SequenceMapData} d @param {number} time */
  showAxis(d, time) {
    const labels = d.labels ?? null;
    const key = labels ? labels.join("\u0000") : "";
    this.axis.hidden = !labels;
    if (key === this.axisKey) return;
    this.axisKey = key;
    this.axis.style.gridTemplateColumns = `repeat(${time}, minmax(0, 1fr))`;
    this.axis.replaceChildren(...(labels ?? []).map((c) => {
      const span = document.createElement("span");
      span.textContent = visibleChar(c);
      if (c !== visibleChar(c)) span.className = "space";
      return span;
    }));
  }

  /** The values read, as a line over the time axis. */
  drawLine() {
    const line = this.data?.line ?? null;
    this.lineCanvas.hidden = !line;
    if (!line || !this.width) return;
    const w = this.width, h = LINE_PX;
    const ctx = fitCanvas(this.lineCanvas, w, h);
    ctx.clearRect(0, 0, w, h);
    let lo = Infinity, hi = -Infinity;
    for (const v of line) { if (v < lo) lo = v; if (v > hi) hi = v; }
    if (!(hi > lo)) { hi = lo + 1; }
    const n = line.length, step = w / n;
    ctx.strokeStyle = "#555";
    ctx.lineWidth = 1.25;
    ctx.beginPath();
    line.forEach((v, i) => {
      const x = (i + 0.5) * step, y = h - 2 - ((v - lo) / (hi - lo)) * (h - 4);
      if (i) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    });
    ctx.stroke();
  }

  /** @param {MouseEvent} e */
  hover(e) {
    const d = this.data;
    if (!d) return;
    const [time, units] = d.values.shape;
    const box = this.canvas.getBoundingClientRect();
    const t = Math.min(time - 1, Math.floor(((e.clientX - box.left) / box.width) * time));
    const u = Math.min(units - 1, Math.floor(((e.clientY - box.top) / box.height) * units));
    if (t < 0 || u < 0) return;
    const value = d.values.values[t * units + u];
    const read = d.labels ? ` (“${visibleChar(d.labels[t])}”)` : d.line ? ` (input ${formatValue(d.line[t])})` : "";
    this.tip.textContent = `unit ${u} · step ${t}${read}: ${formatValue(value)}`;
    this.tip.hidden = false;
    const x = e.clientX - box.left, y = e.clientY - box.top;
    this.tip.style.transform = `translate(${Math.min(x + 12, box.width - 180)}px, ${y + 14}px)`;
  }
}

/** @param {number} v */
function formatValue(v) {
  if (!Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  return a !== 0 && (a < 0.001 || a >= 10000) ? v.toExponential(2) : v.toFixed(3);
}
