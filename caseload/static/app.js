// Small progressive enhancements; every page works without them.
// No select submits its form on change: with the keyboard, an arrow key would already navigate
// away (WCAG 3.2.2). Filters have their own "Show" button.

// An error summary takes the focus, so a screen reader reads it and a phone scrolls to it;
// its links move the focus to the first field of the row in error.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  document.querySelectorAll(".error-summary a[data-focus], .error-summary a[data-focus-field]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var row = document.getElementById(link.getAttribute("href").slice(1));
      var target = row && (row.matches("input, select, textarea") ? row :
        (row.querySelector("[aria-invalid=true]") || row.querySelector("select, input")));
      if (target) { event.preventDefault(); target.focus(); }
    });
  });
})();

// A warning a few minutes before the idle timeout, with a button to stay logged in.
(function () {
  var warning = document.getElementById("idle-warning");
  if (!warning) { return; }
  var idleSeconds = Number(document.body.dataset.idleSeconds || "0");
  var warnBefore = Math.min(Number(warning.dataset.warnSeconds || "120"), idleSeconds);
  var timer = null;
  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () {
      warning.hidden = false;
      warning.querySelector("button").focus();
    }, Math.max(0, idleSeconds - warnBefore) * 1000);
  }
  var button = warning.querySelector("button");
  button.addEventListener("click", function () {
    var token = document.querySelector("meta[name=csrf-token]").content;
    fetch(warning.dataset.keepAlive, {method: "POST", credentials: "same-origin",
                                      headers: {"X-CSRFToken": token, "Accept": "application/json"}})
      .then(function (response) {
        // Too late: the session has ended. Said in the warning, the page left as it is (a
        // reload would lose what was typed; saving keeps it where the page's form is kept).
        if (response.status === 401) {
          return response.json().catch(function () { return {}; }).then(function (answer) {
            window.caseload.sessionEnded(button, answer);
            button.hidden = true;
          });
        }
        if (response.ok && !response.redirected) { warning.hidden = true; schedule(); }
        else { window.location.reload(); }
      });
  });
  if (idleSeconds > 0) { schedule(); }
})();

// A page's background lookup (the employer and client fields) answered 401: the session has
// ended. Said at the field the user types in, in the page's language (base.html writes the
// texts), and true: saving keeps what was typed only where the page's form is kept and the
// session timed out (the answer's `kept`), not when it was ended otherwise.
window.caseload = window.caseload || {};
window.caseload.sessionEnded = function (input, answer) {
  var texts = document.body.dataset;
  var text = (answer && answer.kept && texts.sessionKept) || texts.sessionLost;
  if (!text) { return; }
  var message = document.getElementById("session-ended");
  if (!message) {
    message = document.createElement("p");
    message.id = "session-ended";
    message.className = "error session-ended";
    message.setAttribute("role", "alert");
  }
  message.textContent = text;
  var field = input.closest(".field");
  if (field) { field.appendChild(message); } else { input.insertAdjacentElement("afterend", message); }
};
// A lookup answered again (logged in in another tab): the message goes.
window.caseload.sessionBack = function () {
  var message = document.getElementById("session-ended");
  if (message) { message.remove(); }
};
// The answer of a lookup: its JSON, or null after saying the session ended (401).
window.caseload.lookupAnswer = function (input, response, empty) {
  if (response.status === 401) {
    return response.json().catch(function () { return {}; }).then(function (answer) {
      window.caseload.sessionEnded(input, answer);
      return null;
    });
  }
  window.caseload.sessionBack();
  return response.ok ? response.json() : empty;
};
