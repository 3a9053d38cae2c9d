// @ts-check
/**
 * The image the network is looked at with (a sample, or the user's drawing), large,
 * with a caption (its label and what the network predicts) and, when a feature-map
 * pixel is chosen, the box of input pixels that pixel sees.
 */
import { el } from "../frame.js";
import { drawImage } from "./paint.js";

export class ChosenImage {
  /** @param {HTMLElement} container @param {{size?: number}} [options] */
  constructor(container, options = {}) {
    this.size = options.size ?? 150;
    this.frame = el("div", "chosen-frame empty", container);
    this.frame.style.width = this.frame.style.height = `${this.size}px`;
    this.frame.title = "The image the network is looked at with: a sample you chose, or your drawing";
    this.canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "pixels", this.frame));
    this.box = el("div", "rf-box", this.frame);
    this.box.dataset.testid = "rf-box";
    this.box.hidden = true;
    this.caption = el("div", "chosen-caption", container);
    this.caption.dataset.testid = "chosen-caption";
    /** @type {[number, number]} */ this.hw = [1, 1];
  }

  /**
   * @param {{image: import("../grids.js").NdArray, caption: string} | null} d `image` (h, w, c)
   */
  update(d) {
    this.frame.classList.toggle("empty", !d);
    if (!d) { this.caption.textContent = ""; this.showBox(null); return; }
    const [h, w, c] = d.image.shape;
    this.hw = [h, w];
    drawImage(this.canvas, d.image.values, 0, h, w, c);
    this.caption.textContent = d.caption;
  }

  /** Outline input pixels top..bottom × left..right (inclusive), or none. @param {{top: number, left: number, bottom: number, right: number} | null} b */
  showBox(b) {
    this.box.hidden = !b;
    if (!b) return;
    const [h, w] = this.hw, sy = this.size / h, sx = this.size / w;
    this.box.style.left = `${b.left * sx}px`;
    this.box.style.top = `${b.top * sy}px`;
    this.box.style.width = `${(b.right - b.left + 1) * sx}px`;
    this.box.style.height = `${(b.bottom - b.top + 1) * sy}px`;
  }
}
