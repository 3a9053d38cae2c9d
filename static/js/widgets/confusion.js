// @ts-check
/**
 * The confusion matrix: a row per true class, a column per predicted class, each cell
 * its count, shaded by the share of its row (blue on the diagonal, orange off it).
 * Clicking a cell opens its samples. The cells are made once per class count and then
 * only refilled.
 */
import { el } from "../frame.js";

export class ConfusionMatrix {
  /** @param {HTMLElement} container @param {{onCell: (truth: number, predicted: number) => void}} options */
  constructor(container, options) {
    this.container = container;
    this.options = options;
    this.table = /** @type {HTMLTableElement} */ (el("table", "confusion-table", container));
    this.key = "";
    /** @type {HTMLTableCellElement[][]} */ this.cells = [];
    /** @type {[number, number] | null} */ this.opened = null;
  }

  /** @param {{matrix: number[][], class_names: string[]} | null} d */
  update(d) {
    if (!d) {
      this.table.replaceChildren();
      this.key = "";
      return;
    }
    const names = d.class_names, k = names.length;
    const key = names.join("\u0000");
    if (key !== this.key) this.build(names);
    this.key = key;
    let total = 0;
    for (let i = 0; i < k; i++) {
      const row = d.matrix[i] ?? [];
      const sum = row.reduce((a, b) => a + b, 0) || 1;
      for (let j = 0; j < k; j++) {
        const n = row[j] ?? 0;
        total += n;
        const cell = this.cells[i][j];
        const text = n ? String(n) : "";
        if (cell.textContent !== text) cell.textContent = text;
        const share = n / sum;
        const bg = share === 0 ? "" : i === j ? `rgba(8, 119, 189, ${0.12 + 0.88 * share})` : `rgba(245, 147, 34, ${0.15 + 0.85 * share})`;
        if (cell.style.background !== bg) cell.style.background = bg;
        cell.classList.toggle("dark", share > 0.55);
        cell.title = `true ${names[i]}, predicted ${names[j]}: ${n} (${Math.round(share * 100)}% of the ${names[i]}s)${n ? "; click to see them" : ""}`;
      }
    }
    this.table.dataset.total = String(total);
    this.table.dataset.content = d.matrix.map((r) => r.join(",")).join(";");
  }

  /** @param {string[]} names */
  build(names) {
    this.table.replaceChildren();
    const head = el("tr", "", el("thead", "", this.table));
    const corner = el("th", "corner", head);
    corner.textContent = "true ↓ predicted →";
    corner.title = "Rows: the true class; columns: the class the network predicts";
    for (const n of names) el("th", "", head).textContent = n;
    const body = el("tbody", "", this.table);
    this.cells = names.map((name, i) => {
      const row = el("tr", "", body);
      el("th", "", row).textContent = name;
      return names.map((_, j) => {
        const cell = /** @type {HTMLTableCellElement} */ (el("td", i === j ? "diagonal" : "", row));
        cell.dataset.cell = `${i}:${j}`;
        cell.addEventListener("click", () => { this.mark(i, j); this.options.onCell(i, j); });
        return cell;
      });
    });
  }

  /** Outline the opened cell. @param {number} i @param {number} j */
  mark(i, j) {
    this.opened = [i, j];
    this.cells.forEach((row, a) => row.forEach((cell, b) => cell.classList.toggle("opened", a === i && b === j)));
  }
}
