// @ts-check
/**
 * The sessions panel: save the current session to a file (GET .../export), load one
 * from a file (POST /api/sessions/import), and the sessions kept on the server
 * (GET /api/sessions), newest first, each with a button to resume it and one to delete
 * it (a second click confirms: a deleted session cannot come back).
 */
import { el } from "./frame.js";
import { ADVERSARIAL, describeGan } from "./gan-state.js";

const SHOWN = 12;

/**
 * @typedef {{id: string, name: string, spec: any, epoch: number, status: string,
 *   n_params: number, updated: number}} Summary
 */

export class SessionsPanel {
  /**
   * @param {HTMLElement} container
   * @param {{exportUrl: (id: string) => string, onLoad: (file: File) => void,
   *   onResume: (summary: Summary) => void, onDelete: (summary: Summary) => void,
   *   onRefresh: () => void}} options
   */
  constructor(container, options) {
    this.container = container;
    this.options = options;
    const bar = el("div", "sessions-bar", container);
    this.save = /** @type {HTMLAnchorElement} */ (el("a", "text-button", bar));
    this.save.textContent = "Save to file";
    this.save.title = "Download this session (set-up, weights, optimizer state and history) as a zip archive";
    this.save.dataset.testid = "save-session";
    const load = el("label", "text-button file-button", bar);
    load.title = "Load a session saved with “Save to file”; it resumes where it was saved";
    load.append("Load from file…");
    const input = /** @type {HTMLInputElement} */ (el("input", "", load));
    input.type = "file";
    input.accept = ".zip,application/zip";
    input.dataset.testid = "load-session";
    input.addEventListener("change", () => {
      const file = input.files?.[0];
      if (file) options.onLoad(file);
      input.value = "";
    });
    const refresh = el("button", "text-button", bar);
    refresh.setAttribute("type", "button");
    refresh.textContent = "Refresh";
    refresh.title = "Ask the server for its sessions again";
    refresh.addEventListener("click", () => options.onRefresh());
    this.list = el("ul", "sessions-list", container);
    /** @type {HTMLElement | null} the line of the session on this page, kept live */
    this.currentLine = null;
    this.list.dataset.testid = "sessions-list";
  }

  /** @param {{sessions: Summary[], current: string | null, titles: Map<string, string>}} d */
  update(d) {
    if (d.current) {
      this.save.href = this.options.exportUrl(d.current);
      this.save.setAttribute("download", `session-${d.current}.zip`);
      this.save.classList.remove("disabled");
    } else {
      this.save.removeAttribute("href");
      this.save.classList.add("disabled");
    }
    this.list.replaceChildren();
    this.currentLine = null;
    if (!d.sessions.length) el("li", "fine", this.list).textContent = "No sessions on the server yet.";
    for (const s of d.sessions.slice(0, SHOWN)) {
      const item = el("li", "session-item", this.list);
      item.dataset.session = s.id;
      const text = el("div", "session-text", item);
      el("div", "session-name", text).textContent = s.name || describe(s.spec, d.titles);
      const line = el("div", "fine", text);
      line.textContent = `epoch ${s.epoch.toLocaleString()} · ${s.status} · ${ago(s.updated)}`;
      if (s.id === d.current) {
        this.currentLine = line;
        el("span", "session-here", item).textContent = "on this page";
        item.classList.add("current");
        continue;
      }
      const resume = el("button", "text-button", item);
      resume.setAttribute("type", "button");
      resume.textContent = "Resume";
      resume.dataset.testid = "resume-session";
      resume.title = "Show this session here and go on training it where it stopped";
      resume.addEventListener("click", () => this.options.onResume(s));
      this.deleteButton(item, s);
    }
    if (d.sessions.length > SHOWN) {
      el("li", "fine", this.list).textContent = `and ${d.sessions.length - SHOWN} older`;
    }
  }

  /** @param {HTMLElement} item @param {Summary} s */
  deleteButton(item, s) {
    const button = el("button", "text-button danger", item);
    button.setAttribute("type", "button");
    button.textContent = "Delete";
    button.dataset.testid = "delete-session";
    button.title = "Delete this session from the server (click again to confirm)";
    /** @type {number | undefined} */ let armed;
    button.addEventListener("click", () => {
      if (armed === undefined) {
        button.textContent = "Sure?";
        armed = window.setTimeout(() => { armed = undefined; button.textContent = "Delete"; }, 3000);
        return;
      }
      window.clearTimeout(armed);
      button.setAttribute("disabled", "");
      this.options.onDelete(s);
    });
  }

  /**
   * Keep the line of the session on this page as live as the page's own counter (the
   * rest of the list is what the server said when last asked).
   * @param {string | null} id @param {number} epoch @param {string} status
   */
  showLive(id, epoch, status) {
    if (this.currentLine?.closest("li")?.dataset.session !== id) return;
    const text = `epoch ${epoch.toLocaleString()} · ${status} · just now`;
    if (this.currentLine && this.currentLine.textContent !== text) this.currentLine.textContent = text;
  }
}

/**
 * A one-line description of a spec: dataset and layer sizes (a convolution as conv8,
 * a pooling as pool, other layers without parameters by their type).
 * @param {any} spec @param {Map<string, string>} titles
 */
export function describe(spec, titles) {
  const data = spec.data ?? {};
  const image = data.dataset === "inline" && data.X && !Array.isArray(data.X);
  const name = image ? "images" : data.dataset ?? "?";
  const layers = spec.model?.layers ?? [];
  const part = (/** @type {any} */ l) => (l.units ?? (l.type === "conv2d" ? `conv${l.filters}` : /pool/.test(l.type) ? "pool" : l.type));
  const units = layers.map(part).join("-");
  const act = layers[0]?.activation ?? "";
  const what = spec.objective === "reconstruction"
    ? ` · autoencoder${Array.isArray(data.normal_classes) ? " (anomaly lab)" : ""}` : "";
  if (spec.objective === ADVERSARIAL) return `${titles.get(name) ?? name} · ${describeGan(spec)}`;
  return `${titles.get(name) ?? name}${what} · ${units} ${act}`.trim();
}

/** @param {number} seconds unix time */
function ago(seconds) {
  const s = Math.max(0, Date.now() / 1000 - seconds);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(seconds * 1000).toLocaleDateString();
}
