// Small progressive enhancements; every page works without them.
document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
  var button = select.form.querySelector(".js-hide");
  if (button) { button.hidden = true; }
});
