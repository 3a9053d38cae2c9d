// @ts-check
/**
 * The activations panel: every layer's output for one point (the one under the mouse
 * on the output plane), as a row of coloured cells with their values.
 */
import { divergingCss } from "./colors.js";
import { FrameScheduler, el } from "./frame.js";

export class ActivationsPanel {
  /** @param {HTMLElement} container @param {{}} [options] */
  constructor(container, options = {}) {
    this.container = container;
    void options;
    /** @type {{point: number[], features: number[], layers: number[][], names: string[]} | null} */
    this.data = null;
    this.frame = new FrameScheduler(() => this.draw());
    this.draw();
  }

  /** @param {{point: number[], features: number[], layers: number[][], names: string[]} | null} data */
  update(data) {
    this.data = data;
    this.frame.request();
  }

  draw() {
    const root = this.container;
    root.replaceChildren();
    const d = this.data;
    if (!d) {
      el("p", "fine", root).textContent = "Move the mouse over the output plane to see the "
        + "network's values at that point.";
      return;
    }
    el("p", "point", root).textContent = `at (${d.point.map((v) => v.toFixed(2)).join(", ")})`;
    this.row("inputs", d.features, d.names);
    d.layers.forEach((values, k) => {
      this.row(k === d.layers.length - 1 ? "output" : `layer ${k + 1}`, values, []);
    });
  }

  /** @param {string} label @param {number[]} values @param {string[]} names */
  row(label, values, names) {
    const row = el("div", "act-row", this.container);
    el("span", "act-label", row).textContent = label;
    const cells = el("div", "act-cells", row);
    values.forEach((v, k) => {
      const cell = el("span", "act-cell", cells);
      cell.style.background = divergingCss(Math.max(-1, Math.min(1, v ?? 0)));
      cell.style.color = Math.abs(v ?? 0) > 0.55 ? "#fff" : "#222";
      cell.textContent = v === null ? "–" : v.toFixed(2);
      cell.title = `${names[k] ?? `neuron ${k + 1}`}: ${v}`;
    });
  }
}
