/* luoshi: the few behaviours the pages need. No inline script anywhere (CSP). */
(function () {
  "use strict";

  // <form data-confirm="…">: ask before submitting a destructive or important action.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);

  // <select data-autosubmit>: filters apply as soon as they change.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });

  // The narrow-screen menu button toggles the navigation.
  function wireMenu() {
    var toggle = document.querySelector(".nav-toggle");
    if (!toggle) return;
    toggle.addEventListener("toggle", function () {
      document.body.classList.toggle("nav-open", toggle.open);
    });
  }

  // <div class="chart" data-chart="bar" data-source="ID">: draws the JSON of <script id="ID">.
  function drawCharts() {
    if (!window.echarts) return;
    document.querySelectorAll(".chart[data-chart='bar']").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-source"));
      if (!source) return;
      var rows = JSON.parse(source.textContent);
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption({
        animation: false,
        grid: { left: 40, right: 16, top: 30, bottom: 60 },
        legend: { top: 0 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: el.getAttribute("data-label-active"), type: "bar", stack: "n", data: rows.map(function (r) { return r.active; }), itemStyle: { color: "#1f4e79" } },
          { name: el.getAttribute("data-label-inactive"), type: "bar", stack: "n", data: rows.map(function (r) { return r.inactive; }), itemStyle: { color: "#b0b7c3" } }
        ]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    wireMenu();
    drawCharts();
  });
})();
