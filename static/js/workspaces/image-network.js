// @ts-check
/**
 * The images workspace's network column: the input, then a card per layer of the
 * stack the page's state describes (layer-card.js), with the session's shapes and
 * parameter counts when the session is of that stack, each layer's feature maps for
 * the chosen image and each convolution's filters. Edits (a field, up, down, remove,
 * add) come back as a new stack, for the shell to rebuild the session from.
 */
import { el } from "../frame.js";
import { decodeArray } from "../grids.js";
import { layerType, newLayer } from "../layers.js";
import { LayerCard } from "../widgets/layer-card.js";
import { drawImage } from "../widgets/paint.js";

/**
 * @typedef {{name: string, type: string, output_shape: number[], params: number}} LayerInfo
 * @typedef {{index: number, field: string | null, message: string}} LayerError
 */

/**
 * Fill an "add layer" select with the layer types offered (each titled with its
 * description), choosing `preferred` if it is one of them, else the first.
 * @param {HTMLSelectElement} select @param {{type: string, description: string}[]} layers
 * @param {string} preferred
 */
export function offerLayerTypes(select, layers, preferred) {
  select.replaceChildren(...layers.map((l) => {
    const o = new Option(l.type, l.type);
    o.title = l.description;
    return o;
  }));
  select.value = layers.some((l) => l.type === preferred) ? preferred : layers[0]?.type;
}

export class NetworkColumn {
  /**
   * @param {HTMLElement} container the cards' column
   * @param {{onStack: (layers: any[]) => void, onPixel: (index: number, y: number, x: number, channel: number) => void}} options
   */
  constructor(container, options) {
    this.container = container;
    this.options = options;
    /** @type {import("../layers.js").Catalog | null} */ this.catalog = null;
    /** @type {any[]} the stack shown (the state's) */ this.stack = [];
    /** @type {LayerInfo[] | null} the session's layers, when the session is of this stack */ this.info = null;
    /** @type {LayerError | null} */ this.error = null;
    this.pending = false;
    this.input = el("article", "layer-card input-card", container);
    const head = el("header", "layer-head-line", this.input);
    el("span", "layer-title", head).textContent = "input";
    this.inputShape = el("span", "layer-shape", head);
    this.inputCanvas = /** @type {HTMLCanvasElement} */ (el("canvas", "pixels input-pixels", this.input));
    this.inputCanvas.title = "The chosen image, as the network gets it";
    /** @type {LayerCard[]} */ this.cards = [];
    this.width = 320;
    new ResizeObserver((entries) => { this.width = Math.max(120, entries[entries.length - 1].contentRect.width - 26); }).observe(container);
    this.classes = 10;
  }

  /** @param {import("../layers.js").Catalog} catalog */
  setCatalog(catalog) { this.catalog = catalog; }

  /**
   * The stack to show, and what the session says of it.
   * @param {{stack: any[], info: LayerInfo[] | null, inputShape: number[] | null, classes: number}} d
   */
  update(d) {
    this.stack = d.stack;
    this.classes = d.classes;
    this.info = d.info && d.info.length === d.stack.length && d.info.every((l, k) => l.type === d.stack[k].type) ? d.info : null;
    this.inputShape.textContent = d.inputShape ? `(${d.inputShape.join(", ")})` : "";
    while (this.cards.length > d.stack.length) this.cards.pop()?.root.remove();
    while (this.cards.length < d.stack.length) {
      this.cards.push(new LayerCard(this.container, {
        onChange: (i, layer) => this.edit((s) => { s[i] = layer; }),
        onMove: (i, by) => this.edit((s) => { const [l] = s.splice(i, 1); s.splice(i + by, 0, l); }),
        onRemove: (i) => this.edit((s) => { s.splice(i, 1); }),
        onPixel: (i, y, x, c) => this.options.onPixel(i, y, x, c),
      }));
    }
    this.refreshCards();
  }

  refreshCards() {
    this.cards.forEach((card, k) => {
      const layer = this.stack[k];
      const fields = (layerType(this.catalog, layer.type)?.fields ?? []);
      const error = this.error && this.error.index === k ? this.error : null;
      card.update({ layer, index: k, count: this.stack.length, fields, info: this.info?.[k] ?? null, error, pending: this.pending });
    });
  }

  /** The server refused the stack: its message on the card it names. @param {LayerError | null} error */
  showError(error) {
    this.error = error;
    this.refreshCards();
    if (error) this.cards[error.index]?.root.scrollIntoView({ block: "nearest" });
  }

  /** A session is being made from the stack (true) or has been (false). @param {boolean} on */
  building(on) {
    this.pending = on;
    if (on) this.error = null;
    this.refreshCards();
  }

  /** @param {(stack: any[]) => void} how */
  edit(how) {
    const stack = structuredClone(this.stack);
    how(stack);
    this.options.onStack(stack);
  }

  /** Add a layer of `type` before the output layer. @param {string} type */
  add(type) {
    this.edit((s) => s.splice(Math.max(0, s.length - 1), 0, newLayer(this.catalog, type, this.classes)));
  }

  /**
   * Every layer's output for the chosen image (the feature_maps view), and the
   * convolutions' kernels (the filters view), when the session is of this stack.
   * @param {any} maps @param {any} filters @param {{index: number, y: number, x: number, channel: number} | null} marked
   */
  showMaps(maps, filters, marked) {
    this.inputCanvas.hidden = !maps?.input;
    if (maps?.input) {
      const input = decodeArray(maps.input);
      const [h, w, c] = input.shape;
      drawImage(this.inputCanvas, input.values, 0, h, w, c);
      this.inputCanvas.style.width = `${Math.max(48, Math.min(96, w * 4))}px`;
    }
    const byName = new Map((filters?.layers ?? []).map((/** @type {any} */ f) => [f.name, f]));
    this.cards.forEach((card, k) => {
      const out = this.info ? maps?.layers?.[k] : null;
      card.maps.update(out ? { values: decodeArray(out.values), width: this.width,
        marked: marked && marked.index === k ? marked : null } : null);
      const f = this.info && out ? byName.get(out.name) : null;
      card.filters.update(f ? { W: decodeArray(f.W), b: f.b, width: this.width } : null);
    });
  }
}
