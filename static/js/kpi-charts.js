// Draws each KPI's small line chart from the json_script data. The readings
// are also in a table next to the chart, so nothing depends on this script.
(function () {
  "use strict";
  function draw() {
    if (typeof Chart === "undefined") { return; }
    var source = document.getElementById("kpi-data");
    if (!source) { return; }
    var charts = {};
    JSON.parse(source.textContent).forEach(function (kpi) { charts["kpi-data-" + kpi.id] = kpi; });
    document.querySelectorAll("canvas[data-kpi-chart]").forEach(function (canvas) {
      var kpi = charts[canvas.dataset.kpiChart];
      if (!kpi) { return; }
      var flat = function (value) { return kpi.labels.map(function () { return value; }); };
      var datasets = [{
        label: kpi.metric, data: kpi.values, borderColor: "#0b4f8a",
        backgroundColor: "#0b4f8a", pointRadius: 4, tension: 0
      }, {
        label: canvas.dataset.baselineLabel, data: flat(kpi.baseline), borderColor: "#4a4a4a",
        borderDash: [2, 3], pointRadius: 0
      }];
      if (kpi.target !== null) {
        datasets.push({
          label: canvas.dataset.targetLabel, data: flat(kpi.target), borderColor: "#1e6b32",
          borderDash: [6, 4], pointRadius: 0
        });
      }
      new Chart(canvas, {
        type: "line",
        data: { labels: kpi.labels, datasets: datasets },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          scales: { y: { beginAtZero: true } }
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
