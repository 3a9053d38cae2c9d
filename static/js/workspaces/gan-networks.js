// @ts-check
/**
 * A GAN's two networks side by side, each a column of layer cards (image-network.js):
 * the generator (noise in, one sample out) and the discriminator (a sample in, one
 * number out), with the session's shapes and parameter counts when the session is of
 * these stacks, and an add-layer bar each (a new layer goes before the network's output
 * layer). Edits come back as a new stack of one network, for the shell to rebuild from.
 */
import { insertAt } from "../gan-state.js";
import { newLayer } from "../layers.js";
import { NetworkColumn, offerLayerTypes } from "./image-network.js";

const NETS = /** @type {const} */ (["generator", "discriminator"]);
/** Units a layer added with the editor starts with. */
const NEW_UNITS = 16;

/**
 * @typedef {"generator" | "discriminator"} Net
 * @typedef {import("./image-network.js").LayerInfo} LayerInfo
 */

export class GanNetworks {
  /**
   * @param {HTMLElement} root the workspace (its data-part=generator-… and discriminator-… elements)
   * @param {{onStack: (net: Net, layers: any[]) => void}} options
   */
  constructor(root, options) {
    const part = (/** @type {string} */ name) => /** @type {HTMLElement} */ (root.querySelector(`[data-part=${name}]`));
    /** @type {import("../layers.js").Catalog | null} */ this.catalog = null;
    /** @type {Record<Net, {column: NetworkColumn, type: HTMLSelectElement}>} */
    this.nets = /** @type {any} */ ({});
    for (const net of NETS) {
      const column = new NetworkColumn(part(`${net}-cards`), { onStack: (layers) => options.onStack(net, layers), onPixel: () => {} });
      const type = /** @type {HTMLSelectElement} */ (part(`${net}-add-type`));
      part(`${net}-add-button`).addEventListener("click", () => {
        const layer = newLayer(this.catalog, type.value, NEW_UNITS);
        if (layer.type === "dense") Object.assign(layer, { units: NEW_UNITS, activation: "relu" });  // a GAN's dense layers say their units
        column.edit((s) => s.splice(insertAt(s), 0, layer));
      });
      this.nets[net] = { column, type };
    }
  }

  /** @param {import("../layers.js").Catalog} catalog */
  setCatalog(catalog) {
    this.catalog = catalog;
    for (const { column, type } of Object.values(this.nets)) {
      column.setCatalog(catalog);
      // what a GAN's networks take: no embeddings, no recurrent layers
      const offered = catalog.layers.filter((l) => !["embedding", "rnn", "lstm", "gru"].includes(l.type));
      offerLayerTypes(type, offered, "dense");
    }
  }

  /**
   * The stacks to show and what the session says of its layers (named generator.dense_1,
   * ...: shown without the network's name).
   * @param {{stacks: Record<Net, any[]>, info: LayerInfo[] | null, noiseDim: number, sample: number[] | null}} d
   */
  update(d) {
    for (const net of NETS) {
      const info = d.info ? d.info.filter((l) => l.name.startsWith(`${net}.`))
        .map((l) => ({ ...l, name: l.name.slice(net.length + 1) })) : null;
      const column = this.nets[net].column;
      column.update({ stack: d.stacks[net], info, classes: NEW_UNITS,
        inputShape: net === "generator" ? [d.noiseDim] : d.sample });
      column.showMaps(null, null, null);  // no layer outputs here: the cards say shapes and parameters
    }
  }

  /** A session is being made (true) or has been (false). @param {boolean} on */
  building(on) {
    for (const { column } of Object.values(this.nets)) column.building(on);
  }

  /**
   * The server refused a stack: its message on the card it names (a path as
   * generator.layers[2].units). @param {{path?: string, message: string}} e @returns {boolean} whether shown
   */
  showError(e) {
    const m = /^(generator|discriminator)\.layers(?:\[(\d+)\](?:\.(\w+))?)?$/.exec(e.path ?? "");
    if (!m) return false;
    const column = this.nets[/** @type {Net} */ (m[1])].column;
    const index = m[2] === undefined ? column.stack.length - 1 : Number(m[2]);
    column.showError({ index, field: m[3] ?? null, message: e.message });
    return true;
  }
}
