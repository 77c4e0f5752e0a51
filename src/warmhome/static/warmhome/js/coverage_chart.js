/* The coverage chart of orgs/coverage.html: bars per unit, a click drills down to the unit.
 * Data comes from the page's json_script block (no inline script: the CSP forbids it). */
(function () {
  "use strict";

  function render() {
    var holder = document.getElementById("coverage-chart");
    var source = document.getElementById("coverage-chart-data");
    if (!holder || !source || typeof echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var keys = ["org_coverage", "work_coverage", "grid_leader_coverage"];
    var chart = echarts.init(holder, null, { renderer: "canvas" });
    chart.setOption({
      // Rich-text tooltips are drawn on the canvas: HTML ones would carry inline styles.
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (value) {
        return value === null || value === undefined ? "—" : value + "%";
      } },
      legend: { data: keys.map(function (key) { return data.labels[key]; }) },
      grid: { left: 40, right: 16, bottom: 60, containLabel: true },
      xAxis: {
        type: "category",
        data: data.items.map(function (item) { return item.name; }),
        axisLabel: { interval: 0, rotate: data.items.length > 6 ? 30 : 0 },
      },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: keys.map(function (key) {
        return {
          name: data.labels[key],
          type: "bar",
          data: data.items.map(function (item) { return item[key]; }),
        };
      }),
    });
    chart.on("click", function (params) {
      var item = data.items[params.dataIndex];
      if (item && item.url) {
        window.location.assign(item.url);
      }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
