/* The chart of opinions/analysis.html: opinions per month and topic (stacked bars). Clicking a
 * bar opens the list of those opinions (drill-down to the texts). Data comes from the page's
 * json_script block (no inline script: CSP). */
(function () {
  "use strict";

  function render() {
    var source = document.getElementById("opinions-analysis-data");
    var target = document.getElementById("opinions-trend-chart");
    if (!source || !target || typeof echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(target, null, { renderer: "canvas" });
    chart.setOption({
      title: { text: data.labels.trend, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 50, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value" },
      series: data.series.map(function (row) {
        return { name: row.name, type: "bar", stack: "count", data: row.data };
      }),
    });
    chart.on("click", function (params) {
      var row = data.series[params.seriesIndex];
      var month = String(params.dataIndex + 1).padStart(2, "0");
      window.location.href =
        data.drill + "&topic=" + encodeURIComponent(row.code) + "&month=" + data.year + "-" + month;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
