// mealplanner: progressive enhancement only. Every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Buttons that start a plan show that the planner is busy; a second click does nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("swap-form")) { return; }
    var submitter = event.submitter;  // a button outside the form may submit it (form="...")
    var button = submitter && submitter.classList.contains("busy-on-submit") ? submitter
      : form.querySelector("button.busy-on-submit, button[type=submit].busy-on-submit");
    if (!button) { return; }
    if (form.dataset.busy === "1") { event.preventDefault(); return; }
    form.dataset.busy = "1";
    button.setAttribute("aria-busy", "true");
    button.textContent = "Planning\u2026";
  });

  // Swap a meal without reloading the page: the server sends the new plan body back, with the
  // outcome in the meal's own cell. A swap that could not be made is never marked as done:
  // focus goes to its message, beside the meal.
  var planBody = document.getElementById("plan-body");
  var dialog = document.getElementById("alternatives-dialog");
  var opener = null;

  function busy(control, text) {
    control.setAttribute("aria-busy", "true");
    if (control.tagName === "BUTTON") { control.disabled = true; }
    if (text) { control.textContent = text; }
  }

  function showOutcome(cellId) {
    var cell = document.getElementById(cellId);
    var message = document.getElementById("swap-message");
    if (message && message.classList.contains("notice-error")) {
      message.focus();
      return;
    }
    if (cell) {
      cell.classList.add("just-swapped");
      var link = cell.querySelector("a, button");
      if (link) { link.focus(); }
    }
  }

  if (planBody) {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList.contains("swap-form") || !window.fetch) { return; }
      event.preventDefault();
      var cellId = "day-" + form.elements.day.value + "-" + form.elements.slot.value;
      busy(form.querySelector("button"), form.classList.contains("pick-form") ? "Picking\u2026"
                                                                             : "Swapping\u2026");
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: {"X-Requested-With": "fetch"},
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { throw new Error("swap failed: " + response.status); }
        return response.text();
      }).then(function (html) {
        if (dialog && dialog.open) { opener = null; dialog.close(); }
        planBody.innerHTML = html;
        showOutcome(cellId);
      }).catch(function () {
        form.submit();  // fall back to the ordinary form post
      });
    });
  }

  // A meal's alternatives in a dialog (the link opens a page of its own without script).
  if (planBody && dialog && dialog.showModal) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest("a.choose-swap");
      if (!link || !window.fetch) { return; }
      event.preventDefault();
      opener = link;
      busy(link);
      fetch(link.href, {headers: {"X-Requested-With": "fetch"}, credentials: "same-origin"})
        .then(function (response) {
          if (!response.ok) { throw new Error("alternatives: " + response.status); }
          return response.text();
        }).then(function (html) {
          link.removeAttribute("aria-busy");
          dialog.innerHTML = html;
          dialog.showModal();
          var first = dialog.querySelector("button.pick") || dialog.querySelector(".notice");
          if (first) {
            if (!first.hasAttribute("tabindex") && first.tagName !== "BUTTON") {
              first.setAttribute("tabindex", "-1");
            }
            first.focus();
          }
        }).catch(function () {
          window.location.href = link.href;
        });
    });
    dialog.addEventListener("click", function (event) {
      // the Close button, or a click on the backdrop outside the dialog's card
      if (event.target.closest(".close-dialog") || event.target === dialog) { dialog.close(); }
    });
    dialog.addEventListener("close", function () {
      if (opener && document.body.contains(opener)) { opener.focus(); }
      opener = null;
    });
  }

  // Copy the plan's permanent link.
  var copy = document.getElementById("copy-share");
  if (copy) {
    copy.addEventListener("click", function () {
      var input = document.getElementById(copy.dataset.copy);
      input.select();
      var done = function () { copy.textContent = "Copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {});
      } else if (document.execCommand && document.execCommand("copy")) {
        done();
      }
    });
  }

  // Print the shopping list; ticked boxes are remembered on this device.
  var print = document.getElementById("print-list");
  if (print) { print.addEventListener("click", function () { window.print(); }); }
  document.querySelectorAll("input[data-remember]").forEach(function (box) {
    var key = "mealplanner:" + box.dataset.remember;
    var row = box.closest("tr");
    try {
      var saved = window.localStorage.getItem(key);
      if (saved !== null) { box.checked = saved === "1"; }
    } catch (e) { /* storage off: nothing to restore */ }
    if (row) { row.classList.toggle("got-it", box.checked); }
    box.addEventListener("change", function () {
      if (row) { row.classList.toggle("got-it", box.checked); }
      try { window.localStorage.setItem(key, box.checked ? "1" : "0"); } catch (e) { /* off */ }
    });
  });

  // One more pantry row: a copy of the last one with the next index.
  var addRow = document.getElementById("add-pantry-row");
  if (addRow) {
    addRow.addEventListener("click", function () {
      var rows = document.getElementById("pantry-rows");
      var last = rows.querySelector(".pantry-row:last-child");
      var index = rows.querySelectorAll(".pantry-row").length;
      var row = last.cloneNode(true);
      row.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
      row.querySelectorAll("[id], [for], [name], [aria-describedby]").forEach(function (el) {
        ["id", "for", "name", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace(/pantry-\d+-/g, "pantry-" + index + "-")); }
        });
        el.removeAttribute("aria-invalid");
        if (el.tagName === "INPUT") { el.value = ""; }
      });
      rows.appendChild(row);
      row.querySelector("input").focus();
    });
  }

  // Type-ahead for comma-separated lists (foods to avoid, favourite dishes): suggest names for
  // the word being typed, keeping what is already written before it.
  document.querySelectorAll("input[list]").forEach(function (input) {
    if (input.name.indexOf("pantry-") === 0) { return; }  // one food per pantry row
    var source = document.getElementById(input.getAttribute("list"));
    if (!source) { return; }
    var names = Array.prototype.map.call(source.options, function (o) { return o.value; });
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    document.body.appendChild(list);
    input.setAttribute("list", list.id);
    input.addEventListener("input", function () {
      var cut = input.value.lastIndexOf(",");
      var before = cut >= 0 ? input.value.slice(0, cut + 1) + " " : "";
      var typed = input.value.slice(cut + 1).trim().toLowerCase();
      list.textContent = "";
      if (typed.length < 2) { return; }
      var starts = [], contains = [];
      names.forEach(function (name) {
        var at = name.toLowerCase().indexOf(typed);
        if (at === 0) { starts.push(name); } else if (at > 0) { contains.push(name); }
      });
      starts.concat(contains).slice(0, 12).forEach(function (name) {
        var option = document.createElement("option");
        option.value = before + name;
        list.appendChild(option);
      });
    });
  });

  // A plan being made: ask the job how it is going every half second, and once it is done
  // (or failed) load the page again, which then shows the plan or the explanation. Without
  // this script the page's meta refresh does the same every two seconds.
  var progress = document.querySelector("[data-job-url]");
  if (progress && window.fetch) {
    var jobStatus = document.getElementById("job-status");
    var poll = function () {
      fetch(progress.dataset.jobUrl, {headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) {
          if (job && (job.status === "done" || job.status === "failed")) {
            window.location.reload();
            return;
          }
          if (job && job.status === "running" && jobStatus) {
            jobStatus.textContent = "The planner is working on your week.";
          }
          window.setTimeout(poll, 500);
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    };
    window.setTimeout(poll, 500);
  }
})();
