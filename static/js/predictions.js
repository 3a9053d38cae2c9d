// @ts-check
/**
 * The predictions table for small data (the course's examples): each sample's
 * inputs, its target, and the network's outputs now.
 */
import { el } from "./frame.js";

export class PredictionsTable {
  /** @param {HTMLElement} container @param {{onPick?: (row: number) => void}} [options] */
  constructor(container, options = {}) {
    this.container = container;
    this.onPick = options.onPick ?? (() => {});
    this.key = "";
    this.chosen = -1;
    /** @type {HTMLTableCellElement[][]} */ this.cells = [];
    /** @type {HTMLTableRowElement[]} */ this.rows = [];
  }

  /** Marks the row whose activations the activations panel shows. @param {number} row */
  highlight(row) {
    this.chosen = row;
    this.rows.forEach((tr, r) => tr.classList.toggle("chosen", r === row));
  }

  /**
   * @param {{inputs: number[][], targets: number[], outputs: (number|null)[][] | null,
   *   classes: number | null}} data
   */
  update(data) {
    const key = `${data.inputs.length}:${data.inputs[0]?.length}:${data.outputs?.[0]?.length}`;
    if (key !== this.key) this.build(data, key);
    data.inputs.forEach((_, r) => {
      const out = data.outputs?.[r] ?? [];
      out.forEach((v, c) => {
        const cell = this.cells[r]?.[c];
        if (cell) cell.textContent = v === null ? "NaN" : v.toFixed(3);
      });
    });
  }

  /** @param {{inputs: number[][], targets: number[], outputs: (number|null)[][] | null}} data @param {string} key */
  build(data, key) {
    this.key = key;
    const table = el("table", "predictions-table");
    table.dataset.testid = "predictions";
    table.setAttribute("data-testid", "predictions");
    const head = el("tr", "", el("thead", "", table));
    const nIn = data.inputs[0]?.length ?? 0, nOut = data.outputs?.[0]?.length ?? 1;
    for (let c = 0; c < nIn; c++) el("th", "", head).textContent = `x${c + 1}`;
    el("th", "", head).textContent = "target";
    for (let c = 0; c < nOut; c++) el("th", "", head).textContent = nOut > 1 ? `ŷ${c + 1}` : "ŷ";
    const body = el("tbody", "", table);
    this.rows = [];
    this.cells = data.inputs.map((row, r) => {
      const tr = /** @type {HTMLTableRowElement} */ (el("tr", "", body));
      tr.title = "Show this sample's activations in the activations panel";
      tr.tabIndex = 0;
      tr.addEventListener("click", () => this.onPick(r));
      tr.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); e.stopPropagation(); this.onPick(r); } });
      this.rows.push(tr);
      row.forEach((v) => { el("td", "", tr).textContent = String(v); });
      el("td", "target", tr).textContent = String(data.targets[r]);
      return Array.from({ length: nOut }, () => {
        const td = /** @type {HTMLTableCellElement} */ (el("td", "out", tr));
        td.textContent = "–";
        return td;
      });
    });
    this.container.replaceChildren(table);
    this.highlight(this.chosen);
  }
}
