// The daily log without reloads: add lines, let the kind set mode and place and show only the
// fields it needs, find a client by typing. The form works without this script (the "More
// lines" button reloads the page with three more lines; a line's client is a text input for the
// client code, with the page's one list of clients as its suggestions). The page sends the
// clients once (datalist#client-choices); this script makes each line's client a select of them,
// the worker's own clients first. The page lists the worker's usual clients only; the team's
// others are looked up as the worker types in a line's filter (/log/clients).
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

  var choices = document.getElementById("client-choices");
  var clientOptions = null;

  // The options of every line's select, built once from the datalist and cloned per line.
  function buildClientOptions() {
    var fragment = document.createDocumentFragment();
    fragment.appendChild(new Option("\u2014", ""));
    var mine = document.createElement("optgroup");
    mine.label = choices.dataset.mine;
    var team = document.createElement("optgroup");
    team.label = choices.dataset.team;
    Array.prototype.forEach.call(choices.options, function (choice) {
      var option = new Option((choice.value + " " + choice.text).trim(), choice.value);
      (choice.hasAttribute("data-mine") ? mine : team).appendChild(option);
    });
    if (mine.children.length) { fragment.appendChild(mine); }
    if (team.children.length) { fragment.appendChild(team); }
    return fragment;
  }

  function matchingCode(text) {
    var wanted = text.trim().toLowerCase();
    var found = "";
    Array.prototype.some.call(choices.options, function (choice) {
      if (choice.value === text.trim()) { found = choice.value; return true; }
      if (!found && choice.value.toLowerCase() === wanted) { found = choice.value; }
      return false;
    });
    return found;
  }

  function makeClientSelect(row) {
    var input = fieldOf(row, "client");
    if (!choices || !input || input.tagName !== "INPUT") { return; }
    var code = input.value ? matchingCode(input.value) : "";
    // A code that is not in the list stays typed, next to its error, so nothing is lost.
    if (input.value && !code) { return; }
    if (clientOptions === null) { clientOptions = buildClientOptions(); }
    var select = document.createElement("select");
    ["id", "name", "class", "aria-invalid", "aria-describedby"].forEach(function (attribute) {
      if (input.hasAttribute(attribute)) { select.setAttribute(attribute, input.getAttribute(attribute)); }
    });
    select.appendChild(clientOptions.cloneNode(true));
    select.value = code;
    input.parentNode.replaceChild(select, input);
  }

  function addClientFilter(row) {
    var select = fieldOf(row, "client");
    if (!select || select.tagName !== "SELECT" || row.querySelector(".client-filter")) { return; }
    var input = document.createElement("input");
    input.type = "search";
    input.className = "client-filter";
    input.id = select.id + "-filter";
    input.setAttribute("aria-describedby", "client-filter-label");
    input.setAttribute("aria-label", document.getElementById("client-filter-label").textContent);
    input.placeholder = document.getElementById("client-filter-label").textContent;
    input.autocomplete = "off";
    select.parentNode.insertBefore(input, select);
    var timer = null;
    input.addEventListener("input", function () {
      filterOptions(select, input.value);
      clearTimeout(timer);
      timer = setTimeout(function () { lookUp(select, input); }, LOOKUP_DELAY);
    });
  }

  function filterOptions(select, typed) {
    var text = typed.trim().toLowerCase();
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var match = !text || option.value === "" || option.text.toLowerCase().indexOf(text) >= 0;
      option.hidden = !match;
      if (match && option.value !== "" && first === null) { first = option; }
    });
    if (text && first) { select.value = first.value; }
  }

  // The team's other clients, asked for as the worker types (the page lists only their own
  // and the ones they cover): the matches join the line's "Team" group, and are announced.
  var LOOKUP_DELAY = 150;
  var LOOKUP_MIN = 2;
  var asked = 0;  // numbers the requests, so a late answer cannot replace a newer one
  var status = document.getElementById("client-lookup-status");

  function teamGroup(select) {
    var groups = select.querySelectorAll("optgroup");
    var group = null;
    Array.prototype.forEach.call(groups, function (g) {
      if (g.label === choices.dataset.team) { group = g; }
    });
    if (group === null) {
      group = document.createElement("optgroup");
      group.label = choices.dataset.team;
      select.appendChild(group);
    }
    return group;
  }

  function addFound(select, found) {
    var known = {};
    Array.prototype.forEach.call(select.options, function (o) { known[o.value] = true; });
    var group = null;
    found.forEach(function (client) {
      if (known[client.code]) { return; }
      group = group || teamGroup(select);
      group.appendChild(new Option((client.code + " " + client.name).trim(), client.code));
    });
  }

  function announce(count) {
    if (!status) { return; }
    status.textContent = count ? status.dataset.some.replace("{n}", String(count))
      : status.dataset.none;
  }

  function lookUp(select, input) {
    var text = input.value.trim();
    var number = ++asked;
    if (text.length < LOOKUP_MIN || !choices.dataset.lookup) { return; }
    var url = choices.dataset.lookup + "?q=" + encodeURIComponent(text.slice(0, 80));
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return window.caseload.lookupAnswer(input, response, { clients: [] }); })
      .then(function (answer) {
        if (answer === null || number !== asked) { return; }  // null: the session ended
        var found = answer.clients || [];
        addFound(select, found);
        filterOptions(select, input.value);
        announce(found.length);
      })
      .catch(function () { /* the listed clients stay; a code can still be typed */ });
  }

  function wire(row) {
    fieldOf(row, "kind").addEventListener("change", function () { setDefaults(row); });
    fieldOf(row, "mode").addEventListener("change", function (event) {
      // A call, a mail or a message is not made in the community.
      if (event.target.value !== "face_to_face") { fieldOf(row, "place").value = "office"; }
    });
    makeClientSelect(row);
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
    copy.querySelectorAll(".client-filter, .suggestions").forEach(function (el) { el.remove(); });
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
    fieldOf(copy, "client").focus();
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
