// @ts-check
/**
 * One layer's output for one image, as one atlas canvas: a map (h, w) per channel
 * side by side, or for a vector a strip of cells (one per unit). Values are coloured
 * on the diverging scale by the layer's largest |value| for this image. Clicking a
 * pixel of a map reports (y, x, channel); the chosen pixel is outlined.
 */
import { el } from "../frame.js";
import { drawAtlas, maxAbs, paintMap } from "./paint.js";

/** About this many CSS pixels a map's side, whatever its size in pixels. */
const MAP_PX = 44;
const CELL_PX = 9;
const MAX_STRIP = 32;

/**
 * @typedef {{values: import("../grids.js").NdArray, width: number,
 *   marked?: {y: number, x: number, channel: number} | null}} FeatureMapsData `width`:
 *   the room there is, in CSS pixels
 */

export class FeatureMaps {
  /**
   * @param {HTMLElement} container
   * @param {{onPixel?: (y: number, x: number, channel: number) => void}} options
   */
  constructor(container, options) {
    this.root = el("div", "feature-maps", container);
    this.root.dataset.testid = "feature-maps";
    this.canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "pixels", this.root));
    this.mark = el("div", "map-mark", this.root);
    this.mark.hidden = true;
    this.options = options;
    /** the layout drawn: tiles of h×w in `cols` columns, at `scale` CSS px a pixel */
    this.layout = { h: 0, w: 0, channels: 0, cols: 1, scale: 1, vector: false };
    this.canvas.addEventListener("click", (e) => this.click(e));
  }

  /** @param {FeatureMapsData | null} d */
  update(d) {
    this.root.hidden = !d;
    if (!d) return;
    const { shape, values } = d.values;
    const scaleBy = 1 / maxAbs(values);
    if (shape.length === 3) {
      const [h, w, channels] = shape;
      const scale = Math.max(1, Math.round(MAP_PX / Math.max(h, w)));
      const cols = Math.max(1, Math.min(channels, Math.floor((d.width + scale) / ((w + 1) * scale))));
      const a = drawAtlas(this.canvas, channels, cols, h, w, (rgba, width, x0, y0, k) =>
        paintMap(rgba, width, values, h, w, channels, k, scaleBy, x0, y0));
      this.size(a.width * scale, a.height * scale);
      this.layout = { h, w, channels, cols, scale, vector: false };
      this.canvas.title = `${channels} map${channels === 1 ? "" : "s"} of ${h}×${w}: click a pixel to see what it is computed from`;
      this.canvas.classList.add("clickable");
    } else {
      const units = values.length;
      const cols = Math.min(units, MAX_STRIP, Math.max(1, Math.floor(d.width / CELL_PX)));
      const rows = Math.ceil(units / cols);
      if (this.canvas.width !== cols || this.canvas.height !== rows) { this.canvas.width = cols; this.canvas.height = rows; }
      const ctx = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext("2d"));
      const img = ctx.createImageData(cols, rows);
      img.data.fill(255);
      paintMap(img.data, cols, values, 1, units, 1, 0, scaleBy, 0, 0);  // one row of units wraps onto rows of `cols`
      ctx.putImageData(img, 0, 0);
      this.size(cols * CELL_PX, rows * CELL_PX);
      this.layout = { h: rows, w: cols, channels: 1, cols: 1, scale: CELL_PX, vector: true };
      this.canvas.title = `${units} values`;
      this.canvas.classList.remove("clickable");
    }
    this.showMark(d.marked ?? null);
  }

  /** @param {number} width @param {number} height */
  size(width, height) {
    const w = `${width}px`, h = `${height}px`;
    if (this.canvas.style.width !== w) this.canvas.style.width = w;
    if (this.canvas.style.height !== h) this.canvas.style.height = h;
  }

  /** Outline one pixel of one map. @param {{y: number, x: number, channel: number} | null} p */
  showMark(p) {
    const L = this.layout;
    if (!p || L.vector || p.channel >= L.channels) { this.mark.hidden = true; return; }
    const x0 = (p.channel % L.cols) * (L.w + 1) + p.x, y0 = Math.floor(p.channel / L.cols) * (L.h + 1) + p.y;
    this.mark.hidden = false;
    this.mark.style.left = `${x0 * L.scale - 1}px`;
    this.mark.style.top = `${y0 * L.scale - 1}px`;
    this.mark.style.width = this.mark.style.height = `${L.scale + 2}px`;
  }

  /** @param {MouseEvent} e */
  click(e) {
    const L = this.layout;
    if (L.vector || !this.options.onPixel) return;
    const px = Math.floor(e.offsetX / L.scale), py = Math.floor(e.offsetY / L.scale);
    const col = Math.floor(px / (L.w + 1)), row = Math.floor(py / (L.h + 1));
    const x = px % (L.w + 1), y = py % (L.h + 1);
    const channel = row * L.cols + col;
    if (x >= L.w || y >= L.h || channel >= L.channels) return;  // a gap
    this.options.onPixel(y, x, channel);
  }
}
