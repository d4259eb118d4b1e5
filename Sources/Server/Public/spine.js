// The level picker drawn as a spine column, C1 to the coccyx: each level and the
// segment below it. Used by the search page (the tech page has its own, larger one).
"use strict";

const SPINE_LEVELS = [
  ...Array.from({ length: 7 }, (_, i) => `C${i + 1}`),
  ...Array.from({ length: 12 }, (_, i) => `T${i + 1}`),
  ...Array.from({ length: 5 }, (_, i) => `L${i + 1}`),
  ...Array.from({ length: 5 }, (_, i) => `S${i + 1}`),
  "coccyx",
];

// Fills `container` with buttons; `onPick(text)` gets "L4", "L4-L5", or "" when cleared.
function spineColumn(container, onPick) {
  let chosen = null;
  const picks = SPINE_LEVELS.flatMap((level, i) => (i + 1 < SPINE_LEVELS.length ? [level, `${level}-${SPINE_LEVELS[i + 1]}`] : [level]));
  for (const pick of picks) {
    const segment = pick.includes("-");
    const button = NL.el("button", { type: "button", class: segment ? "segment" : "vertebra", "data-level": pick }, segment ? "" : pick);
    if (segment) button.title = pick;
    button.onclick = () => {
      chosen = chosen === pick ? null : pick;
      for (const b of container.querySelectorAll("button")) b.classList.toggle("on", b.dataset.level === chosen);
      onPick(chosen || "");
    };
    container.append(button);
  }
  return {
    set(level) {
      chosen = level || null;
      for (const b of container.querySelectorAll("button")) b.classList.toggle("on", b.dataset.level === chosen);
    },
  };
}
