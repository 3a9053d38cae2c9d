// @ts-check
/**
 * Inputs beside the autoencoder's reconstructions: for images a pair of small canvases
 * a sample (the input, then what came back), for series windows one small plot with
 * the window (dark) and its reconstruction (blue) over it; under each its class and
 * its reconstruction error, the class in orange when it is an anomaly. Clicking one
 * picks it. The container's data-errors says what is drawn (for tests).
 */
import { el, fitCanvas } from "../frame.js";
import { drawImage } from "./paint.js";
import { linesRange, sketchLines } from "./sketch.js";

const INPUT = "#37474f";
const OUTPUT = "rgba(8, 119, 189, 0.9)";

/**
 * @typedef {{inputs: import("../grids.js").NdArray, outputs: import("../grids.js").NdArray,
 *   labels: number[], errors: number[], ids: number[], classNames: string[],
 *   anomalous: boolean[] | null, selected?: number | null}} Reconstructions `inputs` and
 *   `outputs` (n, h, w, c) images or (n, time, features) windows; `ids` what a pick reports
 */

export class ReconstructionGrid {
  /**
   * @param {HTMLElement} container
   * @param {{onPick: (id: number) => void, size?: number, plotWidth?: number}} options `size`: an
   *   image's side (CSS pixels); `plotWidth`: a window's plot width
   */
  constructor(container, options) {
    this.container = container;
    this.options = options;
    this.root = el("div", "recon-grid", container);
    /** @type {HTMLButtonElement[]} */ this.cells = [];
    /** @type {number[]} */ this.ids = [];
    this.kind = "";
  }

  /** @param {Reconstructions | null} d */
  update(d) {
    const n = d ? d.inputs.shape[0] : 0;
    const kind = d && d.inputs.shape.length === 4 ? "images" : "windows";
    if (kind !== this.kind) {
      this.kind = kind;
      this.root.className = `recon-grid recon-${kind}`;
      while (this.cells.length) this.cells.pop()?.remove();
    }
    while (this.cells.length > n) this.cells.pop()?.remove();
    while (this.cells.length < n) this.cells.push(this.cell(this.cells.length));
    if (!d) { delete this.container.dataset.errors; return; }
    this.ids = d.ids;
    const shape = d.inputs.shape, size = shape.slice(1).reduce((a, b) => a * b, 1);
    this.cells.forEach((cell, k) => {
      const [a, b] = /** @type {HTMLCanvasElement[]} */ ([...cell.querySelectorAll("canvas")]);
      if (kind === "images") {
        const [, h, w, c] = shape;
        drawImage(a, d.inputs.values, k * size, h, w, c);
        drawImage(b, d.outputs.values, k * size, h, w, c);
      } else {
        this.plot(a, d, k, size);
      }
      const label = d.labels[k], name = d.classNames[label] ?? String(label);
      const caption = /** @type {HTMLElement} */ (cell.lastChild);
      caption.textContent = `${name} · ${errorText(d.errors[k])}`;
      const anomalous = Boolean(d.anomalous?.[k]);
      cell.classList.toggle("anomalous", anomalous);
      cell.title = `sample ${d.ids[k]}: ${name}${anomalous ? " (an anomaly: a class it did not train on)" : ""}`
        + `, mean squared reconstruction error ${errorText(d.errors[k])}; `
        + (kind === "images" ? "left the input, right what came back" : "dark the window, blue what came back")
        + " (click to look at it in the network)";
      cell.dataset.sample = String(d.ids[k]);
    });
    this.select(d.selected ?? null);
    this.container.dataset.errors = d.errors.map((e) => e.toPrecision(5)).join(",");
  }

  /** @param {number} k */
  cell(k) {
    const cell = /** @type {HTMLButtonElement} */ (el("button", "recon-cell", this.root));
    cell.type = "button";
    const pair = el("span", "recon-pair", cell);
    el("canvas", this.kind === "images" ? "pixels" : "recon-plot", pair);
    if (this.kind === "images") el("canvas", "pixels", pair);
    el("span", "recon-caption", cell);
    cell.addEventListener("click", () => this.options.onPick(this.ids[k]));
    if (this.kind === "images") {
      for (const c of cell.querySelectorAll("canvas")) {
        /** @type {HTMLElement} */ (c).style.width = /** @type {HTMLElement} */ (c).style.height = `${this.options.size ?? 28}px`;
      }
    }
    return cell;
  }

  /** A window and its reconstruction on one plot. @param {HTMLCanvasElement} canvas @param {Reconstructions} d @param {number} k @param {number} size */
  plot(canvas, d, k, size) {
    const [, time, features] = d.inputs.shape;
    const w = this.options.plotWidth ?? 200, h = 40;
    const ctx = fitCanvas(canvas, w, h);
    const lines = [
      { values: d.inputs.values, offset: k * size, length: time, stride: features, color: INPUT, width: 1.2 },
      { values: d.outputs.values, offset: k * size, length: time, stride: features, color: OUTPUT, width: 1.6 }];
    sketchLines(ctx, w, h, lines, linesRange(lines));
  }

  /** Mark the cell of `id` as chosen. @param {number | null} id */
  select(id) {
    this.cells.forEach((cell, k) => cell.classList.toggle("chosen", this.ids[k] === id));
  }
}

/** @param {number} e */
export function errorText(e) {
  if (!Number.isFinite(e)) return "–";
  return e >= 0.01 ? e.toFixed(3) : e.toExponential(1);
}
