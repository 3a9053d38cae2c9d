// @ts-check
/**
 * The set-up: state.js's table of properties, kept in the URL hash (so that a link
 * reproduces it), and the user's files it trains on (an uploaded CSV file, which the
 * link carries packed when it fits, and uploaded images and text, which it cannot).
 * Images, text and series train a stack of layers (the state's `layers`, else its
 * preset's); the user's own text takes the TEXT_PRESET's network and training. This class
 * is its one owner: every change goes through its methods, which write the hash and
 * tell the subscribers which properties changed ("upload": a file).
 */
import { csvInfo, noCsv, packForLink, unpackFromLink } from "./csvlink.js";
import { Observable } from "./observable.js";
import { describe } from "./sessions.js";
import { applyChange } from "./changes.js";
import { fromSpec, imageStack, outputKind, toSpec } from "./spec.js";
import { ADVERSARIAL, CSV, DRAWN, IMAGES, RECONSTRUCTION, SEQUENTIAL, deserialize, isImageState, serialize } from "./state.js";

/** The user's own text (a spec's data section `{"dataset": "text", "text": ...}`). */
export const OWN_TEXT = "text";
/** The preset whose network and training the user's own text gets. */
export const TEXT_PRESET = "char-lstm";
/** The modalities whose network is a stack of layers, not dense hidden layers. */
const STACKED = ["image", "text", "sequence"];

/**
 * @typedef {import("./state.js").State} State
 * @typedef {{data: any, info: {n: number, shape: number[], classes: number}, file: string}} ImageUpload
 *   uploaded images: a spec's data section, what it holds, and where it came from
 * @typedef {{data: any, info: {chars: number, vocab: string[]}, file: string}} TextUpload
 *   uploaded text: a spec's data section, what it holds, and where it came from
 */

/** @extends {Observable<{changed: string[]}>} */
export class UrlState extends Observable {
  /** @param {import("./offer.js").Offer} offer @param {string} hash the address's */
  constructor(offer, hash) {
    super();
    this.offer = offer;
    /** @type {State} */ this.state = deserialize(hash);
    /** @type {import("./csvlink.js").OwnCsv} the uploaded CSV file */ this.csv = noCsv();
    /** @type {ImageUpload | null} */ this.images = null;
    /** @type {TextUpload | null} */ this.text = null;
  }

  /**
   * A change the user made, with what follows from it (state.js's `applyChange`: a
   * preset brings its set-up, a new dataset its class count, ...).
   * @param {Partial<State>} partial @returns {string[]} the keys of `partial` whose value changed
   */
  change(partial) {
    const before = this.state;
    const next = applyChange(before, partial, this.offer.presets, this.offer.datasets, this.offer.catalog);
    const changed = Object.keys(partial).filter((k) => /** @type {any} */ (partial)[k] !== /** @type {any} */ (before)[k]);
    this.commit(next, changed);
    return changed;
  }

  /** Exactly these values, nothing following from them. @param {Partial<State>} partial */
  set(partial) {
    this.commit({ ...this.state, ...partial }, Object.keys(partial));
  }

  /** A whole new set-up (a link opened in this tab). @param {State} state */
  replace(state) {
    this.commit(state, Object.keys(state));
  }

  /** @param {State} next @param {string[]} changed */
  commit(next, changed) {
    this.state = next;
    history.replaceState(null, "", `#${serialize(next)}`);
    this.notify({ changed });
  }

  /** Whether an address's hash says this set-up. @param {string} hash */
  says(hash) {
    return hash.replace(/^#/, "") === serialize(this.state);
  }

  /**
   * Train on a CSV file from now on, and put it in the link.
   * @param {import("./csvlink.js").OwnCsv} csv @returns {Promise<boolean>} whether the link could take it
   */
  async useCsv(csv) {
    this.csv = csv;
    this.notify({ changed: ["upload"] });
    const packed = csv.csv === null ? "" : await packForLink(csv.csv).catch(() => "");
    if (this.csv !== csv) return true;  // another file came meanwhile
    this.csv = { ...csv, packed };
    this.set({ csv: packed, csvFile: csv.file, csvTarget: csv.target });
    return csv.csv === null || Boolean(packed);
  }

  /** Another column of the CSV file to predict (the state's csvTarget follows with the user's change). @param {string} column */
  retarget(column) {
    this.csv = { ...csvInfo(this.csv.csv ?? "", this.csv.file, column), packed: this.csv.packed };
    this.notify({ changed: ["upload"] });
  }

  /** Train on uploaded images from now on. @param {ImageUpload} upload */
  useImages(upload) {
    this.images = upload;
    this.notify({ changed: ["upload"] });
  }

  /** Train on uploaded text from now on. @param {TextUpload} upload */
  useText(upload) {
    this.text = upload;
    this.notify({ changed: ["upload"] });
  }

  /**
   * Before a set-up from a link is built: the CSV file the link carries, unpacked. A link
   * to a file it could not carry falls back to the circle dataset.
   * @returns {Promise<string>} why the file could not be read ("": it could, or there is none)
   */
  async csvFromLink() {
    const s = this.state;
    if (s.dataset !== CSV || (this.csv.csv && this.csv.packed === s.csv)) return "";
    try {
      if (!s.csv) throw new Error("the link does not carry the file (it was too large)");
      const text = await unpackFromLink(s.csv);
      this.csv = { ...csvInfo(text, s.csvFile || "(from the link)", s.csvTarget), packed: s.csv };
      this.notify({ changed: ["upload"] });
      return "";
    } catch (e) {
      this.replace({ ...s, dataset: "circle", csv: "" });
      return /** @type {Error} */ (e).message;
    }
  }

  /**
   * The set-up a session's spec stands for (a session resumed here), with the user's data
   * it trains on. @param {any} spec @returns {Promise<boolean>} whether the link holds its CSV file
   */
  adopt(spec) {
    const modality = this.offer.modalityOf(spec);
    if (modality === "image" && spec.data.dataset === DRAWN) {
      this.images = { data: spec.data, info: imageInfo(spec.data), file: "(from the saved session)" };
    }
    if (spec.data.dataset === OWN_TEXT) {
      this.text = { data: spec.data, info: { chars: spec.data.text?.length ?? 0, vocab: [] }, file: "(from the saved session)" };
    }
    this.replace(fromSpec(spec, "", this.state, { catalog: this.offer.catalog, image: STACKED.includes(modality),
      dataset: this.offer.dataset(spec.data.dataset) }));
    if (spec.data.dataset !== CSV) return Promise.resolve(true);
    return this.useCsv(csvInfo(spec.data.csv, "(from the saved session)", spec.data.targets?.[0]));
  }

  /** The preset the set-up names, if any. */
  preset() {
    return this.offer.presets.get(this.state.preset);
  }

  dataset() {
    return this.offer.dataset(this.state.dataset);
  }

  /** Whether it trains on images (the images workspace). */
  isImage() {
    return isImageState(this.state, this.offer.datasets);
  }

  /** What it trains on: "image", "text", "sequence" (a series), "points" or "table" (the workspace's pick). */
  modality() {
    if (this.isImage()) return "image";
    if (this.state.dataset === OWN_TEXT) return "text";
    return this.dataset()?.modality ?? "points";
  }

  /**
   * The workspace it opens: "autoencoder" for an autoencoder of any data, "gan" for a
   * GAN, else its modality's (`modality`).
   */
  workspaceKind() {
    if (this.state.objective === ADVERSARIAL) return "gan";
    return this.state.objective === RECONSTRUCTION ? "autoencoder" : this.modality();
  }

  /**
   * One sample's shape, when known before a session: an image's (h, w, c), a series
   * window's (time, features) with the window length the set-up gives; else null.
   * @returns {number[] | null}
   */
  inputShape() {
    if (this.state.dataset === IMAGES) return this.images?.info.shape ?? null;
    const d = this.dataset();
    if (!d?.shape?.length) return null;
    const length = SEQUENTIAL.includes(d.modality ?? "") ? this.state.params.input_length : undefined;
    return length ? [length, ...d.shape.slice(1)] : [...d.shape];
  }

  /**
   * Whether its network is a stack of layers (images, text, series) rather than dense
   * hidden layers (a GAN's two stacks are its own: gan-state.js).
   */
  usesStack() {
    return this.state.objective !== ADVERSARIAL && STACKED.includes(this.modality());
  }

  /** Whether there are data to train on: the user's own points or files may not be there yet. */
  hasData() {
    const s = this.state;
    return !((s.dataset === DRAWN && !s.points.length) || (s.dataset === CSV && !this.csv.csv)
      || (s.dataset === IMAGES && !this.images) || (s.dataset === OWN_TEXT && !this.text));
  }

  /** Regression or classification, and how many classes. @returns {{regression: boolean, classes: number}} */
  outputKind() {
    if (this.state.objective === RECONSTRUCTION) return outputKind(this.state, this.dataset());
    if (this.isImage()) return { regression: false, classes: this.imageClasses() };
    if (this.state.dataset === OWN_TEXT) return { regression: false, classes: Math.max(3, this.text?.info.vocab.length ?? 3) };
    return outputKind(this.state, this.dataset(), this.csv);
  }

  imageClasses() {
    return this.dataset()?.classes ?? this.images?.info.classes ?? 2;
  }

  /**
   * The spec the set-up builds on: its preset's; for the user's own text, the
   * TEXT_PRESET's with the text as its data.
   */
  template() {
    if (this.state.dataset !== OWN_TEXT) return this.preset()?.spec ?? null;
    const preset = this.offer.presets.get(TEXT_PRESET);
    return preset ? { ...preset.spec, data: { ...(this.text?.data ?? { dataset: OWN_TEXT }) } } : null;
  }

  /** The layers of its stack (images, text, series): the state's own, else its template's, else a first network. */
  stack() {
    return imageStack(this.state, this.template(), this.offer.catalog, this.outputKind().classes, this.inputShape());
  }

  /** The session spec it stands for, named in a few words. */
  spec() {
    const own = this.csv, image = this.isImage(), stack = this.usesStack(), template = this.template();
    const spec = toSpec(this.state, this.dataset(), template,
      { csv: own.csv, target: own.target, inputs: own.columns.length - 1, classes: own.classes },
      { catalog: this.offer.catalog, image: stack, imageData: this.images?.data, classes: image ? this.imageClasses() : undefined,
        inputShape: this.inputShape() });
    spec.name = describe(spec, this.offer.titles());
    return spec;
  }
}

/**
 * What an upload's info says, read back from a spec's inline image data.
 * @param {any} data @returns {{n: number, shape: number[], classes: number}}
 */
function imageInfo(data) {
  const shape = Array.isArray(data.X?.shape) ? data.X.shape : [];
  const labels = (data.y ?? []).map((/** @type {any} */ v) => Number(Array.isArray(v) ? v[0] : v));
  return { n: shape[0] ?? labels.length, shape: shape.slice(1), classes: Math.max(2, ...labels.map((/** @type {number} */ v) => v + 1)) };
}
