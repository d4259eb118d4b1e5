// The tech page's worklist: today's ultrasound procedures from the RIS (this station's
// first). Picking one adds the patient when the archive lacks them and carries the RIS
// order (accession number, requested procedure, study UID) into the session it starts.
// A RIS that does not answer leaves the last list, marked offline: typing a patient
// below always works.
"use strict";

const SEXES = { M: "male", F: "female", O: "other" };

function orderOf(item) {
  return {
    accessionNumber: item.accessionNumber, requestedProcedureID: item.requestedProcedureID,
    requestedProcedureDescription: item.requestedProcedureDescription, studyInstanceUID: item.studyInstanceUID,
    scheduledStepID: item.scheduledStepID, scheduledStepDescription: item.scheduledStepDescription,
  };
}

function nameOf(item) {
  const [family = "", given = "", middle = ""] = item.patientName.split("^");
  return { family: family.trim(), given: [given, middle].map((p) => p.trim()).filter(Boolean).join(" ") };
}

async function pickWorkItem(item) {
  try {
    const { patients } = await api(`patients?q=${encodeURIComponent(item.patientID)}`);
    if (!patients.some((p) => p.id === item.patientID)) {
      const name = nameOf(item);
      if (!item.birthDate || !name.family || !name.given) {
        // Not enough to add the patient: the form, filled in as far as the RIS knows.
        $("new-id").value = item.patientID;
        $("new-family").value = name.family;
        $("new-given").value = name.given;
        $("new-born").value = item.birthDate || "";
        $("new-sex").value = SEXES[item.sex] || "unknown";
        $("patient-form").hidden = false;
        const missing = !item.birthDate ? "birth date" : !name.family ? "family name" : "given name";
        say(`the worklist gives no ${missing} for ${item.patientID}: complete and add the patient`);
      } else {
        await api("patients", { id: item.patientID, familyName: name.family, givenName: name.given,
          birthDate: item.birthDate, sex: SEXES[item.sex] || "unknown" });
      }
    }
    $("patient").value = item.patientID;
    state.order = { patient: item.patientID, order: orderOf(item) };
    const what = item.requestedProcedureDescription || item.scheduledStepDescription;
    $("order-text").textContent = `Order ${item.accessionNumber || "(no accession number)"} for ${item.patientID}` + (what ? `: ${what}` : "");
    $("order-picked").hidden = false;
    for (const li of $("worklist-items").children) li.classList.toggle("on", li.dataset.accession === item.accessionNumber);
  } catch (error) { say(error.message); }
}

function showWorklist(answer) {
  $("worklist").hidden = false;
  $("worklist-state").textContent = answer.online
    ? (answer.items.length ? "" : "no ultrasound procedures scheduled today")
    : `Worklist offline (${answer.problem}): type the patient below` + (answer.items.length ? "; the list is from before" : "");
  $("worklist-state").classList.toggle("offline", !answer.online);
  $("worklist-items").replaceChildren(...answer.items.map((item) => {
    const start = item.scheduledStart.includes("T") ? item.scheduledStart.split("T")[1] : "";
    const name = nameOf(item);
    const button = NL.el("button", { type: "button" },
      `${start} ${name.family}${name.given ? ", " + name.given : ""} (${item.patientID})` +
      ` · ${item.accessionNumber}` + (item.requestedProcedureDescription ? ` · ${item.requestedProcedureDescription}` : "") +
      (item.scheduledStationAETitle ? ` · ${item.scheduledStationAETitle}` : ""));
    button.addEventListener("click", () => pickWorkItem(item));
    const li = NL.el("li", {}, button);
    li.dataset.accession = item.accessionNumber;
    return li;
  }));
}

async function loadWorklist(refresh) {
  try {
    showWorklist(await api(refresh ? "worklist?refresh=1" : "worklist"));
  } catch (error) {
    // 404: this station has no worklist configured; the panel stays hidden.
    if (!/no worklist/.test(error.message)) say(error.message);
  }
}

$("worklist-refresh").addEventListener("click", () => loadWorklist(true));
$("order-clear").addEventListener("click", () => {
  state.order = null;
  $("order-picked").hidden = true;
  for (const li of $("worklist-items").children) li.classList.remove("on");
});
// While a session records the list steps aside for the picture; it comes back at stop.
let listed = false;
NL.signedIn().then(async () => {
  await loadWorklist(false);
  listed = !$("worklist").hidden;
  setInterval(() => { if (listed) $("worklist").hidden = state.recording; }, 500);
  setInterval(() => { if (listed && !state.recording) loadWorklist(false); }, 60000);
});
