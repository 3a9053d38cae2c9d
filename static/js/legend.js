// @ts-check
/**
 * What the colours mean, under the output: one swatch per class for several classes,
 * otherwise the diverging scale from orange through grey to blue, with the values at
 * its ends for this task (as TF Playground's colour bar shows them).
 */
import { classColor, divergingCss } from "./colors.js";
import { el } from "./frame.js";

/**
 * @param {HTMLElement} container
 * @param {{task: string, classes: number, twoD: boolean}} what
 */
export function drawLegend(container, what) {
  container.replaceChildren();
  container.title = what.twoD
    ? "Colours of the points and the plane; neurons: orange negative, grey 0, blue positive (a sigmoid's 0 to 1)"
    : "Colours of the nodes: orange negative, grey 0, blue positive (a sigmoid's or softmax's 0 to 1)";
  if (what.task === "classification" && what.classes > 2) {
    for (let k = 0; k < what.classes; k++) {
      const item = el("span", "legend-class", container);
      el("i", "legend-swatch", item).style.background = classColor(k);
      item.append(`class ${k}`);
    }
    return;
  }
  const [low, high] = what.task === "regression" ? ["−1", "+1"] : ["class 0", "class 1"];
  el("span", "legend-end", container).textContent = low;
  const bar = el("span", "legend-bar", container);
  bar.style.background = `linear-gradient(to right, ${divergingCss(-1)}, ${divergingCss(0)}, ${divergingCss(1)})`;
  el("span", "legend-end", container).textContent = high;
}
