// @ts-check
/**
 * The autoencoder workspace's latent space: the test set's codes on the latent plane
 * (latent-plane.js) and, beside it, what the decoder makes of the point pressed or
 * dragged on it (decoded.js). The point is the selection's; this part asks the server
 * to decode it (POST decode, at most one request in flight and one an animation frame,
 * the newest point sent when the last answer comes) and drops answers older than the
 * one shown. While training, snapshots bring the codes and the same point decoded by
 * the newer decoder.
 */
import { decodeArray } from "../grids.js";
import { DecodedOutput } from "../widgets/decoded.js";
import { LatentPlane } from "../widgets/latent-plane.js";

/** The split whose codes the plane shows and whose principal components a point goes through. */
const SPLIT = "test";

export class LatentSpace {
  /**
   * @param {{plane: HTMLElement, decoded: HTMLElement}} parts
   * @param {{api: import("../api.js").Api, session: import("../session-state.js").SessionState,
   *   selection: import("../selection.js").Selection, banner: import("../status.js").Banner}} app
   */
  constructor(parts, app) {
    this.app = app;
    this.plane = new LatentPlane(parts.plane, { size: 290, onPoint: (p) => app.selection.pickLatent(p) });
    this.decoded = new DecodedOutput(parts.decoded, { size: 112 });
    /** the number of points picked so far, and of the one whose decoding is shown */
    this.seq = 0;
    this.shownSeq = 0;
    /** the point number the snapshot in flight was asked with */
    this.snapSeq = 0;
    this.inflight = false;
    this.pending = false;
    this.scheduled = false;
    /** @type {number[] | null} the anomaly lab's held-out classes, ringed on the plane */ this.anomalies = null;
    /** counts for tests: decode requests sent and answers drawn */
    this.stats = { sent: 0, drawn: 0 };
    app.selection.subscribe((what) => { if (what === "latent") this.picked(); });
  }

  /** Another session (or none): nothing of the old one shown. @param {number[] | null} anomalies */
  reset(anomalies) {
    this.anomalies = anomalies;
    this.plane.update(null);
    this.shownSeq = ++this.seq;
    this.app.selection.pickLatent(null);
  }

  /** A new point was picked (the selection's): mark it, and decode it on the next frame. */
  picked() {
    const point = this.app.selection.latent;
    this.plane.mark(point);
    this.seq += 1;
    if (!point) { this.decoded.update(null); return; }
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => { this.scheduled = false; this.send(); });
  }

  /** Decode the newest point, unless a request is on its way (then once it is answered). */
  send() {
    const { api, session, selection } = this.app;
    const point = selection.latent, id = session.id;
    if (!point || !id) return;
    if (this.inflight) { this.pending = true; return; }
    const seq = this.seq;
    this.inflight = true;
    this.stats.sent += 1;
    api.view(id, "decode", { point, split: SPLIT })
      .then((v) => { if (id === session.id) this.show(v, seq); })
      .catch((e) => {
        if (id === session.id) this.app.banner.show("error", `Decode: ${/** @type {Error} */ (e).message}`, "warn", 4000);
      })
      .finally(() => {
        this.inflight = false;
        if (this.pending) { this.pending = false; this.send(); }
      });
  }

  /** A decoded point, unless a newer point's decoding is shown already. @param {any} v @param {number} seq */
  show(v, seq) {
    if (seq < this.shownSeq || !this.app.selection.latent) return;
    this.shownSeq = seq;
    this.stats.drawn += 1;
    this.decoded.update({ output: decodeArray(v.output), point: v.point, code: v.code });
  }

  /** The views to ask for in a snapshot: the codes when `heavy`, the chosen point decoded. @param {boolean} heavy */
  request(heavy) {
    /** @type {Record<string, any>} */
    const views = {};
    if (heavy) views.latent = { split: SPLIT };
    const point = this.app.selection.latent;
    if (point) views.decode = { point, split: SPLIT };
    this.snapSeq = this.seq;
    return views;
  }

  /** A snapshot's views. @param {Record<string, any>} views */
  update(views) {
    const l = views.latent;
    if (l) {
      this.plane.update({ points: decodeArray(l.points), labels: l.labels, classNames: l.class_names, range: l.range,
        projection: l.projection, explained: l.explained, codeSize: l.code_size, anomalies: this.anomalies });
    }
    if (views.decode) this.show(views.decode, this.snapSeq);
  }
}
