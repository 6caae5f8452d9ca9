// The dashboard's charts (Chart.js, served from node_modules). Each <canvas data-chart="ID">
// draws the JSON of <script type="application/json" id="ID"> (Django's json_script): no
// inline script, so the strict Content Security Policy holds. The numbers are also in a
// table under each chart, for screen readers and for reading exact values.
(function () {
  "use strict";

  // Colour-blind-safe (Okabe–Ito), readable on light and dark backgrounds.
  var PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"];
  var BY_KEY = {
    funnel: "#0072B2", network: "#009E73", exceptional: "#E69F00",
    sent: "#009E73", bounced: "#E69F00", failed: "#D55E00", unknown: "#999999",
    median: "#0072B2", p90: "#D55E00", people: "#009E73"
  };
  var charts = [];

  function themeColours() {
    var style = getComputedStyle(document.body);
    Chart.defaults.color = style.getPropertyValue("--bs-body-color").trim() || style.color;
    Chart.defaults.borderColor = style.getPropertyValue("--bs-border-color-translucent").trim() ||
      "rgba(0, 0, 0, 0.1)";
  }

  function config(spec) {
    var datasets = spec.datasets.map(function (set, index) {
      var colour = BY_KEY[set.key] || PALETTE[index % PALETTE.length];
      return {
        label: set.label,
        data: set.data,
        backgroundColor: colour,
        borderColor: colour,
        spanGaps: false,  // a week without data is a gap, not a slope
        tension: 0
      };
    });
    var valueAxis = { beginAtZero: true, stacked: !!spec.stacked };
    if (spec.unit === "%") { valueAxis.max = 100; }
    if (!spec.unit) { valueAxis.ticks = { precision: 0 }; }  // counts: whole numbers
    if (spec.unit) { valueAxis.title = { display: true, text: spec.unit }; }
    var scales = spec.horizontal
      ? { x: valueAxis, y: { stacked: !!spec.stacked } }
      : { x: { stacked: !!spec.stacked }, y: valueAxis };
    return {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: spec.horizontal ? "y" : "x",
        scales: scales,
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } }
      }
    };
  }

  function drawAll() {
    themeColours();
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) { return; }
      charts.push(new Chart(canvas, config(JSON.parse(source.textContent))));
    });
  }

  function draw() {
    if (typeof Chart === "undefined") { return; }
    drawAll();
    // Light or dark (data-bs-theme on <html> or <body>): draw again in the theme's colours
    // (a chart keeps the colours it resolved when it was made).
    var observer = new MutationObserver(function () {
      charts.forEach(function (chart) { chart.destroy(); });
      charts = [];
      drawAll();
    });
    [document.documentElement, document.body].forEach(function (element) {
      observer.observe(element, { attributes: true, attributeFilter: ["data-bs-theme"] });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
