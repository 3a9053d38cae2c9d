// @ts-check
/**
 * The gradient's norm through time, ‖dL/dh_t‖ at every step t, one line per recurrent
 * layer on a log scale: a line that falls steeply towards the early steps is a
 * vanishing gradient (those steps learn nothing from the loss at the end), one that
 * rises is exploding. Drawn on a devicePixelRatio canvas once per animation frame,
 * only when the data or the width changed.
 */
import { CLASS_COLORS } from "../colors.js";
import { FrameScheduler, el, fitCanvas } from "../frame.js";

const PAD = { left: 38, right: 8, top: 8, bottom: 18 };

/** @typedef {{layers: {name: string, type: string, norms: (number | null)[]}[]}} NormsData */

export class GradientChart {
  /** @param {HTMLElement} container @param {{height: number}} options */
  constructor(container, options) {
    this.container = container;
    this.height = options.height;
    this.canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "grad-canvas", container));
    this.legend = el("div", "chart-legend", container);
    this.note = el("p", "fine grad-note", container);
    /** @type {NormsData | null} */ this.data = null;
    this.width = 0;
    this.legendKey = "";
    this.frame = new FrameScheduler(() => this.draw());
    new ResizeObserver((entries) => {
      this.width = entries[entries.length - 1].contentRect.width;
      this.frame.request();
    }).observe(container);
  }

  /** @param {NormsData | null} d */
  update(d) {
    this.data = d;
    const key = d ? d.layers.map((l) => `${l.name}:${l.type}`).join() : "";
    if (key !== this.legendKey) {
      this.legendKey = key;
      this.legend.replaceChildren(...(d?.layers ?? []).map((l, k) => {
        const item = el("span", "legend-item");
        const swatch = el("span", "swatch", item);
        swatch.style.background = CLASS_COLORS[(k + 1) % CLASS_COLORS.length];
        item.append(`${l.name}`);
        return item;
      }));
    }
    this.note.textContent = d ? ratioNote(d) : "";
    this.frame.request();
  }

  draw() {
    const w = this.width || 300, h = this.height;
    const ctx = fitCanvas(this.canvas, w, h);
    ctx.clearRect(0, 0, w, h);
    const layers = this.data?.layers ?? [];
    const x0 = PAD.left, x1 = w - PAD.right, y0 = PAD.top, y1 = h - PAD.bottom;
    let lo = Infinity, hi = -Infinity, steps = 0;
    for (const l of layers) {
      steps = Math.max(steps, l.norms.length);
      for (const v of l.norms) if (v !== null && v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    }
    ctx.font = "10px system-ui, sans-serif";
    ctx.fillStyle = "rgba(0,0,0,0.55)";
    ctx.strokeStyle = "#e4e4e4";
    ctx.lineWidth = 1;
    if (!(hi > 0) || steps < 1) {
      this.mark("0");
      return;
    }
    let dLo = Math.floor(Math.log10(lo)), dHi = Math.ceil(Math.log10(hi));
    if (dHi === dLo) dHi += 1;
    const sy = (/** @type {number} */ v) => y1 - ((Math.log10(v) - dLo) / (dHi - dLo)) * (y1 - y0);
    const sx = (/** @type {number} */ t) => x0 + (steps === 1 ? 0 : (t / (steps - 1)) * (x1 - x0));
    const every = Math.max(1, Math.ceil((dHi - dLo) / Math.max(1, Math.floor((y1 - y0) / 14))));
    for (let d = dLo; d <= dHi; d += every) {
      const y = Math.round(sy(10 ** d)) + 0.5;
      ctx.beginPath(); ctx.moveTo(x0, y); ctx.lineTo(x1, y); ctx.stroke();
      ctx.fillText(`1e${d}`.replace("-", "\u2212"), 2, y + 3);
    }
    const tickEvery = niceStep(steps / Math.max(1, Math.floor((x1 - x0) / 40)));
    for (let t = 0; t < steps; t += tickEvery) ctx.fillText(String(t), sx(t) - 3, h - 4);
    ctx.fillText("step", x1 - 22, h - 4);
    layers.forEach((l, k) => {
      ctx.strokeStyle = CLASS_COLORS[(k + 1) % CLASS_COLORS.length];
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      let pen = false;
      l.norms.forEach((v, t) => {
        if (v === null || !(v > 0)) { pen = false; return; }
        if (pen) ctx.lineTo(sx(t), sy(v)); else ctx.moveTo(sx(t), sy(v));
        pen = true;
      });
      ctx.stroke();
    });
    this.mark(String(layers.length));
  }

  /** How many lines are drawn, for tests (written only when it changes). @param {string} lines */
  mark(lines) {
    if (this.container.dataset.lines !== lines) this.container.dataset.lines = lines;
  }
}

/** How much smaller the first step's gradient is than the last's, in words. @param {NormsData} d */
function ratioNote(d) {
  return d.layers.map((l) => {
    const first = l.norms.find((v) => v !== null && v > 0), last = [...l.norms].reverse().find((v) => v !== null && v > 0);
    if (!first || !last) return `${l.name}: no gradient`;
    const r = first / last;
    const say = r < 1 ? `${formatRatio(1 / r)} smaller` : `${formatRatio(r)} larger`;
    return `${l.name}: step 0 gets a gradient ${say} than the last step`;
  }).join("; ");
}

/** @param {number} r */
function formatRatio(r) {
  return r >= 1000 ? `10^${Math.round(Math.log10(r))} times` : `${r < 10 ? r.toFixed(1) : Math.round(r)}×`;
}

/** @param {number} raw */
function niceStep(raw) {
  if (raw <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(raw)), m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}
