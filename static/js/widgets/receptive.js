// @ts-check
/**
 * What one pixel of a feature map is computed from (the receptive_field view): for a
 * convolution, the patch of its input under the kernel, the kernel, their products,
 * and sum + bias = pre-activation → activation; for a pooling, the window and its max
 * or mean. One input channel's tables at a time (a select picks it), with every
 * channel's share of the sum.
 */
import { divergingCss } from "../colors.js";
import { el } from "../frame.js";
import { maxAbs } from "./paint.js";

/** @typedef {import("../grids.js").NdArray} NdArray */

export class ReceptiveField {
  /** @param {HTMLElement} container @param {{onClose: () => void}} options */
  constructor(container, options) {
    this.container = container;
    this.options = options;
    this.channel = 0;
    /** @type {any} */ this.data = null;
  }

  /**
   * @param {{view: any, patch?: NdArray, kernel?: NdArray, products?: NdArray} | null} d
   *   the view's answer with its arrays decoded
   */
  update(d) {
    this.data = d;
    this.container.hidden = !d;
    this.container.replaceChildren();
    if (!d) return;
    const v = d.view;
    const head = el("div", "rf-head", this.container);
    el("span", "rf-title", head).textContent = `${v.layer} · channel ${v.channel} at row ${v.y}, column ${v.x}`;
    const close = el("button", "close", head);
    close.setAttribute("type", "button");
    close.textContent = "×";
    close.title = "Close";
    close.setAttribute("aria-label", "Close the receptive field");
    close.addEventListener("click", () => this.options.onClose());
    const box = v.box;
    el("p", "fine", this.container).textContent = `It sees input rows ${box.top}–${box.bottom} and columns ${box.left}–${box.right}`
      + `${box.top !== box.clipped.top || box.left !== box.clipped.left || box.bottom !== box.clipped.bottom || box.right !== box.clipped.right ? " (partly padding)" : ""}: the box on the image above.`;
    if (v.type === "conv2d" && d.patch && d.kernel && d.products) this.conv(v, d.patch, d.kernel, d.products);
    else if (d.patch) this.pool(v, d.patch);
    else el("p", "rf-sum", this.container).textContent = `${v.type}: output ${fmt(v.output)}`;
  }

  /** @param {any} v @param {NdArray} patch @param {NdArray} kernel @param {NdArray} products */
  conv(v, patch, kernel, products) {
    const [kh, kw, cin] = patch.shape;
    if (this.channel >= cin) this.channel = 0;
    if (cin > 1) {
      const pick = el("label", "rf-channel fine", this.container);
      pick.append("input channel ");
      const select = /** @type {HTMLSelectElement} */ (el("select", "", pick));
      for (let c = 0; c < cin; c++) select.appendChild(new Option(`${c}: Σ ${fmt(channelSum(products, c))}`, String(c)));
      select.value = String(this.channel);
      select.addEventListener("change", () => { this.channel = Number(select.value); this.update(this.data); });
    }
    const c = this.channel;
    const grid = el("div", "rf-tables", this.container);
    this.table(grid, "input patch", patch, kh, kw, cin, c);
    this.table(grid, "× kernel", kernel, kh, kw, cin, c);
    this.table(grid, "= products", products, kh, kw, cin, c);
    const sum = el("div", "rf-sum", this.container);
    sum.dataset.testid = "rf-sum";
    sum.textContent = `Σ ${fmt(v.sum)} + bias ${fmt(v.bias)} = ${fmt(v.preactivation)} → ${v.activation} → ${fmt(v.output)}`;
    sum.title = "The sum of every product (over all input channels), plus the filter's bias, is the pre-activation; the activation of it is the pixel's value";
  }

  /** @param {any} v @param {NdArray} patch */
  pool(v, patch) {
    const [kh, kw] = patch.shape;
    const grid = el("div", "rf-tables", this.container);
    this.table(grid, "window", patch, kh, kw, 1, 0);
    el("div", "rf-sum", this.container).textContent = `${v.operation} = ${fmt(v.output)}`;
  }

  /**
   * @param {HTMLElement} parent @param {string} caption @param {NdArray} a
   * @param {number} kh @param {number} kw @param {number} channels @param {number} c
   */
  table(parent, caption, a, kh, kw, channels, c) {
    const fig = el("figure", "rf-table", parent);
    el("figcaption", "", fig).textContent = caption;
    const table = el("table", "", fig);
    const scale = 1 / maxAbs(a.values);
    for (let i = 0; i < kh; i++) {
      const row = el("tr", "", table);
      for (let j = 0; j < kw; j++) {
        const value = a.values[(i * kw + j) * channels + c];
        const cell = el("td", "", row);
        cell.textContent = short(value);
        cell.title = String(value);
        cell.style.background = divergingCss(value * scale * 0.8);
        if (Math.abs(value * scale) > 0.6) cell.classList.add("dark");
      }
    }
  }
}

/** @param {NdArray} products @param {number} c */
function channelSum(products, c) {
  const channels = products.shape[2];
  let s = 0;
  for (let k = c; k < products.values.length; k += channels) s += products.values[k];
  return s;
}

/** @param {number} v */
function fmt(v) {
  return Number.isFinite(v) ? (Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v !== 0) ? v.toExponential(2) : v.toFixed(3)) : String(v);
}

/** @param {number} v a table cell: two decimals, no leading zero */
function short(v) {
  if (!Number.isFinite(v)) return "NaN";
  if (Math.abs(v) >= 10) return v.toFixed(0);
  return v.toFixed(2).replace(/^(-?)0\./, "$1.");
}
