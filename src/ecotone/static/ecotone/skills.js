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
    // A radar needs three axes at least; with fewer skills, bars say the same thing legibly.
    var radar = data.labels.length >= 3;
    var flat = radar ? {} : { borderWidth: 1 };
    new window.Chart(canvas, {
      type: radar ? "radar" : "bar",
      data: {
        labels: data.labels,
        datasets: [
          Object.assign({ label: "Current", data: data.current, borderColor: "#2b6cb0", backgroundColor: "rgba(43,108,176,0.2)" }, flat),
          Object.assign({ label: "Validated", data: data.validated, borderColor: "#2f855a", backgroundColor: radar ? "rgba(47,133,90,0.1)" : "rgba(47,133,90,0.35)" }, flat),
          Object.assign({ label: "Role target", data: data.target, borderColor: "#c05621", backgroundColor: radar ? "rgba(0,0,0,0)" : "rgba(192,86,33,0.15)", borderDash: [6, 4] }, flat)
        ]
      },
      options: {
        animation: false,
        scales: radar
          ? { r: { min: 0, max: 5, ticks: { stepSize: 1 } } }
          : { y: { min: 0, max: 5, ticks: { stepSize: 1 } } },
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
