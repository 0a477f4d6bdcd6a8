// Progressive enhancement of the form wizard: the server enforces everything,
// this only shows or hides conditional fields as the person answers, moves
// focus to the error summary, and prevents a double click from sending twice.
(function () {
  "use strict";
  var form = document.querySelector("[data-wizard]");
  if (!form) return;

  function answerOf(name) {
    var inputs = form.querySelectorAll('[name$="-' + name + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.type === "checkbox" && input.value === "on") { values.push("yes"); return; }
      values.push((input.value || "").trim().toLowerCase());
    });
    return values;
  }

  function refresh() {
    form.querySelectorAll("[data-condition-field]").forEach(function (element) {
      var name = element.getAttribute("data-condition-field");
      if (!form.querySelector('[name$="-' + name + '"]')) return; // answered on an earlier step
      var shown = answerOf(name).indexOf(element.getAttribute("data-condition-value")) !== -1;
      element.hidden = !shown;
    });
  }

  form.addEventListener("change", refresh);
  refresh();

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.hasAttribute("data-submit-once")) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      button.setAttribute("aria-disabled", "true");
    }
  });
})();
