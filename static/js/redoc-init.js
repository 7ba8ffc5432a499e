// Starts ReDoc on the API documentation page (templates/api/redoc.html).
// The nonce lets ReDoc's generated <style> elements pass the page's CSP.
(function () {
  "use strict";
  var container = document.getElementById("redoc");
  if (!container || !window.Redoc) { return; }
  window.Redoc.init(container.dataset.specUrl, { nonce: container.dataset.nonce }, container);
})();
