/* window.atlasHours: open now? A lookup in the table the build made with opening-hours-py and
   China's holidays (atlas/hours_table.py); no OSM parsing here. Beijing time on any phone.
   t: the table, as JSON text or object (a page's .atlas-open-status[data-hours], a card's "h");
   d: a Date, default now. Each returns null when t is empty.
     status(t, d) -> {open, next: Date|null (the change within a week), sure: false beyond the holiday data}
     today(t, d)  -> "09:00–12:00、14:00–17:30" | "全天开放" | "今日不开放"
     say(t, d)    -> "正在开放 · 今天 17:00 关门" | "未开放 · 明天 09:00 开放" (+ "（节假日安排待公布）")
     day(d)       -> {iso: "YYYY-MM-DD", weekday: Monday = 0, midnight}: the Beijing day of d (the finder's 本月)
     dateName(iso) -> "12月12日（周六）": a YYYY-MM-DD day as the finder and the programme lists write it
   Table: {from, sure, to: "YYYY-MM-DD", w: [Mo..Su][[start, end] minutes], x: {date: spans}}. */
window.atlasHours = (function () {
  "use strict";
  var MINUTE = 60000, DAY = 1440 * MINUTE, BEIJING = 480 * MINUTE; // UTC+8, no daylight saving
  var NAMES = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

  function read(table) { return typeof table === "string" ? (table ? JSON.parse(table) : null) : table || null; }

  // The Beijing day of a moment: its midnight (as a time), ISO date and weekday (Monday = 0).
  function day(time) {
    var shifted = time + BEIJING, midnight = shifted - (((shifted % DAY) + DAY) % DAY);
    var date = new Date(midnight);
    return { midnight: midnight - BEIJING, iso: date.toISOString().slice(0, 10), weekday: (date.getUTCDay() + 6) % 7 };
  }

  function spans(t, d) {
    var known = d.iso >= t.from && d.iso <= t.to;
    return { list: known && t.x[d.iso] ? t.x[d.iso] : t.w[d.weekday], sure: d.iso >= t.from && d.iso <= t.sure };
  }

  function status(table, date) {
    var t = read(table);
    if (!t) return null;
    var now = (date || new Date()).getTime(), first = day(now), open = [];
    for (var i = 0; i < 8; i++) { // a week ahead, spans joined across midnight
      var d = day(first.midnight + i * DAY + DAY / 2);
      spans(t, d).list.forEach(function (s) {
        var a = d.midnight + s[0] * MINUTE, b = d.midnight + s[1] * MINUTE, last = open[open.length - 1];
        if (last && a <= last[1]) last[1] = Math.max(last[1], b);
        else open.push([a, b]);
      });
    }
    var sure = spans(t, first).sure;
    for (var j = 0; j < open.length; j++) {
      if (now < open[j][0]) return { open: false, next: new Date(open[j][0]), sure: sure };
      if (now < open[j][1]) return { open: true, next: open[j][1] < first.midnight + 8 * DAY ? new Date(open[j][1]) : null, sure: sure };
    }
    return { open: false, next: null, sure: sure };
  }

  function clock(minutes) { return ("0" + Math.floor(minutes / 60)).slice(-2) + ":" + ("0" + minutes % 60).slice(-2); }

  function today(table, date) {
    var t = read(table);
    if (!t) return null;
    var list = spans(t, day((date || new Date()).getTime())).list;
    if (!list.length) return "今日不开放";
    if (list.length === 1 && list[0][0] === 0 && list[0][1] === 1440) return "全天开放";
    return list.map(function (s) { return clock(s[0]) + "–" + clock(s[1]); }).join("、");
  }

  // 今天 17:00, 明天 09:00, 周六 09:00 within a week, else 3月2日 09:00.
  function when(next, now) {
    var d = day(next.getTime()), days = Math.round((d.midnight - day(now.getTime()).midnight) / DAY);
    var date = new Date(d.midnight + BEIJING);
    var name = days === 0 ? "今天" : days === 1 ? "明天" : days < 7 ? NAMES[d.weekday] : (date.getUTCMonth() + 1) + "月" + date.getUTCDate() + "日";
    return name + " " + clock(Math.round((next.getTime() - d.midnight) / MINUTE));
  }

  function say(table, date) {
    var now = date || new Date(), s = status(table, now);
    if (!s) return null;
    var text = s.open ? "正在开放" + (s.next ? " · " + when(s.next, now) + " 关门" : "")
      : "未开放" + (s.next ? " · " + when(s.next, now) + " 开放" : "");  // the pair of 正在开放
    return s.sure ? text : text + "（节假日安排待公布）";
  }

  function dateName(iso) {
    var d = new Date(iso + "T00:00:00Z");
    return (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日（" + NAMES[(d.getUTCDay() + 6) % 7] + "）";
  }

  return { status: status, today: today, say: say, dateName: dateName, day: function (date) { return day((date || new Date()).getTime()); } };
})();
