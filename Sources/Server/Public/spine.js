// The level picker drawn as a spine column, C1 to the coccyx: each level and the
// segment below it. Used by the search page (the tech page has its own, larger one).
"use strict";

// Fills `container` with buttons for the server's `levels`; `onPick(text)` gets "L4",
// "L4-L5", or "" when cleared.
function spineColumn(container, levels, onPick) {
  let chosen = null;
  for (const pick of NL.picks(levels)) {
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
