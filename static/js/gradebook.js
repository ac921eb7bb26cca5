/* The gradebook grid: a server-rendered table that behaves like a spreadsheet.
 *
 * - arrow keys and Enter move between cells; focus selects the cell's text; Esc undoes;
 * - a block pasted from Excel (tab- and newline-separated) fills cells from the focused one;
 * - every cell is checked as it is typed (scores 0–10 with one decimal, V, KP; attendance
 *   codes V, VB, KP with optional hours) and invalid cells are never sent; the status line
 *   counts them ("2 ô chưa lưu vì không hợp lệ") rather than claiming all is saved;
 * - decimals read and are typed as the page shows them: a comma in Vietnamese (5,0), a
 *   comma or a dot accepted, the cell rewritten in the page's form when it is left;
 * - drafts save themselves: changes are gathered for a moment and sent in one request
 *   (a pasted column is one request) with the version the page last saw; a cell changed
 *   meanwhile by someone else comes back as a conflict, shown with both values, and the
 *   user chooses — nothing is overwritten silently.
 *
 * No framework and no build step: the table's data attributes say where to save.
 */
(function () {
  "use strict";

  var table = document.getElementById("gradebook");
  if (!table || !table.dataset.endpoint) {
    return;
  }
  var endpoint = table.dataset.endpoint;
  var kind = table.dataset.kind || "scores";
  var separator = table.dataset.decimal || ",";
  var i18n = JSON.parse((document.getElementById("gradebook-i18n") || {}).textContent || "{}");
  var statusBox = document.getElementById("save-status");
  var conflictBox = document.getElementById("conflict");
  var version = parseInt(table.dataset.version, 10) || 0;
  var DELAY = 700;

  var inputs = Array.prototype.slice.call(table.querySelectorAll("input.cell"));
  var saved = {};      // key -> canonical text on the server
  var dirty = {};      // key -> input with an unsaved valid value
  var theirs = {};     // key -> value someone else saved (conflict)
  var invalid = {};    // key -> input holding a value that cannot be saved
  var timer = null;
  var inFlight = false;
  var again = false;
  var paused = false;

  // ---------------------------------------------------------------- grid geometry
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var columnOrder = [];
  Array.prototype.forEach.call(table.querySelectorAll("[data-column]"), function (el) {
    if (columnOrder.indexOf(el.dataset.column) < 0) {
      columnOrder.push(el.dataset.column);
    }
  });

  function key(input) {
    return input.dataset.learner + ":" + input.dataset.column;
  }

  function position(input) {
    return {
      row: rows.indexOf(input.closest("tr")),
      col: columnOrder.indexOf(input.dataset.column)
    };
  }

  function cellAt(row, col) {
    if (row < 0 || row >= rows.length || col < 0 || col >= columnOrder.length) {
      return null;
    }
    return rows[row].querySelector('[data-column="' + columnOrder[col] + '"]');
  }

  function inputAt(row, col) {
    var el = cellAt(row, col);
    return el && el.tagName === "INPUT" ? el : null;
  }

  function nextInput(input, dRow, dCol) {
    var pos = position(input);
    var row = pos.row + dRow;
    var col = pos.col + dCol;
    while (row >= 0 && row < rows.length && col >= 0 && col < columnOrder.length) {
      var found = inputAt(row, col);
      if (found) {
        return found;
      }
      row += dRow;
      col += dCol;
    }
    return null;
  }

  // ---------------------------------------------------------------- values
  function canonical(text) {
    var value = String(text || "").trim().toUpperCase().replace(/\s+/g, "").replace(",", ".");
    if (kind === "scores") {
      var m = /^(\d{1,2})(?:\.(\d+))?$/.exec(value);
      if (m) {
        var decimals = (m[2] || "0").replace(/0+$/, "") || "0";
        return String(parseInt(m[1], 10)) + "." + decimals;
      }
      return value;
    }
    return value.replace(/\.0$/, "");
  }

  function problem(text) {
    var value = String(text || "").trim();
    if (!value) {
      return null;
    }
    if (kind === "scores") {
      if (/^(v|kp)$/i.test(value)) {
        return null;
      }
      var m = /^(\d{1,2})(?:[.,](\d+))?$/.exec(value);
      if (!m) {
        return i18n.scoreHelp;
      }
      var whole = parseInt(m[1], 10);
      var decimals = (m[2] || "").replace(/0+$/, "");
      if (decimals.length > 1 || whole > 10 || (whole === 10 && decimals.length > 0)) {
        return i18n.scoreHelp;
      }
      return null;
    }
    return /^(VB|V|KP)(\d+([.,]\d)?)?$/i.test(value.replace(/\s+/g, "")) ? null
      : i18n.attendanceHelp;
  }

  function shown(canonicalText) {
    return String(canonicalText || "").replace(".", separator);
  }

  function invalidCount() {
    return Object.keys(invalid).length;
  }

  function invalidText() {
    var n = invalidCount();
    return n === 1 ? i18n.invalidOne : String(i18n.invalidMany).replace("{n}", n);
  }

  function clock() {
    var now = new Date();
    return String(now.getHours()).padStart(2, "0") + ":" +
      String(now.getMinutes()).padStart(2, "0");
  }

  // Nothing waits to be sent: say whether every cell is saved, or which are not.
  function settledStatus() {
    if (invalidCount()) {
      setStatus(invalidText() + " " + i18n.savedOthers + " " + clock() + ".", "error");
    } else {
      setStatus(i18n.saved + " " + clock(), "ok");
    }
  }

  function setStatus(text, tone) {
    if (!statusBox) {
      return;
    }
    statusBox.textContent = text;
    statusBox.className = "save-status" + (tone ? " " + tone : "");
  }

  function markInvalid(input, message) {
    invalid[key(input)] = input;
    input.classList.add("invalid");
    input.setAttribute("aria-invalid", "true");
    input.title = message;
  }

  function markValid(input) {
    delete invalid[key(input)];
    input.classList.remove("invalid");
    input.removeAttribute("aria-invalid");
    input.title = "";
  }

  inputs.forEach(function (input) {
    saved[key(input)] = canonical(input.value);
  });

  function pendingCount() {
    return Object.keys(dirty).length;
  }

  // ---------------------------------------------------------------- editing
  function edited(input) {
    var message = problem(input.value);
    var k = key(input);
    if (message) {
      markInvalid(input, message);
      delete dirty[k];
      input.classList.remove("dirty");
      if (!pendingCount() && !inFlight) {
        setStatus(invalidText(), "error");
      }
      return;
    }
    var wasInvalid = !!invalid[k];
    markValid(input);
    input.classList.remove("conflict");
    if (canonical(input.value) === saved[k]) {
      delete dirty[k];
      input.classList.remove("dirty");
      if (wasInvalid && !pendingCount() && !inFlight) {
        settledStatus(); // put back as it was saved: nothing left to say about it
      }
    } else {
      dirty[k] = input;
      input.classList.add("dirty");
    }
    schedule();
  }

  function schedule() {
    window.clearTimeout(timer);
    if (pendingCount()) {
      setStatus(i18n.unsaved, "warn");
      timer = window.setTimeout(flush, DELAY);
    }
  }

  table.addEventListener("input", function (event) {
    if (event.target.matches("input.cell")) {
      edited(event.target);
    }
  });

  table.addEventListener("focusin", function (event) {
    if (event.target.matches("input.cell")) {
      event.target.select();
    }
  });

  table.addEventListener("focusout", function (event) {
    var input = event.target;
    if (!input.matches("input.cell")) {
      return;
    }
    // A valid cell is rewritten as the page shows values: "5" or "5.0" becomes "5,0".
    if (!invalid[key(input)] && input.value.trim()) {
      input.value = shown(canonical(input.value));
    }
    if (pendingCount()) {
      window.clearTimeout(timer);
      timer = window.setTimeout(flush, 150);
    }
  });

  table.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches("input.cell")) {
      return;
    }
    var target = null;
    var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    var atEnd = input.selectionStart === input.value.length;
    var all = input.selectionStart === 0 && input.selectionEnd === input.value.length;
    switch (event.key) {
      case "ArrowDown":
        target = nextInput(input, 1, 0);
        break;
      case "ArrowUp":
        target = nextInput(input, -1, 0);
        break;
      case "Enter":
        target = nextInput(input, event.shiftKey ? -1 : 1, 0);
        event.preventDefault();
        break;
      case "ArrowLeft":
        if (atStart || all) {
          target = nextInput(input, 0, -1);
        }
        break;
      case "ArrowRight":
        if (atEnd || all) {
          target = nextInput(input, 0, 1);
        }
        break;
      case "Escape":
        input.value = shown(saved[key(input)]);
        edited(input);
        input.select();
        return;
      default:
        return;
    }
    if (target) {
      event.preventDefault();
      target.focus();
    }
  });

  table.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.matches("input.cell")) {
      return;
    }
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\n\r]/.test(text)) {
      return; // one value: the browser pastes it, "input" follows
    }
    event.preventDefault();
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
    var start = position(input);
    var skipped = 0;
    lines.forEach(function (line, i) {
      line.split("\t").forEach(function (value, j) {
        var cell = cellAt(start.row + i, start.col + j);
        if (cell && cell.tagName === "INPUT") {
          cell.value = value.trim();
          edited(cell);
        } else if (value.trim()) {
          skipped += 1;
        }
      });
    });
    window.clearTimeout(timer);
    flush();
    if (skipped) {
      setStatus(i18n.unsaved + " (" + skipped + ")", "warn");
    } else if (!pendingCount() && !inFlight && invalidCount()) {
      setStatus(invalidText(), "error");
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (pendingCount() || inFlight) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // ---------------------------------------------------------------- saving
  function csrfToken() {
    try {
      var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) {
        return headers["X-CSRFToken"];
      }
    } catch (e) { /* fall back to the cookie */ }
    var match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function flush() {
    if (paused) {
      return;
    }
    if (inFlight) {
      again = true;
      return;
    }
    var keys = Object.keys(dirty);
    if (!keys.length) {
      return;
    }
    var sent = {};
    var cells = keys.map(function (k) {
      var input = dirty[k];
      sent[k] = canonical(input.value);
      return { learner: parseInt(input.dataset.learner, 10), column: input.dataset.column,
               value: sent[k] };
    });
    inFlight = true;
    setStatus(i18n.saving, "");
    fetch(endpoint, {
      method: kind === "scores" ? "PATCH" : "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ version: version, cells: cells })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (result) {
      inFlight = false;
      if (result.status === 200) {
        saved200(result.data, sent);
      } else if (result.status === 409) {
        conflict(result.data);
      } else if (result.status === 400) {
        rejected(result.data);
      } else {
        retryLater();
        return;
      }
      if (again) {
        again = false;
        flush();
      }
    }).catch(function () {
      inFlight = false;
      retryLater();
    });
  }

  function retryLater() {
    setStatus(i18n.offline, "error");
    window.clearTimeout(timer);
    timer = window.setTimeout(flush, 5000);
  }

  function findInput(learner, column) {
    return table.querySelector('input.cell[data-learner="' + learner + '"][data-column="' +
                               column + '"]');
  }

  function saved200(data, sent) {
    version = data.version;
    table.dataset.version = version;
    (data.saved || []).forEach(function (change) {
      var k = change.learner + ":" + change.column;
      saved[k] = canonical(change.value);
    });
    Object.keys(sent).forEach(function (k) {
      var input = dirty[k];
      if (!input) {
        return;
      }
      saved[k] = sent[k];
      if (canonical(input.value) === sent[k]) {
        delete dirty[k];
        input.classList.remove("dirty");
        if (document.activeElement !== input) {
          input.value = shown(sent[k]);
        }
        input.classList.add("saved");
        window.setTimeout(function () { input.classList.remove("saved"); }, 1200);
      }
    });
    applyOthers(data.others || []);
    (data.learners || []).forEach(updateRow);
    if (!pendingCount()) {
      settledStatus();
    } else {
      schedule();
    }
  }

  function applyOthers(changes) {
    changes.forEach(function (change) {
      var input = findInput(change.learner, change.column);
      var k = change.learner + ":" + change.column;
      if (!input) {
        var span = table.querySelector('.value[data-learner="' + change.learner +
                                       '"][data-column="' + change.column + '"]');
        if (span) {
          span.textContent = shown(change.value);
        }
        return;
      }
      saved[k] = canonical(change.value);
      if (!dirty[k]) {
        input.value = shown(change.value);
        markValid(input);
      }
    });
  }

  function rejected(data) {
    var errors = data.errors || {};
    var flagged = 0;
    Object.keys(errors).forEach(function (k) {
      var parts = k.split(":");
      var input = findInput(parts[0], parts[1]);
      if (input) {
        markInvalid(input, errors[k].join(" "));
        delete dirty[k];
        flagged += 1;
      }
    });
    setStatus(flagged ? invalidText() : data.detail || i18n.invalid, "error");
    if (flagged && pendingCount()) {
      schedule(); // the rest of the batch was refused with it: send it again
    }
  }

  function conflict(data) {
    version = data.version;
    table.dataset.version = version;
    paused = true;
    var list = conflictBox.querySelector("[data-changes]");
    list.textContent = "";
    (data.changes || []).forEach(function (change) {
      var k = change.learner + ":" + change.column;
      var input = findInput(change.learner, change.column);
      theirs[k] = change.value;
      saved[k] = canonical(change.value);
      if (input) {
        input.classList.add("conflict");
        input.title = (change.learner_name || "") + ": " + shown(change.value) + " (" +
                      (change.by || "") + ")";
      }
      var item = document.createElement("li");
      item.textContent = (change.learner_name || "") + " — " + change.column + ": " +
        (shown(change.value) || "∅") + " (" + (change.by || "") + ")";
      list.appendChild(item);
    });
    conflictBox.querySelector("[data-message]").textContent = data.detail || "";
    conflictBox.hidden = false;
    setStatus(data.detail || "", "error");
    conflictBox.querySelector("[data-keep-mine]").focus();
  }

  function resolve(keepMine) {
    Object.keys(theirs).forEach(function (k) {
      var parts = k.split(":");
      var input = findInput(parts[0], parts[1]);
      if (input) {
        input.classList.remove("conflict");
        input.title = "";
        if (!keepMine) {
          input.value = shown(theirs[k]);
          delete dirty[k];
          input.classList.remove("dirty");
        } else if (canonical(input.value) !== saved[k]) {
          dirty[k] = input;
        }
      }
    });
    theirs = {};
    conflictBox.hidden = true;
    paused = false;
    flush();
  }

  if (conflictBox) {
    conflictBox.querySelector("[data-keep-mine]").addEventListener("click", function () {
      resolve(true);
    });
    conflictBox.querySelector("[data-take-theirs]").addEventListener("click", function () {
      resolve(false);
    });
  }

  // ---------------------------------------------------------------- derived columns
  function derived(row, name) {
    return row.querySelector('[data-derived="' + name + '"]');
  }

  function updateRow(learner) {
    var row = table.querySelector('tr[data-learner="' + learner.id + '"]');
    if (!row) {
      return;
    }
    var field;
    if ((field = derived(row, "checks_average"))) {
      field.textContent = learner.checks_average ? shown(learner.checks_average) : "–";
    }
    if ((field = derived(row, "module_score"))) {
      field.textContent = learner.module_score ? shown(learner.module_score) : "–";
    }
    if ((field = derived(row, "letter"))) {
      field.textContent = learner.letter || "–";
    }
    if ((field = derived(row, "eligible"))) {
      field.textContent = "";
      if (learner.eligible === null || learner.eligible === undefined) {
        field.textContent = "–";
      } else {
        var badge = document.createElement("span");
        badge.className = "badge " + (learner.eligible ? "ok" : "error");
        badge.textContent = learner.eligible ? i18n.eligible : i18n.notEligible;
        field.appendChild(badge);
        if (!learner.eligible && learner.ineligibility_labels) {
          var help = document.createElement("span");
          help.className = "help";
          help.textContent = " " + learner.ineligibility_labels.join("; ");
          field.appendChild(help);
        }
      }
    }
    if (learner.attendance) {
      if ((field = derived(row, "theory_absent"))) {
        field.textContent = learner.attendance.theory_absent;
      }
      if ((field = derived(row, "practice"))) {
        field.textContent = learner.attendance.practice_excused + " / " +
          learner.attendance.practice_unexcused;
      }
    }
  }
}());
