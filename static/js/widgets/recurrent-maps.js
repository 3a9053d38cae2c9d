// @ts-check
/**
 * Every recurrent layer's insides for one window, a heatmap (units × time) each: the
 * hidden states h_t (the hidden_states view), or each gate (the gates view: LSTM's
 * input, forget and output gates, its candidate g and cell c; GRU's reset and update
 * gates and its candidate n). Gates that are sigmoids run from 0 (closed, orange) to 1
 * (open, blue); the rest are signed. The heatmaps are made once per layer and gate and
 * then repainted.
 */
import { decodeArray } from "../grids.js";
import { SequenceHeatmap } from "./sequence-heatmap.js";

/** What each gate is, and whether it is a sigmoid's (0 to 1). */
const GATES = /** @type {Record<string, [string, boolean]>} */ ({
  i: ["input gate", true], f: ["forget gate", true], o: ["output gate", true],
  g: ["candidate", false], c: ["cell state", false],
  r: ["reset gate", true], z: ["update gate", true], n: ["candidate", false],
});

/**
 * @typedef {{name: string, type: string, states?: any, gates?: Record<string, any>}} LayerView
 * @typedef {{layers: LayerView[], labels?: string[] | null, line?: number[] | null}} MapsData
 */

export class RecurrentMaps {
  /** @param {HTMLElement} container @param {{kind: "states" | "gates", maxHeight?: number}} options `maxHeight`: each map's, in CSS pixels */
  constructor(container, options) {
    this.container = container;
    this.kind = options.kind;
    this.maxHeight = options.maxHeight;
    /** @type {Map<string, SequenceHeatmap>} by layer and gate */ this.maps = new Map();
  }

  /** @param {MapsData | null} d */
  update(d) {
    /** @type {[string, string, any, boolean][]} key, title, array, unit range */
    const wanted = [];
    for (const layer of d?.layers ?? []) {
      if (this.kind === "states" && layer.states) {
        wanted.push([layer.name, `${layer.name} (${layer.type}) · hidden state h`, layer.states, false]);
      }
      for (const [gate, array] of Object.entries(this.kind === "gates" ? layer.gates ?? {} : {})) {
        const [what, unit] = GATES[gate] ?? [gate, false];
        wanted.push([`${layer.name}:${gate}`, `${layer.name} · ${gate}: ${what}`, array, unit]);
      }
    }
    const keys = new Set(wanted.map((w) => w[0]));
    for (const [key, map] of this.maps) {
      if (!keys.has(key)) { map.root.remove(); this.maps.delete(key); }
    }
    for (const [key, title, array, unit] of wanted) {
      let map = this.maps.get(key);
      if (!map) { map = new SequenceHeatmap(this.container, { maxHeight: this.maxHeight }); this.maps.set(key, map); }
      map.update({ values: decodeArray(array), labels: d?.labels ?? null, line: d?.line ?? null,
        range: unit ? "unit" : "signed", title });
    }
    if (this.container.dataset.maps !== String(wanted.length)) this.container.dataset.maps = String(wanted.length);
  }
}
