// @ts-check
/**
 * An uploaded CSV file as the page keeps it: its text, header and row count, and the
 * same text packed into the URL hash (deflate, then base64url) so that a link
 * reproduces a set-up trained on a file too. A file whose packed form is longer than
 * LINK_LIMIT stays out of the link; "Save to file" keeps it instead.
 */

/** Characters of packed CSV a link may carry (about 150 kB of typical numeric CSV). */
export const LINK_LIMIT = 60_000;

/** Bytes a packed link may unpack to. */
const MAX_UNPACKED = 4_000_000;

/**
 * @typedef {{csv: string | null, file: string, columns: string[], target: string, rows: number,
 *   packed: string, classes: number}} OwnCsv `packed` is `csv` as the link carries it ("" if
 *   it does not); `classes`: how many classes the target column names (0: it holds values)
 */

/** Most classes a target column is taken to name; more distinct integers read as values. */
const MAX_CLASSES = 32;

/** @returns {OwnCsv} */
export function noCsv() {
  return { csv: null, file: "", columns: [], target: "", rows: 0, packed: "", classes: 0 };
}

/**
 * The page's view of a CSV text; `target` defaults to the last column.
 * @param {string} text @param {string} file @param {string} [target] @returns {OwnCsv}
 */
export function csvInfo(text, file, target) {
  const columns = (text.replace(/^\ufeff/, "").split(/\r?\n/, 1)[0] ?? "").split(",")
    .map((c) => c.trim().replace(/^"|"$/g, ""));
  const chosen = target && columns.includes(target) ? target : columns[columns.length - 1] ?? "";
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  return { csv: text, file, columns, target: chosen, rows: lines.length - 1, packed: "",
    classes: classCount(lines.slice(1), columns.indexOf(chosen)) };
}

/**
 * How many classes a column names when it holds class indices 0, 1, 2, ... (as the
 * server reads them: the largest index + 1, at least 2); 0 when it holds other values.
 * @param {string[]} rows @param {number} column
 */
function classCount(rows, column) {
  let most = -1;
  for (const row of rows) {
    const v = Number((row.split(",")[column] ?? "").trim().replace(/^"|"$/g, ""));
    if (!Number.isInteger(v) || v < 0 || v >= MAX_CLASSES) return 0;
    most = Math.max(most, v);
  }
  return most < 0 ? 0 : Math.max(2, most + 1);
}

/** The text packed for the URL, or "" when it is longer than LINK_LIMIT. @param {string} text */
export async function packForLink(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  if (bytes.length * 4 / 3 > LINK_LIMIT) return "";
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The text a link carries; throws when the packed form is damaged or unpacks to more
 * than MAX_UNPACKED bytes (a crafted link must not fill the tab's memory).
 * @param {string} packed
 */
export async function unpackFromLink(packed) {
  const binary = atob(packed.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (let size = 0; ;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.length;
    if (size > MAX_UNPACKED) {
      reader.cancel();
      throw new Error(`the CSV in this link unpacks to more than ${MAX_UNPACKED / 1e6} MB`);
    }
    text += decoder.decode(value, { stream: true });
  }
}
