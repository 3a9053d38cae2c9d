// @ts-check
/**
 * A heatmap over the plane, as TF Playground draws it: an N×N canvas (one pixel a grid
 * cell) scaled up by CSS, with the data points on a second, devicePixelRatio-sized
 * canvas above it, redrawn only when the points or the view change. Redraws are
 * coalesced to one per animation frame.
 */
import { FrameScheduler, el, fitCanvas } from "./frame.js";

/**
 * @typedef {{x: Float64Array | number[], y: Float64Array | number[],
 *            color: string[], test?: boolean}} PointSet
 * @typedef {{n: number, rgba: Uint8ClampedArray}} GridImage
 */

export class Heatmap {
  /**
   * @param {HTMLElement} container
   * @param {{size: number, axes?: boolean, onHover?: (p: {x: number, y: number} | null) => void,
   *   onClick?: (p: {x: number, y: number}, secondary: boolean) => boolean,
   *   onDraw?: () => void}} options `onClick` gets the point and whether it was a right
   *   or shift click, and returns whether it used the click (then no context menu shows)
   *   `onDraw` is told of each redraw of the grid
   */
  constructor(container, options) {
    this.size = options.size;
    this.axes = options.axes ?? false;
    this.root = el("div", "heatmap", container);
    this.root.style.width = this.root.style.height = `${this.size}px`;
    this.grid = /** @type {HTMLCanvasElement} */ (el("canvas", "heatmap-grid", this.root));
    this.overlay = /** @type {HTMLCanvasElement} */ (el("canvas", "heatmap-points", this.root));
    /** @type {GridImage | null} */ this.image = null;
    /** @type {PointSet[]} */ this.points = [];
    /** @type {number[] | null} */ this.marked = null;
    /** @type {[number, number]} */ this.view = [-6, 6];
    this.frame = new FrameScheduler(() => this.draw());
    this.gridDirty = false;
    /** the points layer changes far less often than the grid under it */
    this.pointsDirty = true;
    this.onDraw = options.onDraw;
    if (options.onClick) {
      const click = options.onClick;
      this.root.addEventListener("click", (e) => {
        if (click(this.toData(e), e.shiftKey)) e.preventDefault();
      });
      this.root.addEventListener("contextmenu", (e) => {
        if (click(this.toData(e), true)) e.preventDefault();
      });
    }
    if (options.onHover) {
      const hover = options.onHover;
      this.root.addEventListener("mousemove", (e) => hover(this.toData(e)));
      this.root.addEventListener("mouseleave", () => hover(null));
    }
  }

  /** @param {MouseEvent} e */
  toData(e) {
    const box = this.root.getBoundingClientRect();
    const [lo, hi] = this.view;
    return {
      x: lo + ((e.clientX - box.left) / box.width) * (hi - lo),
      y: hi - ((e.clientY - box.top) / box.height) * (hi - lo),
    };
  }

  /**
   * @param {{image?: GridImage | null, points?: PointSet[], view?: [number, number],
   *   editing?: boolean, marked?: number[] | null}} data `editing`: clicks add points (a
   *   crosshair cursor); `marked`: a point to ring (the sample the activations panel shows)
   */
  update(data) {
    if (data.editing !== undefined) this.root.classList.toggle("editing", data.editing);
    if (data.image !== undefined) {
      this.image = data.image;
      this.gridDirty = true;
    }
    if (data.points) {
      this.points = data.points;
      this.pointsDirty = true;
    }
    if (data.marked !== undefined && String(data.marked) !== String(this.marked)) {
      this.marked = data.marked;
      this.pointsDirty = true;
    }
    if (data.view && (data.view[0] !== this.view[0] || data.view[1] !== this.view[1])) {
      this.view = data.view;
      this.pointsDirty = true;
    }
    this.frame.request();
  }

  draw() {
    if (this.gridDirty) {
      this.gridDirty = false;
      const img = this.image;
      if (img) {
        if (this.grid.width !== img.n) this.grid.width = this.grid.height = img.n;
        const ctx = /** @type {CanvasRenderingContext2D} */ (this.grid.getContext("2d"));
        ctx.putImageData(new ImageData(/** @type {any} */ (img.rgba), img.n, img.n), 0, 0);
        this.grid.style.visibility = "visible";
        this.onDraw?.();
      } else {
        this.grid.style.visibility = "hidden";
      }
    }
    if (this.pointsDirty) {
      this.pointsDirty = false;
      this.drawPoints();
    }
  }

  drawPoints() {
    const s = this.size;
    const ctx = fitCanvas(this.overlay, s, s);
    ctx.clearRect(0, 0, s, s);
    const [lo, hi] = this.view;
    const scale = s / (hi - lo);
    const radius = s > 200 ? 3 : 1.4;
    for (const set of this.points) {
      ctx.lineWidth = s > 200 ? 1 : 0.5;
      ctx.strokeStyle = set.test ? "#111" : "#fff";
      for (let i = 0; i < set.x.length; i++) {
        const px = (set.x[i] - lo) * scale;
        const py = (hi - set.y[i]) * scale;
        ctx.beginPath();
        ctx.arc(px, py, radius, 0, 2 * Math.PI);
        ctx.fillStyle = set.color[i];
        ctx.fill();
        ctx.stroke();
      }
    }
    if (this.marked) {
      const [x, y] = this.marked;
      ctx.lineWidth = 2;
      ctx.strokeStyle = "#111";
      ctx.beginPath();
      ctx.arc((x - lo) * scale, (hi - y) * scale, radius + 5, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (this.axes) this.drawAxes(ctx, lo, hi, scale);
  }

  /** @param {CanvasRenderingContext2D} ctx @param {number} lo @param {number} hi @param {number} scale */
  drawAxes(ctx, lo, hi, scale) {
    ctx.fillStyle = "rgba(0,0,0,0.55)";
    ctx.font = "10px system-ui, sans-serif";
    const step = niceStep((hi - lo) * 36 / this.size);  // labels at least 36 px apart
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) {
      const p = (v - lo) * scale;
      const label = String(Math.round(v * 100) / 100).replace("-", "\u2212");
      // the last label on each axis would fall off the plane: kept inside its edge
      const width = ctx.measureText(label).width;
      ctx.fillText(label, Math.min(p + 2, this.size - width - 2), this.size - 3);
      if (Math.abs(v - lo) > 1e-9) ctx.fillText(label, 2, Math.max(10, (hi - v) * scale - 2));
    }
  }
}

/** The smallest of 1, 2, 5 times a power of ten that is at least `raw`. @param {number} raw */
function niceStep(raw) {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}
