/* The form page editor (Wagtail admin).
 *
 * - The record fields offered in "Core field of the record" are those of the
 *   page's kind only (the other kinds' groups are hidden and disabled); the
 *   publish checks refuse another kind's field anyway.
 * - A condition's question is chosen by its label: the text box proposes the
 *   labels of the questions already in the form (a <datalist>), and the server
 *   matches the label to the question's technical name.
 * Works on blocks added after the page loaded (event delegation).
 */
(function () {
  "use strict";

  var CORE_SELECT = "select[name$='-core']";
  var CONDITION_INPUT = "input[name$='-condition-field']";
  var LIST_ID = "form-editor-questions";
  var CHOICE_INPUT = /-choices-(\d+)-value$/;
  var script = document.currentScript;
  var choiceLabel = (script && script.dataset.choiceLabel) || "Choice";

  function kindLabel() {
    var kind = document.getElementById("id_kind");
    if (!kind || kind.selectedIndex < 0) return "";
    return kind.options[kind.selectedIndex].text.trim();
  }

  function filterCoreSelect(select) {
    var label = kindLabel();
    if (!label) return;
    select.querySelectorAll("optgroup").forEach(function (group) {
      var own = group.label.trim() === label;
      group.hidden = !own;
      group.disabled = !own;
    });
  }

  function questionLabels() {
    var labels = [];
    document.querySelectorAll("input[name$='-label']").forEach(function (input) {
      var text = input.value.trim();
      if (text && labels.indexOf(text) < 0) labels.push(text);
    });
    document.querySelectorAll(CORE_SELECT).forEach(function (select) {
      var option = select.options[select.selectedIndex];
      var own = document.querySelector("input[name='" + select.name.replace(/-core$/, "-label") + "']");
      var text = option && option.value ? option.text.trim() : "";
      if (own && own.value.trim()) return; // its own label is already listed
      if (text && labels.indexOf(text) < 0) labels.push(text);
    });
    return labels;
  }

  function offerQuestions(input) {
    refreshQuestions();
    input.setAttribute("list", LIST_ID);
    input.setAttribute("autocomplete", "off");
  }

  function refreshQuestions() {
    var list = document.getElementById(LIST_ID);
    if (!list) {
      list = document.createElement("datalist");
      list.id = LIST_ID;
      document.body.appendChild(list);
    }
    list.replaceChildren.apply(
      list,
      questionLabels().map(function (label) {
        var option = document.createElement("option");
        option.value = label;
        return option;
      })
    );
  }

  // Wagtail draws a list's items without their label: name each answer option
  // for screen readers ("Choice 1", "Choice 2"...).
  function labelChoices() {
    document.querySelectorAll("input[name*='-choices-']").forEach(function (input) {
      var match = CHOICE_INPUT.exec(input.name);
      if (!match) return;
      var number = parseInt(match[1], 10) + 1;
      var list = input.closest("[data-streamfield-list-container]");
      if (list) {
        var inputs = list.querySelectorAll("input[name*='-choices-']");
        number = Array.prototype.indexOf.call(inputs, input) + 1 || number;
      }
      input.setAttribute("aria-label", choiceLabel + " " + number);
    });
  }

  function refresh() {
    labelChoices();
    document.querySelectorAll(CORE_SELECT).forEach(filterCoreSelect);
    refreshQuestions();
    document.querySelectorAll(CONDITION_INPUT).forEach(function (input) {
      input.setAttribute("list", LIST_ID);
      input.setAttribute("autocomplete", "off");
    });
  }

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (!target.matches) return;
    if (target.matches(CORE_SELECT)) filterCoreSelect(target);
    if (target.matches(CONDITION_INPUT)) offerQuestions(target);
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "id_kind") refresh();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
  // Blocks are drawn by Wagtail's scripts after load: filter them once they are there.
  new MutationObserver(function (records) {
    var added = records.some(function (record) {
      return Array.prototype.some.call(record.addedNodes, function (node) {
        return node.nodeType === 1 && node.id !== LIST_ID && node.tagName !== "OPTION";
      });
    });
    if (added) refresh();
  }).observe(document.body, { childList: true, subtree: true });
})();
