// @ts-check
/**
 * The honest-state banner (diverged, reconnecting, server errors, finished) and the
 * number formats of the counters.
 */

export class Banner {
  /** @param {HTMLElement} container */
  constructor(container) {
    this.container = container;
    /** @type {string | null} */ this.kind = null;
    this.timer = 0;
  }

  /**
   * @param {string} kind what it is about (a newer message of the same kind replaces it)
   * @param {string} text @param {"ok" | "warn" | "error"} tone
   * @param {number} [timeout] ms until it hides itself; 0 keeps it
   * @param {{label: string, run: () => void}} [action] a button in the banner
   */
  show(kind, text, tone, timeout = 0, action) {
    window.clearTimeout(this.timer);
    this.kind = kind;
    const root = this.container;
    root.className = `banner ${tone}`;
    root.dataset.kind = kind;
    const message = document.createElement("span");
    message.textContent = text;
    root.replaceChildren(message);
    if (action) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "text-button";
      button.dataset.testid = "banner-action";
      button.textContent = action.label;
      button.addEventListener("click", action.run);
      root.appendChild(button);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "close";
    close.title = "Dismiss";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    close.addEventListener("click", () => this.hide());
    root.appendChild(close);
    root.hidden = false;
    if (timeout) this.timer = window.setTimeout(() => this.hide(), timeout);
  }

  hide() {
    this.kind = null;
    this.container.hidden = true;
  }
}

/** TF Playground's counter: six digits with a thousands separator. @param {number} epoch */
export function formatEpoch(epoch) {
  const digits = String(Math.max(0, Math.floor(epoch))).padStart(6, "0");
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** @param {number | null | undefined} v */
export function formatLoss(v) {
  if (v === null || v === undefined) return "–";
  if (!Number.isFinite(v)) return "NaN";
  return v < 0.001 || v >= 1e5 ? v.toExponential(2) : v.toFixed(3);
}
