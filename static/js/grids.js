// @ts-check
/**
 * Snapshot grids arrive as base64 float32 bytes (the server encodes and the browser
 * parses them a hundred times faster than lists of numbers). They stay flat: a
 * Float32Array in [row][column][unit] order that the painters index directly, with
 * non-finite values as NaN. Nested JSON lists (a server asked without base64) are
 * flattened into the same form.
 */

/** @typedef {{rows: number, cols: number, units: number, values: Float32Array}} Grid */

/**
 * @param {any} grid `{dtype: "float32", shape: number[], data: string}` or nested lists
 * @returns {Grid}
 */
export function decodeGrid(grid) {
  if (grid && typeof grid.data === "string") {
    const text = atob(grid.data);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    const [rows, cols, units] = grid.shape;
    return { rows, cols, units, values: new Float32Array(bytes.buffer) };
  }
  const rows = grid.length, cols = grid[0]?.length ?? 0, units = grid[0]?.[0]?.length ?? 0;
  const values = new Float32Array(rows * cols * units);
  let k = 0;
  for (const row of grid) for (const cell of row) for (const v of cell) values[k++] = v ?? NaN;
  return { rows, cols, units, values };
}

/** Decode a snapshot frame's grids in place. @param {any} frame */
export function decodeSnapshot(frame) {
  const b = frame.boundary;
  if (b) {
    b.output = decodeGrid(b.output);
    if (b.layers) b.layers = b.layers.map(decodeGrid);
  }
  if (frame.neurons) frame.neurons.layers = frame.neurons.layers.map(decodeGrid);
  return frame;
}
