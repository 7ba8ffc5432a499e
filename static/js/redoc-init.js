// Starts ReDoc on the API documentation page (templates/api/redoc.html).
// The nonce lets ReDoc's generated <style> elements pass the page's CSP.
(function () {
  "use strict";
  var container = document.getElementById("redoc");
  if (!container || !window.Redoc) { return; }
  // Search would start a worker from a blob: URL, which the CSP refuses.
  var options = { nonce: container.dataset.nonce, disableSearch: true };
  window.Redoc.init(container.dataset.specUrl, options, container);
})();
