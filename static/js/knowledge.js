// Knowledge-base suggestions beside a form (the log-enquiry form, the reply
// page). The panel #knowledge-suggestions names the fields it follows; as
// the agent types the subject or picks a category, the server's partial
// (knowledge:suggest) replaces its content. An inserted suggestion goes into
// the reply through insertIntoReply (static/js/reply.js, which handles the
// data-insert-text buttons) and is counted by a POST to data-use-url.
(function () {
  "use strict";

  var DELAY = 250;
  var CPR = /(^|\D)\d{6}[ -]?\d{4}(?!\d)/g;

  function value(id) {
    var field = id && document.getElementById(id);
    return field ? field.value : "";
  }

  function setup(panel) {
    var url = panel.getAttribute("data-suggest-url");
    var subjectId = panel.getAttribute("data-subject-field");
    var categoryId = panel.getAttribute("data-category-field");
    var timer = null;
    var controller = null;
    var last = null;

    function subject() {
      return subjectId ? value(subjectId) : panel.getAttribute("data-subject") || "";
    }

    function category() {
      // The category type-ahead keeps the chosen id in "<id>_value".
      var chosen = categoryId ? value(categoryId + "_value") || value(categoryId) : "";
      chosen = chosen || panel.getAttribute("data-category") || "";
      return /^\d+$/.test(chosen) ? chosen : "";
    }

    function refresh() {
      var search = new URLSearchParams();
      // Never send anything shaped like a CPR number.
      search.set("subject", subject().replace(CPR, "$1 ").trim());
      search.set("category", category());
      search.set("insert", panel.getAttribute("data-insert") || "0");
      search.set("enquiry", panel.getAttribute("data-enquiry") || "");
      var query = search.toString();
      if (query === last) { return; }
      last = query;
      if (controller) { controller.abort(); }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      fetch(url + "?" + query, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      }).then(function (html) {
        panel.innerHTML = html;
      }).catch(function () { /* an aborted or failed refresh keeps the last list */ });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(refresh, DELAY);
    }

    document.addEventListener("input", function (event) {
      var id = event.target && event.target.id;
      if (id && (id === subjectId || id === categoryId)) { later(); }
    });
    document.addEventListener("change", function (event) {
      var id = event.target && event.target.id;
      if (id && (id === subjectId || id === categoryId || id === categoryId + "_value")) { later(); }
    });

    // Count an inserted suggestion (insertion itself is reply.js's).
    panel.addEventListener("click", function (event) {
      var button = event.target.closest("[data-insert-text]");
      var useUrl = panel.getAttribute("data-use-url");
      var token = document.querySelector("input[name=csrfmiddlewaretoken]");
      if (!button || !useUrl || !token) { return; }
      var body = new URLSearchParams();
      body.set("article", button.getAttribute("data-suggestion-article") || "");
      body.set("template", button.getAttribute("data-suggestion-template") || "");
      body.set("category", category());
      body.set("enquiry", panel.getAttribute("data-enquiry") || "");
      fetch(useUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token.value },
        body: body
      });
    });

    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("knowledge-suggestions");
    if (panel) { setup(panel); }
  });
})();
