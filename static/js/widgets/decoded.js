// @ts-check
/**
 * What the decoder makes of a point of the latent plane: an image, large and
 * pixelated, or a series window as a small plot; under it the point and, for a code
 * wider than the plane, how many numbers the point became. Empty until a point is
 * chosen. The container's data-point says which point is drawn (for tests).
 */
import { el, fitCanvas } from "../frame.js";
import { drawImage } from "./paint.js";
import { sketchLines } from "./sketch.js";

export class DecodedOutput {
  /** @param {HTMLElement} container @param {{size: number}} options */
  constructor(container, options) {
    this.container = container;
    this.size = options.size;
    this.frame = el("div", "decoded-frame empty", container);
    this.frame.style.width = this.frame.style.height = `${this.size}px`;
    this.frame.title = "The decoder's output for the point chosen on the latent plane";
    this.canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "pixels", this.frame));
    this.caption = el("div", "decoded-caption fine", container);
    this.caption.textContent = "Press or drag on the plane to decode a point.";
  }

  /**
   * @param {{output: import("../grids.js").NdArray, point: number[], code: number[]} | null} d
   *   `output` one sample: (h, w, c) or (time, features)
   */
  update(d) {
    this.frame.classList.toggle("empty", !d);
    if (!d) {
      delete this.container.dataset.point;
      this.caption.textContent = "Press or drag on the plane to decode a point.";
      return;
    }
    const shape = d.output.shape;
    const plotHeight = Math.round(this.size * 0.6);
    this.frame.style.height = `${shape.length === 3 ? this.size : plotHeight}px`;
    if (shape.length === 3) {
      this.canvas.className = "pixels";
      this.canvas.style.width = this.canvas.style.height = "100%";
      drawImage(this.canvas, d.output.values, 0, shape[0], shape[1], shape[2]);
    } else {
      this.canvas.className = "decoded-plot";
      const ctx = fitCanvas(this.canvas, this.size, plotHeight);
      sketchLines(ctx, this.size, plotHeight,
        [{ values: d.output.values, offset: 0, length: shape[0], stride: shape[1] ?? 1, color: "rgba(8, 119, 189, 0.9)", width: 1.6 }]);
    }
    const at = `(${d.point.map((v) => v.toFixed(2)).join(", ")})`;
    this.caption.textContent = d.code.length > 2
      ? `decoded from ${at}: the point becomes a code of ${d.code.length} numbers through the two principal components`
      : `decoded from the code ${at}`;
    this.container.dataset.point = d.point.map((v) => v.toFixed(4)).join(",");
  }
}
