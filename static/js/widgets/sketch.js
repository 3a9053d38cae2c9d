// @ts-check
/**
 * Small line plots without axes, for series windows: a window and its reconstruction
 * drawn over each other, or a decoded window. Pure functions: the caller owns the
 * canvas and sizes it (frame.js's fitCanvas).
 */

/**
 * @typedef {{values: ArrayLike<number>, offset: number, length: number, stride?: number,
 *   color: string, width: number}} Line `length` values from `offset`, `stride` apart
 *   (a window's first feature of (time, features): stride = features)
 */

/**
 * The lowest and highest finite value of the lines (a tenth of the spread added each
 * side; [-1, 1] when there is none). @param {Line[]} lines @returns {[number, number]}
 */
export function linesRange(lines) {
  let lo = Infinity, hi = -Infinity;
  for (const l of lines) {
    for (let i = 0; i < l.length; i++) {
      const v = l.values[l.offset + i * (l.stride ?? 1)];
      if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
    }
  }
  if (!(hi >= lo)) return [-1, 1];
  const pad = (hi - lo || 1) * 0.1;
  return [lo - pad, hi + pad];
}

/**
 * Draw lines over a w × h box (CSS pixels) of a context, on a shared vertical range.
 * @param {CanvasRenderingContext2D} ctx @param {number} w @param {number} h
 * @param {Line[]} lines @param {[number, number]} [range] default: the lines' own
 */
export function sketchLines(ctx, w, h, lines, range = linesRange(lines)) {
  const [lo, hi] = range;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, h);
  if (lo < 0 && hi > 0) {  // the zero line, faint
    const y0 = Math.round(h - ((0 - lo) / (hi - lo)) * h) + 0.5;
    ctx.strokeStyle = "#eceff1";
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(0, y0); ctx.lineTo(w, y0); ctx.stroke();
  }
  for (const l of lines) {
    ctx.strokeStyle = l.color;
    ctx.lineWidth = l.width;
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < l.length; i++) {
      const v = l.values[l.offset + i * (l.stride ?? 1)];
      if (!Number.isFinite(v)) { pen = false; continue; }
      const x = l.length > 1 ? (i / (l.length - 1)) * w : w / 2, y = h - ((v - lo) / (hi - lo)) * h;
      if (pen) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.stroke();
  }
}
