// Draws the dashboard's charts from the json_script "dashboard-charts".
// Every chart repeats a table on the page, so nothing depends on this
// script. Series differ by colour AND by pattern (bars) or dash and point
// shape (lines), so colour is never the only cue. A bar or point opens its
// list on click, or from the keyboard: focus the chart, move with the
// arrow keys (announced in a live region), open with Enter.
(function () {
  "use strict";
  // Each at least 4.5:1 against white.
  var COLOURS = ["#0b4f8a", "#a4061b", "#1e6b32", "#7a4d00", "#5b21b6", "#3f3f46", "#00677f"];
  var PATTERNS = ["solid", "diagonal", "dots", "horizontal", "cross", "vertical", "backslash"];
  var POINTS = ["circle", "rect", "triangle", "rectRot", "star", "crossRot", "rectRounded"];
  var DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3], [1, 2], [8, 2], [4, 4]];

  function pattern(colour, kind) {
    if (kind === "solid") { return colour; }
    var size = 10;
    var tile = document.createElement("canvas");
    tile.width = tile.height = size;
    var g = tile.getContext("2d");
    g.fillStyle = colour;
    g.fillRect(0, 0, size, size);
    g.strokeStyle = g.fillStyle = "rgba(255, 255, 255, 0.9)";
    g.lineWidth = 2;
    g.beginPath();
    if (kind === "diagonal" || kind === "cross") {
      g.moveTo(0, size); g.lineTo(size, 0);
      g.moveTo(-2, 2); g.lineTo(2, -2);
      g.moveTo(size - 2, size + 2); g.lineTo(size + 2, size - 2);
    }
    if (kind === "backslash" || kind === "cross") {
      g.moveTo(0, 0); g.lineTo(size, size);
      g.moveTo(-2, size - 2); g.lineTo(2, size + 2);
      g.moveTo(size - 2, -2); g.lineTo(size + 2, 2);
    }
    if (kind === "horizontal") { g.moveTo(0, size / 2); g.lineTo(size, size / 2); }
    if (kind === "vertical") { g.moveTo(size / 2, 0); g.lineTo(size / 2, size); }
    g.stroke();
    if (kind === "dots") {
      g.beginPath();
      g.arc(size / 2, size / 2, 2, 0, 2 * Math.PI);
      g.fill();
    }
    return g.createPattern(tile, "repeat");
  }

  function formatter(spec, locale) {
    var number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    return function (value) {
      if (value === null || value === undefined) { return "–"; }
      return number.format(value) + (spec.percent ? " %" : "");
    };
  }

  function datasets(spec) {
    return spec.datasets.map(function (set, i) {
      var colour = COLOURS[i % COLOURS.length];
      var line = spec.kind === "line";
      return {
        label: set.label,
        data: set.data,
        urls: set.urls,
        borderColor: line ? colour : "#ffffff",
        backgroundColor: line ? colour : pattern(colour, PATTERNS[i % PATTERNS.length]),
        borderWidth: line ? 2 : 1,
        borderDash: line ? DASHES[i % DASHES.length] : undefined,
        pointStyle: POINTS[i % POINTS.length],
        pointRadius: line ? 5 : undefined,
        pointHoverRadius: line ? 8 : undefined,
        spanGaps: true
      };
    });
  }

  function options(spec, locale, format, canvas) {
    var valueAxis = {
      stacked: !!spec.stacked,
      beginAtZero: spec.yMin === undefined,
      min: spec.yMin,
      max: spec.yMax,
      ticks: {
        precision: spec.integer ? 0 : undefined,
        callback: function (value) { return format(value); }
      },
      title: { display: !!spec.yTitle, text: spec.yTitle }
    };
    var categoryAxis = { stacked: !!spec.stacked, ticks: { autoSkip: true } };
    var horizontal = !!spec.horizontal;
    return {
      animation: false,
      maintainAspectRatio: false,
      locale: locale,
      indexAxis: horizontal ? "y" : "x",
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
      plugins: {
        legend: { display: spec.datasets.length > 1, labels: { usePointStyle: spec.kind === "line" } },
        tooltip: {
          callbacks: {
            label: function (item) { return item.dataset.label + ": " + format(item.raw); }
          }
        }
      },
      onClick: function (event, elements) {
        if (!elements.length) { return; }
        var url = spec.datasets[elements[0].datasetIndex].urls[elements[0].index];
        if (url) { window.location.href = url; }
      },
      onHover: function (event, elements) {
        var url = elements.length && spec.datasets[elements[0].datasetIndex].urls[elements[0].index];
        canvas.style.cursor = url ? "pointer" : "default";
      }
    };
  }

  // Keyboard: every (dataset, index) with a value, in reading order.
  function enableKeyboard(canvas, chart, spec, format) {
    var points = [];
    spec.labels.forEach(function (label, index) {
      spec.datasets.forEach(function (set, datasetIndex) {
        if (set.data[index] !== null && set.data[index] !== undefined) {
          points.push({ datasetIndex: datasetIndex, index: index });
        }
      });
    });
    var live = document.getElementById(canvas.id + "-live");
    var current = -1;
    function show(position) {
      current = (position + points.length) % points.length;
      var point = points[current];
      chart.setActiveElements([point]);
      chart.tooltip.setActiveElements([point], { x: 0, y: 0 });
      chart.update();
      if (live) {
        var set = spec.datasets[point.datasetIndex];
        live.textContent = spec.labels[point.index] + ", " + set.label + ": " +
          format(set.data[point.index]) + (set.urls[point.index] ? "" : " " + canvas.dataset.noLink);
      }
    }
    canvas.addEventListener("keydown", function (event) {
      if (!points.length) { return; }
      if (event.key === "ArrowRight" || event.key === "ArrowDown") {
        show(current + 1); event.preventDefault();
      } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
        show(current < 0 ? points.length - 1 : current - 1); event.preventDefault();
      } else if (event.key === "Home") {
        show(0); event.preventDefault();
      } else if (event.key === "End") {
        show(points.length - 1); event.preventDefault();
      } else if (event.key === "Enter" && current >= 0) {
        var point = points[current];
        var url = spec.datasets[point.datasetIndex].urls[point.index];
        if (url) { window.location.href = url; }
      }
    });
    canvas.addEventListener("blur", function () {
      chart.setActiveElements([]);
      chart.tooltip.setActiveElements([], { x: 0, y: 0 });
      chart.update();
    });
  }

  // Incident windows behind the bars: a hatched band over the bars it
  // covers, with the incident's title written at its top (so colour is not
  // the cue). The incidents table under the chart lists the same windows.
  function bandPlugin(bands) {
    return {
      id: "incidentBands",
      beforeDatasetsDraw: function (chart) {
        var area = chart.chartArea;
        var count = chart.data.labels.length;
        if (!count) { return; }
        var width = (area.right - area.left) / count;
        var g = chart.ctx;
        g.save();
        bands.forEach(function (band, i) {
          var left = area.left + band.from * width;
          var right = area.left + (band.to + 1) * width;
          g.fillStyle = pattern("#e8e2d4", i % 2 ? "backslash" : "diagonal");
          g.fillRect(left, area.top, right - left, area.bottom - area.top);
          g.strokeStyle = "#7a4d00";
          g.lineWidth = 1;
          g.strokeRect(left, area.top, right - left, area.bottom - area.top);
          g.fillStyle = "#1b1b1b";
          g.font = "12px " + Chart.defaults.font.family;
          g.textBaseline = "top";
          g.fillText(band.label, left + 4, area.top + 4 + (i % 3) * 14, Math.max(right - left - 8, 40));
        });
        g.restore();
      }
    };
  }

  function draw() {
    if (typeof Chart === "undefined") { return; }
    var source = document.getElementById("dashboard-charts");
    if (!source) { return; }
    var specs = JSON.parse(source.textContent);
    var locale = document.documentElement.lang || "da";
    Chart.defaults.color = "#1b1b1b";
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = specs[canvas.dataset.chart];
      if (!spec) { return; }
      var format = formatter(spec, locale);
      var chart = new Chart(canvas, {
        type: spec.kind,
        data: { labels: spec.labels, datasets: datasets(spec) },
        options: options(spec, locale, format, canvas),
        plugins: spec.bands && spec.bands.length ? [bandPlugin(spec.bands)] : []
      });
      enableKeyboard(canvas, chart, spec, format);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
