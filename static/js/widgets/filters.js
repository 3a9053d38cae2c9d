// @ts-check
/**
 * A convolution's kernels W (kh, kw, in_channels, filters) as one atlas: a column per
 * filter, a kh×kw tile per input channel (the first few) down it, on the diverging
 * scale by the layer's largest |w|.
 */
import { divergingRgbOfStep, divergingStep } from "../colors.js";
import { el } from "../frame.js";
import { drawAtlas, maxAbs } from "./paint.js";

const MAX_INPUTS = 8;
const TILE_PX = 20;

export class FiltersView {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.root = el("div", "filters", container);
    this.root.dataset.testid = "filters";
    this.caption = el("div", "filters-caption fine", this.root);
    this.canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "pixels", this.root));
  }

  /** @param {{W: import("../grids.js").NdArray, b: number[], width?: number} | null} d `width`: the room there is, in CSS px */
  update(d) {
    this.root.hidden = !d;
    if (!d) return;
    const width = d.width;
    const [kh, kw, cin, cout] = d.W.shape;
    const values = d.W.values;
    const shown = Math.min(cin, MAX_INPUTS);
    const scaleBy = 1 / maxAbs(values);
    const a = drawAtlas(this.canvas, cout * shown, cout, kh, kw, (rgba, width, x0, y0, k) => {
      const o = k % cout, i = Math.floor(k / cout);
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          const [r, g, b] = divergingRgbOfStep(divergingStep(values[((y * kw + x) * cin + i) * cout + o] * scaleBy));
          const p = ((y0 + y) * width + x0 + x) * 4;
          rgba[p] = r; rgba[p + 1] = g; rgba[p + 2] = b; rgba[p + 3] = 255;
        }
      }
    });
    const room = Math.floor((width || 320) / a.width);
    const scale = Math.max(1, Math.min(Math.round(TILE_PX / Math.max(kh, kw)), room));
    const w = `${a.width * scale}px`;
    if (this.canvas.style.width !== w) { this.canvas.style.width = w; this.canvas.style.height = `${a.height * scale}px`; }
    const text = `${cout} filters of ${kh}×${kw}×${cin}${cin > shown ? ` (first ${shown} input channels shown)` : ""} · max |w| ${maxAbs(values).toPrecision(2)}`;
    if (this.caption.textContent !== text) this.caption.textContent = text;
    this.canvas.title = "Each column is one filter; each tile down it its kernel over one input channel (orange negative, blue positive)";
  }
}
