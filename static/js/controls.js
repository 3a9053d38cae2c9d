// @ts-check
/**
 * The form controls of the top bar and the data column: fills the selects from the
 * server's catalog (activations, optimizers and the hyperparameters each takes,
 * regularizations, initializers) and the state module's value ladders, shows a state,
 * and reports each change as a partial state (the preset select's and "Regenerate"'s
 * too: a new seed).
 */
import { BATCH_SIZES, BETA1S, BETA2S, CLIP_NORMS, LEARNING_RATES, MOMENTA, REG_RATES } from "./state.js";

const FULL_BATCH_SLOT = BATCH_SIZES.length;

const NAMES = { sgd: "SGD", adam: "Adam", rmsprop: "RMSprop", adagrad: "Adagrad", adamw: "AdamW",
  none: "None", l1: "L1", l2: "L2", relu: "ReLU", tanh: "Tanh", sigmoid: "Sigmoid",
  linear: "Linear", leaky_relu: "Leaky ReLU", elu: "ELU", softplus: "Softplus",
  swish: "Swish", gelu: "GELU", softmax: "Softmax",
  binary_crossentropy: "Cross-entropy", categorical_crossentropy: "Cross-entropy",
  mse: "Mean squared error", mae: "Mean absolute error", huber: "Huber", sse: "½ sum of squares",
  glorot_uniform: "Glorot uniform", glorot_normal: "Glorot normal", he_uniform: "He uniform",
  he_normal: "He normal", lecun_uniform: "LeCun uniform", lecun_normal: "LeCun normal",
  uniform: "Uniform ±0.05", normal: "Normal σ 0.05", zeros: "Zeros" };

/** @param {string | number} value */
export function nameOf(value) {
  return /** @type {any} */ (NAMES)[value] ?? String(value);
}

/**
 * An initializer as a spec gives it: a name, or {type, ...parameters}.
 * @param {string | {type: string, low?: number, high?: number, mean?: number, std?: number} | undefined} init
 */
function initName(init) {
  if (!init) return "Default";
  if (typeof init === "string") return nameOf(init);
  if (init.type === "uniform" && init.low !== undefined) return `uniform [${init.low}, ${init.high})`;
  if (init.type === "normal" && init.std !== undefined) return `normal (σ ${init.std})`;
  return nameOf(init.type);
}

/** @param {string} id */
function $(id) {
  return /** @type {HTMLInputElement & HTMLSelectElement} */ (document.getElementById(id));
}

/** @param {HTMLSelectElement} select @param {(string|number)[]} values */
function fill(select, values) {
  select.replaceChildren(...values.map((v) => {
    const option = document.createElement("option");
    option.value = String(v);
    option.textContent = nameOf(v);
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
    fill($("reg-rate"), REG_RATES);
    fill($("momentum"), MOMENTA);
    fill($("beta1"), BETA1S);
    fill($("beta2"), BETA2S);
    fill($("clip"), CLIP_NORMS);
    $("clip").options[0].textContent = "Off";
    /** @type {import("./layers.js").Catalog | null} */ this.catalog = null;
    const change = options.onChange;
    $("lr").addEventListener("change", () => change({ lr: Number($("lr").value) }));
    $("activation").addEventListener("change", () => change({ activation: $("activation").value }));
    $("optimizer").addEventListener("change", () => change({ optimizer: $("optimizer").value }));
    $("clip").addEventListener("change", () => change({ clip: Number($("clip").value) }));
    $("reg").addEventListener("change", () => change({ reg: $("reg").value }));
    $("reg-rate").addEventListener("change", () => change({ regRate: Number($("reg-rate").value) }));
    $("problem").addEventListener("change", () => change({ problem: $("problem").value }));
    $("loss").addEventListener("change", () => change({ loss: $("loss").value }));
    $("init").addEventListener("change", () => change({ init: $("init").value }));
    for (const key of /** @type {const} */ (["momentum", "beta1", "beta2"])) {
      $(key).addEventListener("change", () => change({ [key]: Number($(key).value) }));
    }
    $("classes").addEventListener("change", () => change({ classes: Number($("classes").value) }));
    $("classes").addEventListener("input", () => this.showSliders());
    $("ratio").addEventListener("change", () => change({ ratio: Number($("ratio").value) }));
    $("noise").addEventListener("change", () => change({ noise: Number($("noise").value) }));
    $("batch").min = "0";
    $("batch").max = String(FULL_BATCH_SLOT);
    $("batch").addEventListener("change", () => change({ batch: batchOfSlot(Number($("batch").value)) }));
    /** the batch size the state has (it may lie between the slider's sizes) */
    this.batch = /** @type {number | "full"} */ (10);
    for (const id of ["ratio", "noise", "batch"]) {
      $(id).addEventListener("input", () => this.showSliders());
    }
    $("show-test").addEventListener("change", () => change({ showTest: $("show-test").checked }));
    $("discretize").addEventListener("change", () => change({ discretize: $("discretize").checked }));
    $("preset").addEventListener("change", () => change({ preset: $("preset").value }));
    /** the seed the state has: "Regenerate" asks for the next */
    this.seed = 1;
    $("regenerate").addEventListener("click", () => change({ seed: this.seed + 1 }));
  }

  /**
   * The choices the engine offers. Initializers that need parameters to mean anything
   * (constant) are left to the REST API.
   * @param {import("./layers.js").Catalog} catalog
   */
  setCatalog(catalog) {
    this.catalog = catalog;
    const hidden = catalog.activations.filter((a) => a !== "softmax");
    fill($("activation"), hidden);
    fill($("optimizer"), Object.keys(catalog.optimizers));
    fill($("reg"), catalog.regularization.kinds);
    fill($("init"), ["", ...Object.keys(catalog.initializers).filter((k) => k !== "constant")]);
    $("init").options[0].textContent = "Default";
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

  /**
   * @param {import("./state.js").State} s
   * @param {{twoD: boolean, fixedData: boolean, losses: string[], classes: number | null,
   *   preset: any, image?: boolean, noise?: boolean, clip?: boolean, gan?: boolean}} shape `classes`: the dataset's class
   *   count when it can be chosen, else null; `preset`: the spec of the preset the set-up
   *   builds on, if any, whose loss and initializer are then the defaults (the course's
   *   ½·Σ(y−ŷ)² and uniform [0, 1)); `image`: an image network (each layer has its own
   *   activation, and the problem is classification); `noise`: whether the data take noise
   *   (false: the slider is hidden); `clip`: whether to offer gradient clipping (a recurrent
   *   network, or a set-up that clips); `gan`: a GAN (its loss, networks and data are the GAN
   *   workspace's: no loss, initializer, activation, problem type or train/test ratio here)
   */
  update(s, shape) {
    const loss = $("loss"), init = $("init");
    const presetLoss = shape.preset?.loss ?? null;
    const key = `${shape.losses.join()}|${presetLoss}`;
    if (loss.dataset.key !== key) {
      loss.dataset.key = key;
      fill(loss, presetLoss ? ["", ...shape.losses] : shape.losses);
      loss.options[0].value = "";
      loss.options[0].textContent = presetLoss ? nameOf(presetLoss) : `${nameOf(shape.losses[0])} · default`;
      loss.options[0].title = presetLoss ? "the preset's loss" : "the usual loss for this problem";
    }
    setSelect(loss, presetLoss ? s.loss : shape.losses.includes(s.loss) && s.loss !== shape.losses[0] ? s.loss : "");
    const presetInit = shape.preset?.model ? initName(shape.preset.model.layers[0]?.init) : null;
    init.options[0].textContent = presetInit ?? "Default";
    init.options[0].title = presetInit ? "the preset's initializer" : "He for the ReLU family, Glorot otherwise";
    setSelect(init, s.init);
    setSelect($("momentum"), s.momentum);
    setSelect($("beta1"), s.beta1);
    setSelect($("beta2"), s.beta2);
    const takes = this.catalog?.optimizers[s.optimizer] ?? {};
    byIdField("momentum").hidden = !("momentum" in takes);
    byIdField("beta1").hidden = !("beta1" in takes);
    byIdField("beta2").hidden = !("beta2" in takes);
    byIdField("activation").hidden = byIdField("problem").hidden = Boolean(shape.image || shape.gan);
    byIdField("loss").hidden = byIdField("init").hidden = byIdField("ratio").hidden = Boolean(shape.gan);
    byIdField("clip").hidden = !shape.clip;
    setSelect($("clip"), s.clip);
    byIdField("classes").hidden = shape.classes === null;
    if (shape.classes !== null) $("classes").value = String(shape.classes);
    setSelect($("lr"), s.lr);
    setSelect($("activation"), s.activation);
    setSelect($("optimizer"), s.optimizer);
    setSelect($("reg"), s.reg);
    setSelect($("reg-rate"), s.regRate);
    $("problem").value = s.problem;
    $("preset").value = s.preset;
    $("ratio").value = String(s.ratio);
    $("noise").value = String(s.noise);
    this.batch = s.batch;
    this.seed = s.seed;
    $("batch").value = String(slotOfBatch(s.batch));
    $("show-test").checked = s.showTest;
    $("discretize").checked = s.discretize;
    $("reg-rate").disabled = s.reg === "none";
    for (const id of ["ratio", "noise"]) $(id).disabled = shape.fixedData;
    byIdField("noise").hidden = shape.noise === false;
    this.showSliders();
  }

  showSliders() {
    const fixed = /** @type {HTMLInputElement} */ ($("ratio")).disabled;
    $("ratio-out").textContent = fixed ? "fixed by the data" : `${$("ratio").value}%`;
    $("noise-out").textContent = fixed ? "none" : $("noise").value;
    const slot = Number($("batch").value);
    const batch = slot === slotOfBatch(this.batch) ? this.batch : batchOfSlot(slot);
    $("batch-out").textContent = batch === "full" ? "all" : String(batch);
    $("classes-out").textContent = $("classes").value;
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
    option.textContent = nameOf(value);
    select.appendChild(option);
  }
  select.value = text;
}

/** The label around a control, to show or hide with it. @param {string} id */
function byIdField(id) {
  return /** @type {HTMLElement} */ ($(id).closest("label"));
}

/** @param {number} slot @returns {number | "full"} */
function batchOfSlot(slot) {
  return slot >= FULL_BATCH_SLOT ? "full" : BATCH_SIZES[Math.max(0, slot)];
}

/** The slider's slot nearest to a batch size. @param {number | "full"} batch */
function slotOfBatch(batch) {
  if (batch === "full") return FULL_BATCH_SLOT;
  let best = 0;
  BATCH_SIZES.forEach((b, k) => { if (Math.abs(b - batch) < Math.abs(BATCH_SIZES[best] - batch)) best = k; });
  return best;
}
