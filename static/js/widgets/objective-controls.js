// @ts-check
/**
 * What the network trains for: in the top bar, classify the data, reconstruct it
 * through a narrow code (an autoencoder) or make more like it (a GAN: a generator
 * against a discriminator), the choices the data take; in the data column, for an autoencoder, which
 * classes are normal (unchecking one holds it out of training: the anomaly lab, which
 * then calls it an anomaly) and the σ of the noise added to its training inputs (a
 * denoising autoencoder). Each change is reported as a partial state; the noise when
 * the slider is let go.
 */
import { el } from "../frame.js";

/** The noise slider's range and step (σ, in the data's units: pixels lie in [0, 1]). */
const MAX_NOISE = 0.5, NOISE_STEP = 0.05;

/**
 * @typedef {{objective: string, supervised: string, onlyReconstruction: boolean,
 *   classNames: string[] | null, normal: number[], denoise: number, reconstruction?: boolean,
 *   adversarial?: boolean}} ObjectiveData
 *   `supervised`: what the other choice is called (Classify); `onlyReconstruction`: the
 *   data are for autoencoders only; `normal` [] for every class; `reconstruction` and
 *   `adversarial`: whether the data take an autoencoder (so unless false) and a GAN
 */

export class ObjectiveControls {
  /**
   * @param {HTMLElement} container the data column's box (normal classes, noise)
   * @param {{choice: HTMLElement, onChange: (partial: Partial<import("../state.js").State>) => void}} options
   *   `choice`: the top bar's field for the objective
   */
  constructor(container, options) {
    this.container = container;
    this.choiceBox = options.choice;
    this.onChange = options.onChange;
    const group = el("div", "segmented", options.choice);
    group.setAttribute("role", "radiogroup");
    group.setAttribute("aria-label", "What the network trains for");
    this.supervised = this.choice(group, "supervised", "Classify",
      "Learn the labels: inputs to classes");
    this.reconstruction = this.choice(group, "reconstruction", "Autoencoder",
      "Learn to give the input back through a narrow code (the targets are the inputs): reconstructions, the latent space, anomalies");
    this.adversarial = this.choice(group, "adversarial", "GAN",
      "A generator learns to make samples like the data, against a discriminator that learns to tell them apart (GAN Lab's picture for 2-D points)");
    this.classesBox = el("div", "normal-classes", container);
    this.classesBox.dataset.testid = "normal-classes";
    el("span", "label", this.classesBox).textContent = "Normal classes";
    const head = el("p", "fine", this.classesBox);
    head.textContent = "Uncheck a class to hold it out of training: the test set then scores it as an anomaly.";
    this.checks = el("div", "class-checks", this.classesBox);
    this.classKey = "";
    const noise = /** @type {HTMLLabelElement} */ (el("label", "slider", container));
    noise.title = "Denoising: Gaussian noise of this σ is added to each training input, and the network must give back the clean one (0: none)";
    const text = el("span", "", noise);
    text.append("Denoising: input noise σ ");
    this.noiseOut = el("b", "", text);
    this.noise = /** @type {HTMLInputElement} */ (el("input", "", noise));
    this.noise.type = "range";
    this.noise.min = "0";
    this.noise.max = String(MAX_NOISE);
    this.noise.step = String(NOISE_STEP);
    this.noise.dataset.testid = "denoise";
    this.noise.addEventListener("input", () => { this.noiseOut.textContent = Number(this.noise.value).toFixed(2); });
    this.noise.addEventListener("change", () => this.onChange({ denoise: Number(this.noise.value) }));
    this.noiseBox = noise;
    /** @type {ObjectiveData | null} */ this.data = null;
  }

  /**
   * @param {HTMLElement} group @param {string} objective @param {string} text @param {string} title
   * @returns {HTMLButtonElement}
   */
  choice(group, objective, text, title) {
    const b = /** @type {HTMLButtonElement} */ (el("button", "segment", group));
    b.type = "button";
    b.textContent = text;
    b.title = title;
    b.setAttribute("role", "radio");
    b.dataset.testid = `objective-${objective}`;
    b.addEventListener("click", () => { if (this.data?.objective !== objective) this.onChange({ objective }); });
    return b;
  }

  /** Whether the class names are known (or not needed). */
  get named() {
    return !this.data || Boolean(this.data.classNames);
  }

  /** @param {ObjectiveData | null} d null: the data take no autoencoder */
  update(d) {
    this.data = d;
    this.choiceBox.hidden = !d;
    this.container.hidden = !d || d.objective !== "reconstruction";
    if (!d) return;
    const ae = d.objective === "reconstruction";
    this.reconstruction.hidden = d.reconstruction === false;
    this.adversarial.hidden = !d.adversarial;
    this.supervised.textContent = d.supervised;
    this.supervised.disabled = d.onlyReconstruction;
    this.supervised.title = d.onlyReconstruction ? "These data are for autoencoders only: they have nothing to predict"
      : d.supervised === "Classify" ? "Learn the labels: inputs to classes" : "Learn the targets";
    const gan = d.objective === "adversarial";
    for (const [b, on] of /** @type {[HTMLButtonElement, boolean][]} */ ([[this.supervised, !ae && !gan], [this.reconstruction, ae],
      [this.adversarial, gan]])) {
      b.classList.toggle("selected", on);
      b.setAttribute("aria-checked", String(on));
    }
    this.classesBox.hidden = !ae || !d.classNames?.length;
    this.noiseBox.hidden = !ae;
    if (ae && d.classNames) this.showClasses(d.classNames, d.normal);
    if (document.activeElement !== this.noise) this.noise.value = String(d.denoise);
    this.noiseOut.textContent = d.denoise.toFixed(2);
  }

  /** @param {string[]} names @param {number[]} normal */
  showClasses(names, normal) {
    const key = JSON.stringify(names);
    if (key !== this.classKey) {
      this.classKey = key;
      this.checks.replaceChildren(...names.map((name, k) => {
        const label = /** @type {HTMLLabelElement} */ (el("label", "check class-check"));
        label.title = `class ${name}: normal (trained on) when checked, an anomaly (held out) when not`;
        const box = /** @type {HTMLInputElement} */ (el("input", "", label));
        box.type = "checkbox";
        box.dataset.class = String(k);
        box.addEventListener("change", () => this.toggle(k, box));
        label.append(name);
        return label;
      }));
    }
    const on = new Set(normal.length ? normal : names.map((_, k) => k));
    this.checks.querySelectorAll("input").forEach((box, k) => {
      box.checked = on.has(k);
      /** @type {HTMLElement} */ (box.parentElement).classList.toggle("held-out", !on.has(k));
    });
  }

  /** A class checked or unchecked: the normal classes ([] when all are). @param {number} k @param {HTMLInputElement} box */
  toggle(k, box) {
    const d = this.data;
    if (!d?.classNames) return;
    const all = d.classNames.map((_, j) => j);
    const on = new Set(d.normal.length ? d.normal : all);
    if (box.checked) on.add(k); else on.delete(k);
    if (!on.size) { box.checked = true; return; }  // something must be normal
    const normal = all.filter((j) => on.has(j));
    this.onChange({ normal: normal.length === all.length ? [] : normal });
  }
}
