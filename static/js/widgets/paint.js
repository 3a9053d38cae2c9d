// @ts-check
/**
 * Arrays to pixels for the image widgets. Pure functions: images are painted as the
 * model sees them (0 black, 1 white; three channels as RGB), feature maps and kernels
 * on the page's diverging scale (orange negative, blue positive), scaled by the
 * largest |value| given. Canvases are as small as the data (one pixel a value) and
 * scaled up by CSS with `image-rendering: pixelated`.
 */
import { divergingRgbOfStep, divergingStep } from "../colors.js";

/**
 * Paint image `k` of an (n, h, w, c) array (or the (h, w, c) array itself, k = 0) onto
 * `rgba` at (x0, y0) of a canvas `width` pixels wide.
 * @param {Uint8ClampedArray} rgba @param {number} width
 * @param {Float32Array} values @param {number} offset where the image starts in `values`
 * @param {number} h @param {number} w @param {number} c
 * @param {number} x0 @param {number} y0
 */
export function paintImage(rgba, width, values, offset, h, w, c, x0 = 0, y0 = 0) {
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const at = offset + (i * w + j) * c;
      const o = ((y0 + i) * width + x0 + j) * 4;
      const r = values[at], g = c >= 3 ? values[at + 1] : r, b = c >= 3 ? values[at + 2] : r;
      rgba[o] = r * 255; rgba[o + 1] = g * 255; rgba[o + 2] = b * 255; rgba[o + 3] = 255;
    }
  }
}

/**
 * One canvas holding one image, as small as the image.
 * @param {HTMLCanvasElement} canvas @param {Float32Array} values @param {number} offset
 * @param {number} h @param {number} w @param {number} c
 */
export function drawImage(canvas, values, offset, h, w, c) {
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  const img = ctx.createImageData(w, h);
  paintImage(img.data, w, values, offset, h, w, c);
  ctx.putImageData(img, 0, 0);
}

/**
 * Paint channel `ch` of an (h, w, channels) map at (x0, y0), value v coloured as
 * v·scale on the diverging scale.
 * @param {Uint8ClampedArray} rgba @param {number} width @param {Float32Array} values
 * @param {number} h @param {number} w @param {number} channels @param {number} ch
 * @param {number} scale @param {number} x0 @param {number} y0
 */
export function paintMap(rgba, width, values, h, w, channels, ch, scale, x0, y0) {
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const [r, g, b] = divergingRgbOfStep(divergingStep(values[(i * w + j) * channels + ch] * scale));
      const o = ((y0 + i) * width + x0 + j) * 4;
      rgba[o] = r; rgba[o + 1] = g; rgba[o + 2] = b; rgba[o + 3] = 255;
    }
  }
}

/**
 * The largest |value| of an array (1 when all are zero or not finite).
 * @param {ArrayLike<number>} values
 */
export function maxAbs(values) {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > m && a !== Infinity) m = a;
  }
  return m > 0 ? m : 1;
}

/**
 * An atlas: `count` tiles of h×w pixels in `cols` columns with a gap of one pixel,
 * each painted by `paint(rgba, width, x0, y0, k)`, drawn onto `canvas`.
 * @param {HTMLCanvasElement} canvas @param {number} count @param {number} cols
 * @param {number} h @param {number} w
 * @param {(rgba: Uint8ClampedArray, width: number, x0: number, y0: number, k: number) => void} paint
 * @returns {{cols: number, rows: number, width: number, height: number}}
 */
export function drawAtlas(canvas, count, cols, h, w, paint) {
  const rows = Math.max(1, Math.ceil(count / cols));
  const width = cols * (w + 1) - 1, height = rows * (h + 1) - 1;
  if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  const img = ctx.createImageData(width, height);
  img.data.fill(255);
  for (let k = 0; k < count; k++) paint(img.data, width, (k % cols) * (w + 1), Math.floor(k / cols) * (h + 1), k);
  ctx.putImageData(img, 0, 0);
  return { cols, rows, width, height };
}
