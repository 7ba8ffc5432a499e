// Progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // Move focus to the first field in error after a re-rendered form.
  document.addEventListener("DOMContentLoaded", function () {
    var firstError = document.querySelector(".field--error input, .field--error select, .field--error textarea");
    if (firstError) { firstError.focus(); }
  });
})();
