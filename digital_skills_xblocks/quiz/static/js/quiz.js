/* Learner view of the citizenship_quiz XBlock: keyboard-friendly ordering and
 * red-flag marking, submission and reset through the block's JSON handlers.
 * Every submission uses a graded attempt, so Enter in an answer does not
 * submit, and Submit with unanswered questions first shows a warning that a
 * second press confirms.
 * The server renders all HTML; this script only collects answers and swaps in
 * the HTML the handlers return. No jQuery: `element` may be a DOM element
 * (XBlock SDK) or a jQuery object (LMS). */
function CitizenshipQuizBlock(runtime, element) {
  "use strict";

  var root = element && element.jquery ? element[0] : element;
  var i18n = window.DigitalSkillsI18N || {
    gettext: function (text) { return text; },
    ngettext: function (singular, plural, count) { return count === 1 ? singular : plural; },
    interpolate: function (template, values) {
      return String(template).replace(/\{(\w+)\}/g, function (match, key) {
        return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
      });
    }
  };
  var busy = false;
  // True after the unanswered-questions warning: the next Submit sends the
  // answers as they are. An answer change or a new body sets it back to false.
  var unansweredConfirmed = false;

  function body() {
    return root.querySelector("[data-dsq-body]");
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function showError(message) {
    var box = root.querySelector("[data-dsq-error]");
    if (box) {
      box.textContent = message;
    }
  }

  function announce(message) {
    var live = root.querySelector("[data-dsq-live]");
    if (live) {
      live.textContent = message;
    }
  }

  function post(handler, payload) {
    return fetch(runtime.handlerUrl(root, handler), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var message = data && data.error && data.error.message;
          throw new Error(message || i18n.gettext("The server could not save your answers. Try again."));
        }
        return data;
      });
    });
  }

  function collectAnswers() {
    var answers = {};
    var questions = root.querySelectorAll("[data-question-id]");
    Array.prototype.forEach.call(questions, function (question) {
      var id = question.getAttribute("data-question-id");
      var type = question.getAttribute("data-question-type");
      if (type === "single_choice" || type === "true_false") {
        var checked = question.querySelector("input:checked");
        answers[id] = checked ? checked.value : null;
      } else if (type === "multiple_response") {
        answers[id] = Array.prototype.map.call(question.querySelectorAll("input:checked"), function (input) {
          return input.value;
        });
      } else if (type === "ordering") {
        answers[id] = Array.prototype.map.call(question.querySelectorAll("[data-dsq-order] > li"), function (item) {
          return item.getAttribute("data-choice-id");
        });
      } else if (type === "red_flags") {
        answers[id] = Array.prototype.map.call(question.querySelectorAll("[data-dsq-flag][aria-pressed='true']"), function (part) {
          return part.getAttribute("data-choice-id");
        });
      }
    });
    return answers;
  }

  function isAnswered(question) {
    var type = question.getAttribute("data-question-type");
    if (type === "single_choice" || type === "true_false" || type === "multiple_response") {
      return question.querySelector("input:checked") !== null;
    }
    if (type === "red_flags") {
      // No marked part is a valid choice once the learner has pressed a part
      // (marked and unmarked it), so only an untouched message counts as unanswered.
      return question.hasAttribute("data-dsq-touched") ||
        question.querySelector("[data-dsq-flag][aria-pressed='true']") !== null;
    }
    // Ordering questions always send an order, and an unknown type must not block Submit.
    return true;
  }

  function unansweredQuestions() {
    return Array.prototype.filter.call(root.querySelectorAll("[data-question-id]"), function (question) {
      return !isAnswered(question);
    });
  }

  function focusElement(target) {
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }

  function warnUnanswered(unanswered) {
    var total = root.querySelectorAll("[data-question-id]").length;
    var message = i18n.interpolate(i18n.ngettext(
      "You have not answered {count} of {total} questions. Answer it, or select \u201cSubmit answers\u201d again to submit anyway.",
      "You have not answered {count} of {total} questions. Answer them, or select \u201cSubmit answers\u201d again to submit anyway.",
      unanswered.length
    ), { count: unanswered.length, total: total });
    // Focus stays on Submit, right below the alert, so that the warning is in view on a
    // phone. Each unanswered question gets a mark that is seen and read with its legend.
    unanswered.forEach(markUnanswered);
    showError(message);
    unansweredConfirmed = true;
  }

  function markUnanswered(question) {
    question.classList.add("dsq-unanswered");
    var legend = question.querySelector("legend");
    if (legend && !legend.querySelector("[data-dsq-unanswered]")) {
      var mark = document.createElement("span");
      mark.className = "dsq-unanswered-mark";
      mark.setAttribute("data-dsq-unanswered", "");
      mark.textContent = i18n.gettext("Not answered yet");
      legend.appendChild(document.createTextNode(" "));
      legend.appendChild(mark);
    }
  }

  function clearUnansweredMark(question) {
    if (!question || !question.classList.contains("dsq-unanswered")) {
      return;
    }
    question.classList.remove("dsq-unanswered");
    var mark = question.querySelector("[data-dsq-unanswered]");
    if (mark) {
      mark.parentNode.removeChild(mark.previousSibling);
      mark.parentNode.removeChild(mark);
    }
  }

  function answerChanged(question) {
    if (question && question.getAttribute("data-question-type") === "red_flags") {
      question.setAttribute("data-dsq-touched", "");
    }
    if (question && isAnswered(question)) {
      clearUnansweredMark(question);
    }
    if (unansweredConfirmed) {
      // The warning's count is out of date, and the next Submit checks again.
      unansweredConfirmed = false;
      showError("");
    }
  }

  function replaceBody(html, focusSelector) {
    body().innerHTML = html;
    unansweredConfirmed = false;
    var target = root.querySelector(focusSelector);
    if (target) {
      focusElement(target);
    }
  }

  function reportResultViewed() {
    if (root.querySelector("[data-dsq-result]")) {
      post("result_viewed", {}).catch(function () { /* The event is best effort. */ });
    }
  }

  function submit() {
    if (busy) {
      return;
    }
    var unanswered = unansweredQuestions();
    if (unanswered.length > 0 && !unansweredConfirmed) {
      warnUnanswered(unanswered);
      return;
    }
    // The confirmation stays set when the request fails, so that pressing
    // Submit again after the error retries at once.
    busy = true;
    showError("");
    post("submit", { answers: collectAnswers() }).then(function (data) {
      replaceBody(data.html, "[data-dsq-result-title]");
      reportResultViewed();
    }).catch(function (error) {
      showError(error.message);
    }).then(function () {
      busy = false;
    });
  }

  function reset() {
    if (busy) {
      return;
    }
    busy = true;
    post("reset", {}).then(function (data) {
      replaceBody(data.html, "[data-question-id] legend");
    }).catch(function (error) {
      showError(error.message);
    }).then(function () {
      busy = false;
    });
  }

  function move(button) {
    var item = button.closest("li");
    var list = item.parentNode;
    var direction = button.getAttribute("data-dsq-move");
    var sibling = direction === "up" ? item.previousElementSibling : item.nextElementSibling;
    if (!sibling) {
      announce(i18n.gettext(direction === "up" ? "This item is already first." : "This item is already last."));
      return;
    }
    if (direction === "up") {
      list.insertBefore(item, sibling);
    } else {
      list.insertBefore(sibling, item);
    }
    var position = Array.prototype.indexOf.call(list.children, item) + 1;
    var text = item.querySelector(".dsq-order-text").textContent.trim();
    announce(i18n.interpolate(i18n.gettext("{item}: position {position} of {count}."), {
      item: text, position: position, count: list.children.length
    }));
    // Keep focus on the same button so repeated presses keep moving the item.
    button.focus();
    answerChanged(button.closest("[data-question-id]"));
  }

  function toggleFlag(button) {
    var pressed = button.getAttribute("aria-pressed") === "true";
    button.setAttribute("aria-pressed", pressed ? "false" : "true");
    announce(i18n.gettext(pressed ? "Mark removed." : "Marked as suspicious."));
    answerChanged(button.closest("[data-question-id]"));
  }

  root.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target || !root.contains(target) || target.disabled) {
      return;
    }
    if (target.hasAttribute("data-dsq-move")) {
      move(target);
    } else if (target.hasAttribute("data-dsq-flag")) {
      toggleFlag(target);
    } else if (target.hasAttribute("data-dsq-reset")) {
      reset();
    }
  });

  // Radios and checkboxes fire "change" on Space, on a click and when the arrow
  // keys move the selection in a radio group.
  root.addEventListener("change", function (event) {
    var form = event.target.closest("[data-dsq-form]");
    if (form && root.contains(form)) {
      answerChanged(event.target.closest("[data-question-id]"));
    }
  });

  // Enter in a form field triggers the browser's implicit submission, which
  // would spend a graded attempt, so it is blocked in every input except
  // button-like ones. Buttons (Submit, Move, the red-flag parts) keep Enter.
  root.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || event.isComposing || target.tagName !== "INPUT") {
      return;
    }
    if (/^(submit|image|button|reset)$/i.test(target.type)) {
      return;
    }
    var form = target.closest("[data-dsq-form]");
    if (form && root.contains(form)) {
      event.preventDefault();
    }
  });

  root.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-dsq-form")) {
      event.preventDefault();
      submit();
    }
  });

  reportResultViewed();
}
