// @ts-check
/**
 * The next character's distribution as a bar chart: the likeliest characters, largest
 * first, each a bar with its probability (white space shown as visible marks). The
 * rows are made once and then only resized.
 */
import { el } from "../frame.js";
import { visibleChar } from "./sequence-heatmap.js";

export class CharBars {
  /** @param {HTMLElement} container @param {{count?: number}} [options] how many characters to show */
  constructor(container, options = {}) {
    this.root = el("div", "char-bars", container);
    this.count = options.count ?? 12;
    this.head = el("p", "fine char-bars-head", this.root);
    this.bars = el("div", "prob-bars", this.root);
    this.rows = Array.from({ length: this.count }, () => {
      const row = el("div", "prob-row", this.bars);
      const name = el("span", "prob-name char-name", row);
      const track = el("span", "prob-track", row);
      const fill = el("span", "prob-fill", track);
      const value = el("span", "prob-value", row);
      return { row, name, fill, value };
    });
    this.update(null);
  }

  /** @param {{prefix: string, chars: string[], probabilities: (number | null)[]} | null} d */
  update(d) {
    this.root.classList.toggle("empty", !d);
    const order = d ? d.chars.map((_, k) => k).sort((a, b) => (d.probabilities[b] ?? 0) - (d.probabilities[a] ?? 0)) : [];
    this.rows.forEach((r, k) => {
      const i = order[k];
      r.row.hidden = i === undefined;
      if (i === undefined || !d) return;
      const c = d.chars[i], p = d.probabilities[i] ?? 0;
      const shown = visibleChar(c);
      if (r.name.textContent !== shown) r.name.textContent = shown;
      r.fill.style.width = `${(p * 100).toFixed(1)}%`;
      r.value.textContent = `${(p * 100).toFixed(p < 0.1 ? 1 : 0)}%`;
      r.row.classList.toggle("predicted", k === 0);
    });
    this.head.textContent = d ? `after “${tail(d.prefix)}”, of ${d.chars.length} characters:` : "";
  }
}

/** The end of a prefix, short enough for a heading. @param {string} text */
function tail(text) {
  const shown = [...text].map(visibleChar).join("");
  return shown.length > 24 ? `…${shown.slice(-24)}` : shown;
}
