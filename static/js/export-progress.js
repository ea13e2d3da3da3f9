/* The background export's page: asks the API for the job's progress every second and moves
 * the bar, then shows the download link (or the failure). No inline script (strict CSP), no
 * library. Also, on every page: an export button (form.export-start) says it is working once
 * pressed, and cannot be pressed twice. */
(function () {
  "use strict";
  var box = document.getElementById("export-job");

  function text(id, value) {
    var el = document.getElementById(id);
    if (el) el.textContent = value;
  }
  function show(id, visible) {
    var el = document.getElementById(id);
    if (el) el.hidden = !visible;
  }
  function update(job) {
    var bar = document.getElementById("export-progress");
    if (bar) { bar.value = job.progress; bar.textContent = job.progress + " %"; }
    text("export-percent", job.progress + " %");
    text("export-status", job.status_label);
    text("export-step", job.step || "");
    box.setAttribute("data-status", job.status);
    if (job.status === "done") {
      var link = document.getElementById("export-download");
      if (link && job.download_url) link.href = job.download_url;
      show("export-download", true);
      show("export-waiting", false);
    }
    if (job.status === "failed") {
      text("export-failure", job.failure);
      show("export-failure", true);
      show("export-waiting", false);
    }
    return job.status === "done" || job.status === "failed";
  }
  function poll(delay) {
    window.setTimeout(function () {
      var request = new XMLHttpRequest();
      request.open("GET", box.getAttribute("data-status-url"));
      request.setRequestHeader("Accept", "application/json");
      request.onload = function () {
        var finished = false;
        if (request.status === 200) {
          try { finished = update(JSON.parse(request.responseText)); } catch (e) { finished = false; }
        } else if (request.status === 401 || request.status === 403 || request.status === 404) {
          finished = true;  // signed out or no longer theirs: the page's own text stays
        }
        if (!finished) poll(Math.min(delay * 1.5, 5000));
      };
      request.onerror = function () { poll(Math.min(delay * 2, 10000)); };
      request.send();
    }, delay);
  }
  if (box) {
    var status = box.getAttribute("data-status");
    if (status !== "done" && status !== "failed") poll(1000);
  }
  Array.prototype.forEach.call(document.querySelectorAll("form.export-start"), function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
      var button = form.querySelector("button");
      if (button) {
        button.setAttribute("aria-busy", "true");
        button.textContent = form.getAttribute("data-working") || button.textContent;
      }
    });
  });
}());
