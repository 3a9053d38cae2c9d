// @ts-check
/**
 * The autoencoder workspace's anomaly lab, for a session trained on some classes only
 * (data.normal_classes): the test samples' reconstruction errors as histograms of the
 * normal and the anomalous ones with the threshold slider under them
 * (error-histogram.js), what the threshold gives (precision, recall, F1 and the counts
 * behind them) beside the PCA baseline's at its own default threshold, and both ROC
 * curves with their AUC and the point each threshold is at (roc-curve.js).
 * The threshold is the selection's (null: the server's default, the 95th percentile of
 * the training errors). A new one is sent over REST (one request in flight, one an
 * animation frame); answers older than the one shown are dropped. While training,
 * snapshots bring the view at the threshold in use.
 */
import { ErrorHistogram } from "../widgets/error-histogram.js";
import { RocCurve } from "../widgets/roc-curve.js";

/** Bins of the error histograms. */
const BINS = 40;

export class AnomalyLab {
  /**
   * @param {{root: HTMLElement, histogram: HTMLElement, scores: HTMLElement, roc: HTMLElement, note: HTMLElement}} parts
   * @param {{api: import("../api.js").Api, session: import("../session-state.js").SessionState,
   *   selection: import("../selection.js").Selection, banner: import("../status.js").Banner}} app
   */
  constructor(parts, app) {
    this.parts = parts;
    this.app = app;
    this.histogram = new ErrorHistogram(parts.histogram, { height: 150, onThreshold: (t) => app.selection.setThreshold(t) });
    this.roc = new RocCurve(parts.roc, { size: 230 });
    this.seq = 0;
    this.shownSeq = 0;
    this.snapSeq = 0;
    this.inflight = false;
    this.pending = false;
    this.scheduled = false;
    /** @type {string[]} the class names, for the note */ this.classNames = [];
    app.selection.subscribe((what) => { if (what === "threshold") this.moved(); });
  }

  /** Another session: shown when it has an anomaly split. @param {boolean} on */
  reset(on) {
    this.parts.root.hidden = !on;
    this.shownSeq = ++this.seq;
    this.histogram.update(null);
    this.roc.update(null);
    this.parts.scores.replaceChildren();
    this.parts.note.textContent = "";
    if (this.app.selection.threshold !== null) this.app.selection.setThreshold(null);
  }

  /** The threshold moved: ask for its figures on the next frame. */
  moved() {
    this.seq += 1;
    if (this.scheduled || this.parts.root.hidden) return;
    this.scheduled = true;
    requestAnimationFrame(() => { this.scheduled = false; this.send(); });
  }

  params() {
    const t = this.app.selection.threshold;
    return t === null ? { bins: BINS } : { bins: BINS, threshold: t };
  }

  send() {
    const { api, session } = this.app, id = session.id;
    if (!id) return;
    if (this.inflight) { this.pending = true; return; }
    const seq = this.seq;
    this.inflight = true;
    api.view(id, "anomaly", this.params())
      .then((v) => { if (id === session.id) this.show(v, seq); })
      .catch((e) => {
        if (id === session.id) this.app.banner.show("error", `Anomaly lab: ${/** @type {Error} */ (e).message}`, "warn", 4000);
      })
      .finally(() => {
        this.inflight = false;
        if (this.pending) { this.pending = false; this.send(); }
      });
  }

  /** The view to ask for in a snapshot. */
  request() {
    this.snapSeq = this.seq;
    return this.params();
  }

  /** A snapshot's anomaly view. @param {any} v @param {string[]} classNames */
  update(v, classNames) {
    this.classNames = classNames;
    this.show(v, this.snapSeq);
  }

  /** @param {any} v the anomaly view @param {number} seq the threshold it was asked at */
  show(v, seq) {
    if (seq < this.shownSeq) return;
    this.shownSeq = seq;
    const m = v.model, p = v.pca;
    const anomalous = v.anomalous.filter(Boolean).length;
    this.histogram.update({ histogram: m.histogram, threshold: m.threshold,
      counts: { normal: v.anomalous.length - anomalous, anomalous } });
    this.roc.update({ model: { ...m.roc, auc: m.auc, point: rates(m) },
      pca: { ...p.roc, auc: p.auc, point: rates(p), components: p.components } });
    this.showScores(m, p);
    const names = (/** @type {number[]} */ ks) => ks.map((k) => this.classNames[k] ?? String(k)).join(" ");
    const held = this.classNames.map((_, k) => k).filter((k) => !v.normal_classes.includes(k));
    this.parts.note.textContent = `Trained on ${names(v.normal_classes)}${held.length ? `; ${names(held)} held out as the anomalies` : ""}. `
      + `The test set: ${(v.anomalous.length - anomalous).toLocaleString()} normal samples, ${anomalous.toLocaleString()} anomalous.`;
    this.parts.root.dataset.threshold = String(m.threshold);
  }

  /** @param {any} m the autoencoder's figures @param {any} p the PCA baseline's */
  showScores(m, p) {
    const table = document.createElement("table");
    table.className = "anomaly-table";
    const head = table.createTHead().insertRow();
    for (const t of ["", "precision", "recall", "F1", "AUC"]) head.appendChild(document.createElement("th")).textContent = t;
    const row = (/** @type {string} */ name, /** @type {any} */ f, /** @type {string} */ prefix, /** @type {string} */ title) => {
      const r = table.insertRow();
      r.title = title;
      r.appendChild(document.createElement("th")).textContent = name;
      for (const [key, value] of [["precision", fraction(f.precision)],
        ["recall", fraction(f.recall)], ["f1", fraction(f.f1)], ["auc", fraction(f.auc)]]) {
        const cell = r.insertCell();
        cell.textContent = value;
        cell.dataset.testid = `${prefix}${key}`;
      }
    };
    row("autoencoder", m, "", `at the slider's threshold, ${errorText(m.threshold)}: ${m.tp} anomalies caught, ${m.fn} missed; ${m.fp} normal samples flagged, ${m.tn} passed`);
    row(`PCA, ${p.components} components`, p, "pca-", `the linear baseline at its own default threshold, ${errorText(p.threshold)} (the 95th percentile of its training errors): ${p.tp} caught, ${p.fn} missed, ${p.fp} flagged, ${p.tn} passed`);
    const counts = document.createElement("p");
    counts.className = "fine";
    counts.textContent = `At this threshold the autoencoder catches ${m.tp} of ${m.tp + m.fn} anomalies and flags ${m.fp} of ${m.fp + m.tn} normal samples. `
      + `PCA is judged at its own threshold (${errorText(p.threshold)}, the 95th percentile of its training errors). `
      + "Precision: the share of flagged samples that are anomalies; recall: the share of anomalies flagged.";
    this.parts.scores.replaceChildren(table, counts);
  }
}

/** The ROC point of a threshold's counts: (false-positive rate, true-positive rate). @param {any} f @returns {[number, number]} */
function rates(f) {
  return [f.fp + f.tn ? f.fp / (f.fp + f.tn) : NaN, f.tp + f.fn ? f.tp / (f.tp + f.fn) : NaN];
}

/** @param {number | null} v */
function fraction(v) {
  return v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(3);
}

/** @param {number} e */
function errorText(e) {
  return e >= 0.01 ? e.toFixed(3) : e.toExponential(2);
}
