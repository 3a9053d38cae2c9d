// @ts-check
/**
 * A grid of small images with a caption under each (a label, or "3 → 8 · 92%"), one
 * canvas per image at the image's own size, scaled up by CSS. Clicking one picks it.
 */
import { el } from "../frame.js";
import { drawImage } from "./paint.js";

/**
 * @typedef {{images: import("../grids.js").NdArray, captions: string[], titles?: string[],
 *   ids: number[], selected?: number | null, wrong?: boolean[]}} ImageGridData `images`
 *   (n, h, w, c); `ids` what a pick reports (sample indices); `wrong` marks captions
 */

export class ImageGrid {
  /**
   * @param {HTMLElement} container
   * @param {{onPick: (id: number, k: number) => void, size?: number, testid?: string}} options
   *   `size`: each image's side on the page, in CSS pixels
   */
  constructor(container, options) {
    this.root = el("div", "image-grid", container);
    if (options.testid) this.root.dataset.testid = options.testid;
    this.options = options;
    /** @type {HTMLButtonElement[]} */ this.cells = [];
    /** @type {number[]} */ this.ids = [];
    this.root.style.setProperty("--cell", `${options.size ?? 36}px`);
  }

  /** @param {ImageGridData | null} d */
  update(d) {
    const n = d ? d.images.shape[0] : 0;
    while (this.cells.length > n) this.cells.pop()?.remove();
    while (this.cells.length < n) {
      const k = this.cells.length;
      const cell = /** @type {HTMLButtonElement} */ (el("button", "image-cell", this.root));
      cell.type = "button";
      el("canvas", "pixels", cell);
      el("span", "image-caption", cell);
      cell.addEventListener("click", () => this.options.onPick(this.ids[k], k));
      this.cells.push(cell);
    }
    if (!d) return;
    const [, h, w, c] = d.images.shape;
    this.ids = d.ids;
    this.cells.forEach((cell, k) => {
      drawImage(/** @type {HTMLCanvasElement} */ (cell.firstChild), d.images.values, k * h * w * c, h, w, c);
      const caption = /** @type {HTMLElement} */ (cell.lastChild);
      caption.textContent = d.captions[k] ?? "";
      caption.classList.toggle("wrong", Boolean(d.wrong?.[k]));
      cell.title = d.titles?.[k] ?? `sample ${d.ids[k]}: ${d.captions[k] ?? ""} (click to choose it)`;
      cell.dataset.sample = String(d.ids[k]);
    });
    this.select(d.selected ?? null);
  }

  /** Mark the cell of `id` as chosen. @param {number | null} id */
  select(id) {
    this.cells.forEach((cell, k) => cell.classList.toggle("chosen", this.ids[k] === id));
  }
}
