// @ts-check
/**
 * Snapshot grids arrive as base64 float32 bytes (the server encodes and the browser
 * parses them a hundred times faster than lists of numbers); this turns one back into
 * the nested arrays [rows][columns][units] that the rest of the page draws from.
 */

/**
 * @param {any} grid `{dtype: "float32", shape: number[], data: string}` or nested arrays
 * @returns {any} nested arrays (non-finite values as null, as the JSON form has them)
 */
export function decodeGrid(grid) {
  if (!grid || typeof grid.data !== "string") return grid;
  const text = atob(grid.data);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const values = new Float32Array(bytes.buffer);
  const [rows, cols, units] = grid.shape;
  const out = new Array(rows);
  let k = 0;
  for (let i = 0; i < rows; i++) {
    const row = new Array(cols);
    for (let j = 0; j < cols; j++) {
      const cell = new Array(units);
      for (let u = 0; u < units; u++) {
        const v = values[k++];
        cell[u] = Number.isFinite(v) ? v : null;
      }
      row[j] = cell;
    }
    out[i] = row;
  }
  return out;
}

/** Decode a snapshot frame's grids in place. @param {any} frame */
export function decodeSnapshot(frame) {
  const b = frame.boundary;
  if (!b) return frame;
  b.output = decodeGrid(b.output);
  if (b.layers) b.layers = b.layers.map(decodeGrid);
  return frame;
}
