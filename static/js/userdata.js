// @ts-check
/**
 * The user's own data in the data column: the class picker and clear button for points
 * clicked onto the plane, and a CSV file's upload and the column it predicts. It shows
 * the set-up (urlstate.js) and the picked class (selection.js), and asks them for changes.
 */
import { csvInfo } from "./csvlink.js";
import { OwnDataPanel } from "./owndata.js";
import { CSV, DRAWN } from "./state.js";

export class UserData {
  /**
   * @param {HTMLElement} container
   * @param {{setup: import("./urlstate.js").UrlState, selection: import("./selection.js").Selection,
   *   banner: import("./status.js").Banner,
   *   change: (partial: Partial<import("./state.js").State>, how?: {now?: boolean}) => void}} app
   */
  constructor(container, app) {
    this.app = app;
    this.panel = new OwnDataPanel(container, {
      onPick: (cls) => app.selection.pickClass(cls),
      onClear: () => app.change({ points: [] }),
      onFile: (name, text) => this.loadCsv(name, text),
      onTarget: (column) => this.pickTarget(column),
    });
    app.setup.subscribe(() => this.show());
    app.selection.subscribe((what) => { if (what === "pick") this.show(); });
  }

  show() {
    const { setup, selection } = this.app;
    const s = setup.state, own = setup.csv;
    const mode = s.dataset === DRAWN ? "inline" : s.dataset === CSV ? "csv" : null;
    const classes = Math.max(2, ...s.points.map((q) => q[2] + 1));
    this.panel.update({ mode, classes, picked: Math.min(selection.pick, classes),
      count: mode === "csv" ? own.rows : s.points.length, file: own.file, columns: own.columns, target: own.target });
  }

  /** A CSV file was chosen: keep it (in the link too), offer its columns, train on the last one. @param {string} name @param {string} text */
  async loadCsv(name, text) {
    const { setup, banner, change } = this.app;
    banner.hide();
    const csv = csvInfo(text, name);
    if (!(await setup.useCsv(csv))) {
      banner.show("csv-link", `${name} is too large to keep in the page's link; “Save to file” keeps the session with its data.`, "warn", 6000);
    }
    change({ problem: csv.classes ? "classification" : "regression" }, { now: true });
  }

  /**
   * The column to predict changed: class indices make a classification problem, other
   * numbers a regression (the problem type select can still say otherwise).
   * @param {string} column
   */
  pickTarget(column) {
    const { setup, change } = this.app;
    setup.retarget(column);
    change({ csvTarget: column, problem: setup.csv.classes ? "classification" : "regression" });
  }
}

/** The "your points" thumbnail: the points clicked so far. @param {number[][]} points @returns {import("./thumbs.js").Sample} */
export function pointsSample(points) {
  return { x: points.map((q) => q[0]), y: points.map((q) => q[1]), label: points.map((q) => q[2]),
    regression: false, text: points.length ? undefined : "draw" };
}
