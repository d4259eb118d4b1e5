// For admins: accounts (add, disable, enable, new password) and the audit trail.
"use strict";

async function loadUsers() {
  const { users } = await NL.api("users");
  document.querySelector("#users tbody").replaceChildren(...users.map((u) => {
    const toggle = NL.el("button", { type: "button", class: "quiet" }, u.disabled ? "Enable" : "Disable");
    toggle.onclick = () => change(u.name, { disabled: !u.disabled }, u.disabled ? "enabled" : "disabled");
    const rename = NL.el("button", { type: "button", class: "quiet" }, "Name");
    rename.onclick = () => {
      const family = prompt(`Family name of ${u.name}`, u.person ? u.person.family : "");
      const given = family && prompt(`Given name of ${u.name}`, u.person ? u.person.given : "");
      const credentials = given && prompt(`Credentials shown after the name (MD, RDMS; may be empty)`, u.person ? u.person.credentials : "");
      if (family && given) change(u.name, { person: { family, given, credentials: credentials || "" } }, "renamed");
    };
    const reset = NL.el("button", { type: "button", class: "quiet" }, "New password");
    reset.onclick = () => {
      const password = prompt(`New password for ${u.name} (10 or more characters)`);
      if (password) change(u.name, { password }, "given a new password");
    };
    return NL.el("tr", { "data-user": u.name }, NL.el("td", {}, u.name), NL.el("td", {}, u.person ? NL.person(u.person) : "no name yet"),
      NL.el("td", {}, u.role), NL.el("td", {}, u.disabled ? "disabled" : "active"), NL.el("td", {}, NL.day(u.createdAt)),
      NL.el("td", {}, toggle, " ", rename, " ", reset));
  }));
}

async function change(name, body, done) {
  try {
    await NL.api(`users/${encodeURIComponent(name)}`, body);
    NL.say(`${name} ${done}.`, "ok");
    loadUsers();
  } catch (error) { NL.say(error.message, "error"); }
}

async function loadAudit() {
  const patient = document.getElementById("audit-patient").value.trim();
  const { events } = await NL.api("audit" + (patient ? `?patient=${encodeURIComponent(patient)}` : ""));
  document.querySelector("#audit tbody").replaceChildren(...events.map((e) => NL.el("tr", {},
    NL.el("td", {}, String(e.seq)), NL.el("td", {}, NL.date(e.at)), NL.el("td", {}, e.actor), NL.el("td", {}, e.action),
    NL.el("td", {}, e.target), NL.el("td", {}, e.outcome), NL.el("td", {}, e.detail))));
}

document.getElementById("add").onsubmit = async (event) => {
  event.preventDefault();
  try {
    const name = document.getElementById("new-name").value.trim();
    const value = (id) => document.getElementById(id).value.trim();
    // An admin account may go without a person's name; the server says when one is needed.
    const person = value("new-family") || value("new-given")
      ? { family: value("new-family"), given: value("new-given"), credentials: value("new-credentials") } : undefined;
    await NL.api("users", { name, role: document.getElementById("new-role").value, person, password: document.getElementById("new-password").value });
    NL.say(`${name} added.`, "ok");
    event.target.reset();
    loadUsers();
  } catch (error) { NL.say(error.message, "error"); }
};
document.getElementById("audit-filter").onsubmit = (event) => { event.preventDefault(); loadAudit().catch((e) => NL.say(e.message, "error")); };

NL.signedIn().then(() => Promise.all([loadUsers(), loadAudit()])).catch((error) => NL.say(error.message, "error"));
