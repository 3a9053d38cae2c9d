// @ts-check
/**
 * A small floating editor for one number (a weight or a bias): opens where it was
 * clicked with the current value selected; Enter or "Set" commits, Escape or a click
 * elsewhere closes it.
 */
import { el } from "./frame.js";

export class ValueEditor {
  /** @param {HTMLElement} container where the floating box lives (the body) */
  constructor(container) {
    this.box = el("form", "value-editor", container);
    this.box.hidden = true;
    this.box.dataset.testid = "value-editor";
    this.label = el("div", "value-editor-label", this.box);
    this.input = /** @type {HTMLInputElement} */ (el("input", "", this.box));
    this.input.type = "number";
    this.input.step = "any";
    this.input.required = true;
    this.input.dataset.testid = "value-input";
    const set = el("button", "text-button", this.box);
    set.setAttribute("type", "submit");
    set.textContent = "Set";
    /** @type {((value: number) => void) | null} */ this.commit = null;
    this.box.addEventListener("submit", (e) => {
      e.preventDefault();
      const value = Number(this.input.value);
      if (this.input.value === "" || !Number.isFinite(value)) return;
      const commit = this.commit;
      this.close();
      commit?.(value);
    });
    this.input.addEventListener("keydown", (e) => { if (e.key === "Escape") this.close(); });
    document.addEventListener("mousedown", (e) => {
      if (!this.box.hidden && !this.box.contains(/** @type {Node} */ (e.target))) this.close();
    });
  }

  /**
   * @param {MouseEvent} at where it was clicked
   * @param {{label: string, value: number | null}} what
   * @param {(value: number) => void} commit
   */
  open(at, what, commit) {
    this.commit = commit;
    this.label.textContent = what.label;
    this.input.value = what.value === null ? "" : String(Number(what.value.toPrecision(6)));
    this.box.hidden = false;
    const width = 220;
    this.box.style.left = `${Math.min(at.pageX + 8, window.scrollX + window.innerWidth - width - 8)}px`;
    this.box.style.top = `${at.pageY + 8}px`;
    this.input.focus();
    this.input.select();
  }

  close() {
    this.box.hidden = true;
    this.commit = null;
  }
}
