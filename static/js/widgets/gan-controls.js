// @ts-check
/**
 * A GAN's own training controls: its loss (minimax, non-saturating, least squares),
 * the discriminator's and the generator's steps a round, and the noise the generator
 * starts from (how many numbers, uniform or normal). The choices and ranges come from
 * the catalog's `gan` section; each change is reported as a partial state.
 */
import { el } from "../frame.js";

const LOSSES = /** @type {Record<string, [string, string]>} */ ({
  minimax: ["Minimax", "the original game: G minimizes log(1 − D(G(z))), whose gradient vanishes where D is sure"],
  non_saturating: ["Non-saturating", "G maximizes log D(G(z)) instead: strong gradients where D rejects its samples"],
  least_squares: ["Least squares", "LSGAN: D's output is pushed to 1 on real and 0 on generated samples, G's to 1"],
});
const DISTRIBUTIONS = /** @type {Record<string, string>} */ ({ uniform: "Uniform on [−1, 1]", normal: "Normal N(0, 1)" });

/**
 * @typedef {{losses: string[], distributions: string[], maxSteps: number, maxNoise: number,
 *   ganLoss: string, dSteps: number, gSteps: number, noiseDim: number, noiseDist: string}} GanControlsData
 */

export class GanControls {
  /**
   * @param {HTMLElement} container
   * @param {{onChange: (partial: Partial<import("../state.js").State>) => void}} options
   */
  constructor(container, options) {
    this.root = el("div", "gan-controls", container);
    const change = options.onChange;
    this.loss = this.select("Loss", "How the two networks score each other (changes apply at once)", "gan-loss",
      () => change({ ganLoss: this.loss.value }));
    this.dSteps = this.number("D steps a round", "Discriminator steps in each round, before the generator's (changes apply at once)",
      "d-steps", (v) => change({ dSteps: v }));
    this.gSteps = this.number("G steps a round", "Generator steps in each round, after the discriminator's (changes apply at once)",
      "g-steps", (v) => change({ gSteps: v }));
    this.noiseDim = this.number("Noise numbers", "How many random numbers the generator turns into a sample (a new session; the plane's grid shows the first two)",
      "noise-dim", (v) => change({ noiseDim: v }));
    this.noiseDist = this.select("Noise", "The distribution the generator's noise is drawn from (a new session)", "noise-dist",
      () => change({ noiseDist: this.noiseDist.value }));
    this.key = "";
  }

  /**
   * @param {string} text @param {string} title @param {string} testid @param {() => void} onChange
   * @returns {HTMLSelectElement}
   */
  select(text, title, testid, onChange) {
    const label = el("label", "gan-field", this.root);
    label.title = title;
    el("span", "gan-field-name", label).textContent = text;
    const select = /** @type {HTMLSelectElement} */ (el("select", "", label));
    select.dataset.testid = testid;
    select.addEventListener("change", onChange);
    return select;
  }

  /**
   * @param {string} text @param {string} title @param {string} testid @param {(v: number) => void} onChange
   * @returns {HTMLInputElement}
   */
  number(text, title, testid, onChange) {
    const label = el("label", "gan-field", this.root);
    label.title = title;
    el("span", "gan-field-name", label).textContent = text;
    const input = /** @type {HTMLInputElement} */ (el("input", "", label));
    input.type = "number";
    input.min = "1";
    input.step = "1";
    input.dataset.testid = testid;
    input.addEventListener("change", () => {
      const v = Math.round(Number(input.value));
      if (Number.isFinite(v) && v >= Number(input.min) && v <= Number(input.max)) onChange(v);
      else input.value = input.dataset.value ?? "1";  // out of range: back to the set-up's
    });
    return input;
  }

  /** @param {GanControlsData} d */
  update(d) {
    const key = `${d.losses}|${d.distributions}`;
    if (key !== this.key) {
      this.key = key;
      this.loss.replaceChildren(...d.losses.map((l) => {
        const o = new Option(LOSSES[l]?.[0] ?? l, l);
        o.title = LOSSES[l]?.[1] ?? "";
        return o;
      }));
      this.noiseDist.replaceChildren(...d.distributions.map((n) => new Option(DISTRIBUTIONS[n] ?? n, n)));
    }
    this.loss.value = d.ganLoss;
    this.loss.title = LOSSES[d.ganLoss]?.[1] ?? "";
    this.noiseDist.value = d.noiseDist;
    for (const [input, value, max] of /** @type {[HTMLInputElement, number, number][]} */ ([[this.dSteps, d.dSteps, d.maxSteps],
      [this.gSteps, d.gSteps, d.maxSteps], [this.noiseDim, d.noiseDim, d.maxNoise]])) {
      input.max = String(max);
      input.dataset.value = String(value);
      if (document.activeElement !== input) input.value = String(value);
    }
  }
}
