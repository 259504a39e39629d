// Radar charts of skill levels. Data comes from a json_script block named by data-skills-radar;
// the same figures are in the table beside the chart.
(function () {
  "use strict";

  function drawRadar(canvas) {
    var source = document.getElementById(canvas.dataset.skillsRadar);
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "radar",
      data: {
        labels: data.labels,
        datasets: [
          { label: "Current", data: data.current, borderColor: "#2b6cb0", backgroundColor: "rgba(43,108,176,0.2)" },
          { label: "Validated", data: data.validated, borderColor: "#2f855a", backgroundColor: "rgba(47,133,90,0.1)" },
          { label: "Role target", data: data.target, borderColor: "#c05621", backgroundColor: "rgba(0,0,0,0)", borderDash: [6, 4] }
        ]
      },
      options: {
        animation: false,
        scales: { r: { min: 0, max: 5, ticks: { stepSize: 1 } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function init() {
    document.querySelectorAll("canvas[data-skills-radar]").forEach(drawRadar);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
