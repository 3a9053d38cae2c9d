// @ts-check
/**
 * A prediction: the predicted class in large type and a bar per class for its
 * probability (the predicted one in blue, the true one, when known, outlined).
 */
import { el } from "../frame.js";

export class ProbabilityBars {
  /** @param {HTMLElement} container @param {{caption?: string}} [options] */
  constructor(container, options = {}) {
    this.root = el("div", "probabilities", container);
    this.head = el("div", "prediction-head", this.root);
    this.big = el("span", "prediction-class", this.head);
    this.sub = el("span", "prediction-sub", this.head);
    this.bars = el("div", "prob-bars", this.root);
    this.caption = options.caption ?? "";
    this.key = "";
    /** @type {{row: HTMLElement, fill: HTMLElement, value: HTMLElement}[]} */ this.rows = [];
    this.update(null);
  }

  /**
   * @param {{probabilities: number[], class_names: string[], predicted: number,
   *   label?: number | null, note?: string} | null} d
   */
  update(d) {
    this.root.classList.toggle("empty", !d);
    if (!d) {
      this.big.textContent = "–";
      this.sub.textContent = this.caption;
      this.bars.replaceChildren();
      this.rows = [];
      this.key = "";
      this.root.dataset.predicted = "";
      return;
    }
    const key = d.class_names.join("\u0000");
    if (key !== this.key) {
      this.key = key;
      this.bars.replaceChildren();
      this.rows = d.class_names.map((name) => {
        const row = el("div", "prob-row", this.bars);
        el("span", "prob-name", row).textContent = name;
        const track = el("span", "prob-track", row);
        const fill = el("span", "prob-fill", track);
        const value = el("span", "prob-value", row);
        return { row, fill, value };
      });
    }
    const p = d.probabilities;
    this.rows.forEach((r, k) => {
      const v = Number.isFinite(p[k]) ? p[k] : 0;
      r.fill.style.width = `${(v * 100).toFixed(1)}%`;
      r.value.textContent = `${Math.round(v * 100)}%`;
      r.row.classList.toggle("predicted", k === d.predicted);
      r.row.classList.toggle("truth", k === d.label);
    });
    const name = d.class_names[d.predicted] ?? String(d.predicted);
    this.big.textContent = name;
    this.sub.textContent = d.note ?? `${Math.round((p[d.predicted] ?? 0) * 100)}% sure`;
    this.root.dataset.predicted = name;
  }
}
