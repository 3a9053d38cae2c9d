// @ts-check
/**
 * The keyboard shortcuts TF Playground users expect: space plays or pauses, the right
 * arrow steps, r resets. Keys typed into a control (a select, a number) stay there.
 */

/** @param {{toggle: () => void, step: () => void, reset: () => void}} actions */
export function bindShortcuts(actions) {
  document.addEventListener("keydown", (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    if (e.ctrlKey || e.metaKey || e.altKey || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)) return;
    if (e.key === " ") { e.preventDefault(); actions.toggle(); }
    else if (e.key === "ArrowRight") { e.preventDefault(); actions.step(); }
    else if (e.key === "r" || e.key === "R") actions.reset();
  });
}
