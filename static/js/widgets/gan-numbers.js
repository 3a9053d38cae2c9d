// @ts-check
/**
 * A GAN's numbers: the last step's losses and D's mean outputs on real and generated
 * samples, and, when the session measures them (2-D data, once an epoch), the KL and
 * JS divergences between the real and the generated distributions on a grid and, for
 * mixtures, the modes covered and the share of high-quality samples (within 3σ of a
 * mode). A number the session does not have is not shown; one a step left out (a
 * generator step measures no D(real)) stays as it was.
 */
import { el } from "../frame.js";

/**
 * @type {{key: string, label: string, title: string, testid: string, text: (v: number, d: NumbersData) => string}[]}
 */
const ROWS = [
  { key: "step", label: "Step", title: "steps trained: rounds, and single steps of one network", testid: "gan-step", text: (v) => v.toLocaleString() },
  { key: "d_loss", label: "D loss", title: "the discriminator's loss at the last step", testid: "gan-d-loss", text: (v) => v.toFixed(3) },
  { key: "g_loss", label: "G loss", title: "the generator's loss at the last step", testid: "gan-g-loss", text: (v) => v.toFixed(3) },
  { key: "d_real", label: "D(real)", title: "the discriminator's mean output on real samples (1: sure they are real)", testid: "gan-d-real", text: (v) => v.toFixed(3) },
  { key: "d_fake", label: "D(fake)", title: "the discriminator's mean output on generated samples (0: sure they are fake)", testid: "gan-d-fake", text: (v) => v.toFixed(3) },
  { key: "kl", label: "KL(real ‖ fake)", title: "Kullback–Leibler divergence of the generated distribution from the real one, on a grid over the plane, in bits (last epoch)", testid: "gan-kl", text: (v) => `${v.toFixed(3)} bits` },
  { key: "js", label: "JS divergence", title: "Jensen–Shannon divergence between the real and the generated distributions on a grid, in bits (0 to 1; last epoch)", testid: "gan-js", text: (v) => `${v.toFixed(3)} bits` },
  { key: "modes", label: "Modes covered", title: "modes of the mixture with generated samples near them (last epoch)", testid: "gan-modes", text: (v, d) => (d.modes ? `${v} of ${d.modes}` : String(v)) },
  { key: "high_quality", label: "High quality", title: "share of generated samples within 3σ of a mode (last epoch)", testid: "gan-high-quality", text: (v) => `${(v * 100).toFixed(1)}%` },
  { key: "steps_per_second", label: "Steps a second", title: "steps (rounds, or one network's steps) the server trains a second", testid: "gan-rate", text: (v) => (v >= 10 ? Math.round(v).toLocaleString() : v.toFixed(1)) },
];

/** @typedef {{metrics: Record<string, any> | null, modes: number | null}} NumbersData `modes`: how many the data have */

export class GanNumbers {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.root = el("dl", "gan-numbers", container);
    /** @type {Map<string, {dt: HTMLElement, dd: HTMLElement}>} */ this.rows = new Map();
    for (const r of ROWS) {
      const dt = el("dt", "", this.root), dd = el("dd", "", this.root);
      dt.textContent = r.label;
      dt.title = dd.title = r.title;
      dd.dataset.testid = r.testid;
      this.rows.set(r.key, { dt, dd });
    }
    /** @type {Record<string, number>} the last value of each number */ this.kept = {};
    this.update({ metrics: null, modes: null });
  }

  /** @param {NumbersData} d `metrics` null: another session (nothing kept) */
  update(d) {
    if (!d.metrics) this.kept = {};
    for (const r of ROWS) {
      const { dt, dd } = /** @type {{dt: HTMLElement, dd: HTMLElement}} */ (this.rows.get(r.key));
      const given = d.metrics?.[r.key];
      if (typeof given === "number" && Number.isFinite(given) && (given > 0 || r.key !== "steps_per_second")) this.kept[r.key] = given;
      const v = this.kept[r.key];
      const known = v !== undefined;
      // the losses keep their place from the start (a dash until the first step)
      const always = r.key.startsWith("d_") || r.key === "g_loss" || r.key === "step";
      dt.hidden = dd.hidden = !known && !always;
      const text = known ? r.text(v, d) : "–";
      if (dd.textContent !== text) dd.textContent = text;
    }
  }
}
