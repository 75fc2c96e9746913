/* Learner view of the egov_simulation XBlock. It shows the current step, sends what
   the learner entered and shows the server's verdict. The server decides correctness,
   score and the next step, and sends the next step's HTML, so this file contains no
   answers. No framework, no jQuery. */
function EgovSimulationBlock(runtime, element, args) {
  "use strict";

  var host = element && element.jquery ? element[0] : element;
  var root = host.querySelector("[data-egov-root]") || host;
  var i18n = window.DigitalSkillsI18N || {
    gettext: function (text) { return text; },
    ngettext: function (singular, plural, count) { return count === 1 ? singular : plural; },
    interpolate: function (template, values) {
      return String(template).replace(/\{(\w+)\}/g, function (match, key) {
        return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
      });
    }
  };
  var gettext = i18n.gettext;
  var stateNode = host.querySelector('script[type="application/json"][id="' + args.suffix + '-state"]');
  var state = JSON.parse(stateNode.textContent);
  var busy = false;

  var status = root.querySelector("[data-egov-status]");
  var progress = root.querySelector("[data-egov-progress]");
  var resetButton = root.querySelector("[data-egov-reset]");
  var attemptsText = root.querySelector("[data-egov-attempts-text]");

  function currentSection() {
    return root.querySelector('[data-egov-step="' + state.current_step + '"]');
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function announce(text) {
    // Clear first so that repeating the same message is announced again.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function post(handler, payload) {
    return fetch(runtime.handlerUrl(element, handler), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().then(function (body) {
        return { ok: response.ok, body: body };
      }, function () {
        return { ok: false, body: { error: { message: gettext("The server did not answer. Check your connection and try again.") } } };
      });
    }, function () {
      return { ok: false, body: { error: { message: gettext("The server did not answer. Check your connection and try again.") } } };
    });
  }

  function clearErrors(section) {
    Array.prototype.forEach.call(section.querySelectorAll("[data-egov-error-for]"), function (node) {
      node.textContent = "";
      node.hidden = true;
    });
    Array.prototype.forEach.call(section.querySelectorAll("[aria-invalid]"), function (node) {
      node.removeAttribute("aria-invalid");
    });
  }

  function showErrors(section, errors, incomplete) {
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var target = section.querySelector('[data-egov-error-for="' + name + '"]');
      if (!target) {
        return;
      }
      target.textContent = errors[name] || gettext("Check this answer.");
      target.hidden = false;
      Array.prototype.forEach.call(section.querySelectorAll('[name="' + name + '"]'), function (input) {
        input.setAttribute("aria-invalid", "true");
        if (!first) {
          first = input;
        }
      });
    });
    var count = Object.keys(errors).length;
    var summary = incomplete
      ? i18n.ngettext("{count} required answer is missing.", "{count} required answers are missing.", count)
      : i18n.ngettext("{count} answer needs correcting.", "{count} answers need correcting.", count);
    announce(i18n.interpolate(summary, { count: count }));
    if (first) {
      first.focus();
    }
  }

  function collectValues(form) {
    var values = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-egov-input]"), function (input) {
      var kind = input.getAttribute("data-egov-input");
      var name = input.name;
      if (kind === "text") {
        values[name] = input.value;
      } else if (kind === "toggle") {
        // A dossier item the official marks as missing or wrong: the list of pressed buttons.
        var list = input.getAttribute("data-egov-list");
        values[list] = values[list] || [];
        if (input.getAttribute("aria-pressed") === "true") {
          values[list].push(input.value);
        }
      } else if (kind === "bool") {
        values[name] = input.checked;
      } else if (kind === "list") {
        values[name] = values[name] || [];
        if (input.checked) {
          values[name].push(input.value);
        }
      } else if (input.tagName === "SELECT") {
        values[name] = input.value;
      } else if (!Object.prototype.hasOwnProperty.call(values, name) || input.checked) {
        values[name] = input.checked ? input.value : (values[name] || "");
      }
    });
    return values;
  }

  function renderSummary(section) {
    var container = section.querySelector("[data-egov-summary]");
    if (!container) {
      return;
    }
    container.textContent = "";
    (state.summary || []).forEach(function (part) {
      var heading = document.createElement("h4");
      heading.className = "egov-review__title";
      heading.textContent = part.title;
      var list = document.createElement("dl");
      list.className = "egov-review__list";
      part.items.forEach(function (item) {
        var row = document.createElement("div");
        row.className = "egov-review__row";
        var term = document.createElement("dt");
        term.textContent = item.label;
        var detail = document.createElement("dd");
        detail.textContent = item.value || gettext("(empty)");
        row.appendChild(term);
        row.appendChild(detail);
        list.appendChild(row);
      });
      container.appendChild(heading);
      container.appendChild(list);
    });
  }

  function formatNumber(value) {
    var language = i18n.language || document.documentElement.lang || "en";
    try {
      return Number(value).toLocaleString(language);
    } catch (error) {
      return String(value);
    }
  }

  function renderResult(section) {
    var code = section.querySelector("[data-egov-dossier-code]");
    var score = section.querySelector("[data-egov-score]");
    if (code && state.dossier) {
      code.textContent = state.dossier.code;
      section.querySelector("[data-egov-dossier-status]").textContent = state.dossier.status;
    }
    if (score && state.score) {
      var text = i18n.interpolate(gettext("Score of this attempt: {earned}/{possible}. Mistakes: {mistakes}."), {
        earned: formatNumber(state.score.attempt_earned === null ? 0 : state.score.attempt_earned),
        possible: formatNumber(state.score.possible),
        mistakes: state.total_mistakes
      });
      text += " " + i18n.interpolate(gettext("Best score: {earned}/{possible}."), {
        earned: formatNumber(state.score.earned),
        possible: formatNumber(state.score.possible)
      });
      score.textContent = text;
    }
  }

  function render() {
    var reached = true;
    Array.prototype.forEach.call(root.querySelectorAll("[data-egov-stepper-item]"), function (item) {
      var current = item.getAttribute("data-egov-stepper-item") === state.current_step;
      if (current) {
        reached = false;
        item.setAttribute("aria-current", "step");
      } else {
        item.removeAttribute("aria-current");
      }
      item.classList.toggle("is-current", current);
      item.classList.toggle("is-done", reached && !current);
    });
    progress.textContent = i18n.interpolate(gettext("Step {current}/{total}"), {
      current: state.current_index,
      total: state.total_steps
    });

    var section = currentSection();
    if (section) {
      renderSummary(section);
      renderResult(section);
    }

    var canReset = state.attempts_left === null || state.attempts_left > 0;
    resetButton.hidden = !canReset;
    if (state.max_attempts) {
      attemptsText.textContent = i18n.interpolate(gettext("Attempt {attempt} of {max}."), {
        attempt: state.attempt,
        max: state.max_attempts
      });
    } else {
      attemptsText.textContent = i18n.interpolate(gettext("Attempt {attempt}."), { attempt: state.attempt });
    }
  }

  function focusCurrentTitle() {
    var section = currentSection();
    var title = section && section.querySelector("[data-egov-step-title]");
    if (title) {
      title.focus();
    }
  }

  function setToggle(button, pressed) {
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    var item = button.closest("[data-egov-dossier-item]");
    if (item) {
      item.classList.toggle("is-flagged", pressed);
    }
  }

  function onToggle(event) {
    var button = event.currentTarget;
    setToggle(button, button.getAttribute("aria-pressed") !== "true");
  }

  function isFilled(input) {
    if (input.type === "checkbox" || input.type === "radio") {
      return input.checked;
    }
    return input.value.trim() !== "";
  }

  // Return the required fields of a login or form step (marked data-egov-required) that are still empty.
  function emptyRequiredFields(form) {
    return Array.prototype.filter.call(form.querySelectorAll("[data-egov-required]"), function (field) {
      return !Array.prototype.some.call(field.querySelectorAll("[data-egov-input]"), isFilled);
    });
  }

  function onEnterKey(event) {
    // Enter in a text box, radio or checkbox submits the form (implicit submission; a
    // <select> does not). While another required field is still empty, Enter moves the
    // focus to the next empty one instead, so a learner who presses Enter after each
    // field fills the whole form first. The submit button still submits, and the server
    // responds to an unfinished form with required-field messages and counts no mistake.
    var input = event.target;
    if (event.key !== "Enter" || event.isComposing || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if (input.tagName !== "INPUT" || !input.hasAttribute("data-egov-input")) {
      return;
    }
    var own = input.closest("[data-egov-field]");
    var empty = emptyRequiredFields(event.currentTarget).filter(function (field) {
      return field !== own;
    });
    if (!empty.length) {
      return;
    }
    event.preventDefault();
    var next = empty.find(function (field) {
      return own && (own.compareDocumentPosition(field) & Node.DOCUMENT_POSITION_FOLLOWING);
    }) || empty[0];
    next.querySelector("[data-egov-input]").focus();
  }

  function wireSection(section) {
    Array.prototype.forEach.call(section.querySelectorAll("[data-egov-form]"), function (form) {
      form.addEventListener("submit", onSubmit);
      form.addEventListener("keydown", onEnterKey);
    });
    Array.prototype.forEach.call(section.querySelectorAll('[data-egov-input="toggle"]'), function (button) {
      button.addEventListener("click", onToggle);
    });
  }

  function showStep(html) {
    // The server renders the step from its own state with the same template as the page
    // (autoescaped, author HTML sanitised), so its HTML is inserted as it is.
    if (typeof html !== "string") {
      return;
    }
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var section = holder.content.querySelector("[data-egov-step]");
    var old = root.querySelector("[data-egov-step]");
    if (!section) {
      return;
    }
    if (old) {
      old.parentNode.replaceChild(section, old);
    } else {
      root.insertBefore(section, root.querySelector("[data-egov-attempts]"));
    }
    wireSection(section);
  }

  function onSubmit(event) {
    event.preventDefault();
    var form = event.currentTarget;
    var section = form.closest("[data-egov-step]");
    if (busy || section.getAttribute("data-egov-step") !== state.current_step) {
      return;
    }
    busy = true;
    form.setAttribute("aria-busy", "true");
    post("submit_step", {
      step_id: state.current_step,
      values: collectValues(form)
    }).then(function (answer) {
      busy = false;
      form.removeAttribute("aria-busy");
      if (!answer.ok) {
        announce((answer.body.error && answer.body.error.message) || gettext("Something went wrong. Try again."));
        return;
      }
      state = answer.body.state;
      clearErrors(section);
      if (!answer.body.result.passed) {
        render();
        showErrors(section, answer.body.result.errors, answer.body.result.incomplete === true);
        return;
      }
      if (answer.body.step_html) {
        showStep(answer.body.step_html);
      }
      render();
      var message = answer.body.result.feedback || gettext("Step completed.");
      if (state.completed && section.getAttribute("data-egov-kind") === "review_dossier") {
        message += " " + gettext("Your decision on the dossier has been sent.");
      } else if (state.completed) {
        message += " " + gettext("Your dossier has been submitted.");
      }
      announce(message);
      focusCurrentTitle();
    });
  }

  function onReset() {
    if (busy) {
      return;
    }
    busy = true;
    post("reset", {}).then(function (answer) {
      busy = false;
      if (!answer.ok) {
        announce((answer.body.error && answer.body.error.message) || gettext("Something went wrong. Try again."));
        return;
      }
      state = answer.body.state;
      showStep(answer.body.step_html);
      render();
      announce(gettext("A new attempt has started."));
      focusCurrentTitle();
    });
  }

  wireSection(root);
  resetButton.addEventListener("click", onReset);
  render();
}
