// Enquiry pages: citizen look-up, category type-ahead, queue-specific
// taxonomy, show-when sections and row selection. Each enhances markup that
// already works without JavaScript.
(function () {
  "use strict";

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  // Sections shown only while a checkbox or radio is checked.
  function updateShowWhen() {
    each("[data-show-when]", function (section) {
      var control = document.getElementById(section.getAttribute("data-show-when"));
      section.hidden = !!control && !control.checked;
    });
  }

  // --- Citizen look-up on the log form --------------------------------------
  function setupLookup() {
    var query = document.getElementById("id_citizen_query");
    var button = document.getElementById("citizen-lookup-button");
    var matches = document.getElementById("citizen-matches");
    if (!query || !button || !matches) { return; }
    var fromKeyboard = false;
    query.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        fromKeyboard = true;
        button.click();
      }
    });
    document.addEventListener("htmx:afterSwap", function (event) {
      var target = event.detail && event.detail.target;
      if (target !== matches && !matches.contains(event.target)) { return; }
      var radios = matches.querySelectorAll("input[type=radio]");
      if (radios.length === 1) { radios[0].checked = true; }
      if (radios.length && fromKeyboard) { radios[0].focus(); }
      fromKeyboard = false;
      updateShowWhen();
    });
    // Registering the caller: start from what was typed into the look-up.
    var fresh = document.getElementById("citizen-new");
    if (fresh) {
      fresh.addEventListener("change", function () {
        var text = query.value.trim();
        if (!text) { return; }
        var digits = text.replace(/\D/g, "");
        var target = /^\d{6}[ -]?\d{4}$/.test(text) ? "id_citizen-cpr"
          : digits.length >= 6 && digits.length * 2 >= text.replace(/\s/g, "").length ? "id_citizen-phone"
          : "id_citizen-name";
        var field = document.getElementById(target);
        if (field && !field.value) { field.value = text; }
      });
    }
  }

  // --- Queue-specific taxonomy -----------------------------------------------
  function currentQueue(form) {
    var field = form.elements.namedItem("queue");
    return field ? field.value : "";
  }

  function filterTopics(form, clear) {
    var queue = currentQueue(form);
    each("input[data-queue]", function (box) {
      var other = queue && box.getAttribute("data-queue") !== queue;
      if (other && clear) { box.checked = false; }
      var choice = box.closest(".choice");
      if (choice) { choice.hidden = other; }
    }, form);
  }

  // --- Category type-ahead: an ARIA 1.2 combobox over a native select --------
  function setupTypeahead(select) {
    var form = select.form;
    var id = select.id;
    var label = document.querySelector('label[for="' + id + '"]');
    var options = Array.prototype.filter.call(select.options, function (o) { return o.value; })
      .map(function (o) {
        return { value: o.value, label: o.textContent.trim(), text: o.textContent.trim().toLowerCase(), queue: o.getAttribute("data-queue") };
      });

    var input = document.createElement("input");
    input.type = "text";
    input.id = id;
    input.name = select.getAttribute("data-typeahead");
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "_listbox");
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) { input.setAttribute(name, select.getAttribute(name)); }
    });
    var list = document.createElement("ul");
    list.id = id + "_listbox";
    list.className = "typeahead__list";
    list.setAttribute("role", "listbox");
    if (label) { list.setAttribute("aria-label", label.textContent.replace("*", "").trim()); }
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    var wrapper = document.createElement("div");
    wrapper.className = "typeahead";
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(status);

    select.id = id + "_select";
    select.hidden = true;
    select.tabIndex = -1;
    select.parentNode.insertBefore(wrapper, select.nextSibling);

    var selected = options.filter(function (o) { return o.value === select.value; })[0];
    input.value = selected ? selected.label : (select.getAttribute("data-typed") || "");
    if (document.activeElement === select) { input.focus(); }

    var shown = [];
    var active = -1;

    function announce() {
      var template = shown.length === 0 ? select.getAttribute("data-no-results")
        : shown.length === 1 ? select.getAttribute("data-one-result") : select.getAttribute("data-results");
      status.textContent = (template || "").replace("{count}", shown.length);
    }

    function render() {
      list.innerHTML = "";
      shown.forEach(function (option, index) {
        var item = document.createElement("li");
        item.id = id + "_option_" + option.value;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", index === active ? "true" : "false");
        item.textContent = option.label;
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { choose(option); });
        list.appendChild(item);
      });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", id + "_option_" + shown[active].value);
        list.children[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var queue = currentQueue(form);
      shown = options.filter(function (o) {
        if (queue && o.queue && o.queue !== queue) { return false; }
        return words.every(function (word) { return o.text.indexOf(word) !== -1; });
      }).slice(0, 60);
      active = shown.length ? 0 : -1;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      render();
      announce();
    }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(option) {
      select.value = option.value;
      input.value = option.label;
      input.removeAttribute("aria-invalid");
      close();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    input.addEventListener("input", function () {
      select.value = "";
      open();
    });
    input.addEventListener("keydown", function (event) {
      var isOpen = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!isOpen) { open(); return; }
        if (!shown.length) { return; }
        active = event.key === "ArrowDown" ? Math.min(active + 1, shown.length - 1) : Math.max(active - 1, 0);
        render();
      } else if (event.key === "Enter" && isOpen && active >= 0) {
        event.preventDefault();
        choose(shown[active]);
      } else if (event.key === "Tab" && isOpen && active >= 0 && input.value.trim()) {
        choose(shown[active]);
      } else if (event.key === "Escape") {
        if (isOpen) { event.preventDefault(); close(); }
        else if (input.value) { event.preventDefault(); input.value = ""; select.value = ""; }
      }
    });
    input.addEventListener("blur", function () {
      if (!select.value && input.value.trim()) {
        var typed = input.value.trim().toLowerCase();
        var exact = options.filter(function (o) { return o.text === typed; })[0];
        if (exact) { choose(exact); }
      }
      close();
    });
    // A new queue has another taxonomy: drop a category that no longer fits.
    var queueField = form.elements.namedItem("queue");
    if (queueField) {
      queueField.addEventListener("change", function () {
        var chosen = options.filter(function (o) { return o.value === select.value; })[0];
        if (chosen && chosen.queue !== currentQueue(form)) {
          select.value = "";
          input.value = "";
        }
      });
    }
  }

  // --- Row selection for bulk triage ------------------------------------------
  function setupSelection() {
    each("[data-select-all]", function (all) {
      var form = all.form || all.closest("form");
      var name = all.getAttribute("data-select-all");
      var count = document.getElementById("bulk-count");
      var template = count ? count.getAttribute("data-selected-text") : "";
      function boxes() { return form.querySelectorAll('input[type=checkbox][name="' + name + '"]'); }
      function update() {
        var list = boxes();
        var ticked = Array.prototype.filter.call(list, function (b) { return b.checked; }).length;
        all.checked = ticked > 0 && ticked === list.length;
        all.indeterminate = ticked > 0 && ticked < list.length;
        if (count && template) { count.textContent = template.replace("{count}", ticked); }
      }
      all.hidden = false;
      all.addEventListener("change", function () {
        Array.prototype.forEach.call(boxes(), function (b) { b.checked = all.checked; });
        update();
      });
      form.addEventListener("change", function (event) {
        if (event.target.name === name) { update(); }
      });
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    each("select[data-typeahead]", setupTypeahead);
    each("form[data-taxonomy-form]", function (form) {
      filterTopics(form, false);
      var queue = form.elements.namedItem("queue");
      if (queue) { queue.addEventListener("change", function () { filterTopics(form, true); }); }
    });
    setupLookup();
    setupSelection();
    updateShowWhen();
    document.addEventListener("change", updateShowWhen);
  });
})();
