// Employer names suggested as the worker types, from /employers/lookup (a few names, never the
// whole register). Every input[data-employer-lookup] gets the suggestions, also the lines the
// daily log adds later. Without this script the field is a plain text input: a name that is not
// in the register yet creates the employer on saving, as it does with the script.
(function () {
  var MIN_LENGTH = 2;
  var list = document.createElement("ul");
  list.id = "employer-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  var owner = null;    // the input the list belongs to now
  var active = -1;     // the highlighted suggestion
  var asked = 0;       // numbers the requests, so a late answer cannot replace a newer one
  var timer = null;

  function isLookup(element) {
    return element && element.matches && element.matches("input[data-employer-lookup]");
  }

  function prepare(input) {
    if (input.getAttribute("role") === "combobox") { return; }
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
  }

  function close() {
    list.hidden = true;
    active = -1;
    if (owner) {
      owner.setAttribute("aria-expanded", "false");
      owner.removeAttribute("aria-activedescendant");
    }
  }

  function highlight(index) {
    var items = list.querySelectorAll("[role=option]");
    active = items.length ? (index + items.length) % items.length : -1;
    Array.prototype.forEach.call(items, function (item, n) {
      item.setAttribute("aria-selected", n === active ? "true" : "false");
    });
    if (active >= 0) { owner.setAttribute("aria-activedescendant", items[active].id); }
  }

  function pick(name) {
    owner.value = name;
    close();
    owner.dispatchEvent(new Event("change", { bubbles: true }));
    owner.focus();
  }

  function show(input, names) {
    list.textContent = "";
    names.forEach(function (name, n) {
      var item = document.createElement("li");
      item.id = "employer-suggestion-" + n;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = name;
      list.appendChild(item);
    });
    owner = input;
    input.insertAdjacentElement("afterend", list);
    list.hidden = names.length === 0;
    active = -1;
    input.setAttribute("aria-expanded", names.length ? "true" : "false");
  }

  function ask(input) {
    var text = input.value.trim();
    var number = ++asked;
    if (text.length < MIN_LENGTH) { close(); return; }
    var url = input.dataset.employerLookup + "?q=" + encodeURIComponent(text.slice(0, 80));
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return window.caseload.lookupAnswer(input, response, { names: [] }); })
      .then(function (answer) {
        if (answer === null) { close(); return; }  // the session ended: said at the field
        if (number === asked && document.activeElement === input) { show(input, answer.names || []); }
      })
      .catch(function () { close(); });
  }

  document.addEventListener("input", function (event) {
    if (!isLookup(event.target)) { return; }
    prepare(event.target);
    clearTimeout(timer);
    var input = event.target;
    timer = setTimeout(function () { ask(input); }, 150);
  });

  document.addEventListener("focusin", function (event) {
    if (isLookup(event.target)) { prepare(event.target); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.target !== owner || list.hidden) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();  // picks the name; the form is not sent
      pick(list.querySelectorAll("[role=option]")[active].textContent);
    } else if (event.key === "Escape") {
      close();
    }
  });

  // mousedown, not click: the input keeps its focus, so blur does not close the list first.
  list.addEventListener("mousedown", function (event) {
    var item = event.target.closest("[role=option]");
    if (item) {
      event.preventDefault();
      pick(item.textContent);
    }
  });

  document.addEventListener("focusout", function (event) {
    if (event.target === owner) { close(); }
  });
})();
