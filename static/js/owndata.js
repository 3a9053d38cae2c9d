// @ts-check
/**
 * The "your own data" box under the data controls: for points clicked onto the plane,
 * a class picker and a clear button; for an uploaded CSV file, the file chooser and
 * the column to predict. It only reports what the user did; the page builds the spec.
 */
import { classColor } from "./colors.js";
import { el } from "./frame.js";

/**
 * @typedef {{mode: "inline" | "csv" | null, classes: number, picked: number, count: number,
 *   file: string, columns: string[], target: string}} OwnDataView
 */

export class OwnDataPanel {
  /**
   * @param {HTMLElement} container
   * @param {{onPick: (cls: number) => void, onClear: () => void,
   *   onFile: (name: string, text: string) => void, onTarget: (column: string) => void}} options
   */
  constructor(container, options) {
    this.container = container;
    this.options = options;
    this.mode = /** @type {string | null} */ (null);
  }

  /** @param {OwnDataView} d */
  update(d) {
    this.container.hidden = d.mode === null;
    if (d.mode !== this.mode) {
      this.mode = d.mode;
      this.container.replaceChildren();
      if (d.mode === "inline") this.buildDrawing();
      if (d.mode === "csv") this.buildCsv();
    }
    if (d.mode === "inline") this.showDrawing(d);
    if (d.mode === "csv") this.showCsv(d);
  }

  buildDrawing() {
    const root = this.container;
    el("p", "fine", root).innerHTML = "Click the plane to add a point of the picked class; "
      + "<b>right-click</b> or <b>shift-click</b> adds class 0. All your points train the network.";
    const row = el("div", "class-picks", root);
    row.setAttribute("role", "radiogroup");
    row.setAttribute("aria-label", "Class of new points");
    const foot = el("div", "own-foot", root);
    el("span", "fine own-count", foot);
    const clear = el("button", "text-button", foot);
    clear.setAttribute("type", "button");
    clear.dataset.testid = "clear-points";
    clear.textContent = "Clear points";
    clear.title = "Remove every point you added";
    clear.addEventListener("click", () => this.options.onClear());
  }

  /** @param {OwnDataView} d */
  showDrawing(d) {
    const row = /** @type {HTMLElement} */ (this.container.querySelector(".class-picks"));
    const n = Math.min(8, Math.max(2, d.classes + 1));
    if (row.childElementCount !== n) {
      row.replaceChildren();
      for (let k = 0; k < n; k++) {
        const b = el("button", "class-pick", row);
        b.setAttribute("type", "button");
        b.setAttribute("role", "radio");
        b.dataset.testid = "class-pick";
        b.dataset.class = String(k);
        b.style.background = classColor(k);
        b.title = k === n - 1 && k >= 2 ? `Class ${k}: a new class` : `Class ${k}`;
        b.setAttribute("aria-label", b.title);
        b.addEventListener("click", () => this.options.onPick(k));
      }
    }
    for (const b of /** @type {NodeListOf<HTMLElement>} */ (row.querySelectorAll(".class-pick"))) {
      const on = Number(b.dataset.class) === d.picked;
      b.classList.toggle("selected", on);
      b.setAttribute("aria-checked", String(on));
    }
    const count = /** @type {HTMLElement} */ (this.container.querySelector(".own-count"));
    count.textContent = d.count ? `${d.count} point${d.count === 1 ? "" : "s"}` : "No points yet";
  }

  buildCsv() {
    const root = this.container;
    const pick = el("label", "text-button file-button", root);
    pick.title = "A CSV file: a header line of column names, then one row of numbers per sample";
    pick.append("Upload a CSV file…");
    const input = /** @type {HTMLInputElement} */ (el("input", "", pick));
    input.type = "file";
    input.accept = ".csv,text/csv,text/plain";
    input.dataset.testid = "csv-input";
    input.addEventListener("change", async () => {
      const file = input.files?.[0];
      if (file) this.options.onFile(file.name, await file.text());
      input.value = "";
    });
    el("p", "fine csv-file", root);
    const target = el("label", "csv-target", root);
    target.title = "The column the network learns to predict; every other column is an input";
    target.append("Predict column ");
    const select = /** @type {HTMLSelectElement} */ (el("select", "", target));
    select.dataset.testid = "csv-target";
    select.addEventListener("change", () => this.options.onTarget(select.value));
  }

  /** @param {OwnDataView} d */
  showCsv(d) {
    const file = /** @type {HTMLElement} */ (this.container.querySelector(".csv-file"));
    file.textContent = d.file ? `${d.file}: ${d.count} rows` : "No file yet. Classification "
      + "targets are class numbers 0, 1, 2…; with two input columns the plane shows them.";
    const label = /** @type {HTMLElement} */ (this.container.querySelector(".csv-target"));
    label.hidden = d.columns.length === 0;
    const select = /** @type {HTMLSelectElement} */ (label.querySelector("select"));
    if (select.dataset.key !== d.columns.join()) {
      select.dataset.key = d.columns.join();
      select.replaceChildren(...d.columns.map((c) => new Option(c, c)));
    }
    select.value = d.target;
  }
}
