// Progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Move focus to the first field in error after a re-rendered form.
  document.addEventListener("DOMContentLoaded", function () {
    var firstError = document.querySelector(".field--error input, .field--error select, .field--error textarea");
    if (firstError) { firstError.focus(); }
  });

  // A CPR number must never travel in a web address. A GET form whose field
  // marked data-cpr-guard="<message id>" holds one is not sent; the message
  // (which points to the citizen look-up) is shown and linked to the field.
  var CPR = /(^|\D)\d{6}[ -]?\d{4}(?!\d)/;
  function showCprWarning(field, show) {
    var message = document.getElementById(field.getAttribute("data-cpr-guard"));
    var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (message) {
      message.hidden = !show;
      described = described.filter(function (id) { return id !== message.id; });
      if (show) { described.push(message.id); }
      field.setAttribute("aria-describedby", described.join(" "));
    }
    if (show) { field.setAttribute("aria-invalid", "true"); } else { field.removeAttribute("aria-invalid"); }
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.method || form.method.toLowerCase() !== "get") { return; }
    var fields = form.querySelectorAll("[data-cpr-guard]");
    for (var i = 0; i < fields.length; i++) {
      if (CPR.test(fields[i].value)) {
        event.preventDefault();
        showCprWarning(fields[i], true);
        fields[i].focus();
        return;
      }
    }
  }, true);
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-cpr-guard") && !CPR.test(field.value)) {
      showCprWarning(field, false);
    }
  });
})();
