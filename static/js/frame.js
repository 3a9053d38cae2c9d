// @ts-check
/**
 * One redraw per animation frame, however many updates arrive in between (as uPlot
 * coalesces its changes). Each widget owns one scheduler.
 */
export class FrameScheduler {
  /** @param {() => void} draw */
  constructor(draw) {
    this.draw = draw;
    this.pending = false;
  }

  request() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }
}

/**
 * Size a canvas's backing store to its CSS box times devicePixelRatio; returns the
 * context scaled so that drawing uses CSS pixels.
 * @param {HTMLCanvasElement} canvas @param {number} width @param {number} height
 */
export function fitCanvas(canvas, width, height) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * dpr));
  const h = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** @param {string} tag @param {string} [className] @param {HTMLElement} [parent] */
export function el(tag, className, parent) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (parent) parent.appendChild(node);
  return node;
}
