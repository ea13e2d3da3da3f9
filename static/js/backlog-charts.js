/* Backlog charts. Data comes from <script type="application/json" id="backlog-data"> (json_script);
   no inline script, so the page works under the strict Content-Security-Policy. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("backlog-data");
    if (!source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var common = { responsive: true, animation: false, plugins: { legend: { display: false } } };
    function bar(id, series, color) {
      var canvas = document.getElementById(id);
      if (!canvas) { return; }
      new window.Chart(canvas, {
        type: "bar",
        data: { labels: series.labels, datasets: [{ label: data.labels.count, data: series.values, backgroundColor: color }] },
        options: common
      });
    }
    bar("chart-buckets", data.buckets, "#14532d");
    bar("chart-alerts", data.alerts, "#b45309");
    var trendCanvas = document.getElementById("chart-trend");
    if (trendCanvas && data.trend.length) {
      new window.Chart(trendCanvas, {
        type: "line",
        data: {
          labels: data.trend.map(function (d) { return d.day; }),
          datasets: [
            { label: data.labels.held, data: data.trend.map(function (d) { return d.held; }), borderColor: "#1d2327" },
            { label: data.labels.untried, data: data.trend.map(function (d) { return d.untried; }), borderColor: "#14532d" },
            { label: data.labels.overdue, data: data.trend.map(function (d) { return d.overdue; }), borderColor: "#b91c1c" }
          ]
        },
        options: { responsive: true, animation: false }
      });
    }
    document.documentElement.setAttribute("data-charts", "ready");
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
