/* /find/: search box, facets with counts, results as cards; the state lives in the URL.
   Facets come from facets.json (numbers per resource), cards only for what is shown, points
   only once someone asks for 离我最近. */
(function () {
  "use strict";
  var page = document.querySelector(".atlas-finder");
  if (!page) return;
  var form = page.querySelector("form");
  var results = document.getElementById("results");
  var summary = document.getElementById("atlas-summary");
  var empty = page.querySelector(".atlas-empty");
  var more = page.querySelector(".atlas-more");
  var nearButton = page.querySelector(".atlas-finder-near");
  var nearStatus = page.querySelector(".atlas-finder-near-status");
  var root = page.dataset.root;
  var FEES = { free: "免费", paid: "收费", partly_free: "部分免费" };
  var PAGE = 20;
  var NAME_RANK = 8; // facets.json's column of the pinyin name order (atlas/collate.py)
  var MONTHS = 9; // then, only for resources with programmes, their days by month (atlas/program_months.py)
  var PARTIAL = "没有完全匹配的结果，以下是部分匹配";
  var monthLabel = page.querySelector(".atlas-month-label");
  var emptyMonth = page.querySelector(".atlas-empty-month");
  var m, rows, labels = {}, points, here, current, settled = false, scrolling, partial, run = 0, shown = [], today;

  // Each select filters one column of facets.json: [category, street, stages, 五育, fee, holidays, accessible, has hours, name rank(, programme days)].
  var FACETS = [
    { name: "category", column: 0, options: function () { return m.categories.map(function (c) { return c.code; }); } },
    { name: "street", column: 1, options: function () { return m.streets; } },
    { name: "stage", column: 2, mask: true, options: function () { return m.stages; } },
    { name: "five", column: 3, mask: true, options: function () { return m.five; } },
    { name: "fee", column: 4, options: function () { return m.fees; } },
    { name: "holiday", column: 5, mask: true, options: function () { return m.holiday; } },
  ];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function state() {
    var s = { q: form.q.value.trim(), open: form.open.checked, month: form.month.checked, accessible: form.accessible.checked, sort: form.sort.value };
    FACETS.forEach(function (f) { s[f.name] = form[f.name].value; });
    return s;
  }

  // On the first load q comes from atlas-head.js, which hid it from Material's search.
  function fromUrl() {
    var p = new URLSearchParams(location.search);
    var q = window.atlasFinderQuery !== undefined ? window.atlasFinderQuery : p.get("q");
    delete window.atlasFinderQuery;
    form.q.value = q || "";
    FACETS.forEach(function (f) { form[f.name].value = p.get(f.name) || ""; });
    form.open.checked = p.get("open") === "1";
    form.month.checked = p.get("month") === "1";
    form.accessible.checked = p.get("accessible") === "1";
    form.sort.value = ["name", "near"].indexOf(p.get("sort")) >= 0 ? p.get("sort") : "";
  }

  function toUrl(s) {
    var p = new URLSearchParams();
    if (s.q) p.set("q", s.q);
    FACETS.forEach(function (f) { if (s[f.name]) p.set(f.name, s[f.name]); });
    if (s.open) p.set("open", "1");
    if (s.month) p.set("month", "1");
    if (s.accessible) p.set("accessible", "1");
    if (s.sort) p.set("sort", s.sort);
    var query = p.toString();
    return location.pathname + (query ? "?" + query : "");
  }

  function has(row, f, wanted) {
    var index = f.options().indexOf(wanted);
    return f.mask ? (row[f.column] & (1 << index)) !== 0 : row[f.column] === index;
  }

  function passes(ref, s, skip) {
    var row = rows[+ref];
    for (var i = 0; i < FACETS.length; i++) {
      var f = FACETS[i];
      if (f.name !== skip && s[f.name] && !has(row, f, s[f.name])) return false;
    }
    if (s.accessible && row[6] !== 1) return false;
    if (s.open && row[7] !== 1) return false;
    if (s.month && skip !== "month" && !monthDays(row)) return false;
    return true;
  }

  // --- 本月有活动: this month's programme days from today on, today in Beijing -----------------
  // A resource's value: [examples only, its first yyyymm, that month's day mask (bit d-1 = day d),
  // the next month's, …] (atlas/program_months.py).
  function beijingToday() {
    var iso = window.atlasHours.day().iso;
    return { year: +iso.slice(0, 4), month: +iso.slice(5, 7), day: +iso.slice(8, 10) };
  }

  function monthDays(row) {
    var value = row[MONTHS];
    if (!value) return null;
    var index = today.year * 12 + today.month - (Math.floor(value[1] / 100) * 12 + value[1] % 100);
    var mask = index >= 0 ? value[2 + index] || 0 : 0, days = [];
    for (var d = today.day; d <= 31; d++) if ((mask >>> (d - 1)) & 1) days.push(d);
    return days.length ? { days: days, example: value[0] === 1 } : null;
  }

  function monthName() { return "本月（" + today.month + "月）"; }

  function isoDay(d) { return today.year + "-" + ("0" + today.month).slice(-2) + "-" + ("0" + d).slice(-2); }
  function dayName(d) { return d === today.day ? "今天" : window.atlasHours.dateName(isoDay(d)); }

  function counts(refs, s) {
    var active = refs.filter(function (ref) { return passes(ref, s, "month") && monthDays(rows[+ref]); }).length;
    monthLabel.textContent = "本月有活动（" + active + "）";
    FACETS.forEach(function (f) {
      var tally = {};
      var options = f.options();
      refs.forEach(function (ref) {
        if (!passes(ref, s, f.name)) return;
        var value = rows[+ref][f.column];
        if (f.mask) options.forEach(function (o, i) { if (value & (1 << i)) tally[o] = (tally[o] || 0) + 1; });
        else tally[options[value]] = (tally[options[value]] || 0) + 1;
      });
      Array.prototype.forEach.call(form[f.name].options, function (option) {
        if (!option.value) return;
        if (!labels[f.name + option.value]) labels[f.name + option.value] = option.textContent;
        option.textContent = labels[f.name + option.value] + "（" + (tally[option.value] || 0) + "）";
      });
    });
  }

  // --- today's hours: the one place that knows how hours are evaluated -----------------------
  // The card's hours table ("h", atlas/hours_table.py), looked up by atlas-hours.js (China's
  // holidays included); {open: true | false | null (unknown), text: what the card says about today}.
  function hoursToday(card, now) {
    if (card.st === "temporarily_closed") return { open: false, text: "暂停开放" };
    var status = window.atlasHours.status(card.h, now);
    if (!status) return { open: null, text: card.oh ? "开放时间：" + card.oh : "开放时间未登记，出行前请先电话咨询" };
    var spans = window.atlasHours.today(card.h, now);
    return { open: status.open, text: (spans === "今日不开放" ? "今天不开放" : "今天 " + spans) + " · " + (status.open ? "正在开放" : "现在未开放") };
  }

  function fillHours(slot, c) {
    var today = hoursToday(c, new Date());
    slot.textContent = today.text;
    slot.className = "atlas-card-hours" + (today.open === true ? " is-open" : today.open === false ? " is-closed" : "");
  }

  // --- 离我最近: the phone's WGS-84 position against the cards' WGS-84 points ------------------
  function loadPoints() {
    if (!points) points = fetch(window.atlasSearch.base + "search/points.json").then(function (r) { return r.json(); });
    return points;
  }

  function locate() {
    return new Promise(function (resolve) {
      if (here) { resolve(here); return; }
      if (!navigator.geolocation) { nearStatus.textContent = "此浏览器不能获取位置，已按相关度排序"; resolve(null); return; }
      nearStatus.textContent = "正在获取位置…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        here = [pos.coords.latitude, pos.coords.longitude]; // never sent anywhere
        nearStatus.textContent = "";
        resolve(here);
      }, function () {
        nearStatus.textContent = "没有获得位置权限，已按相关度排序";
        resolve(null);
      }, { timeout: 10000, maximumAge: 60000 });
    });
  }

  function distanceTo(ref, list) {
    var point = list[+ref];
    return point ? window.atlasCoords.distance(here, point) : Infinity;
  }

  // Relevance is the search's own order; name and distance keep it for ties. Places without
  // coordinates stay in the list, after the others.
  function sorted(refs, s) {
    var order = {};
    refs.forEach(function (ref, i) { order[ref] = i; });
    if (s.sort === "name") {
      return Promise.resolve(refs.slice().sort(function (a, b) { return rows[+a][NAME_RANK] - rows[+b][NAME_RANK] || order[a] - order[b]; }));
    }
    if (s.sort !== "near") return Promise.resolve(refs);
    return locate().then(function (position) {
      if (!position) { form.sort.value = ""; history.replaceState(history.state, "", toUrl(state())); return refs; }
      return loadPoints().then(function (list) {
        var metres = {};
        refs.forEach(function (ref) { metres[ref] = distanceTo(ref, list); });
        var out = refs.slice().sort(function (a, b) { return metres[a] - metres[b] || order[a] - order[b]; });
        var missing = out.filter(function (ref) { return metres[ref] === Infinity; }).length;
        nearStatus.textContent = "已按距离排序" + (missing ? "；" + missing + " 处还没有坐标，排在最后" : "");
        return out;
      });
    });
  }

  function card(c, ref) {
    var item = el("li", "atlas-card-item");
    item.dataset.resourceId = c.id;
    var link = el("a", "atlas-card-name", c.n);
    link.href = root + "r/" + encodeURIComponent(c.id) + "/";
    item.appendChild(link);
    var category = m.categories.filter(function (k) { return k.code === c.c; })[0];
    item.appendChild(el("span", "atlas-card-meta", (category ? category.label : c.c) + " · " + c.s + (c.f ? " · " + FEES[c.f] : "")));
    item.appendChild(el("span", "atlas-card-address", c.a));
    var hours = el("span", "atlas-card-hours");
    fillHours(hours, c);
    item.appendChild(hours);
    var month = monthDays(rows[+ref]);
    if (month) {
      var programs = el("a", "atlas-card-programs", "本月还有 " + month.days.length + " 个活动日 · 下次 ");
      var next = el("time", "", dayName(month.days[0]));
      next.dateTime = isoDay(month.days[0]);
      programs.appendChild(next);
      if (month.example) programs.appendChild(document.createTextNode("（示例）"));
      programs.href = root + "r/" + encodeURIComponent(c.id) + "/#atlas-programs-heading";
      item.appendChild(programs);
    }
    var actions = el("span", "atlas-card-actions");
    var call = el("a", "atlas-button", c.t ? "拨打 " + c.pd : "拨打 12345 咨询");
    call.href = c.t || "tel:12345";
    actions.appendChild(call);
    var nav = el("a", "atlas-button", "导航");
    nav.href = c.p ? window.atlasLinks.route(c.p[0], c.p[1], "wgs84", c.n) : c.nav;
    nav.rel = "noopener";
    actions.appendChild(nav);
    if (here && points) {
      var distance = el("span", "atlas-distance");
      points.then(function (list) {
        var metres = distanceTo(ref, list);
        distance.textContent = metres === Infinity ? "暂无坐标" : window.atlasCoords.label(metres);
      });
      actions.appendChild(distance);
    }
    var add = el("button", "atlas-button", "加入路线");  // atlas.js handles [data-atlas-add-stop]
    add.type = "button";
    add.dataset.atlasAddStop = c.id;
    actions.appendChild(add);
    item.appendChild(actions);
    return item;
  }

  function append(count) {
    var next = shown.slice(results.children.length, results.children.length + count);
    return window.atlasSearch.cards(next).then(function (list) {
      list.forEach(function (c, i) { results.appendChild(card(c, next[i])); });
      more.hidden = results.children.length >= shown.length;
      if (settled) remember();
    });
  }

  // ``saved``: {shown, y} from history.state, when coming Back to a list that was scrolled.
  function show(push, saved) {
    var s = state();
    today = beijingToday();
    current = toUrl(s);
    if (push) history.pushState(null, "", current);
    var mine = ++run;
    settled = false;
    results.setAttribute("aria-busy", "true");
    Promise.all([window.atlasSearch.search(s.q), window.atlasSearch.facets(), window.atlasSearch.load()]).then(function (got) {
      m = got[2];
      rows = got[1];
      var refs = got[0];
      partial = !!refs.partial;
      var kept = refs.filter(function (ref) { return passes(ref, s); });
      if (!s.open) return [refs, kept];
      return window.atlasSearch.cards(kept).then(function (list) {
        return [refs, kept.filter(function (ref, i) { return hoursToday(list[i], new Date()).open === true; })];
      });
    }).then(function (got) {
      return sorted(got[1], s).then(function (order) { return [got[0], order]; });
    }).then(function (got) {
      if (mine !== run) return;
      counts(got[0], s);
      shown = got[1];
      results.textContent = "";
      return append(Math.max(PAGE, saved && saved.shown || 0)).then(function () {
        if (mine !== run) return;
        var found = shown.length + " 处" + (s.month ? monthName() + "还有活动的场所" : "");
        summary.textContent = (s.q ? "“" + s.q + "”：" : "") + (partial && shown.length ? PARTIAL + "（" + found + "）" : "找到 " + found);
        empty.hidden = shown.length > 0;
        emptyMonth.hidden = !s.month;
        if (s.month) {
          emptyMonth.firstChild.textContent = monthName() + "剩下的日子里，没有符合条件的场所登记了活动。";
          emptyMonth.querySelector(".atlas-month-off").href = toUrl(Object.assign({}, s, { month: false }));
        }
        results.setAttribute("aria-busy", "false");
        page.classList.add("atlas-ready"); // the list no longer needs its reserved height
        if (saved && saved.y) window.scrollTo(0, saved.y);
        settled = true;
      });
    });
  }

  // Back from a result (or a reload): the list comes back as long as it was and where it was
  // scrolled to. Kept in history.state as it changes: a reload does not wait for pagehide.
  function remember() {
    if (settled) history.replaceState({ shown: results.children.length, y: window.scrollY }, "", current);
  }

  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  form.addEventListener("submit", function (event) { event.preventDefault(); show(true); });
  form.addEventListener("change", function (event) { if (event.target !== form.q) show(true); });
  more.addEventListener("click", function () { append(PAGE); });
  emptyMonth.querySelector(".atlas-month-off").addEventListener("click", function (event) {
    event.preventDefault();
    form.month.checked = false;
    show(true);
  });
  nearButton.addEventListener("click", function () { form.sort.value = "near"; show(true); });
  results.addEventListener("click", function (event) { if (event.target.closest("a")) remember(); });
  window.addEventListener("pagehide", remember);
  window.addEventListener("scroll", function () { clearTimeout(scrolling); scrolling = setTimeout(remember, 150); }, { passive: true });
  window.addEventListener("popstate", function (event) { fromUrl(); show(false, event.state); });
  fromUrl();
  show(false, history.state);
  // q goes back into the address once Material has read it (its search mounts on DOMContentLoaded).
  function restoreAddress() { setTimeout(function () { history.replaceState(history.state, "", current); }, 0); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restoreAddress);
  else restoreAddress();
})();
