// @ts-check
/**
 * The sessions the server keeps, as the sessions panel shows them: listed again when
 * this page's session changes or stops, its own line as live as the counter, and the
 * user's save, load, resume and delete. It reads the session state; resuming is the
 * shell's (`resume`), which shows a session here.
 */
import { SessionsPanel } from "./sessions.js";

export class Actions {
  /**
   * @param {HTMLElement} container the sessions panel's body
   * @param {{api: import("./api.js").Api, offer: import("./offer.js").Offer,
   *   session: import("./session-state.js").SessionState, banner: import("./status.js").Banner,
   *   resume: (summary: any) => Promise<void>}} app
   */
  constructor(container, app) {
    this.app = app;
    /** @type {any[]} the server's sessions, as last listed */
    this.sessions = [];
    this.panel = new SessionsPanel(container, {
      exportUrl: (id) => app.api.exportUrl(id),
      onLoad: (file) => this.importFile(file),
      onResume: (summary) => app.resume(summary),
      onDelete: (summary) => this.deleteSession(summary),
      onRefresh: () => this.refresh(),
    });
    app.session.subscribe((what, was) => {
      if (what === "session" || (what === "status" && was === "running" && app.session.status !== "running")) this.refresh();
      if (what === "progress" || what === "status") this.showLive();
    });
  }

  /** The sessions list's line for this page's session, as live as the counter. */
  showLive() {
    const { session } = this.app;
    this.panel.showLive(session.id, session.epoch, session.status);
  }

  async refresh() {
    const { api, offer, session, banner } = this.app;
    try {
      this.sessions = await api.listSessions();
    } catch (e) {
      banner.show("error", `Could not list the sessions: ${/** @type {Error} */ (e).message}`, "error");
    }
    this.panel.update({ sessions: this.sessions, current: session.id, titles: offer.titles() });
  }

  /** Delete a session of the server's list (never the one on this page). @param {any} summary */
  async deleteSession(summary) {
    try {
      await this.app.api.deleteSession(summary.id);
    } catch (e) {
      if (/** @type {any} */ (e).status !== 404) {
        this.app.banner.show("error", `Could not delete the session: ${/** @type {Error} */ (e).message}`, "error");
      }
    }
    await this.refresh();
  }

  /** Load an exported archive as a new session on the server, and resume it. @param {File} file */
  async importFile(file) {
    const { api, banner, resume } = this.app;
    try {
      await resume(await api.importArchive(file));
    } catch (e) {
      banner.show("error", `Could not load ${file.name}: ${/** @type {Error} */ (e).message}`, "error");
    }
  }
}
