// @ts-check
/**
 * The form controls of the top bar and the data column: fills the selects from the
 * state module's tables, shows a state, and reports each change as a partial state.
 */
import { ACTIVATIONS, FULL_BATCH_SLOT, LEARNING_RATES, OPTIMIZERS, REGULARIZATIONS,
  REG_RATES } from "./state.js";

const NAMES = { sgd: "SGD", adam: "Adam", rmsprop: "RMSprop", adagrad: "Adagrad", adamw: "AdamW",
  none: "None", l1: "L1", l2: "L2", relu: "ReLU", tanh: "Tanh", sigmoid: "Sigmoid",
  linear: "Linear", leaky_relu: "Leaky ReLU", elu: "ELU", softplus: "Softplus",
  swish: "Swish", gelu: "GELU", softmax: "Softmax" };

/** @param {string} id */
function $(id) {
  return /** @type {HTMLInputElement & HTMLSelectElement} */ (document.getElementById(id));
}

/** @param {HTMLSelectElement} select @param {(string|number)[]} values */
function fill(select, values) {
  select.replaceChildren(...values.map((v) => {
    const option = document.createElement("option");
    option.value = String(v);
    option.textContent = /** @type {any} */ (NAMES)[v] ?? String(v);
    return option;
  }));
}

export class Controls {
  /**
   * @param {HTMLElement} root the document body
   * @param {{onChange: (partial: Partial<import("./state.js").State>) => void}} options
   */
  constructor(root, options) {
    this.root = root;
    fill($("lr"), LEARNING_RATES);
    fill($("activation"), ACTIVATIONS);
    fill($("optimizer"), OPTIMIZERS);
    fill($("reg"), REGULARIZATIONS);
    fill($("reg-rate"), REG_RATES);
    const change = options.onChange;
    $("lr").addEventListener("change", () => change({ lr: Number($("lr").value) }));
    $("activation").addEventListener("change", () => change({ activation: $("activation").value }));
    $("optimizer").addEventListener("change", () => change({ optimizer: $("optimizer").value }));
    $("reg").addEventListener("change", () => change({ reg: $("reg").value }));
    $("reg-rate").addEventListener("change", () => change({ regRate: Number($("reg-rate").value) }));
    $("problem").addEventListener("change", () => change({ problem: $("problem").value }));
    $("ratio").addEventListener("change", () => change({ ratio: Number($("ratio").value) }));
    $("noise").addEventListener("change", () => change({ noise: Number($("noise").value) }));
    $("batch").addEventListener("change", () => {
      const slot = Number($("batch").value);
      change({ batch: slot === FULL_BATCH_SLOT ? "full" : slot });
    });
    for (const id of ["ratio", "noise", "batch"]) {
      $(id).addEventListener("input", () => this.showSliders());
    }
    $("show-test").addEventListener("change", () => change({ showTest: $("show-test").checked }));
    $("discretize").addEventListener("change", () => change({ discretize: $("discretize").checked }));
  }

  /** @param {{name: string, title: string}[]} presets */
  setPresets(presets) {
    const select = $("preset");
    for (const p of presets) {
      const option = document.createElement("option");
      option.value = p.name;
      option.textContent = p.title;
      select.appendChild(option);
    }
  }

  /** @param {import("./state.js").State} s @param {{twoD: boolean, fixedData: boolean}} shape */
  update(s, shape) {
    setSelect($("lr"), s.lr);
    setSelect($("activation"), s.activation);
    setSelect($("optimizer"), s.optimizer);
    setSelect($("reg"), s.reg);
    setSelect($("reg-rate"), s.regRate);
    $("problem").value = s.problem;
    $("preset").value = s.preset;
    $("ratio").value = String(s.ratio);
    $("noise").value = String(s.noise);
    $("batch").value = String(s.batch === "full" ? FULL_BATCH_SLOT : s.batch);
    $("show-test").checked = s.showTest;
    $("discretize").checked = s.discretize;
    $("reg-rate").disabled = s.reg === "none";
    for (const id of ["ratio", "noise"]) $(id).disabled = shape.fixedData;
    this.showSliders();
  }

  showSliders() {
    $("ratio-out").textContent = `${$("ratio").value}%`;
    $("noise-out").textContent = $("noise").value;
    const slot = Number($("batch").value);
    $("batch-out").textContent = slot === FULL_BATCH_SLOT ? "all" : String(slot);
  }
}

/**
 * Select `value`, adding it as an option when the list lacks it (a preset's own rate).
 * @param {HTMLSelectElement} select @param {string | number} value
 */
function setSelect(select, value) {
  const text = String(value);
  if (![...select.options].some((o) => o.value === text)) {
    const option = document.createElement("option");
    option.value = text;
    option.textContent = /** @type {any} */ (NAMES)[value] ?? text;
    select.appendChild(option);
  }
  select.value = text;
}
