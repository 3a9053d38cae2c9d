// @ts-check
/**
 * A page of the corpus as the model reads it: the text cut into its training windows
 * (seq_len characters each, one after another), every other window faintly shaded so
 * that their bounds show, the chosen one highlighted. A click on a window chooses it;
 * the pager moves a page of windows at a time.
 */
import { el } from "../frame.js";

/**
 * @typedef {{split: string, start: number, text: string, total: number, seq_len: number,
 *   windows: number}} Corpus the corpus view, a page starting at a window's first character
 */

export class CorpusText {
  /**
   * @param {HTMLElement} container
   * @param {{onPick: (window: number) => void, onPage: (start: number) => void, pageWindows: number}} options
   */
  constructor(container, options) {
    this.options = options;
    this.root = el("div", "corpus", container);
    this.body = el("pre", "corpus-body", this.root);
    this.pager = el("div", "pager fine", this.root);
    this.prev = this.button("‹", "Earlier text", -1);
    this.info = el("span", "", this.pager);
    this.next = this.button("›", "Later text", 1);
    /** @type {Corpus | null} */ this.corpus = null;
    /** @type {number | null} */ this.chosen = null;
    this.body.addEventListener("click", (e) => {
      const span = /** @type {HTMLElement} */ (e.target).closest?.("[data-window]");
      if (span instanceof HTMLElement) options.onPick(Number(span.dataset.window));
    });
  }

  /** @param {string} text @param {string} title @param {number} by */
  button(text, title, by) {
    const b = /** @type {HTMLButtonElement} */ (el("button", "text-button", this.pager));
    b.type = "button";
    b.textContent = text;
    b.title = title;
    b.addEventListener("click", () => {
      const c = this.corpus;
      if (c) this.options.onPage(Math.max(0, c.start + by * this.options.pageWindows * c.seq_len));
    });
    return b;
  }

  /** A new page of text (null: none). @param {Corpus | null} c @param {number | null} chosen */
  update(c, chosen) {
    this.corpus = c;
    this.body.replaceChildren();
    this.root.hidden = !c;
    if (!c) return;
    const L = c.seq_len, first = Math.floor(c.start / L);
    const frag = document.createDocumentFragment();
    for (let k = 0; k * L < c.text.length; k++) {
      const index = first + k;
      const span = el("span", index % 2 ? "win odd" : "win");
      span.textContent = c.text.slice(k * L, (k + 1) * L);
      if (index < c.windows) {
        span.dataset.window = String(index);
        span.title = `Window ${index}: characters ${(index * L).toLocaleString()}–${((index + 1) * L - 1).toLocaleString()}. Click to look inside the network as it reads it.`;
      }
      frag.append(span);
    }
    this.body.append(frag);
    const last = Math.min(c.windows, first + Math.ceil(c.text.length / L));
    this.info.textContent = `windows ${first.toLocaleString()}–${Math.max(first, last - 1).toLocaleString()} of ${c.windows.toLocaleString()} · ${c.total.toLocaleString()} characters`;
    this.prev.disabled = c.start === 0;
    this.next.disabled = last >= c.windows;
    this.chosen = null;
    this.select(chosen);
  }

  /** Highlight the chosen window, if it is on this page. @param {number | null} chosen */
  select(chosen) {
    if (chosen === this.chosen) return;
    this.body.querySelector(".win.chosen")?.classList.remove("chosen");
    this.chosen = chosen;
    if (chosen !== null) this.body.querySelector(`[data-window="${chosen}"]`)?.classList.add("chosen");
  }
}
