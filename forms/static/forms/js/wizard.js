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

  // Site chooser: a search box filters the list of sites by name, commune or postcode.
  document.querySelectorAll("fieldset").forEach(function (fieldset) {
    if (!fieldset.querySelector("input[data-site-chooser]")) return;
    var choices = Array.prototype.slice.call(fieldset.querySelectorAll(".choice"));
    var wrapper = document.createElement("div");
    wrapper.className = "site-filter";
    var id = "site-search-" + Math.random().toString(36).slice(2);
    wrapper.innerHTML = '<label for="' + id + '">' + fieldset.dataset.searchLabel + '</label>' +
      '<input type="search" id="' + id + '" autocomplete="off">' +
      '<p class="site-filter__count" role="status" aria-live="polite"></p>';
    fieldset.querySelector(".field__choices").before(wrapper);
    var input = wrapper.querySelector("input");
    var count = wrapper.querySelector(".site-filter__count");
    input.addEventListener("input", function () {
      var query = input.value.trim().toLowerCase();
      var shown = 0;
      choices.forEach(function (choice) {
        var match = !query || choice.textContent.toLowerCase().indexOf(query) !== -1 ||
          (choice.querySelector("input") || {}).checked;
        choice.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = fieldset.dataset.countLabel.replace("{count}", shown);
    });
    // Enter in the search box must not send the step.
    input.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
  });

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
