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
  warning.querySelector("button").addEventListener("click", function () {
    var token = document.querySelector("meta[name=csrf-token]").content;
    fetch(warning.dataset.keepAlive, {method: "POST", credentials: "same-origin",
                                      headers: {"X-CSRFToken": token}})
      .then(function (response) {
        if (response.ok && !response.redirected) { warning.hidden = true; schedule(); }
        else { window.location.reload(); }
      });
  });
  if (idleSeconds > 0) { schedule(); }
})();
