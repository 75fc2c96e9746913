/* Studio editor of the Digital Skills blocks: settings form, template picker and OLX textarea.
   The server validates everything on save and answers with every problem at once.
   Only the public XBlock runtime API is used (handlerUrl, notify); no jQuery. */
function DigitalSkillsStudioEditor(runtime, element, args) {
  "use strict";

  var host = element && element.jquery ? element[0] : element;
  var editor = host.querySelector("[data-dsx-studio]") || host;
  var form = editor.querySelector("[data-dsx-form]");
  var content = editor.querySelector("[data-dsx-content]");
  var problemsBox = editor.querySelector("[data-dsx-problems]");
  var problemList = editor.querySelector("[data-dsx-problem-list]");
  var status = editor.querySelector("[data-dsx-status]");
  var templateSelect = editor.querySelector("[data-dsx-template]");
  var templateButton = editor.querySelector("[data-dsx-apply-template]");
  var saveButton = editor.querySelector("[data-dsx-save]");
  var cancelButton = editor.querySelector("[data-dsx-cancel]");
  var i18n = window.DigitalSkillsI18N || {
    gettext: function (text) { return text; },
    interpolate: function (template, values) {
      return String(template).replace(/\{(\w+)\}/g, function (match, key) {
        return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
      });
    }
  };
  var gettext = i18n.gettext;
  var busy = false;

  function notify(name, data) {
    // The XBlock SDK workbench has no notify(); Studio does.
    if (typeof runtime.notify === "function") {
      runtime.notify(name, data || {});
    }
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function post(handler, payload) {
    return fetch(runtime.handlerUrl(element, handler), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest"},
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().catch(function () {
        return {error: {message: gettext("The server sent an answer that is not JSON.")}};
      }).then(function (body) {
        return {ok: response.ok, status: response.status, body: body};
      });
    });
  }

  function settingInputs() {
    return Array.prototype.slice.call(editor.querySelectorAll("[data-dsx-kind]"));
  }

  function collectSettings() {
    var values = {};
    settingInputs().forEach(function (input) {
      values[input.name] = input.getAttribute("data-dsx-kind") === "boolean" ? input.checked : input.value;
    });
    return values;
  }

  function setStatus(text) {
    status.textContent = text;
  }

  function clearProblems() {
    problemsBox.hidden = true;
    problemList.textContent = "";
    settingInputs().forEach(function (input) { input.removeAttribute("aria-invalid"); });
    Array.prototype.forEach.call(editor.querySelectorAll("[data-dsx-error-for]"), function (node) {
      node.textContent = "";
    });
    content.removeAttribute("aria-invalid");
  }

  function showProblems(problems, fallback) {
    clearProblems();
    var list = problems && problems.length ? problems : [{text: fallback, setting: ""}];
    list.forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = problem.text;
      item.className = "dsx-studio__problem dsx-studio__problem--" + (problem.severity || "error");
      problemList.appendChild(item);
      if (problem.setting) {
        var input = editor.querySelector('[data-dsx-kind][name="' + problem.setting + '"]');
        var note = editor.querySelector('[data-dsx-error-for="' + problem.setting + '"]');
        if (input) { input.setAttribute("aria-invalid", "true"); }
        if (note) { note.textContent = problem.message; }
      } else if (problem.location !== "settings") {
        content.setAttribute("aria-invalid", "true");
      }
    });
    problemsBox.hidden = false;
    problemsBox.focus();
  }

  function save(event) {
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    saveButton.disabled = true;
    setStatus(gettext("Checking and saving…"));
    notify("save", {state: "start"});
    post("studio_submit", {settings: collectSettings(), content: content.value}).then(function (result) {
      if (result.ok) {
        clearProblems();
        var warnings = result.body.warnings || [];
        if (warnings.length) {
          showProblems(warnings, "");
          problemsBox.querySelector("[data-dsx-problems-title]").textContent =
            gettext("Saved. Please review these warnings:");
        }
        setStatus(gettext("Saved."));
        notify("save", {state: "end"});
      } else {
        var message = (result.body.error && result.body.error.message) || gettext("The content was not saved.");
        showProblems(result.body.problems, message);
        problemsBox.querySelector("[data-dsx-problems-title]").textContent =
          gettext("Nothing was saved. Correct these problems, then save again:");
        setStatus(message);
        notify("error", {title: gettext("The content was not saved."), message: message});
      }
    }).catch(function () {
      var message = gettext("The server could not be reached. Nothing was saved; try again.");
      setStatus(message);
      notify("error", {title: gettext("The content was not saved."), message: message});
    }).then(function () {
      busy = false;
      saveButton.disabled = false;
    });
  }

  function applyTemplate() {
    var id = templateSelect.value;
    if (!id) {
      setStatus(gettext("Choose a template first."));
      templateSelect.focus();
      return;
    }
    templateButton.disabled = true;
    post("studio_template", {id: id}).then(function (result) {
      if (!result.ok) {
        setStatus((result.body.error && result.body.error.message) || gettext("The template could not be loaded."));
        return;
      }
      var template = result.body.template;
      content.value = template.content;
      settingInputs().forEach(function (input) {
        if (!Object.prototype.hasOwnProperty.call(template.settings, input.name)) { return; }
        var value = template.settings[input.name];
        if (input.getAttribute("data-dsx-kind") === "boolean") {
          input.checked = Boolean(value);
        } else {
          input.value = String(value);
        }
      });
      clearProblems();
      setStatus(i18n.interpolate(gettext("Template “{title}” loaded. Select Save to keep it."), {title: template.title}));
    }).catch(function () {
      setStatus(gettext("The template could not be loaded."));
    }).then(function () {
      templateButton.disabled = false;
    });
  }

  form.addEventListener("submit", save);
  if (templateButton) { templateButton.addEventListener("click", applyTemplate); }
  cancelButton.addEventListener("click", function (event) {
    event.preventDefault();
    notify("cancel", {});
  });
  return {};
}
