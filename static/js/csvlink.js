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
 *   packed: string}} OwnCsv `packed` is `csv` as the link carries it ("" if it does not)
 */

/** @returns {OwnCsv} */
export function noCsv() {
  return { csv: null, file: "", columns: [], target: "", rows: 0, packed: "" };
}

/**
 * The page's view of a CSV text; `target` defaults to the last column.
 * @param {string} text @param {string} file @param {string} [target] @returns {OwnCsv}
 */
export function csvInfo(text, file, target) {
  const columns = (text.replace(/^\ufeff/, "").split(/\r?\n/, 1)[0] ?? "").split(",")
    .map((c) => c.trim().replace(/^"|"$/g, ""));
  return { csv: text, file, columns,
    target: target && columns.includes(target) ? target : columns[columns.length - 1] ?? "",
    rows: text.split(/\r?\n/).filter((l) => l.trim()).length - 1, packed: "" };
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
