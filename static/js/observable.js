// @ts-check
/**
 * The base of the page's state owners (urlstate.js, session-state.js, selection.js):
 * each holds one part of the page's state, changes it only in its own methods, and
 * tells its subscribers what changed. Everyone else reads the owner's fields and asks
 * for changes through those methods.
 */

/** @template T @typedef {(what: T, detail?: any) => void} Listener */

/** @template T */
export class Observable {
  constructor() {
    /** @type {Set<Listener<T>>} */
    this.listeners = new Set();
  }

  /** Call `listener` after every change, with what changed. @param {Listener<T>} listener @returns {() => void} unsubscribe */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @protected @param {T} what @param {any} [detail] */
  notify(what, detail) {
    for (const listener of this.listeners) listener(what, detail);
  }
}
