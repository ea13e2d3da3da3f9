/* Oversight report charts. Data comes from json_script blocks (no inline script, strict CSP):
   each <canvas data-chart="ID"> is drawn from the JSON in the element with that id.
   Hidden values (small counts) are null and drawn as gaps, never as numbers. */
(function () {
  "use strict";
  var COLOURS = ["#14532d", "#b45309", "#0b5394", "#7c3aed", "#b91c1c", "#0f766e"];
  var charts = [];

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof Chart === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    var horizontal = spec.kind === "bar" && spec.labels.length > 5;
    var box = canvas.parentNode;
    if (spec.kind === "bar") {
      box.classList.add(horizontal ? "chart-tall-" + Math.min(Math.ceil(spec.labels.length / 5), 6) : "chart-short");
    }
    var chart = new Chart(canvas, {
      type: spec.kind,
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          return { label: s.label, data: s.data, backgroundColor: COLOURS[i % COLOURS.length],
                   borderColor: COLOURS[i % COLOURS.length], borderWidth: spec.kind === "line" ? 2 : 0,
                   pointRadius: spec.kind === "line" ? 1.5 : 0, spanGaps: false };
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          title: { display: true, text: spec.title, color: "#1d2327" },
          legend: { display: spec.series.length > 1, labels: { color: "#1d2327" } },
          tooltip: { callbacks: { label: function (ctx) {
            var v = ctx.raw;
            return ctx.dataset.label + " : " + (v === null ? spec.hidden_label : v + (spec.unit || ""));
          } } }
        },
        scales: {
          x: { ticks: { color: "#1d2327" }, beginAtZero: true },
          y: { ticks: { color: "#1d2327" }, beginAtZero: true }
        }
      }
    });
    charts.push(chart);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    // Redraw at print size so that charts stay sharp and fit the page.
    window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
    window.addEventListener("afterprint", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
