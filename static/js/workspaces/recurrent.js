// @ts-check
/**
 * What the text and series workspaces share: the network as a column of layer cards
 * (image-network.js's, with the catalog's layer types to add: embedding, rnn, lstm,
 * gru, ...), and for the window chosen the recurrent layers' hidden states and gates
 * as heatmaps over time and the gradient's norm at each step. It says which of these
 * views to ask for (the workspace puts them into its snapshots) and draws what comes.
 * Its parts are found in the workspace's root by their data-part attribute.
 */
import { encodeLayers, newLayer } from "../layers.js";
import { imageStack } from "../spec.js";
import { GradientChart } from "../widgets/gradient-chart.js";
import { RecurrentMaps } from "../widgets/recurrent-maps.js";
import { NetworkColumn, offerLayerTypes } from "./image-network.js";

/** Units a layer added with the editor starts with. */
const NEW_UNITS = 32;
const RECURRENT = new Set(["rnn", "lstm", "gru"]);

/** @typedef {{split: "train" | "test", sample: number}} Window */

export class RecurrentParts {
  /**
   * @param {HTMLElement} root the workspace's
   * @param {{offer: import("../offer.js").Offer, setup: import("../urlstate.js").UrlState,
   *   change: (partial: Partial<import("../state.js").State>) => void, onPosition: () => void}} app
   *   `onPosition`: the loss the gradient is of changed (last step or every step)
   */
  constructor(root, app) {
    this.app = app;
    const part = (/** @type {string} */ name) => /** @type {HTMLElement} */ (root.querySelector(`[data-part=${name}]`));
    this.hidden = new RecurrentMaps(part("hidden"), { kind: "states" });
    this.gates = new RecurrentMaps(part("gates"), { kind: "gates", maxHeight: 96 });
    this.gatesBlock = part("gates-block");
    this.gradients = new GradientChart(part("gradients"), { height: 130 });
    /** @type {HTMLSelectElement | null} which loss the gradient is of (a network with one output has one) */
    this.position = /** @type {HTMLSelectElement | null} */ (part("position"));
    this.position?.addEventListener("change", () => app.onPosition());
    this.network = new NetworkColumn(part("cards"), {
      onStack: (layers) => app.change({ layers: encodeLayers(layers, app.offer.catalog) }),
      onPixel: () => {},
    });
    this.network.showMaps(null, null, null);  // no feature maps here: the heatmaps over time show the layers
    this.addType = /** @type {HTMLSelectElement} */ (part("add-type"));
    part("add-button").addEventListener("click", () => this.add(this.addType.value));
  }

  /** @param {import("../layers.js").Catalog} catalog */
  setCatalog(catalog) {
    this.network.setCatalog(catalog);
    offerLayerTypes(this.addType, catalog.layers, "lstm");
  }

  /**
   * Add a layer of `type`: a recurrent one before the first recurrent layer, handing
   * it every step (return_sequences), so that the stack still fits; any other before
   * the output layer. @param {string} type
   */
  add(type) {
    const stack = this.network.stack;
    const first = stack.findIndex((l) => RECURRENT.has(l.type));
    if (!RECURRENT.has(type) || first < 0) { this.network.add(type); return; }
    const layer = { ...newLayer(this.app.offer.catalog, type, NEW_UNITS), return_sequences: true };
    this.network.edit((s) => { s.splice(first, 0, layer); });
  }

  /** The stack the set-up describes, with the session's shapes when it is of that stack. @param {any} summary @param {number[] | null} inputShape */
  showStack(summary, inputShape) {
    const { setup, offer } = this.app;
    const s = setup.state;
    const stack = imageStack(s, setup.template(), offer.catalog, NEW_UNITS);
    this.network.update({ stack, info: summary?.layers ?? null, inputShape, classes: NEW_UNITS });
  }

  /** @param {boolean} on a session is being made from the stack */
  building(on) { this.network.building(on); }

  /**
   * The server refused the stack: its message on the card it names.
   * @param {any} e an ApiError @returns {boolean} whether it was shown here
   */
  failed(e) {
    this.network.building(false);
    const m = /^model\.layers(?:\[(\d+)\](?:\.(\w+))?)?$/.exec(e.path ?? "");
    if (!m) return false;
    const index = m[1] === undefined ? this.network.stack.length - 1 : Number(m[1]);
    this.network.showError({ index, field: m[2] ?? null, message: e.message });
    return true;
  }

  /** Nothing to show (another session, or none). */
  clear() {
    this.gatesBlock.hidden = true;
    this.hidden.update(null);
    this.gates.update(null);
    this.gradients.update(null);
  }

  /**
   * The views of the chosen window to ask for, those the session offers; the gradient
   * (a backward pass over `count` windows) only when `heavy`.
   * @param {Set<string>} offered @param {Window} window @param {boolean} heavy
   */
  request(offered, window, heavy) {
    /** @type {Record<string, any>} */
    const views = {};
    if (offered.has("hidden_states")) views.hidden_states = window;
    if (offered.has("gates")) views.gates = window;
    if (heavy && offered.has("gradient_norms")) {
      views.gradient_norms = { ...window, count: 32, position: this.position?.value ?? "last" };
    }
    return views;
  }

  /**
   * Views arrived; the window as read (its characters, or its values) goes on the time axis.
   * @param {Record<string, any>} views @param {Set<string>} offered
   */
  update(views, offered) {
    const read = views.hidden_states ?? views.gates;
    const axis = read ? { labels: read.chars ?? null, line: read.values ?? null } : {};
    if (views.hidden_states) this.hidden.update({ layers: views.hidden_states.layers, ...axis });
    if (views.gates) this.gates.update({ layers: views.gates.layers, ...axis });
    this.gatesBlock.hidden = !offered.has("gates");
    if (views.gradient_norms) this.gradients.update(views.gradient_norms);
  }
}
