// Streams the eligibility CSV and shows how many rows have arrived; the plain link still
// works without JavaScript.
(function () {
  "use strict";
  var section = document.getElementById("export");
  var link = document.getElementById("export-link");
  if (!section || !link || !window.fetch || !window.ReadableStream) return;
  var total = parseInt(section.dataset.total, 10) || 0;
  var row = document.getElementById("export-progress-row");
  var bar = document.getElementById("export-progress");
  var status = document.getElementById("export-status");

  function show(rows, done) {
    bar.value = Math.min(rows, total);
    status.textContent = rows + " / " + total + (done ? " ✓" : "");
    section.dataset.rows = String(rows);
    if (done) section.dataset.done = "true";
  }

  link.addEventListener("click", function (event) {
    event.preventDefault();
    row.hidden = false;
    show(0, false);
    fetch(section.dataset.url, {credentials: "same-origin"}).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      var reader = response.body.getReader();
      var parts = [];
      var lines = 0;
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) {
            show(Math.max(lines - 1, 0), true);
            var url = URL.createObjectURL(new Blob(parts, {type: "text/csv"}));
            var save = document.createElement("a");
            save.href = url;
            save.download = "eligibility.csv";
            document.body.appendChild(save);
            save.click();
            save.remove();
            return;
          }
          parts.push(chunk.value);
          for (var i = 0; i < chunk.value.length; i++) if (chunk.value[i] === 10) lines++;
          show(Math.max(lines - 1, 0), false);
          return pump();
        });
      }
      return pump();
    }).catch(function (error) {
      status.textContent = "✗ " + error.message;
    });
  });
})();
