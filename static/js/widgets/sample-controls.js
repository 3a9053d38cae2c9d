// @ts-check
/**
 * How the model is asked to write: the prime (the text it starts from), the
 * temperature (a slider from 0.1, nearly always the likeliest character, to 2, wild)
 * and a button for another draw of the dice (a new seed). Each change is reported at
 * once; the owner decides when to ask the server.
 */
import { el } from "../frame.js";

/** @typedef {{prime: string, temperature: number, seed: number}} SampleParams */

export class SampleControls {
  /** @param {HTMLElement} container @param {{onChange: (params: SampleParams) => void}} options */
  constructor(container, options) {
    this.options = options;
    this.params = { prime: "", temperature: 1, seed: 0 };
    this.root = el("div", "sample-controls", container);
    const primeLabel = el("label", "sample-field prime-field", this.root);
    primeLabel.title = "The text the model starts from; empty: the corpus's first character";
    el("span", "sample-label", primeLabel).textContent = "Prime";
    this.prime = /** @type {HTMLInputElement} */ (el("input", "", primeLabel));
    this.prime.type = "text";
    this.prime.maxLength = 1000;
    this.prime.placeholder = "the corpus's first character";
    this.prime.spellcheck = false;
    this.prime.dataset.testid = "prime";
    this.prime.addEventListener("input", () => this.set({ prime: this.prime.value }));

    const tempLabel = el("label", "sample-field temp-field", this.root);
    tempLabel.title = "Temperature divides the model's logits: low writes the likeliest characters, high takes chances";
    el("span", "sample-label", tempLabel).textContent = "Temperature";
    this.temperature = /** @type {HTMLInputElement} */ (el("input", "", tempLabel));
    this.temperature.type = "range";
    this.temperature.min = "0.1";
    this.temperature.max = "2";
    this.temperature.step = "0.05";
    this.temperature.value = "1";
    this.temperature.dataset.testid = "temperature";
    this.tempOut = el("b", "temp-out", tempLabel);
    this.temperature.addEventListener("input", () => this.set({ temperature: Number(this.temperature.value) }));

    const reseed = /** @type {HTMLButtonElement} */ (el("button", "text-button", this.root));
    reseed.type = "button";
    reseed.textContent = "Write again";
    reseed.title = "Draw the characters again with other random numbers (a new seed)";
    reseed.dataset.testid = "resample";
    reseed.addEventListener("click", () => this.set({ seed: this.params.seed + 1 }));
    this.show();
  }

  /** @param {Partial<SampleParams>} partial */
  set(partial) {
    this.params = { ...this.params, ...partial };
    this.show();
    this.options.onChange(this.params);
  }

  show() {
    this.tempOut.textContent = this.params.temperature.toFixed(2);
  }
}
