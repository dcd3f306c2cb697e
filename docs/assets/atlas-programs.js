/* 场馆课表 in the browser. Each programme card carries every day (data-days, YYYY-MM-DD) and its
   times; here, in Beijing time on any phone, each card gets 下次 / 正在进行 / 已结束 and 报名已截止,
   upcoming lists hide what is over, and /programs/ gets its filters (shareable as ?stage=…),
   a month view and a count. Without this script every list shows every programme. */
(function () {
  "use strict";
  if (window.atlasPrograms) return; // /holiday/ includes it with each site's sessions
  window.atlasPrograms = true;
  var BEIJING = 480 * 60000, dayLabel = window.atlasHours.dateName;

  function clock() {
    var d = new Date(Date.now() + BEIJING);
    return { iso: d.toISOString().slice(0, 10), minutes: d.getUTCHours() * 60 + d.getUTCMinutes() };
  }
  function minutes(hhmm) { var p = hhmm.split(":"); return +p[0] * 60 + +p[1]; }
  function date(iso) { return new Date(iso + "T00:00:00Z"); }

  // The next day of a card still to come (today counts until it ends), and whether it is on now.
  function mark(card, now) {
    var days = card.dataset.days.split(" "), start = card.dataset.start, end = card.dataset.end;
    var from = start ? minutes(start) : 0, until = end ? minutes(end) : 1440, next = "", on = false;
    for (var i = 0; i < days.length; i++) {
      if (days[i] > now.iso || (days[i] === now.iso && now.minutes < until)) {
        next = days[i];
        on = next === now.iso && now.minutes >= from;
        break;
      }
    }
    card.dataset.next = next;
    var el = card.querySelector(".atlas-program-next");
    el.textContent = on ? "正在进行 · " : next ? "下次：" + (next === now.iso ? "今天" : dayLabel(next)) + (start ? " " + start : "") + " · " : "已结束 · ";
    el.className = "atlas-program-next" + (on ? " atlas-program-on" : next ? "" : " atlas-program-over");
    var closed = card.querySelector(".atlas-program-closed");
    if (closed) closed.hidden = !(card.dataset.deadline < now.iso);
    return next;
  }

  // Resource pages and /holiday/ cards: only what is still to come, soonest first.
  function upcoming(box, now) {
    var list = box.querySelector(".atlas-program-list"), cards = [].slice.call(list.children), shown = 0;
    cards.forEach(function (card) { card.hidden = !mark(card, now); if (!card.hidden) shown++; });
    cards.sort(function (a, b) { return a.dataset.next < b.dataset.next ? -1 : a.dataset.next > b.dataset.next ? 1 : 0; })
      .forEach(function (card) { list.appendChild(card); });
    box.querySelector(".atlas-programs-none").hidden = shown > 0;
  }

  function calendarPage(page, now) {
    var form = page.querySelector(".atlas-program-filters"), list = page.querySelector(".atlas-program-list");
    var cards = [].slice.call(list.children), monthBox = page.querySelector(".atlas-program-month");
    var count = page.querySelector(".atlas-program-count"), none = page.querySelector(".atlas-programs-none");
    var params = new URLSearchParams(location.search), view = params.get("view") === "month" ? "month" : "list";
    var month = /^\d{4}-\d{2}$/.test(params.get("month") || "") ? params.get("month") : now.iso.slice(0, 7), day = "";
    var unknown = [];
    cards.forEach(function (card) { mark(card, now); });
    ["stage", "category", "street", "five"].forEach(function (name) {
      var value = params.get(name), select = form.elements[name];
      if (!value) return;
      if ([].some.call(select.options, function (o) { return o.value === value; })) select.value = value;
      else unknown.push("“" + value + "”");
    });

    function matches(card) {
      var f = form.elements;
      return (!f.stage.value || card.dataset.stages.split(" ").indexOf(f.stage.value) >= 0) &&
        (!f.category.value || card.dataset.category === f.category.value) &&
        (!f.street.value || card.dataset.street === f.street.value) &&
        (!f.five.value || card.dataset.five.split(" ").indexOf(f.five.value) >= 0);
    }
    function inPeriod(card) {
      var days = card.dataset.days.split(" ");
      if (view === "list") return !!card.dataset.next;
      return days.some(function (d) { return day ? d === day : d.slice(0, 7) === month; });
    }
    function render() {
      var chosen = cards.filter(matches), shown = 0;
      cards.forEach(function (card) {
        card.hidden = !(chosen.indexOf(card) >= 0 && inPeriod(card));
        if (!card.hidden) shown++;
      });
      if (view === "list") cards.slice().sort(function (a, b) { return (a.dataset.next || "9") < (b.dataset.next || "9") ? -1 : 1; }).forEach(function (c) { list.appendChild(c); });
      monthBox.hidden = view !== "month";
      if (view === "month") drawMonth(chosen);
      var where = view === "list" ? "即将举办的活动" : (day ? dayLabel(day) : month.replace("-", "年").replace(/^(\d+)年0?(\d+)$/, "$1年$2月")) + "的活动";
      count.textContent = (unknown.length ? "链接里的筛选条件 " + unknown.join("、") + " 不存在，已忽略。" : "") + where + "：" + shown + " 项";
      none.hidden = shown > 0;
      form.querySelectorAll("[data-view]").forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.view === view)); });
      var query = new URLSearchParams();
      ["stage", "category", "street", "five"].forEach(function (n) { if (form.elements[n].value) query.set(n, form.elements[n].value); });
      if (view === "month") { query.set("view", "month"); query.set("month", month); }
      history.replaceState(null, "", location.pathname + (query.toString() ? "?" + query : ""));
    }
    function drawMonth(chosen) {
      var first = date(month + "-01"), y = first.getUTCFullYear(), m = first.getUTCMonth();
      var length = new Date(Date.UTC(y, m + 1, 0)).getUTCDate(), lead = (first.getUTCDay() + 6) % 7, per = {};
      chosen.forEach(function (card) {
        card.dataset.days.split(" ").forEach(function (d) { if (d.slice(0, 7) === month) per[d] = (per[d] || 0) + 1; });
      });
      var html = '<div class="atlas-month-nav"><button type="button" class="atlas-button" data-step="-1">上个月</button><h2>' + y + "年" + (m + 1) +
        '月</h2><button type="button" class="atlas-button" data-step="1">下个月</button></div><table class="atlas-month"><thead><tr>';
      "一二三四五六日".split("").forEach(function (w) { html += "<th scope=\"col\">" + w + "</th>"; });
      html += "</tr></thead><tbody><tr>";
      for (var i = 0; i < lead; i++) html += "<td></td>";
      for (var d = 1; d <= length; d++) {
        var iso = month + "-" + ("0" + d).slice(-2), n = per[iso] || 0;
        if ((lead + d - 1) % 7 === 0 && d > 1) html += "</tr><tr>";
        html += "<td" + (iso === now.iso ? ' class="atlas-today"' : "") + ">" + (n
          ? '<button type="button" data-day="' + iso + '" aria-pressed="' + (iso === day) + '">' + d + " <span>" + n + "项</span></button>"
          : "<span>" + d + "</span>") + "</td>";
      }
      html += "</tr></tbody></table>";
      monthBox.innerHTML = html;  // numbers and fixed words only: nothing from the data
    }
    form.addEventListener("change", function () { day = ""; render(); });
    form.querySelectorAll("[data-view]").forEach(function (b) {
      b.addEventListener("click", function () { view = b.dataset.view; day = ""; render(); });
    });
    monthBox.addEventListener("click", function (event) {
      var step = event.target.closest("[data-step]"), pick = event.target.closest("[data-day]");
      if (step) {
        var d = date(month + "-01");
        d.setUTCMonth(d.getUTCMonth() + +step.dataset.step);
        month = d.toISOString().slice(0, 7);
        day = "";
      } else if (pick) day = pick.dataset.day === day ? "" : pick.dataset.day;
      else return;
      render();
      var again = monthBox.querySelector(step ? '[data-step="' + step.dataset.step + '"]' : '[data-day="' + (pick && pick.dataset.day) + '"]');
      if (again) again.focus();
    });
    render();
  }

  function start() {
    var now = clock();
    document.querySelectorAll(".atlas-programs-upcoming").forEach(function (box) { upcoming(box, now); });
    document.querySelectorAll(".atlas-programs-page").forEach(function (page) { calendarPage(page, now); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
