// Charts (Chart.js from npm), the print button and the report's copy button.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const lang = document.documentElement.lang || "vi";
  const numberFormat = new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB");

  if (window.Chart) {
    Chart.defaults.maintainAspectRatio = true;
    Chart.defaults.animation = false;
    new Chart(document.getElementById("trend-chart"), {
      type: "line",
      data: {
        labels: data.trend.labels,
        datasets: [
          { label: data.labels.members, data: data.trend.members, borderColor: "#417690", backgroundColor: "#417690" },
          { label: data.labels.workers, data: data.trend.workers, borderColor: "#b35c00", backgroundColor: "#b35c00" },
        ],
      },
      options: { scales: { y: { ticks: { callback: (value) => numberFormat.format(value) } } } },
    });
    new Chart(document.getElementById("sector-chart"), {
      type: "bar",
      data: {
        labels: data.sectors.labels,
        datasets: [
          { label: data.labels.ratio, data: data.sectors.ratio, backgroundColor: "#417690" },
          { label: data.labels.female_ratio, data: data.sectors.female_ratio, backgroundColor: "#c77dab" },
        ],
      },
      options: { scales: { y: { min: 0, max: 100 } } },
    });
  }

  // Handlers are attached here, never written inline: the Content-Security-Policy forbids inline script.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });

  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const text = document.getElementById(button.dataset.copy).innerText;
      try {
        await navigator.clipboard.writeText(text);
      } catch (error) {
        const area = document.createElement("textarea");
        area.value = text;
        document.body.appendChild(area);
        area.select();
        document.execCommand("copy");
        area.remove();
      }
      const note = button.nextElementSibling;
      if (note) note.hidden = false;
    });
  });
})();
