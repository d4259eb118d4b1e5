// The session list with its filters; the filters live in the URL so a list can be bookmarked.
// A physician also sees their ended sessions still to sign, whatever the filters.
"use strict";

async function load() {
  const form = document.getElementById("filters");
  const query = new URLSearchParams(location.search);
  for (const element of form.elements) if (element.name && query.has(element.name)) element.value = query.get(element.name);
  const wanted = new URLSearchParams();
  for (const element of form.elements) if (element.name && element.value) wanted.set(element.name, element.value);
  try {
    const { sessions } = await NL.api("sessions?" + wanted);
    const body = document.querySelector("#sessions tbody");
    body.replaceChildren(...sessions.map((s) => {
      const row = NL.el("tr", { "data-session": s.id },
        NL.el("td", {}, NL.el("a", { href: `/session?id=${s.id}` }, NL.date(s.startedAt))),
        NL.el("td", {}, NL.el("a", { href: `/series?patient=${encodeURIComponent(s.patient)}` }, `${s.patientName || ""} (${s.patient})`)),
        NL.el("td", {}, s.treatment), NL.el("td", {}, s.region || "—"), NL.el("td", {}, String(s.stills)),
        NL.el("td", {}, NL.staff(s.physician, s.physicianName)), NL.el("td", {}, NL.staff(s.tech, s.techName)), NL.el("td", {}, s.status),
        NL.el("td", {}, s.signedAt ? NL.day(s.signedAt) : "—"));
      return row;
    }));
    NL.say(sessions.length ? "" : "No sessions match.");
  } catch (error) {
    NL.say(error.message, "error");
  }
}

async function loadToSign() {
  if (NL.me.role !== "physician") return;
  document.getElementById("to-sign").hidden = false;
  const none = document.getElementById("to-sign-none");
  try {
    const { sessions } = await NL.api("sessions?tosign=true");
    document.querySelector("#to-sign-list tbody").replaceChildren(...sessions.map((s) => NL.el("tr", { "data-session": s.id },
      NL.el("td", {}, NL.el("a", { href: `/session?id=${s.id}` }, NL.date(s.startedAt))),
      NL.el("td", {}, `${s.patientName || ""} (${s.patient})`), NL.el("td", {}, s.treatment), NL.el("td", {}, s.status))));
    document.getElementById("to-sign-list").hidden = !sessions.length;
    none.hidden = sessions.length > 0;
  } catch (error) {
    // Its own line, so the main list's message is not overwritten.
    none.textContent = `The sessions to sign could not be listed: ${error.message}`;
    none.hidden = false;
  }
}

document.getElementById("filters").onsubmit = (event) => {
  event.preventDefault();
  const wanted = new URLSearchParams();
  for (const element of event.target.elements) if (element.name && element.value) wanted.set(element.name, element.value);
  history.replaceState(null, "", "?" + wanted);
  load();
};

NL.signedIn().then(() => { loadToSign(); load(); });
