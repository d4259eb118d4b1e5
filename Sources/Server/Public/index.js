// Sign in, then go where the user was going, or to their role's first page.
"use strict";

function home(role) {
  const next = NL.param("next");
  if (next && next.startsWith("/") && !next.startsWith("//")) return next;
  return { tech: "/tech", admin: "/users" }[role] || "/sessions";
}

(async () => {
  const response = await fetch("/api/me", { credentials: "same-origin" });
  if (response.ok) location.replace(home((await response.json()).role));
})();

document.getElementById("login").onsubmit = async (event) => {
  event.preventDefault();
  NL.say("");
  try {
    const me = await NL.api("login", { user: document.getElementById("user").value, password: document.getElementById("password").value });
    location.href = home(me.role);
  } catch (error) {
    NL.say(error.message, "error");
    document.getElementById("password").value = "";
  }
};
