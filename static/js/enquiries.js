// Enquiry pages: citizen look-up, queue-specific taxonomy and channel,
// show-when sections and row selection. Each enhances markup that already
// works without JavaScript. The type-aheads are static/js/typeahead.js.
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
      // Nobody found: registering the caller is the next step, one key away.
      var fresh = document.getElementById("citizen-new");
      var status = document.getElementById("citizen-lookup-status");
      var refused = status && status.querySelector("[data-lookup-error]");
      if (!radios.length && fromKeyboard && fresh && query.value.trim() && !refused) {
        fresh.checked = true;
        fresh.dispatchEvent(new Event("change", { bubbles: true }));
        fresh.focus();
      }
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

  // --- Channel follows the queue ---------------------------------------------
  // Each queue option carries its default channel; a channel the user chose
  // is kept.
  function setupChannel(form) {
    var queue = form.elements.namedItem("queue");
    var channel = form.elements.namedItem("channel");
    if (!queue || !channel || !queue.options) { return; }
    // Setting .value below fires no event: every change event is the user's.
    var chosenByUser = false;
    channel.addEventListener("change", function () { chosenByUser = true; });
    queue.addEventListener("change", function () {
      var option = queue.options[queue.selectedIndex];
      var wanted = option && option.getAttribute("data-channel");
      if (!chosenByUser && wanted) { channel.value = wanted; }
    });
  }

  // --- Row selection for bulk triage ------------------------------------------
  function setupSelection() {
    each("[data-select-all]", function (all) {
      var form = all.form || all.closest("form");
      var name = all.getAttribute("data-select-all");
      var count = document.getElementById("bulk-count");
      var template = count ? count.getAttribute("data-selected-text") : "";
      // form.elements also holds boxes outside the form (form="...").
      function boxes() {
        return Array.prototype.filter.call(form.elements, function (element) {
          return element.type === "checkbox" && element.name === name;
        });
      }
      function update() {
        var list = boxes();
        var ticked = list.filter(function (b) { return b.checked; }).length;
        all.checked = ticked > 0 && ticked === list.length;
        all.indeterminate = ticked > 0 && ticked < list.length;
        if (count && template) { count.textContent = template.replace("{count}", ticked); }
      }
      all.hidden = false;
      all.addEventListener("change", function () {
        boxes().forEach(function (b) { b.checked = all.checked; });
        update();
      });
      document.addEventListener("change", function (event) {
        if (event.target.form === form && event.target.name === name) { update(); }
      });
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    each("form[data-taxonomy-form]", function (form) {
      setupChannel(form);
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
