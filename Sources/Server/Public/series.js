// A patient's treatments in order, with the days between them and the pain chart.
"use strict";

async function load() {
  const patient = NL.param("patient");
  try {
    const data = await NL.api(`patients/${encodeURIComponent(patient)}/series`);
    document.getElementById("title").textContent = `Series · ${data.patient.name} (${data.patient.id})`;
    document.getElementById("chart").src = `/api/patients/${encodeURIComponent(patient)}/pain.svg`;
    document.querySelector("#treatments tbody").replaceChildren(...data.treatments.map((t) => NL.el("tr", { "data-session": t.session },
      NL.el("td", {}, NL.el("a", { href: `/session?id=${t.session}` }, `${t.number} of ${t.planned}`)),
      NL.el("td", {}, NL.day(t.startedAt)),
      NL.el("td", {}, t.daysSincePrevious === null || t.daysSincePrevious === undefined ? "—" : String(t.daysSincePrevious)),
      NL.el("td", {}, t.levels.join(", ") || "—"),
      NL.el("td", {}, t.injectates.join("; ") || "—"),
      NL.el("td", {}, t.painBefore ?? "—"), NL.el("td", {}, t.painAfter ?? "—"))));
  } catch (error) {
    NL.say(error.message, "error");
  }
}

NL.signedIn().then(load);
