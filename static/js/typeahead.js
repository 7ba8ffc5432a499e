// Type-ahead pickers over the API (nemid_cases/widgets.py, TypeaheadInput).
// The page renders only the chosen value; options are fetched while the
// user types. A WAI-ARIA 1.2 combobox with a listbox popup: arrow keys move,
// Enter (or Tab after typing) chooses, Escape closes, then clears. Without
// JavaScript the text box is sent as typed and the server resolves it.
(function () {
  "use strict";

  var DELAY = 200;
  var SHOWN = 50;
  var CPR = /(^|\D)\d{6}[ -]?\d{4}(?!\d)/g;
  var counter = 0;

  function parse(element, name, fallback) {
    try {
      return JSON.parse(element.getAttribute(name) || "") || fallback;
    } catch (error) {
      return fallback;
    }
  }

  // Never send or keep anything shaped like a CPR number.
  function withoutCpr(text) {
    return text.replace(CPR, "$1 ").replace(/\s+/g, " ").trim();
  }

  function fill(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all;
    });
  }

  function setup(field) {
    var id = field.id;
    var url = field.getAttribute("data-typeahead");
    var params = parse(field, "data-typeahead-params", {});
    var messages = parse(field, "data-typeahead-messages", {});
    var labelKey = field.getAttribute("data-typeahead-label-key") || "label";
    var fixed = parse(field, "data-typeahead-choices", []).map(function (pair) {
      return { value: String(pair[0]), label: String(pair[1]) };
    });
    var label = document.querySelector('label[for="' + id + '"]');

    var input = document.createElement("input");
    input.type = "text";
    input.id = id;
    input.autocomplete = "off";
    input.spellcheck = false;
    input.className = field.className;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "_listbox");
    ["aria-describedby", "aria-invalid", "aria-required", "required", "placeholder", "maxlength"]
      .forEach(function (name) {
        if (field.hasAttribute(name)) { input.setAttribute(name, field.getAttribute(name)); }
      });
    var list = document.createElement("ul");
    list.id = id + "_listbox";
    list.className = "typeahead__list";
    list.setAttribute("role", "listbox");
    if (label) { list.setAttribute("aria-label", label.textContent.replace("*", "").trim()); }
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "typeahead__status";
    status.setAttribute("role", "status");
    var wrapper = document.createElement("div");
    wrapper.className = "typeahead";
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(status);

    var hadFocus = document.activeElement === field;
    field.id = id + "_value";
    field.type = "hidden";
    field.removeAttribute("aria-describedby");
    field.removeAttribute("aria-invalid");
    field.parentNode.insertBefore(wrapper, field.nextSibling);

    // The chosen value (an id, or a fixed choice) and its label; typed text
    // that was never chosen stays in the hidden field for the server.
    var chosen = field.getAttribute("data-typeahead-value");
    if (chosen) {
      field.value = chosen;
      input.value = field.getAttribute("data-typeahead-label") || "";
    } else {
      input.value = field.value;
    }
    if (hadFocus) { input.focus(); }

    var shown = [];
    var active = -1;
    var timer = null;
    var controller = null;

    function say(text) { status.textContent = text || ""; }

    function paramValue(spec) {
      if (typeof spec === "string" && spec.charAt(0) === "#") {
        var source = document.getElementById(spec.slice(1));
        return source ? source.value : "";
      }
      return spec;
    }

    function query(extra) {
      var search = new URLSearchParams();
      Object.keys(params).forEach(function (name) {
        var value = paramValue(params[name]);
        if (value) { search.set(name, value); }
      });
      Object.keys(extra).forEach(function (name) { search.set(name, extra[name]); });
      return url + "?" + search.toString();
    }

    function load(extra) {
      if (controller) { controller.abort(); }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      return fetch(query(extra), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        var rows = Array.isArray(data) ? data : (data.results || []);
        return { rows: rows, count: Array.isArray(data) ? rows.length : (data.count || rows.length) };
      });
    }

    function optionId(option) {
      return id + "_option_" + option.value.replace(/[^\w-]/g, "_");
    }

    function render() {
      list.textContent = "";
      shown.forEach(function (option, index) {
        var item = document.createElement("li");
        item.id = optionId(option);
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", index === active ? "true" : "false");
        item.textContent = option.label;
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { choose(option); });
        list.appendChild(item);
      });
      list.hidden = shown.length === 0;
      input.setAttribute("aria-expanded", shown.length ? "true" : "false");
      if (active >= 0 && shown[active]) {
        input.setAttribute("aria-activedescendant", optionId(shown[active]));
        var item = list.children[active];
        if (item.scrollIntoView) { item.scrollIntoView({ block: "nearest" }); }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(rows, count, text) {
      var words = text.toLowerCase().split(/\s+/).filter(Boolean);
      var statics = fixed.filter(function (option) {
        var name = option.label.toLowerCase();
        return words.every(function (word) { return name.indexOf(word) !== -1; });
      });
      var found = rows.slice(0, SHOWN).map(function (row) {
        return { value: String(row.id), label: String(row[labelKey] || row.label) };
      });
      shown = statics.concat(found);
      active = shown.length ? 0 : -1;
      render();
      if (!shown.length) {
        say(messages.none);
      } else if (count > found.length) {
        say(fill(messages.more, { shown: found.length, count: count }));
      } else if (shown.length === 1) {
        say(messages.one);
      } else {
        say(fill(messages.results, { count: shown.length }));
      }
    }

    function open() {
      var text = withoutCpr(input.value);
      var serial = ++counter;
      say(messages.loading);
      var extra = text ? { q: text.slice(0, 100) } : {};
      load(extra).then(function (result) {
        if (serial !== counter || document.activeElement !== input) { return; }
        show(result.rows, result.count, text);
      }).catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        if (serial === counter) { show([], 0, text); say(messages.failed); }
      });
    }

    function close() {
      counter++;
      shown = [];
      active = -1;
      render();
    }

    function choose(option) {
      field.value = option.value;
      input.value = option.value ? option.label : "";
      input.removeAttribute("aria-invalid");
      close();
      say("");
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }

    input.addEventListener("input", function () {
      field.value = withoutCpr(input.value);
      window.clearTimeout(timer);
      timer = window.setTimeout(open, DELAY);
    });
    input.addEventListener("click", function () {
      if (list.hidden) { open(); }
    });
    input.addEventListener("keydown", function (event) {
      var isOpen = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!isOpen) { open(); return; }
        var step = event.key === "ArrowDown" ? 1 : -1;
        active = Math.min(Math.max(active + step, 0), shown.length - 1);
        render();
      } else if (event.key === "Enter" && isOpen && active >= 0) {
        event.preventDefault();
        choose(shown[active]);
      } else if (event.key === "Tab" && isOpen && active >= 0 && input.value.trim()) {
        choose(shown[active]);
      } else if (event.key === "Escape") {
        if (isOpen) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          field.value = "";
        }
      }
    });
    input.addEventListener("blur", function () {
      window.clearTimeout(timer);
      close();
    });

    // A control the search depends on changed (the queue, say): drop a
    // choice that no longer fits, and say so.
    Object.keys(params).forEach(function (name) {
      var spec = params[name];
      if (typeof spec !== "string" || spec.charAt(0) !== "#") { return; }
      var source = document.getElementById(spec.slice(1));
      if (!source) { return; }
      source.addEventListener("change", function () {
        if (!/^\d+$/.test(field.value)) { return; }
        var before = input.value;
        load({ id: field.value }).then(function (result) {
          if (!result.rows.length) {
            field.value = "";
            input.value = "";
            say(fill(messages.cleared, { label: before }));
          }
        }).catch(function () { /* the server checks the choice on saving */ });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-typeahead]"), setup);
  });
})();
