// @ts-check
/**
 * A dataset's own parameters as controls, built from what GET /api/datasets says of
 * each (type, default, low, high, description), each named as the spec's data.params
 * names it, its description on hover: a 0/1 integer is a checkbox, a short
 * range a slider, a long one (a corpus's length in characters) a number box, a float a
 * slider of a hundred steps. The controls are rebuilt only when the dataset's list of
 * parameters changes; a value is reported when the user lets go of it (the owner
 * rebuilds the session), and shown while it is being dragged.
 */
import { el } from "../frame.js";

/** Integer ranges wider than this get a number box, not a slider. */
const SLIDER_STEPS = 400;

/**
 * @typedef {{type: "int" | "float" | string, default: number, low: number | null, high: number | null,
 *   description?: string}} Param GET /api/datasets' description of one parameter
 * @typedef {{input: HTMLInputElement, out: HTMLElement | null, param: Param}} Control
 */

export class DatasetParams {
  /** @param {HTMLElement} container @param {{onChange: (name: string, value: number) => void}} options */
  constructor(container, options) {
    this.container = container;
    this.onChange = options.onChange;
    this.key = "";
    /** @type {Map<string, Control>} */ this.controls = new Map();
  }

  /**
   * @param {{params: Record<string, Param>, values: Record<string, number>} | null} d the
   *   dataset's parameters and the values the set-up gives (the others: their defaults); null: none
   */
  update(d) {
    const params = d?.params ?? {};
    const key = JSON.stringify(params);
    if (key !== this.key) {
      this.key = key;
      this.build(params);
    }
    this.container.hidden = this.controls.size === 0;
    for (const [name, c] of this.controls) {
      const value = d?.values[name] ?? c.param.default;
      if (c.input.type === "checkbox") c.input.checked = value === 1;
      else if (document.activeElement !== c.input) c.input.value = String(value);
      this.show(c);
    }
  }

  /** @param {Record<string, Param>} params */
  build(params) {
    this.container.replaceChildren();
    this.controls.clear();
    for (const [name, param] of Object.entries(params)) {
      const label = /** @type {HTMLLabelElement} */ (el("label", "slider dataset-param", this.container));
      label.title = param.description ?? name;
      label.dataset.param = name;
      const input = /** @type {HTMLInputElement} */ (document.createElement("input"));
      input.dataset.testid = `param-${name}`;
      const low = param.low ?? 0, high = param.high ?? low + 100;
      /** @type {HTMLElement | null} */ let out = null;
      if (param.type === "int" && low === 0 && high === 1) {
        label.className = "check dataset-param";
        input.type = "checkbox";
        label.append(input, " ", nameCode(name));
        input.addEventListener("change", () => this.onChange(name, input.checked ? 1 : 0));
      } else {
        const head = el("span", "", label);
        head.append(nameCode(name), ": ");
        out = el("b", "", head);
        const slider = param.type !== "int" || high - low <= SLIDER_STEPS;
        input.type = slider ? "range" : "number";
        input.min = String(low);
        input.max = String(high);
        input.step = param.type === "int" ? "1" : String((high - low) / 100);
        label.append(input);
        input.addEventListener("input", () => this.show(this.controls.get(name)));
        input.addEventListener("change", () => this.onChange(name, clamp(Number(input.value), param)));
      }
      this.controls.set(name, { input, out, param });
    }
  }

  /** The value beside a slider (a number box shows its own). @param {Control | undefined} c */
  show(c) {
    if (!c?.out) return;
    c.out.textContent = c.input.type === "number" ? "" : c.param.type === "int" ? c.input.value
      : Number(c.input.value).toFixed(2);
  }
}

/** A parameter's name as the spec's data.params has it (what the REST API takes). @param {string} name */
function nameCode(name) {
  const code = document.createElement("code");
  code.textContent = name;
  return code;
}

/** @param {number} value @param {Param} p a value in the parameter's range, an integer for an int */
function clamp(value, p) {
  const v = Number.isFinite(value) ? value : p.default;
  const inRange = Math.min(p.high ?? Infinity, Math.max(p.low ?? -Infinity, v));
  return p.type === "int" ? Math.round(inRange) : inRange;
}
