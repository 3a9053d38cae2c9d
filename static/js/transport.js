// @ts-check
/**
 * Play, pause, step and reset: the top bar's buttons and their keys (a GAN's step is a
 * round, and it has a step of each network beside it), and what the session's status shows: the play button's look, the body's data-status, and the
 * banners of a diverged or a finished session (each with the way on).
 */
import { bindShortcuts } from "./shortcuts.js";
import { LEARNING_RATES } from "./state.js";

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

export class Transport {
  /**
   * @param {{live: import("./controller.js").SessionController, session: import("./session-state.js").SessionState,
   *   setup: import("./urlstate.js").UrlState, banner: import("./status.js").Banner,
   *   change: (partial: Partial<import("./state.js").State>) => void}} app
   */
  constructor(app) {
    this.app = app;
    const { live, session } = app;
    byId("play").addEventListener("click", () => this.toggle());
    byId("step").addEventListener("click", () => this.step());
    byId("step-d").addEventListener("click", () => this.step("d"));
    byId("step-g").addEventListener("click", () => this.step("g"));
    byId("reset").addEventListener("click", () => live.reset());
    bindShortcuts({ toggle: () => this.toggle(), step: () => this.step(), reset: () => live.reset() });
    session.subscribe((what) => { if (what === "status") this.showStatus(); });
  }

  toggle() {
    const { live, session } = this.app;
    if (!live.id) return;
    if (session.status === "running") live.pause();
    else if (session.status === "finished" || session.status === "diverged") this.showStatus();  // its banner again
    else live.play();
  }

  /** An epoch; a GAN's round, or (`part`) one step of its discriminator or generator. @param {"d" | "g"} [part] */
  step(part) {
    const { live, session } = this.app;
    if (session.status === "running") live.pause();
    if (!live.id) return;
    if (session.spec?.objective === "adversarial") live.stepPart(part ?? "round");
    else if (!part) live.stepEpoch();
  }

  /** The play button, the body's data-status, and the diverged / finished banners. */
  showStatus() {
    const { session, setup, banner, change, live } = this.app;
    const status = session.status;
    const play = byId("play");
    play.classList.toggle("playing", status === "running");
    play.setAttribute("aria-pressed", String(status === "running"));
    play.setAttribute("aria-label", status === "running" ? "Pause" : "Play");
    document.body.dataset.status = status;
    if (status === "diverged") {
      const lr = setup.state.lr;
      const lower = LEARNING_RATES.filter((r) => r < lr).pop() ?? lr / 10;
      banner.show("diverged", `Training diverged at epoch ${session.epoch.toLocaleString()}: the loss became NaN or infinite, so the server stopped with the last finite weights.`, "error", 0,
        { label: `Reset with learning rate ${lower}`, run: () => { change({ lr: lower }); live.reset(); banner.hide(); } });
    } else if (status === "finished") {
      banner.show("finished", `Finished: all ${session.spec?.epochs?.toLocaleString() ?? ""} epochs of this preset are done. Reset to watch it again, or train on.`, "ok", 0,
        { label: "Keep training", run: () => { live.set({ epochs: null }); live.play(); banner.hide(); } });
    } else if (banner.kind === "diverged" || banner.kind === "finished") banner.hide();
  }
}
