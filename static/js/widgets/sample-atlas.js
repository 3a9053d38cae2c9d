// @ts-check
/**
 * Generated images as one atlas: `cols` to a row, a pixel between them, one canvas
 * pixel an image pixel, scaled up by CSS (pixelated). Under the mouse, the image's
 * number and the discriminator's verdict on it. For the GAN's fixed-noise grid and its
 * walk between two noise vectors.
 */
import { el } from "../frame.js";
import { drawAtlas, paintImage } from "./paint.js";

/**
 * @typedef {{images: import("../grids.js").NdArray, cols: number, verdicts?: number[],
 *   names?: string[]}} AtlasData `images` (n, h, w, c) in [0, 1]; `verdicts` D(x) of each;
 *   `names` what each is called under the mouse
 */

export class SampleAtlas {
  /**
   * @param {HTMLElement} container
   * @param {{scale: number, title: string}} options `scale`: CSS pixels an image pixel
   */
  constructor(container, options) {
    this.options = options;
    this.canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "pixels gan-atlas", container));
    this.canvas.title = options.title;
    /** @type {AtlasData | null} */ this.data = null;
    this.layout = { cols: 1, rows: 0, h: 0, w: 0 };
    this.canvas.addEventListener("mousemove", (e) => this.hover(e));
  }

  /** @param {AtlasData | null} d */
  update(d) {
    this.data = d;
    this.canvas.hidden = !d;
    if (!d) return;
    const [n, h, w, c] = d.images.shape;
    const size = h * w * c, values = d.images.values;
    const box = drawAtlas(this.canvas, n, d.cols, h, w, (rgba, width, x0, y0, k) => {
      paintImage(rgba, width, values, k * size, h, w, c, x0, y0);
    });
    this.layout = { cols: box.cols, rows: box.rows, h, w };
    const scale = this.options.scale;
    this.canvas.style.width = `${box.width * scale}px`;
    this.canvas.style.height = `${box.height * scale}px`;
    this.canvas.dataset.count = String(n);
  }

  /** The image under the mouse, in the canvas's title. @param {MouseEvent} e */
  hover(e) {
    const d = this.data;
    if (!d) return;
    const r = this.canvas.getBoundingClientRect(), { cols, h, w } = this.layout;
    const px = ((e.clientX - r.left) / r.width) * this.canvas.width, py = ((e.clientY - r.top) / r.height) * this.canvas.height;
    const k = Math.floor(py / (h + 1)) * cols + Math.floor(px / (w + 1));
    const verdict = d.verdicts?.[k];
    const name = d.names?.[k] ?? `sample ${k + 1}`;
    this.canvas.title = k >= 0 && k < d.images.shape[0]
      ? `${name}${verdict === undefined ? "" : `: D(x) = ${verdict.toFixed(2)} (1: looks real to the discriminator)`}`
      : this.options.title;
  }
}
