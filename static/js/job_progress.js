/* Follows background jobs (vetschool.jobs, widget templates/jobs/progress.html): polls
 * each one's JSON status every two seconds and updates its progress bar; when the job is
 * done or failed the page reloads to show the result. */
(function () {
  "use strict";

  function follow(box) {
    var bar = box.querySelector("progress");
    var done = box.querySelector("[data-done]");
    var label = box.querySelector("[data-status-label]");
    var download = box.querySelector("[data-download]");

    function poll() {
      fetch(box.dataset.jobPoll, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          bar.max = data.total || 1;
          bar.value = data.done;
          done.textContent = data.done;
          if (data.status === "done" || data.status === "failed") {
            window.location.reload();
            return;
          }
          window.setTimeout(poll, 2000);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }

    if (box.dataset.status === "queued" || box.dataset.status === "running") {
      if (label) {
        label.setAttribute("aria-busy", "true");
      }
      window.setTimeout(poll, 1000);
    } else if (download && !download.hidden) {
      download.querySelector("a").focus();
    }
  }

  document.querySelectorAll("[data-job-poll]").forEach(follow);
}());
