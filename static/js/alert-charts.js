// Draws each pattern alert's weekly series; the data table beside it holds
// the same figures, so the page is complete without JavaScript.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      var last = data.counts.length - 1;
      new Chart(canvas, {
        data: {
          labels: data.labels,
          datasets: [
            {
              type: "bar",
              label: data.count_label,
              data: data.counts,
              backgroundColor: data.counts.map(function (_, i) { return i === last ? "#b42318" : "#1d4e89"; })
            },
            {
              type: "line",
              label: data.baseline_label,
              data: data.labels.map(function () { return data.baseline; }),
              borderColor: "#3f3f46",
              borderDash: [6, 4],
              pointRadius: 0,
              fill: false
            }
          ]
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    });
  });
})();
