// @ts-check
/**
 * ROC curves: the true-positive rate (anomalies caught) against the false-positive
 * rate (normal samples flagged) as the threshold sweeps, for the autoencoder (blue)
 * and its PCA baseline (grey, dashed), with chance as the diagonal, each curve's AUC
 * in the legend, and the point each is at with its threshold now (the autoencoder's
 * filled, PCA's hollow). The container's data-auc carries the autoencoder's (for tests).
 */
import { FrameScheduler, el, fitCanvas } from "../frame.js";

const PAD = { left: 38, right: 8, top: 8, bottom: 26 };
const MODEL = "#0877bd";
const BASELINE = "#8a949b";

/**
 * @typedef {{fpr: number[], tpr: number[], auc: number, point: [number, number]}} Curve
 *   `point` (false-positive rate, true-positive rate) at the threshold in use
 * @typedef {{model: Curve, pca: Curve & {components: number}}} Rocs
 */

export class RocCurve {
  /** @param {HTMLElement} container @param {{size: number}} options */
  constructor(container, options) {
    this.container = container;
    this.size = options.size;
    this.canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "roc-canvas", container));
    this.canvas.title = "ROC curve: anomalies caught (true-positive rate) against normal samples flagged (false-positive rate) over every threshold; the dots are the thresholds in use";
    this.legend = el("div", "chart-legend roc-legend", container);
    /** @type {Rocs | null} */ this.data = null;
    this.frame = new FrameScheduler(() => this.draw());
    this.frame.request();
  }

  /** @param {Rocs | null} d */
  update(d) {
    this.data = d;
    this.legend.replaceChildren();
    if (d) {
      for (const [color, text, id] of [[MODEL, `autoencoder: AUC ${d.model.auc.toFixed(3)}`, "auc-model"],
        [BASELINE, `PCA, ${d.pca.components} components: AUC ${d.pca.auc.toFixed(3)}`, "auc-pca"]]) {
        const item = el("span", "legend-item", this.legend);
        item.dataset.testid = id;
        el("span", "swatch", item).style.background = color;
        item.append(text);
      }
      this.container.dataset.auc = d.model.auc.toFixed(4);
    } else {
      delete this.container.dataset.auc;
    }
    this.frame.request();
  }

  draw() {
    const s = this.size, ctx = fitCanvas(this.canvas, s, s);
    ctx.clearRect(0, 0, s, s);
    const x0 = PAD.left, x1 = s - PAD.right, y0 = PAD.top, y1 = s - PAD.bottom;
    const sx = (/** @type {number} */ v) => x0 + v * (x1 - x0);
    const sy = (/** @type {number} */ v) => y1 - v * (y1 - y0);
    ctx.strokeStyle = "#d7dbde";
    ctx.lineWidth = 1;
    ctx.strokeRect(x0 + 0.5, y0 + 0.5, x1 - x0 - 1, y1 - y0 - 1);
    ctx.setLineDash([3, 3]);
    ctx.beginPath(); ctx.moveTo(sx(0), sy(0)); ctx.lineTo(sx(1), sy(1)); ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = "10px system-ui, sans-serif";
    ctx.fillStyle = "rgba(0,0,0,0.55)";
    for (const v of [0, 0.5, 1]) {
      ctx.fillText(String(v), sx(v) - (v === 1 ? 8 : v ? 6 : 0), y1 + 11);
      ctx.fillText(String(v), x0 - 4 - ctx.measureText(String(v)).width, sy(v) + 3);
    }
    ctx.textAlign = "center";
    ctx.fillText("false-positive rate", (x0 + x1) / 2, s - 3);
    ctx.save();
    ctx.translate(9, (y0 + y1) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText("true-positive rate", 0, 0);
    ctx.restore();
    ctx.textAlign = "start";
    const d = this.data;
    if (!d) return;
    this.curve(ctx, d.pca, BASELINE, [5, 3], sx, sy);
    this.curve(ctx, d.model, MODEL, [], sx, sy);
    this.dot(ctx, d.pca.point, BASELINE, false, sx, sy);
    this.dot(ctx, d.model.point, MODEL, true, sx, sy);
  }

  /**
   * @param {CanvasRenderingContext2D} ctx @param {Curve} c @param {string} color @param {number[]} dash
   * @param {(v: number) => number} sx @param {(v: number) => number} sy
   */
  curve(ctx, c, color, dash, sx, sy) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.setLineDash(dash);
    ctx.beginPath();
    c.fpr.forEach((f, i) => (i ? ctx.lineTo(sx(f), sy(c.tpr[i])) : ctx.moveTo(sx(f), sy(c.tpr[i]))));
    ctx.stroke();
    ctx.setLineDash([]);
  }

  /**
   * @param {CanvasRenderingContext2D} ctx @param {[number, number]} p @param {string} color @param {boolean} filled
   * @param {(v: number) => number} sx @param {(v: number) => number} sy
   */
  dot(ctx, p, color, filled, sx, sy) {
    if (!p.every(Number.isFinite)) return;
    ctx.beginPath();
    ctx.arc(sx(p[0]), sy(p[1]), 4.5, 0, 2 * Math.PI);
    ctx.fillStyle = filled ? color : "#fff";
    ctx.fill();
    ctx.strokeStyle = filled ? "#fff" : color;
    ctx.lineWidth = 2;
    ctx.stroke();
  }
}
