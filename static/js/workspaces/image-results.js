// @ts-check
/**
 * The images workspace's test results: the confusion matrix (a click on a cell opens
 * its test images), and the misclassified images with their probabilities. Both come
 * from the server's views; a click on any image chooses it for the network column, and
 * the image chosen (the selection's) is marked wherever it is shown.
 */
import { decodeArray } from "../grids.js";
import { ConfusionMatrix } from "../widgets/confusion.js";
import { ImageGrid } from "../widgets/image-grid.js";

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

export class TestResults {
  /**
   * @param {{api: import("../api.js").Api, session: import("../session-state.js").SessionState,
   *   selection: import("../selection.js").Selection, onChoose: (sample: number) => void}} options
   *   `onChoose` gets the index of a test image clicked
   */
  constructor(options) {
    this.api = options.api;
    this.session = options.session;
    this.selection = options.selection;
    this.confusion = new ConfusionMatrix(byId("confusion"), { onCell: (i, j) => this.openCell(i, j) });
    this.cellSamples = new ImageGrid(byId("cell-samples"), { onPick: options.onChoose, size: 26 });
    this.misclassified = new ImageGrid(byId("misclassified"), { onPick: options.onChoose, size: 34 });
  }

  /** Another session (or none): nothing shown until its views arrive. */
  reset() {
    this.confusion.update(null);
    this.misclassified.update(null);
    this.closeCell();
  }

  /** New views from a snapshot. @param {{confusion?: any, misclassified?: any}} views */
  update(views) {
    if (views.confusion) {
      this.confusion.update(views.confusion);
      const acc = views.confusion.accuracy;
      byId("confusion-note").textContent = `test data${acc === null || acc === undefined ? "" : ` · ${(acc * 100).toFixed(1)}% right`}`;
    }
    if (views.misclassified) this.showMisclassified(views.misclassified);
  }

  /** The chosen test image (null: none is). */
  selected() {
    const chosen = this.selection.image;
    return "image" in chosen || chosen.split !== "test" ? null : chosen.sample;
  }

  /** Mark the chosen test image wherever it is shown. */
  select() {
    const sample = this.selected();
    this.cellSamples.select(sample);
    this.misclassified.select(sample);
  }

  /** @param {any} m the misclassified view */
  showMisclassified(m) {
    const names = m.class_names;
    byId("misclassified-note").textContent = m.total ? `${m.total.toLocaleString()} of the test images` : "none";
    if (!m.indices.length) { this.misclassified.update(null); return; }
    const probs = decodeArray(m.probabilities), k = probs.shape[1];
    this.misclassified.update({ images: decodeArray(m.images), ids: m.indices, selected: this.selected(),
      captions: m.indices.map((/** @type {number} */ _, /** @type {number} */ i) => `${names[m.labels[i]]}→${names[m.predicted[i]]}`),
      titles: m.indices.map((/** @type {number} */ idx, /** @type {number} */ i) => `test sample ${idx}: a ${names[m.labels[i]]} taken for a ${names[m.predicted[i]]} `
        + `(${Math.round(probs.values[i * k + m.predicted[i]] * 100)}% sure; ${Math.round(probs.values[i * k + m.labels[i]] * 100)}% for ${names[m.labels[i]]}). Click to choose it.`),
      wrong: m.indices.map(() => true) });
  }

  /** Open a confusion cell: its test samples as a small grid. @param {number} i @param {number} j */
  async openCell(i, j) {
    const c = this.session.views.confusion, id = this.session.id;
    if (!c || !id) return;
    const indices = /** @type {number[]} */ (c.samples[i][j]);
    const box = byId("cell-samples");
    box.hidden = false;
    const names = c.class_names;
    box.dataset.cell = `${i}:${j}`;
    const title = box.querySelector(".cell-title") ?? box.insertBefore(document.createElement("div"), box.firstChild);
    title.className = "cell-title fine";
    title.textContent = indices.length ? `True ${names[i]}, predicted ${names[j]}: ${c.matrix[i][j]} test image${c.matrix[i][j] === 1 ? "" : "s"}${indices.length < c.matrix[i][j] ? ` (first ${indices.length})` : ""}`
      : `No test image is a ${names[i]} predicted ${names[j]}.`;
    if (!indices.length) { this.cellSamples.update(null); return; }
    const images = decodeArray((await this.api.view(id, "samples", { split: "test", indices })).images);
    if (id !== this.session.id) return;
    this.cellSamples.update({ images, ids: indices, captions: indices.map((n) => `#${n}`), selected: this.selected() });
  }

  closeCell() {
    byId("cell-samples").hidden = true;
    this.cellSamples.update(null);
  }
}
