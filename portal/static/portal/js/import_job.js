// An admin import's progress page: polls the job's status every second, moves the
// progress bar and its text, and opens the job's page when the work is finished.
// Without JavaScript, the page reloads itself (<noscript> meta refresh).
(function () {
  "use strict";
  var box = document.querySelector("[data-import-job]");
  if (!box || !window.fetch) {
    return;
  }
  var bar = box.querySelector("progress");
  var message = box.querySelector("[data-import-message]");
  var statusUrl = box.getAttribute("data-status-url");
  var jobUrl = box.getAttribute("data-job-url");

  function show(state) {
    if (state.percent !== null && state.percent !== undefined) {
      bar.value = state.percent;
      bar.textContent = state.percent + " %";
    } else {
      bar.removeAttribute("value");
    }
    if (message.textContent !== state.message) {
      message.textContent = state.message;
    }
  }

  function poll() {
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.finished) {
          window.location.assign(state.url || jobUrl);
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
