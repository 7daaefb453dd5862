// The daily log without reloads: add lines, let the kind set mode and place and show only the
// fields it needs, find a client by typing. The form works without this script (the "More
// lines" button reloads the page with three more lines).
(function () {
  var form = document.getElementById("daily-log");
  if (!form) { return; }
  var defaults = JSON.parse(form.dataset.kindDefaults || "{}");
  var withEmployer = JSON.parse(form.dataset.kindsWithEmployer || "[]");
  var rows = form.querySelector(".log-rows");
  var addButton = document.getElementById("add-row");

  function fieldOf(row, name) { return row.querySelector("[id$='-" + name + "']"); }

  function showFieldsFor(row) {
    var kind = fieldOf(row, "kind").value;
    var employer = fieldOf(row, "employer");
    var wrapper = employer.closest(".field");
    var needed = withEmployer.indexOf(kind) >= 0;
    // A typed employer or an error stays visible, so nothing is hidden that will be sent.
    wrapper.hidden = !needed && !employer.value && !wrapper.classList.contains("has-error");
  }

  function setDefaults(row) {
    var pair = defaults[fieldOf(row, "kind").value];
    if (pair) {
      fieldOf(row, "mode").value = pair[0];
      fieldOf(row, "place").value = pair[1];
    }
    showFieldsFor(row);
  }

  function addClientFilter(row) {
    var select = fieldOf(row, "client_id");
    if (!select || row.querySelector(".client-filter")) { return; }
    var input = document.createElement("input");
    input.type = "search";
    input.className = "client-filter";
    input.id = select.id + "-filter";
    input.setAttribute("aria-describedby", "client-filter-label");
    input.setAttribute("aria-label", document.getElementById("client-filter-label").textContent);
    input.placeholder = document.getElementById("client-filter-label").textContent;
    input.autocomplete = "off";
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var text = input.value.trim().toLowerCase();
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !text || option.value === "0" || option.text.toLowerCase().indexOf(text) >= 0;
        option.hidden = !match;
        if (match && option.value !== "0" && first === null) { first = option; }
      });
      if (text && first) { select.value = first.value; }
    });
  }

  function wire(row) {
    fieldOf(row, "kind").addEventListener("change", function () { setDefaults(row); });
    fieldOf(row, "mode").addEventListener("change", function (event) {
      // A call, a mail or a message is not made in the community.
      if (event.target.value !== "face_to_face") { fieldOf(row, "place").value = "office"; }
    });
    addClientFilter(row);
    showFieldsFor(row);
  }

  function addRow() {
    var all = rows.querySelectorAll("fieldset.log-row");
    var last = all[all.length - 1];
    var index = all.length;
    var copy = last.cloneNode(true);
    var from = /rows-\d+-/;
    copy.dataset.row = String(index);
    copy.id = "row-" + index;
    copy.classList.remove("has-error");
    copy.querySelectorAll(".client-filter").forEach(function (el) { el.remove(); });
    copy.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    copy.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    copy.querySelectorAll("[id], [name], [for]").forEach(function (el) {
      ["id", "name", "for"].forEach(function (attribute) {
        var value = el.getAttribute(attribute);
        if (value) { el.setAttribute(attribute, value.replace(from, "rows-" + index + "-")); }
      });
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
    });
    copy.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    copy.querySelectorAll("select").forEach(function (select) {
      Array.prototype.forEach.call(select.options, function (o) { o.hidden = false; });
      select.selectedIndex = 0;
    });
    var legend = copy.querySelector("legend");
    legend.textContent = legend.textContent.replace(/\d+/, String(index + 1));
    rows.appendChild(copy);
    wire(copy);
    setDefaults(copy);
    fieldOf(copy, "client_id").focus();
    return copy;
  }

  rows.querySelectorAll("fieldset.log-row").forEach(wire);
  if (addButton) {
    addButton.hidden = false;
    addButton.addEventListener("click", addRow);
    var more = form.querySelector("button[name=more_rows]");
    if (more) { more.hidden = true; }
  }
})();
