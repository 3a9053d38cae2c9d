// @ts-check
/**
 * Reading a session's data points from its export archive (GET .../export: a zip
 * holding arrays.npz), so that the page draws exactly the points the server trains on
 * and never regenerates a dataset itself. Small readers for zip (stored or deflated,
 * via the browser's DecompressionStream) and .npy (little-endian numbers, C order).
 */

/** @typedef {{shape: number[], data: Float64Array}} NdArray */

/**
 * @param {ArrayBuffer} buffer a zip file
 * @returns {Map<string, {method: number, offset: number, size: number}>}
 */
function zipEntries(buffer) {
  const view = new DataView(buffer);
  let eocd = buffer.byteLength - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error("not a zip archive");
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const names = new TextDecoder();
  const entries = new Map();
  for (let k = 0; k < count; k++) {
    if (view.getUint32(p, true) !== 0x02014b50) throw new Error("bad zip directory");
    const method = view.getUint16(p + 10, true);
    const size = view.getUint32(p + 20, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    const name = names.decode(new Uint8Array(buffer, p + 46, nameLen));
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    entries.set(name, { method, offset: dataStart, size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** @param {ArrayBuffer} buffer @param {string} name @returns {Promise<ArrayBuffer>} */
async function zipRead(buffer, name) {
  const entry = zipEntries(buffer).get(name);
  if (!entry) throw new Error(`${name} is missing from the archive`);
  const raw = buffer.slice(entry.offset, entry.offset + entry.size);
  if (entry.method === 0) return raw;
  const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Response(stream).arrayBuffer();
}

/** @param {ArrayBuffer} buffer one .npy file @returns {NdArray} */
function parseNpy(buffer) {
  const view = new DataView(buffer);
  const major = view.getUint8(6);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(new Uint8Array(buffer, start, headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1] ?? "";
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? "")
    .split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  const body = buffer.slice(start + headerLen);
  const count = shape.reduce((a, b) => a * b, 1);
  /** @type {Record<string, (b: ArrayBuffer) => ArrayLike<number>>} */
  const readers = {
    "<f8": (b) => new Float64Array(b, 0, count),
    "<f4": (b) => new Float32Array(b, 0, count),
    "<i8": (b) => Array.from(new BigInt64Array(b, 0, count), Number),
    "<i4": (b) => new Int32Array(b, 0, count),
  };
  const read = readers[descr];
  if (!read) throw new Error(`unsupported array type ${descr}`);
  return { shape, data: Float64Array.from(read(body)) };
}

/**
 * The session's points and labels, train and test.
 * @param {ArrayBuffer} archive
 * @returns {Promise<Record<string, NdArray>>} keys points_train, labels_train, points_test, labels_test
 */
export async function readSessionData(archive) {
  const npz = await zipRead(archive, "arrays.npz");
  /** @type {Record<string, NdArray>} */
  const out = {};
  for (const key of ["points_train", "labels_train", "points_test", "labels_test"]) {
    out[key] = parseNpy(await zipRead(npz, `data.${key}.npy`));
  }
  return out;
}

/**
 * Column `c` of a 2-D array.
 * @param {NdArray} a @param {number} c
 */
export function column(a, c) {
  const [n, m] = a.shape;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a.data[i * m + c];
  return out;
}
