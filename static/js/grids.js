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

/**
 * @typedef {{shape: number[], values: Float32Array}} NdArray an array of any rank,
 *   flat in row-major (C) order
 */

/**
 * A view's array: an envelope `{dtype, shape, data}` (little-endian base64; float32,
 * float64 or uint8, the last scaled to [0, 1] as the engine reads uint8 pixels) or
 * nested lists. @param {any} array @returns {NdArray}
 */
export function decodeArray(array) {
  if (array && typeof array.data === "string") {
    const text = atob(array.data);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    const shape = /** @type {number[]} */ (array.shape);
    if (array.dtype === "uint8") return { shape, values: Float32Array.from(bytes, (v) => v / 255) };
    if (array.dtype === "float64") return { shape, values: Float32Array.from(new Float64Array(bytes.buffer)) };
    return { shape, values: new Float32Array(bytes.buffer) };
  }
  const shape = [];
  for (let a = array; Array.isArray(a); a = a[0]) shape.push(a.length);
  const flat = shape.length > 1 ? array.flat(shape.length - 1) : array;
  return { shape, values: Float32Array.from(flat, (v) => (v === null ? NaN : v)) };
}
