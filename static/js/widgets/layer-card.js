// @ts-check
/**
 * One layer of an image network, as Keras's summary has it (name, type, output shape,
 * parameters), with its editor (each field from the catalog's declaration: number
 * inputs with the declared ranges, selects for choices and activations; less used
 * fields under "more"), buttons to move it up or down or remove it, the server's error
 * about it, and its feature maps and filters for the chosen image.
 */
import { el } from "../frame.js";
import { FeatureMaps } from "./feature-maps.js";
import { FiltersView } from "./filters.js";

/** Fields kept under "more": rarely changed, and long. */
const MORE = new Set(["init", "bias_init", "trainable", "name", "eps", "momentum"]);

/**
 * @typedef {import("../layers.js").Field} Field
 * @typedef {{layer: any, index: number, count: number, fields: Field[],
 *   info: {name: string, output_shape: number[], params: number} | null,
 *   error: {field: string | null, message: string} | null, pending: boolean}} CardData
 */

export class LayerCard {
  /**
   * @param {HTMLElement} container
   * @param {{onChange: (index: number, layer: any) => void, onMove: (index: number, by: number) => void,
   *   onRemove: (index: number) => void, onPixel: (index: number, y: number, x: number, channel: number) => void}} options
   */
  constructor(container, options) {
    this.options = options;
    this.root = el("article", "layer-card", container);
    this.root.dataset.testid = "layer-card";
    const head = el("header", "layer-head-line", this.root);
    this.title = el("span", "layer-title", head);
    this.shape = el("span", "layer-shape", head);
    this.shape.title = "Output shape for one image (height, width, channels), without the batch axis";
    this.params = el("span", "layer-params", head);
    this.params.title = "Trained parameters (weights and biases)";
    const tools = el("span", "layer-tools", head);
    this.up = this.tool(tools, "↑", "Move this layer up", "layer-up", () => options.onMove(this.index, -1));
    this.down = this.tool(tools, "↓", "Move this layer down", "layer-down", () => options.onMove(this.index, 1));
    this.remove = this.tool(tools, "×", "Remove this layer", "layer-remove", () => options.onRemove(this.index));
    this.form = el("div", "layer-fields", this.root);
    this.more = /** @type {HTMLDetailsElement} */ (el("details", "layer-more", this.root));
    el("summary", "", this.more).textContent = "more";
    this.moreFields = el("div", "layer-fields", this.more);
    this.error = el("div", "layer-error", this.root);
    this.error.dataset.testid = "layer-error";
    this.error.hidden = true;
    this.maps = new FeatureMaps(this.root, { onPixel: (y, x, c) => options.onPixel(this.index, y, x, c) });
    this.filters = new FiltersView(this.root);
    this.maps.update(null);
    this.filters.update(null);
    this.index = 0;
    this.key = "";
    /** @type {Map<string, HTMLInputElement | HTMLSelectElement>} */ this.inputs = new Map();
    /** @type {any} */ this.layer = null;
    /** @type {Field[]} */ this.fieldList = [];
  }

  /** @param {HTMLElement} parent @param {string} text @param {string} title @param {string} testid @param {() => void} run */
  tool(parent, text, title, testid, run) {
    const b = /** @type {HTMLButtonElement} */ (el("button", "round tiny", parent));
    b.type = "button";
    b.textContent = text;
    b.title = title;
    b.setAttribute("aria-label", title);
    b.dataset.testid = testid;
    b.addEventListener("click", run);
    return b;
  }

  /** @param {CardData} d */
  update(d) {
    this.index = d.index;
    this.layer = d.layer;
    this.root.dataset.index = String(d.index);
    this.root.dataset.type = d.layer.type;
    const key = `${d.layer.type}|${d.fields.map((f) => f.name).join()}`;
    if (key !== this.key) {
      this.key = key;
      this.fieldList = d.fields;
      this.build(d.fields);
    }
    const name = d.info?.name ?? d.layer.name ?? d.layer.type;
    this.title.textContent = name === d.layer.type ? name : `${name} · ${d.layer.type}`;
    this.shape.textContent = d.info ? `(${d.info.output_shape.join(", ")})` : "";
    this.params.textContent = d.info ? `${d.info.params.toLocaleString()} params` : "";
    this.root.classList.toggle("pending", d.pending);
    this.up.disabled = d.index === 0;
    this.down.disabled = d.index === d.count - 1;
    this.remove.disabled = d.count <= 1;
    for (const f of d.fields) this.show(f, d.layer[f.name]);
    this.error.hidden = !d.error;
    this.error.textContent = d.error?.message ?? "";
    this.root.classList.toggle("invalid", Boolean(d.error));
    for (const [fieldName, input] of this.inputs) input.classList.toggle("invalid", d.error?.field === fieldName);
  }

  /** @param {Field[]} fields */
  build(fields) {
    this.form.replaceChildren();
    this.moreFields.replaceChildren();
    this.inputs.clear();
    for (const f of fields) {
      const box = el("label", "layer-field", MORE.has(f.name) ? this.moreFields : this.form);
      box.title = f.description ?? f.name;
      el("span", "layer-field-name", box).textContent = f.name.replace(/_/g, " ");
      const input = this.input(f, box);
      input.dataset.field = f.name;
      input.addEventListener("change", () => this.commit(f, input));
      this.inputs.set(f.name, input);
    }
    this.more.hidden = this.moreFields.childElementCount === 0;
  }

  /** @param {Field} f @param {HTMLElement} box @returns {HTMLInputElement | HTMLSelectElement} */
  input(f, box) {
    if (f.choices && f.kind !== "padding") {
      const select = /** @type {HTMLSelectElement} */ (el("select", "", box));
      if (!f.required) select.appendChild(new Option(f.kind === "initializer" ? "default" : `${defaultText(f)} · default`, ""));
      for (const c of f.choices) select.appendChild(new Option(c, c));
      return select;
    }
    if (f.kind === "padding") {
      const select = /** @type {HTMLSelectElement} */ (el("select", "", box));
      for (const c of f.choices ?? ["valid", "same"]) select.appendChild(new Option(c, c));
      return select;
    }
    const input = /** @type {HTMLInputElement} */ (el("input", "", box));
    if (f.kind === "bool") {
      input.type = "checkbox";
    } else if (f.kind === "int" || f.kind === "float") {
      input.type = "number";
      input.step = f.kind === "int" ? "1" : "any";
      if (f.low !== null && f.low !== undefined) input.min = String(f.low);
      if (f.high !== null && f.high !== undefined) input.max = String(f.high);
    } else {
      input.type = "text";
      if (f.kind === "pair") input.placeholder = "3 or 3x2";
      if (f.kind === "shape") input.placeholder = "4x4x8";
    }
    return input;
  }

  /** @param {Field} f @param {any} value */
  show(f, value) {
    const input = this.inputs.get(f.name);
    if (!input || document.activeElement === input) return;
    if (input instanceof HTMLInputElement && input.type === "checkbox") {
      input.checked = value === undefined ? Boolean(f.default) : Boolean(value);
      return;
    }
    let text = value === undefined || value === null ? "" : Array.isArray(value) ? value.join("x")
      : typeof value === "object" ? String(value.type) : String(value);
    if (input instanceof HTMLSelectElement) {
      if (f.kind === "padding" && text === "") text = String(f.default ?? "valid");
      if (text && ![...input.options].some((o) => o.value === text)) input.appendChild(new Option(text, text));
      input.value = text;
    } else {
      input.value = text;
      input.placeholder = text === "" && f.default !== undefined && f.default !== null ? String(defaultText(f)) : input.placeholder;
    }
  }

  /** The user changed one field: the whole layer goes back, with it. @param {Field} f @param {HTMLInputElement | HTMLSelectElement} input */
  commit(f, input) {
    const layer = { ...this.layer };
    /** @type {any} */
    let value;
    if (input instanceof HTMLInputElement && input.type === "checkbox") value = input.checked;
    else if (input.value.trim() === "") value = undefined;
    else if (f.kind === "int" || f.kind === "float") value = Number(input.value);
    else if (f.kind === "pair" || f.kind === "shape") {
      const parts = input.value.split(/[x×,\s]+/).filter(Boolean).map(Number);
      value = f.kind === "pair" && parts.length === 1 ? parts[0] : parts;
    } else if (f.kind === "padding" && /^\d+$/.test(input.value)) value = Number(input.value);
    else value = input.value;
    if (value === undefined || (!f.required && JSON.stringify(value) === JSON.stringify(f.default))) delete layer[f.name];
    else layer[f.name] = value;
    this.options.onChange(this.index, layer);
  }
}

/** @param {Field} f */
function defaultText(f) {
  const d = f.default;
  if (d === null || d === undefined) return "";
  return Array.isArray(d) ? d.join("x") : typeof d === "object" ? d.type : String(d);
}
