/* NemID status widget for a bank's or a public provider's own page.
 *
 *   <div data-nemid-status data-lang="da"></div>
 *   <script src="https://<nemid-cases>/static/js/status-widget.js" defer></script>
 *
 * Fetches /status/feed.json from the server the script came from (the feed
 * allows any origin) and writes the ongoing incidents into the element as
 * text, never as HTML. No styles are injected: style .nemid-status on the
 * host page. Refreshes every 60 seconds; the feed is cached for 30.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var origin = script ? new URL(script.src).origin : "";
  var feedUrl = origin + "/status/feed.json";
  var words = {
    da: { ok: "Alle NemID-tjenester kører normalt.", more: "Se driftsstatus", affected: "Berørt" },
    en: { ok: "All NemID services are running normally.", more: "See service status", affected: "Affected" }
  };

  function render(box, data) {
    var lang = box.getAttribute("data-lang") === "en" ? "en" : "da";
    var t = words[lang];
    var list = document.createElement("div");
    list.className = "nemid-status";
    list.setAttribute("role", "status");
    var ongoing = (data.incidents || []).filter(function (i) { return i.status === "ongoing"; });
    if (!ongoing.length) {
      var ok = document.createElement("p");
      ok.textContent = t.ok;
      list.appendChild(ok);
    }
    ongoing.forEach(function (incident) {
      var item = document.createElement("div");
      item.className = "nemid-status__incident nemid-status__incident--" + incident.severity;
      var title = document.createElement("strong");
      title.textContent = incident.title[lang];
      item.appendChild(title);
      var services = document.createElement("p");
      services.textContent = t.affected + ": " + incident.service_names[lang].join(", ");
      item.appendChild(services);
      var last = incident.updates[incident.updates.length - 1];
      if (last) {
        var text = document.createElement("p");
        text.textContent = last.text[lang];
        item.appendChild(text);
      }
      list.appendChild(item);
    });
    var link = document.createElement("a");
    link.href = origin + "/status/" + (lang === "en" ? "?lang=en" : "");
    link.textContent = t.more;
    list.appendChild(link);
    box.replaceChildren(list);
  }

  function refresh() {
    var boxes = document.querySelectorAll("[data-nemid-status]");
    if (!boxes.length) { return; }
    fetch(feedUrl, { credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data) { boxes.forEach(function (box) { render(box, data); }); }
      })
      .catch(function () { /* keep what is shown; try again later */ });
  }

  refresh();
  setInterval(refresh, 60000);
})();
