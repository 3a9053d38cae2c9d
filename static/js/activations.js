// @ts-check
/**
 * The activations panel: every layer's output for one point — the point under the
 * mouse on the output plane while there is one, otherwise the training sample
 * chosen here (the only way in for data that is not 2-D, like the course's exercise).
 */
import { affineFor, divergingCss } from "./colors.js";
import { FrameScheduler, el } from "./frame.js";

/**
 * @typedef {{point: number[], features: number[], layers: number[][], names: string[],
 *   hover: boolean, sample?: number, target?: number | null, acts: string[]}} ActivationsData
 *   `sample`: the training sample (0-based) the values are of, when not the point under
 *   the mouse; `acts`: each layer's activation, which sets how its values are coloured (a
 *   sigmoid's 0 is as far as a tanh's −1), as the network's heatmaps do
 */

export class ActivationsPanel {
  /**
   * @param {HTMLElement} container
   * @param {{onPick?: (index: number) => void, onShowSample?: (show: boolean) => void}} [options]
   *   `onShowSample`: the mouse entered (true) or left the panel: where is its sample?
   */
  constructor(container, options = {}) {
    this.container = container;
    this.onPick = options.onPick ?? (() => {});
    const panel = container.closest(".panel") ?? container;
    panel.addEventListener("mouseenter", () => options.onShowSample?.(true));
    panel.addEventListener("mouseleave", () => options.onShowSample?.(false));
    this.chooser = el("label", "act-chooser", container);
    this.chooser.title = "Which training sample to show (the mouse over the plane shows that point instead)";
    el("span", "", this.chooser).textContent = "sample ";
    this.input = /** @type {HTMLInputElement} */ (el("input", "", this.chooser));
    this.input.type = "number";
    this.input.min = "1";
    this.input.dataset.testid = "sample-select";
    this.input.setAttribute("data-testid", "sample-select");
    this.of = el("span", "", this.chooser);
    this.input.addEventListener("change", () => {
      const k = Math.round(Number(this.input.value));
      const max = Number(this.input.max) || 1;
      const index = Math.min(max, Math.max(1, Number.isFinite(k) ? k : 1)) - 1;
      this.input.value = String(index + 1);
      this.onPick(index);
    });
    this.body = el("div", "act-body", container);
    /** @type {ActivationsData | null} */
    this.data = null;
    this.shape = "";  // the row lengths the cells were built for
    /** @type {HTMLElement} */ this.caption = this.body;
    /** @type {HTMLElement[][]} */ this.cells = [];
    this.frame = new FrameScheduler(() => this.draw());
    this.choose(0, 0);
    this.draw();
  }

  /** The chosen sample (0-based) among `count` training samples. @param {number} index @param {number} count */
  choose(index, count) {
    this.chooser.hidden = count === 0;
    this.input.max = String(Math.max(1, count));
    if (document.activeElement !== this.input) this.input.value = String(index + 1);
    this.of.textContent = ` of ${count.toLocaleString()}`;
  }

  /** @param {ActivationsData | null} data */
  update(data) {
    this.data = data;
    this.frame.request();
  }

  /** The rows are built once per shape of the network; each new frame only refills their cells. */
  draw() {
    const root = this.body;
    const d = this.data;
    if (!d) {
      this.shape = "";
      root.replaceChildren();
      el("p", "fine", root).textContent = "Choose a training sample above, or move the mouse over "
        + "the output plane, to see the network's values there.";
      return;
    }
    const rows = [d.features, ...d.layers];
    const shape = rows.map((r) => r.length).join(",");
    if (shape !== this.shape) {
      this.shape = shape;
      root.replaceChildren();
      this.caption = el("p", "point", root);
      this.cells = rows.map((values, k) => this.row(k === 0 ? "inputs" : k === rows.length - 1 ? "output" : `layer ${k}`,
        values.length));
    }
    const at = `(${d.point.map((v) => +v.toFixed(2)).join(", ")})`;
    const target = d.target === undefined || d.target === null ? "" : `, target ${+d.target.toFixed(3)}`;
    const sample = d.sample === undefined ? this.input.value : String(d.sample + 1);
    this.caption.textContent = d.hover ? `under the mouse at ${at}` : `sample ${sample} at ${at}${target}`;
    rows.forEach((values, k) => {
      const [a, b] = k === 0 ? [1, 0] : affineFor(d.acts[k - 1] ?? "linear");
      values.forEach((v, j) => {
        const cell = this.cells[k][j];
        const shade = Math.max(-1, Math.min(1, a * (v ?? 0) + b));
        cell.style.background = divergingCss(shade);
        cell.style.color = Math.abs(shade) > 0.55 ? "#fff" : "#222";
        cell.textContent = v === null ? "–" : v.toFixed(2);
        cell.title = `${(k === 0 ? d.names[j] : undefined) ?? `neuron ${j + 1}`}: ${v}`;
      });
    });
  }

  /** One labelled row of `n` empty cells. @param {string} label @param {number} n @returns {HTMLElement[]} */
  row(label, n) {
    const row = el("div", "act-row", this.body);
    el("span", "act-label", row).textContent = label;
    const cells = el("div", "act-cells", row);
    return Array.from({ length: n }, () => el("span", "act-cell", cells));
  }
}
