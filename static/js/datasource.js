// @ts-check
/**
 * Where the page's points come from: the server, never a re-implementation of its
 * generators. A session's own points and targets come from GET /api/sessions/{id}/data,
 * a dataset's thumbnail from GET /api/datasets/{name}/sample (no session needed): 300
 * points, four images, a text's first lines or a series' values.
 */

/**
 * @typedef {import("./api.js").Api} Api
 * @typedef {{trainX: Float64Array[], trainY: Float64Array, testX: Float64Array[],
 *   testY: Float64Array, width: number, task: string, classes: number | null,
 *   view: [number, number] | null}} SessionPoints columns of raw points, and targets
 */

/**
 * Rows [[x1, x2, ...], ...] as columns, and the first target column.
 * @param {number[][]} points @param {(number|null)[][]} labels @param {number} width
 */
function columns(points, labels, width) {
  const cols = Array.from({ length: width }, (_, c) => Float64Array.from(points, (row) => row[c]));
  return { cols, targets: Float64Array.from(labels, (row) => row[0] ?? NaN) };
}

/** @param {Api} api @param {string} id @returns {Promise<SessionPoints>} */
export async function sessionPoints(api, id) {
  const d = await api.sessionData(id);
  const width = (d.train.points[0] ?? d.test.points[0] ?? []).length;
  const train = columns(d.train.points, d.train.labels, width);
  const test = columns(d.test.points, d.test.labels, width);
  return { trainX: train.cols, trainY: train.targets, testX: test.cols, testY: test.targets,
    width, task: d.task, classes: d.n_classes, view: d.view };
}

/**
 * What a dataset's thumbnail draws.
 * @param {Api} api @param {{name: string, kind: string}} dataset
 * @param {{classes?: number}} [params]
 * @returns {Promise<import("./thumbs.js").Sample>}
 */
export async function thumbnailSample(api, dataset, params = {}) {
  const modality = /** @type {any} */ (dataset).modality;
  if (modality === "text" || modality === "sequence") {  // a text's first characters, a series' values
    const s = await api.sample(dataset.name, { seed: 7 });
    return { x: [], y: [], label: [], regression: false, lines: s.text?.split("\n"), series: s.values };
  }
  if (modality === "image") {
    const least = /** @type {any} */ (dataset).params?.n_samples?.low ?? 4;
    const s = await api.sample(dataset.name, { n_samples: Math.max(4, least), seed: 7 });
    return { x: [], y: [], label: [], regression: false, images: s.points.slice(0, 4) };
  }
  const s = await api.sample(dataset.name, { n_samples: 300, seed: 7, ...params });
  return { x: s.points.map((/** @type {number[]} */ p) => p[0]), y: s.points.map((/** @type {number[]} */ p) => p[1]),
    label: s.labels.map((/** @type {number[]} */ l) => l[0]), regression: s.kind === "regression",
    view: /** @type {any} */ (dataset).view ?? null };
}
