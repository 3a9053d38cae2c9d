// @ts-check
/**
 * Text the model wrote after a prime, one character a span, each tinted by how sure
 * the model was of it; hovering a character shows the five characters the model found
 * likeliest there, with their probabilities. The spans are rebuilt only when the text
 * changes, and only the new ones made when it grows (text streamed in pieces); the
 * tooltip is one element, moved.
 */
import { el } from "../frame.js";
import { visibleChar } from "./sequence-heatmap.js";

/**
 * @typedef {{prime: string, text: string, probabilities: (number | null)[],
 *   top: [string, number][][], temperature: number}} Sample the sample_text view
 */

export class SampledText {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.root = el("div", "sampled", container);
    this.body = el("pre", "sampled-body", this.root);
    this.body.dataset.testid = "sampled-body";
    this.tip = el("div", "char-tip", this.root);
    this.tip.hidden = true;
    this.error = el("p", "upload-error sampled-error", this.root);
    this.error.hidden = true;
    /** @type {Sample | null} */ this.sample = null;
    this.key = "";
    this.body.addEventListener("mouseover", (e) => this.hover(/** @type {HTMLElement} */ (e.target)));
    this.body.addEventListener("mouseleave", () => { this.tip.hidden = true; });
  }

  /**
   * @param {Sample | null} s @param {string} [note] shown in the text's place when there is none
   * @returns {boolean} whether anything new was drawn
   */
  update(s, note = "") {
    const before = this.sample;
    this.sample = s;
    const key = s ? `${s.prime}\u0000${s.temperature}\u0000${s.text}` : `\u0001${note}`;
    if (key === this.key) return false;
    const grows = Boolean(s && before && this.key.startsWith(`${s.prime}\u0000${s.temperature}\u0000`)
      && s.text.length > before.text.length && s.text.startsWith(before.text));
    this.key = key;
    if (!s) {
      this.tip.hidden = true;
      this.body.textContent = note;
      this.body.classList.add("empty");
      this.body.dataset.length = "0";
      return true;
    }
    this.body.classList.remove("empty");
    const frag = document.createDocumentFragment();
    if (!grows) {
      this.tip.hidden = true;
      const prime = el("span", "prime");
      prime.textContent = s.prime;
      prime.title = "The prime: the text the model starts from";
      frag.append(prime);
    }
    for (let i = grows && before ? before.text.length : 0; i < s.text.length; i++) {
      const c = s.text[i];
      const span = el("span", "ch");
      span.dataset.i = String(i);
      span.textContent = c;
      const p = s.probabilities[i] ?? 0;
      span.style.backgroundColor = `rgba(8,119,189,${(0.22 * p).toFixed(3)})`;
      frag.append(span);
    }
    if (grows) this.body.append(frag);
    else this.body.replaceChildren(frag);
    this.body.dataset.length = String(s.text.length);
    return true;
  }

  /** A problem with the sample (a prime of characters the corpus lacks): shown under it. @param {string} message */
  showError(message) {
    this.error.hidden = !message;
    this.error.textContent = message;
  }

  /** @param {HTMLElement} target */
  hover(target) {
    const s = this.sample;
    if (!s || !target.classList?.contains("ch")) { this.tip.hidden = true; return; }
    const i = Number(target.dataset.i);
    const top = s.top[i] ?? [];
    const picked = s.text[i];
    const rows = top.map(([c, p]) => {
      const row = el("div", `tip-row${c === picked ? " picked" : ""}`);
      el("span", "tip-char", row).textContent = visibleChar(c);
      const track = el("span", "tip-track", row);
      el("span", "tip-fill", track).style.width = `${(p * 100).toFixed(1)}%`;
      el("span", "tip-p", row).textContent = `${(p * 100).toFixed(p < 0.1 ? 1 : 0)}%`;
      return row;
    });
    const head = el("div", "tip-head");
    head.textContent = `wrote “${visibleChar(picked)}”: ${((s.probabilities[i] ?? 0) * 100).toFixed(1)}% at temperature ${s.temperature}`;
    this.tip.replaceChildren(head, ...rows);
    this.tip.hidden = false;
    const box = this.root.getBoundingClientRect(), at = target.getBoundingClientRect();
    const left = Math.max(0, Math.min(at.left - box.left, box.width - 190));
    this.tip.style.transform = `translate(${left}px, ${at.bottom - box.top + 4}px)`;
  }
}
