/* luoshi: the plan-vs-actual investment chart of a project's page (loaded only there).
   <div data-project-chart="ID"> draws the JSON of <script id="ID" type="application/json">:
   {months: [1..12], planned: ["…"], actual: ["…"|null], labels: {planned, actual, unit, month}}.
   Amounts arrive as decimal strings (万元); ECharts only draws them. */
(function () {
  "use strict";

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-project-chart"));
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var labels = data.labels || {};
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 64, right: 16, top: 36, bottom: 32 },
      legend: { top: 0 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : Number(v).toFixed(2) + " " + (labels.unit || ""); } },
      xAxis: { type: "category", name: labels.month, data: data.months.map(String) },
      yAxis: { type: "value", name: labels.unit },
      series: [
        { name: labels.planned, type: "line", data: data.planned, itemStyle: { color: "#8a96a8" }, lineStyle: { type: "dashed" } },
        { name: labels.actual, type: "line", data: data.actual, connectNulls: false, itemStyle: { color: "#1f4e79" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-project-chart]").forEach(draw);
  });
})();
