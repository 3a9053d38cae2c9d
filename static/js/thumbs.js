// @ts-check
/**
 * The dataset picker: one thumbnail per dataset of the current problem type, each
 * drawn from points the server generated (see datasource.js), as TF Playground shows
 * them. Clicking one selects it.
 */
import { classColor, divergingCss } from "./colors.js";
import { el, fitCanvas } from "./frame.js";

const SIZE = 56;

/**
 * @typedef {{x: number[], y: number[], label: number[], regression: boolean,
 *   text?: string, images?: number[][][][]}} Sample `text`: a word drawn in the middle
 *   (for data without points); `images`: four (h, w, c) images drawn as a 2×2 mosaic
 */

export class DatasetPicker {
  /** @param {HTMLElement} container @param {{onSelect: (name: string) => void}} options */
  constructor(container, options) {
    this.container = container;
    this.onSelect = options.onSelect;
    this.key = "";
    /** @type {Map<string, HTMLElement>} */ this.buttons = new Map();
    /** @type {Map<string, Sample>} the sample each thumbnail shows */ this.drawn = new Map();
  }

  /**
   * @param {{datasets: {name: string, title: string, description: string}[], selected: string,
   *   samples: Map<string, Sample>}} data
   */
  update(data) {
    const key = data.datasets.map((d) => d.name).join(",");
    if (key !== this.key) {
      this.key = key;
      this.container.replaceChildren();
      this.buttons.clear();
      this.drawn.clear();
      for (const d of data.datasets) {
        const button = el("button", "thumb", this.container);
        button.setAttribute("type", "button");
        button.setAttribute("role", "radio");
        button.dataset.dataset = d.name;
        button.title = `${d.title}: ${d.description}`;
        button.setAttribute("aria-label", d.title);
        el("canvas", "thumb-canvas", button);
        el("span", "thumb-name", button).textContent = d.title;
        button.addEventListener("click", () => this.onSelect(d.name));
        this.buttons.set(d.name, button);
      }
    }
    for (const [name, button] of this.buttons) {
      const on = name === data.selected;
      button.classList.toggle("selected", on);
      button.setAttribute("aria-checked", String(on));
      const sample = data.samples.get(name);
      if (sample && this.drawn.get(name) !== sample) {
        this.drawn.set(name, sample);
        draw(/** @type {HTMLCanvasElement} */ (button.querySelector("canvas")), sample);
      }
    }
  }
}

/** @param {HTMLCanvasElement} canvas @param {Sample} s */
function draw(canvas, s) {
  const ctx = fitCanvas(canvas, SIZE, SIZE);
  ctx.fillStyle = "#f4f5f6";
  ctx.fillRect(0, 0, SIZE, SIZE);
  if (s.images) {
    drawMosaic(ctx, s.images);
    return;
  }
  const lo = -6, hi = 6, scale = SIZE / (hi - lo);
  for (let i = 0; i < s.x.length; i++) {
    ctx.fillStyle = s.regression ? divergingCss(s.label[i]) : classColor(s.label[i]);
    ctx.fillRect((s.x[i] - lo) * scale - 1, (hi - s.y[i]) * scale - 1, 2, 2);
  }
  if (s.text) {
    ctx.fillStyle = "#555";
    ctx.font = "600 13px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillText(s.text, SIZE / 2, SIZE / 2 + 5);
  }
}

/**
 * Four grey (or colour) images in a 2×2 mosaic, pixels as blocks.
 * @param {CanvasRenderingContext2D} ctx @param {number[][][][]} images (h, w, c) each, in [0, 1]
 */
function drawMosaic(ctx, images) {
  const half = SIZE / 2;
  images.slice(0, 4).forEach((img, k) => {
    const h = img.length, w = img[0].length, px = half / Math.max(h, w);
    const x0 = (k % 2) * half, y0 = Math.floor(k / 2) * half;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const c = img[i][j];
        const [r, g, b] = c.length >= 3 ? c : [c[0], c[0], c[0]];
        ctx.fillStyle = `rgb(${Math.round(r * 255)},${Math.round(g * 255)},${Math.round(b * 255)})`;
        ctx.fillRect(x0 + j * px, y0 + i * px, px + 0.5, px + 0.5);
      }
    }
  });
}
