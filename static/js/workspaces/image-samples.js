// @ts-check
/**
 * The images workspace's training samples: a page of them as a grid (click one to
 * choose it), with a pager, from the server's samples view. It keeps what the page of
 * samples says of the data: the input shape and the class names.
 */
import { decodeArray } from "../grids.js";
import { ImageGrid } from "../widgets/image-grid.js";

/** Samples a page. */
export const PAGE = 48;

export class SampleColumn {
  /**
   * @param {HTMLElement} container
   * @param {{api: import("../api.js").Api, session: import("../session-state.js").SessionState,
   *   selection: import("../selection.js").Selection}} app
   */
  constructor(container, app) {
    this.app = app;
    this.grid = new ImageGrid(container, { onPick: (id) => app.selection.chooseImage({ split: "train", sample: id }), size: 27 });
    this.pager = container.appendChild(document.createElement("div"));
    this.pager.className = "pager fine";
    /** @type {number[] | null} one image's shape (h, w, c), once a page has come */ this.inputShape = null;
    /** @type {string[]} */ this.classNames = [];
    /** the page's first index, and how many samples there are */
    this.start = 0;
    this.total = 0;
  }

  /** The chosen train sample (the selection's), or none. */
  chosen() {
    const c = this.app.selection.image;
    return "image" in c || c.split !== "train" ? null : c.sample;
  }

  /** @param {any} s the samples view */
  show(s) {
    const images = decodeArray(s.images);
    this.inputShape = images.shape.slice(1);
    this.classNames = s.class_names;
    this.start = s.start;
    this.total = s.total;
    this.grid.update({ images, ids: s.indices, captions: s.labels.map((/** @type {number} */ l) => s.class_names[l] ?? String(l)),
      selected: this.chosen() });
    this.pager.replaceChildren();
    const prev = this.pager.appendChild(document.createElement("button"));
    prev.type = "button"; prev.className = "text-button"; prev.textContent = "‹"; prev.title = "Earlier samples";
    prev.disabled = s.start === 0;
    prev.addEventListener("click", () => this.page(-PAGE));
    const text = this.pager.appendChild(document.createElement("span"));
    text.textContent = `${(s.start + 1).toLocaleString()}–${(s.start + s.indices.length).toLocaleString()} of ${s.total.toLocaleString()}`;
    const next = this.pager.appendChild(document.createElement("button"));
    next.type = "button"; next.className = "text-button"; next.textContent = "›"; next.title = "Later samples";
    next.disabled = s.start + s.indices.length >= s.total;
    next.addEventListener("click", () => this.page(PAGE));
  }

  /** No samples: the grid empty, a note in the pager's place. @param {string} note */
  empty(note) {
    this.grid.update(null);
    this.pager.textContent = note;
  }

  /** Mark the chosen sample. */
  select() {
    this.grid.select(this.chosen());
  }

  /** @param {number} by */
  async page(by) {
    const { api, session } = this.app;
    const id = session.id;
    if (!id) return;
    const s = await api.view(id, "samples", { split: "train", start: Math.max(0, this.start + by), count: PAGE });
    if (id === session.id) this.show(s);
  }
}
