// The session page's PACS panel (issue 15): each sending of the session's images to the
// clinic's PACS with what became of every object (stored, already there, refused, not
// sent; committed, failed, pending), and for physicians a button to send it. A sending
// in progress is followed until it ends.
"use strict";

const PACS = {
  // Words for the counts the server gives, in the order they are shown.
  labels: [["stored", "stored"], ["stored-with-warning", "stored with a warning"], ["already-stored", "already there"],
    ["refused", "refused"], ["not-sent", "not sent"], ["committed", "committed"], ["failed", "commitment failed"],
    ["pending", "commitment pending"]],

  summary(delivery) {
    const parts = PACS.labels.filter(([key]) => delivery.counts[key]).map(([key, words]) => `${delivery.counts[key]} ${words}`);
    return parts.join(", ") || "—";
  },

  async load() {
    const id = NL.param("id");
    let data;
    try {
      data = await NL.api(`sessions/${encodeURIComponent(id)}/pacs`);
    } catch (error) {
      return;   // the page above says what went wrong with the session itself
    }
    const section = document.getElementById("pacs");
    const send = document.getElementById("pacs-send");
    const summary = document.getElementById("pacs-summary");
    section.hidden = !data.destination && !data.deliveries.length;
    send.hidden = !(data.destination && NL.me && NL.me.role === "physician");
    const sending = data.deliveries.some((d) => d.state === "sending");
    send.disabled = sending;
    const last = data.deliveries[0];
    if (!last) {
      summary.textContent = data.destination ? `Not sent to the PACS (${data.destination}) yet.` : "";
    } else {
      const words = { sending: "Sending", complete: "In the PACS", incomplete: "Not all in the PACS", "cut short": "Cut short" }[last.state] || last.state;
      summary.textContent = `${words}: ${PACS.summary(last)}` + (last.problem ? ` — ${last.problem}` : "");
      summary.dataset.state = last.state;
    }
    const table = document.getElementById("pacs-deliveries");
    table.hidden = !data.deliveries.length;
    table.tBodies[0].replaceChildren(...data.deliveries.map((d) => NL.el("tr", { "data-state": d.state },
      NL.el("td", {}, NL.date(d.startedAt)), NL.el("td", {}, d.by), NL.el("td", {}, d.destination),
      NL.el("td", {}, d.state), NL.el("td", {}, PACS.summary(d)))));
    const objects = document.getElementById("pacs-objects");
    objects.hidden = !(last && last.instances.length);
    if (last) {
      objects.querySelector("ol").replaceChildren(...last.instances.map((o) => NL.el("li", { "data-status": o.status },
        `${o.kind}${o.still ? ` of still ${o.still.slice(0, 8)}` : ""}: ${o.status}${o.detail ? ` (${o.detail})` : ""}`
          + (o.commitment ? `, ${o.commitment}${o.commitmentDetail ? ` (${o.commitmentDetail})` : ""}` : ""))));
    }
    if (sending) {
      setTimeout(PACS.load, 1000);
    } else if (PACS.following && last) {
      // The sending this page started has ended: say how, where the page says things.
      PACS.following = false;
      NL.say(summary.textContent, last.state === "complete" ? "ok" : "error");
    }
  },
};

document.getElementById("pacs-send").onclick = async () => {
  const button = document.getElementById("pacs-send");
  button.disabled = true;
  try {
    await NL.api(`sessions/${encodeURIComponent(NL.param("id"))}/pacs`, {});
    NL.say("Sending to the PACS…");
    PACS.following = true;
  } catch (error) {
    NL.say(error.message, "error");
  }
  PACS.load();
};

NL.signedIn().then(PACS.load);
