// @ts-check
/**
 * The numbers every workspace shows: the epoch counter and training speed in the top
 * bar, the training and test losses and accuracies, and the loss chart. The losses
 * block is one element that the open workspace gives a place to (`moveTo`).
 */
import { formatEpoch, formatLoss } from "./status.js";

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

export class MetricsDisplay {
  /**
   * @param {HTMLElement} block the losses and the chart, moved between workspaces
   * @param {{chart: import("./linechart.js").LossChart}} options
   */
  constructor(block, options) {
    this.block = block;
    this.chart = options.chart;
  }

  /** Put the losses block into a workspace. @param {HTMLElement} slot */
  moveTo(slot) {
    if (this.block.parentElement !== slot) slot.appendChild(this.block);
  }

  /** The epoch counter alone (status frames carry the epoch but no losses). @param {number} epoch */
  epoch(epoch) {
    byId("epoch").textContent = formatEpoch(epoch);
  }

  /** @param {any} m a metrics frame or summary metrics */
  update(m) {
    this.epoch(m.epoch);
    byId("rate").textContent = m.epochs_per_second ? `${rate(m.epochs_per_second)} epochs/s` : "";
    byId("train-loss").textContent = formatLoss(m.train_loss);
    byId("test-loss").textContent = formatLoss(m.test_loss);
    const acc = (/** @type {number | null | undefined} */ a) => (a === null || a === undefined ? "" : `accuracy ${(a * 100).toFixed(1)}%`);
    byId("train-acc").textContent = acc(m.train_accuracy);
    byId("test-acc").textContent = acc(m.test_accuracy);
    if (m.train_loss !== undefined) this.chart.push(m.epoch, m.train_loss ?? null, m.test_loss ?? null);
  }

  /** No session: zero, and an empty chart. */
  clear() {
    this.chart.clear();
    this.update({ epoch: 0 });
  }
}

/** Epochs a second: whole numbers, or one decimal below 10 (an image network's pace). @param {number} r */
function rate(r) {
  return r >= 10 ? Math.round(r).toLocaleString() : r.toFixed(1);
}
