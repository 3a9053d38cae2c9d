// @ts-check
/**
 * A canvas to draw on with the mouse, a pen or a finger (pointer events): thick,
 * anti-aliased white strokes on black, at `scale` times the model's input size, read
 * back as grey levels in [0, 1] when a stroke ends (the server averages the drawing
 * down to the input size by blocks, so an 8×8 digit looks like the UCI digits).
 */
import { el } from "../frame.js";

export class DrawCanvas {
  /**
   * @param {HTMLElement} container
   * @param {{onStroke: (image: number[][]) => void, onClear: () => void, size?: number}} options
   *   `size`: the canvas's side on the page, in CSS pixels
   */
  constructor(container, options) {
    this.options = options;
    this.canvas = /** @type {HTMLCanvasElement} */ (el("canvas", "draw-canvas", container));
    this.canvas.dataset.testid = "draw-canvas";
    this.canvas.title = "Draw here with the mouse or a finger; the network classifies it when you lift the pen";
    this.canvas.style.width = this.canvas.style.height = `${options.size ?? 150}px`;
    this.ctx = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext("2d", { willReadFrequently: true }));
    const bar = el("div", "draw-bar", container);
    const clear = el("button", "text-button", bar);
    clear.setAttribute("type", "button");
    clear.textContent = "Clear";
    clear.title = "Wipe the drawing";
    clear.dataset.testid = "draw-clear";
    clear.addEventListener("click", () => { this.clear(); options.onClear(); });
    /** @type {{x: number, y: number} | null} */ this.last = null;
    this.width = 0.16;  // of the side
    this.drawn = false;
    this.resize(8, 8, 8);
    this.canvas.addEventListener("pointerdown", (e) => this.down(e));
    this.canvas.addEventListener("pointermove", (e) => this.move(e));
    this.canvas.addEventListener("pointerup", (e) => this.up(e));
    this.canvas.addEventListener("pointercancel", (e) => this.up(e));
  }

  /**
   * The model's input size: the canvas becomes `scale` times it.
   * @param {number} h @param {number} w @param {number} scale @param {number} [stroke] the pen's width, a fraction of the side
   */
  resize(h, w, scale, stroke = 0.16) {
    this.width = stroke;
    if (this.canvas.width === w * scale && this.canvas.height === h * scale) return;
    this.canvas.width = w * scale;
    this.canvas.height = h * scale;
    this.clear();
  }

  clear() {
    this.ctx.fillStyle = "#000";
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.drawn = false;
  }

  /** @param {PointerEvent} e */
  at(e) {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * this.canvas.width, y: ((e.clientY - r.top) / r.height) * this.canvas.height };
  }

  /** @param {PointerEvent} e */
  down(e) {
    e.preventDefault();
    this.canvas.setPointerCapture?.(e.pointerId);
    this.last = this.at(e);
    this.line(this.last, this.last);
  }

  /** @param {PointerEvent} e */
  move(e) {
    if (!this.last) return;
    const p = this.at(e);
    this.line(this.last, p);
    this.last = p;
  }

  /** @param {PointerEvent} e */
  up(e) {
    if (!this.last) return;
    this.move(e);
    this.last = null;
    this.drawn = true;
    this.options.onStroke(this.read());
  }

  /** @param {{x: number, y: number}} a @param {{x: number, y: number}} b */
  line(a, b) {
    const ctx = this.ctx;
    ctx.strokeStyle = "#fff";
    ctx.lineCap = ctx.lineJoin = "round";
    ctx.lineWidth = this.width * Math.min(this.canvas.width, this.canvas.height);
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x + 0.01, b.y);
    ctx.stroke();
  }

  /** The drawing as rows of grey levels in [0, 1]. @returns {number[][]} */
  read() {
    const { width, height } = this.canvas;
    const data = this.ctx.getImageData(0, 0, width, height).data;
    const rows = new Array(height);
    for (let i = 0; i < height; i++) {
      const row = new Array(width);
      for (let j = 0; j < width; j++) row[j] = Math.round((data[(i * width + j) * 4] / 255) * 1000) / 1000;
      rows[i] = row;
    }
    return rows;
  }
}
