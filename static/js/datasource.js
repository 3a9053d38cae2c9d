// @ts-check
/**
 * Where the page's points come from: the server. A session's own points and labels
 * are read from its export archive; a dataset's thumbnail from a throw-away session
 * (created, exported, deleted) and kept in localStorage, so that each browser asks
 * once per dataset and server version.
 */
import { column, readSessionData } from "./archive.js";

/**
 * @typedef {import("./api.js").Api} Api
 * @typedef {{trainX: Float64Array[], trainY: Float64Array, testX: Float64Array[],
 *   testY: Float64Array, width: number}} SessionPoints columns of raw points, and labels
 */

/** @param {Api} api @param {string} id @returns {Promise<SessionPoints>} */
export async function sessionPoints(api, id) {
  const arrays = await readSessionData(await api.exportArchive(id));
  const width = arrays.points_train.shape[1] ?? arrays.points_test.shape[1];
  const cols = (/** @type {any} */ a) => Array.from({ length: width }, (_, c) => column(a, c));
  return {
    trainX: cols(arrays.points_train), trainY: column(arrays.labels_train, 0),
    testX: cols(arrays.points_test), testY: column(arrays.labels_test, 0), width,
  };
}

/**
 * 300 points of a 2-D dataset, for its thumbnail.
 * @param {Api} api @param {{name: string, kind: string, classes: number | null}} dataset
 * @param {string} version
 * @returns {Promise<import("./thumbs.js").Sample>}
 */
export async function thumbnailSample(api, dataset, version) {
  const key = `nn-playground:thumb:${version}:${dataset.name}`;
  const cached = window.localStorage.getItem(key);
  if (cached) return JSON.parse(cached);
  const regression = dataset.kind === "regression";
  const classes = dataset.classes ?? 2;
  const output = regression ? { units: 1, activation: "linear" }
    : classes > 2 ? { units: classes, activation: "softmax" } : { units: 1, activation: "sigmoid" };
  const session = await api.createSession({
    name: `thumbnail of ${dataset.name} (temporary)`,
    seed: 7,
    data: { dataset: dataset.name, params: { n_samples: 300 }, test_fraction: 0 },
    model: { layers: [{ type: "dense", ...output }] },
    loss: regression ? "mse" : classes > 2 ? "categorical_crossentropy" : "binary_crossentropy",
  });
  try {
    const points = await sessionPoints(api, session.id);
    const round = (/** @type {Float64Array} */ a) => Array.from(a, (v) => Math.round(v * 100) / 100);
    const sample = { x: round(points.trainX[0]), y: round(points.trainX[1]),
      label: round(points.trainY), regression };
    try { window.localStorage.setItem(key, JSON.stringify(sample)); } catch { /* full */ }
    return sample;
  } finally {
    await api.deleteSession(session.id);
  }
}
