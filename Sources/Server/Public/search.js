// Search by level (typed or picked on the spine), structure, side, patient, date, injectate.
"use strict";

const form = document.getElementById("filters");

async function run() {
  const wanted = new URLSearchParams();
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === "checkbox") { if (element.checked) wanted.set(element.name, "true"); } else if (element.value) wanted.set(element.name, element.value);
  }
  history.replaceState(null, "", "?" + wanted);
  try {
    const { stills } = await NL.api("search?" + wanted);
    document.getElementById("results").replaceChildren(...stills.map(NL.thumbnail));
    NL.say(stills.length ? `${stills.length} still(s)` : "No stills match.", "ok");
  } catch (error) {
    document.getElementById("results").replaceChildren();
    NL.say(error.message, "error");
  }
}

form.onsubmit = (event) => { event.preventDefault(); run(); };

NL.signedIn().then(async () => {
  const { levels } = await NL.anatomy();
  const spine = spineColumn(document.getElementById("spine"), levels, (level) => { document.getElementById("q").value = level; run(); });
  const query = new URLSearchParams(location.search);
  for (const element of form.elements) {
    if (!element.name || !query.has(element.name)) continue;
    if (element.type === "checkbox") element.checked = query.get(element.name) === "true"; else element.value = query.get(element.name);
  }
  spine.set(query.get("q"));
  if ([...query.keys()].length) run();
});
