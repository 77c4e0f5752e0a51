/* The charts of volunteers/stats.html: monthly hours by unit (stacked bars) and hours by
 * category (pie). Data comes from the page's json_script block (no inline script: CSP). */
(function () {
  "use strict";

  function render() {
    var source = document.getElementById("volunteer-stats-data");
    if (!source || typeof echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var monthly = document.getElementById("volunteer-monthly-chart");
    if (monthly) {
      echarts.init(monthly, null, { renderer: "canvas" }).setOption({
        title: { text: data.labels.monthly, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis", renderMode: "richText" },
        legend: { type: "scroll", bottom: 0 },
        grid: { left: 40, right: 16, top: 40, bottom: 50, containLabel: true },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value" },
        series: data.series.map(function (row) {
          return { name: row.name, type: "bar", stack: "hours", data: row.data };
        }),
      });
    }
    var categories = document.getElementById("volunteer-category-chart");
    if (categories) {
      echarts.init(categories, null, { renderer: "canvas" }).setOption({
        title: { text: data.labels.categories, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "item", renderMode: "richText" },
        series: [{ type: "pie", radius: ["35%", "65%"], data: data.categories }],
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
