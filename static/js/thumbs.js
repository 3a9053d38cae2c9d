// @ts-check
/**
 * The dataset picker: one thumbnail per dataset, under its group's heading (points of
 * the current problem type, images, text, series, the user's own), each drawn from what
 * the server generated (see datasource.js): points as TF Playground shows them, images
 * as a mosaic, a text's first lines in monospace, a series as a sparkline. Clicking one
 * selects it.
 */
import { classColor, divergingCss } from "./colors.js";
import { el, fitCanvas } from "./frame.js";

const SIZE = 56;

/**
 * @typedef {{x: number[], y: number[], label: number[], regression: boolean,
 *   text?: string, images?: number[][][][], lines?: string[], series?: number[],
 *   view?: [number, number] | null}} Sample
 *   `text`: a word drawn in the middle (for data without points); `images`: four (h, w,
 *   c) images drawn as a 2×2 mosaic; `lines`: a text's first lines; `series`: its values;
 *   `view`: the span of both axes the points are drawn over (default TF Playground's, ±6)
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
   * @param {{datasets: {name: string, title: string, description: string, group?: string}[], selected: string,
   *   samples: Map<string, Sample>}} data `group`: the heading a thumbnail goes under
   */
  update(data) {
    const key = data.datasets.map((d) => `${d.group ?? ""}:${d.name}`).join(",");
    if (key !== this.key) {
      this.key = key;
      this.container.replaceChildren();
      this.buttons.clear();
      this.drawn.clear();
      let group = "";
      for (const d of data.datasets) {
        if (d.group && d.group !== group) el("p", "thumb-group", this.container).textContent = d.group;
        group = d.group ?? group;
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
  if (s.lines) {
    drawLines(ctx, s.lines);
    return;
  }
  if (s.series) {
    drawSparkline(ctx, s.series);
    return;
  }
  const [lo, hi] = s.view ?? [-6, 6], scale = SIZE / (hi - lo);
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

/** Rows of monospace text a thumbnail holds, and characters a row. */
const ROWS = 7, COLUMNS = 14;

/**
 * A text's first lines in small monospace, as much of each as fits; a text of few
 * lines (one long run of a's and b's) wrapped instead.
 * @param {CanvasRenderingContext2D} ctx @param {string[]} lines
 */
function drawLines(ctx, lines) {
  ctx.fillStyle = "#333";
  ctx.font = "7px ui-monospace, Menlo, monospace";
  ctx.textBaseline = "top";
  let rows = lines.filter((l) => l.trim()).map((l) => l.replace(/\t/g, "  "));
  if (rows.length < ROWS) rows = rows.flatMap((l) => l.match(new RegExp(`.{1,${COLUMNS}}`, "g")) ?? []);
  rows.slice(0, ROWS).forEach((row, k) => ctx.fillText(row.slice(0, COLUMNS), 3, 3 + k * 7.4));
}

/**
 * A series as a line through the thumbnail, its range filling the height.
 * @param {CanvasRenderingContext2D} ctx @param {number[]} values
 */
function drawSparkline(ctx, values) {
  const shown = values.slice(0, 240);
  let lo = Infinity, hi = -Infinity;
  for (const v of shown) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const span = hi - lo || 1, pad = 6;
  ctx.strokeStyle = "#0877bd";
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  shown.forEach((v, i) => {
    const x = pad / 2 + (i / Math.max(1, shown.length - 1)) * (SIZE - pad);
    const y = SIZE - pad - ((v - lo) / span) * (SIZE - 2 * pad);
    if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
  });
  ctx.stroke();
}
