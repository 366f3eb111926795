// The dashboard's charts: each card fetches its JSON (kind, categories, series, table) and draws it with
// ECharts; "Show the table" swaps the chart for the same numbers as an HTML table. The measures come first,
// then the charts one after another: each is an aggregate query, and on a small server parallel ones only
// compete for the same cores.
(function () {
  "use strict";

  function option(spec) {
    var unit = spec.unit || "";
    var tooltip = { trigger: spec.kind === "pie" || spec.kind === "funnel" ? "item" : "axis" };
    if (spec.kind === "pie" || spec.kind === "funnel") {
      var data = spec.categories.map(function (name, i) {
        var item = { name: name, value: spec.series[0].data[i] };
        if (spec.colours && spec.colours[i]) item.itemStyle = { color: spec.colours[i] };
        return item;
      });
      return {
        tooltip: tooltip,
        legend: { bottom: 0 },
        series: [spec.kind === "pie"
          ? { type: "pie", radius: ["35%", "65%"], data: data, stillShowZeroSum: false, label: { formatter: "{b}: {c}" } }
          : { type: "funnel", sort: "none", data: data, label: { formatter: "{b}: {c}" }, top: 10, bottom: 40 }]
      };
    }
    var horizontal = spec.kind === "hbar";
    var categoryAxis = { type: "category", data: spec.categories, axisLabel: { interval: 0 } };
    var valueAxis = { type: "value", axisLabel: { formatter: "{value}" + unit } };
    return {
      tooltip: tooltip,
      legend: spec.series.length > 1 ? { bottom: 0 } : undefined,
      grid: { left: horizontal ? 120 : 50, right: 20, top: 20, bottom: spec.series.length > 1 ? 50 : 30 },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? Object.assign(categoryAxis, { inverse: true }) : valueAxis,
      series: spec.series.map(function (s) {
        return {
          type: spec.kind === "line" ? "line" : "bar",
          name: s.name,
          data: s.data,
          itemStyle: s.colour ? { color: s.colour } : undefined,
          label: { show: spec.kind !== "line", position: horizontal ? "right" : "top", formatter: "{c}" + unit }
        };
      })
    };
  }

  function table(spec) {
    var element = document.createElement("table");
    element.className = "ledger chart-numbers";
    var caption = element.createCaption();
    caption.textContent = spec.title;
    var head = element.createTHead().insertRow();
    spec.table.columns.forEach(function (name) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.appendChild(th);
    });
    var body = element.createTBody();
    spec.table.rows.forEach(function (row) {
      var tr = body.insertRow();
      row.forEach(function (value) {
        tr.insertCell().textContent = value === null ? "—" : String(value);
      });
    });
    return element;
  }

  function load(card) {
    var chartElement = card.querySelector(".chart");
    var tableElement = card.querySelector(".chart-table");
    var toggle = card.querySelector(".table-toggle");
    toggle.addEventListener("click", function () {
      var showTable = toggle.getAttribute("aria-pressed") !== "true";
      toggle.setAttribute("aria-pressed", showTable ? "true" : "false");
      toggle.textContent = showTable ? toggle.dataset.hide : toggle.dataset.show;
      tableElement.hidden = !showTable;
      chartElement.hidden = showTable;
    });
    return fetch(card.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        return response.json();
      })
      .then(function (spec) {
        card.querySelector(".chart-title").textContent = spec.title;
        chartElement.setAttribute("aria-label", spec.title);
        tableElement.replaceChildren(table(spec));
        var chart = echarts.init(chartElement, null, { renderer: "canvas" });
        var drawn = option(spec);
        if (spec.note) {
          drawn.title = { text: spec.note, left: "center", top: "middle", textStyle: { fontSize: 13, color: "#6b7280", fontWeight: "normal", width: 360, overflow: "break" } };
        }
        chart.setOption(drawn);
        window.addEventListener("resize", function () { chart.resize(); });
        card.dataset.loaded = "1";
      })
      .catch(function (error) {
        card.querySelector(".chart-title").textContent = String(error);
        card.dataset.loaded = "error";
      });
  }

  function loadMeasures() {
    var box = document.getElementById("kpis");
    if (!box) return Promise.resolve();
    return fetch(box.dataset.src, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) { box.outerHTML = html; })
      .catch(function (error) { box.textContent = String(error); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var cards = Array.prototype.slice.call(document.querySelectorAll(".chart-card[data-src]"));
    cards.reduce(function (previous, card) {
      return previous.then(function () { return load(card); });
    }, loadMeasures());
  });
})();
