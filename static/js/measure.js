// @ts-check
/**
 * The losses before any training (epoch 0, and after a reset or a weight edit): the
 * stream's frames at a step nobody trained carry none, so the server measures them
 * with the weights as they are (GET .../metrics?evaluate=true). One measurement is
 * kept per session and step.
 */

export class LossMeasure {
  /**
   * @param {{api: import("./api.js").Api, session: import("./session-state.js").SessionState,
   *   banner: import("./status.js").Banner, onMetrics: (m: any) => void}} app
   */
  constructor(app) {
    this.app = app;
    /** @type {{key: string, metrics?: any}} the losses measured at a session's step */
    this.measured = { key: "" };
    this.busy = false;
  }

  /** The losses now: the kept measurement of this step, or a new one. */
  now() {
    const { api, session, banner, onMetrics } = this.app;
    const id = session.id, key = `${id}@${session.step}`;
    if (!id || this.busy) return;
    if (this.measured.key === key) {
      onMetrics(this.measured.metrics);
      return;
    }
    this.busy = true;
    api.metricsNow(id)
      .then((m) => {
        if (session.id !== id || m.step !== session.step) return;
        this.measured = { key, metrics: m };
        onMetrics(m);
      })
      .catch((e) => banner.show("error", `Could not measure the losses: ${e.message}`, "error"))
      .finally(() => { this.busy = false; });
  }

  /** Measure again at the same step: the weights were edited. */
  again() {
    const { api, session, onMetrics } = this.app;
    const id = session.id;
    if (!id) return;
    this.forget();
    api.metricsNow(id).then((m) => {
      if (session.id !== id) return;
      this.measured = { key: `${id}@${m.step}`, metrics: m };
      onMetrics(m);
    }).catch(() => this.now());
  }

  /** The session went back to an earlier step (a reset): measure anew there. */
  forget() {
    this.measured = { key: "" };
  }
}
