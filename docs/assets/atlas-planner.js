/* 研学 routes in the browser: the numbered map, print and .ics of a curated route page
   (/routes/<id>/, whose timeline the build computed), and the planner (/routes/plan/), whose
   timeline atlas-timeline.js computes with the same arithmetic. The plan lives in the URL
   (?stops=a,b&minutes=90,&start=08:30&size=45&date=2026-12-08&origin=…) and in localStorage. */
(function () {
  "use strict";
  var T = window.atlasTimeline, STORE = "atlas-plan";
  var script = document.currentScript, root = script.src.replace(/assets\/atlas-planner\.js.*$/, "");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function km(metres) { return metres < 1000 ? Math.round(metres) + " 米" : (metres / 1000).toFixed(1) + " 公里"; }
  function duration(m) { var h = Math.floor(m / 60), r = m % 60; return (h ? h + " 小时" : "") + (h && r ? " " : "") + (r || !h ? r + " 分钟" : ""); }

  // --- the map: Leaflet after first paint, numbered stops joined in order ------------------------
  // Site files loaded once, when first needed: a script (window.atlasScript) and its stylesheet.
  var styled = {};
  function load(script, style) {
    if (style && !styled[style]) {
      styled[style] = true;
      var css = el("link");
      css.rel = "stylesheet";
      css.href = root + style;
      document.head.appendChild(css);
    }
    return window.atlasScript(root + script);
  }
  // Leaflet, then its controls in Chinese (atlas-leaflet.js), as on every map of the site.
  function loadLeaflet() {
    return load("assets/vendor/leaflet/leaflet.js", "assets/vendor/leaflet/leaflet.css").then(function () { return load("assets/atlas-leaflet.js"); });
  }
  function loadQr() { return load("assets/vendor/qrcode-generator/qrcode.js"); }
  // The printed plan's way back: a QR code of the plan's own link (drawn here, nothing sent anywhere).
  function drawQr(figure, url) {
    loadQr().then(function () {
      var code = window.qrcode(0, "M");
      code.addData(url);
      code.make();
      var svg = new DOMParser().parseFromString(code.createSvgTag({ cellSize: 3, margin: 2, scalable: true }), "image/svg+xml").documentElement;
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", "本行程的二维码");
      var slot = figure.querySelector(".atlas-plan-qr");
      slot.replaceChildren(document.importNode(svg, true));
      figure.querySelector("figcaption").textContent = "扫码打开本行程：" + url;
      figure.dataset.url = url;
    });
  }
  function afterPaint(fn) {
    var go = function () { requestAnimationFrame(function () { setTimeout(fn, 0); }); };
    if (document.readyState === "complete") go(); else window.addEventListener("load", go);
  }

  // stops: [[number, lat, lon, name]] in WGS-84; origin: [lat, lon] or null.
  function RouteMap(box, basemap, onPick) {
    var map, layer, self = this;
    this.picking = false;
    this.draw = function (stops, origin) {
      return loadLeaflet().then(function () {
        if (!map) {
          box.textContent = "";
          map = L.map(box, { scrollWheelZoom: false, dragging: !L.Browser.mobile, tap: false }).setView([29.5, 106.5], 11);
          var options = { attribution: basemap.attribution, maxZoom: basemap.maxZoom };
          if (basemap.subdomains) options.subdomains = basemap.subdomains;
          L.tileLayer(basemap.url, options).addTo(map);
          if (basemap.overlay) L.tileLayer(basemap.overlay, options).addTo(map);
          map.on("click", function (e) {
            if (!self.picking) return;
            self.picking = false;
            box.classList.remove("atlas-picking");
            onPick(window.atlasCoords.toWgs84(e.latlng.lat, e.latlng.lng, basemap.datum));
          });
        }
        if (layer) layer.remove();
        layer = L.layerGroup().addTo(map);
        var line = [];
        function project(p) { return window.atlasCoords.fromWgs84(p[0], p[1], basemap.datum); }
        if (origin) {
          L.marker(project(origin), { icon: L.divIcon({ className: "atlas-stop", html: '<span class="atlas-stop-number atlas-origin">起</span>', iconSize: [28, 28], iconAnchor: [14, 14] }), title: "出发地" }).addTo(layer);
        }
        stops.forEach(function (s) {
          var point = project([s[1], s[2]]), number = el("span", "atlas-stop-number", String(s[0]));
          L.marker(point, { icon: L.divIcon({ className: "atlas-stop", html: number.outerHTML, iconSize: [28, 28], iconAnchor: [14, 14] }), title: s[3] }).addTo(layer);
          line.push(point);
        });
        if (line.length > 1) L.polyline(line, { color: "#b71c1c", weight: 4, opacity: 0.8 }).addTo(layer);
        var all = line.concat(origin ? [project(origin)] : []);
        if (all.length > 1) map.fitBounds(all, { padding: [30, 30] });
        else if (all.length) map.setView(all[0], 14);
        box.dataset.ready = "true";
      });
    };
  }

  // --- .ics: one event per stop, Beijing time (RFC 5545, lines folded at 75 octets) ------------
  function icsText(text) { return String(text).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n"); }
  function fold(line) {
    var out = [], bytes = 0, part = "";
    Array.from(line).forEach(function (ch) {
      var size = new TextEncoder().encode(ch).length;
      if (bytes + size > (out.length ? 74 : 75)) { out.push(part); part = ""; bytes = 0; }
      part += ch;
      bytes += size;
    });
    out.push(part);
    return out.join("\r\n ");
  }
  function stamp(iso, minutes) { return iso.replace(/-/g, "") + "T" + T.clock(minutes).replace(":", "") + "00"; }
  // events: [{id, name, address, arrive, leave, note}]; uid: what makes the plan itself.
  function ics(events, iso, uid, title, url) {
    var host = location.host || "atlas";
    var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//jlp-atlas//routes//ZH", "CALSCALE:GREGORIAN",
      "BEGIN:VTIMEZONE", "TZID:Asia/Shanghai", "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "TZNAME:CST", "END:STANDARD", "END:VTIMEZONE"];
    events.forEach(function (e, i) {
      lines.push("BEGIN:VEVENT", "UID:" + uid + "-" + iso + "-" + (i + 1) + "-" + e.id + "@" + host,
        "DTSTAMP:" + iso.replace(/-/g, "") + "T000000Z",
        "DTSTART;TZID=Asia/Shanghai:" + stamp(iso, e.arrive), "DTEND;TZID=Asia/Shanghai:" + stamp(iso, e.leave),
        "SUMMARY:" + icsText(title + "｜" + (i + 1) + ". " + e.name));
      if (e.address) lines.push("LOCATION:" + icsText(e.address));
      lines.push("DESCRIPTION:" + icsText((e.note ? e.note + "\n" : "") + url), "END:VEVENT");
    });
    lines.push("END:VCALENDAR");
    return lines.map(fold).join("\r\n") + "\r\n";
  }
  function download(text, name) {
    var a = el("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "text/calendar;charset=utf-8" }));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function nextWeekday() {
    var d = new Date(Date.now() + 8 * 3600000 + 86400000);
    while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d = new Date(d.getTime() + 86400000);
    return d.toISOString().slice(0, 10);
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-atlas-print]")) window.print();
  });

  // --- a curated route page -----------------------------------------------------------------------
  var page = document.querySelector(".atlas-route-page");
  if (page) {
    var mapBox = page.querySelector("[data-route-map]");
    if (mapBox) {
      var drawing = JSON.parse(mapBox.dataset.routeMap);
      afterPaint(function () { new RouteMap(mapBox, drawing.basemap).draw(drawing.stops, null); });
    }
    var dateInput = page.querySelector(".atlas-ics-date");
    dateInput.value = nextWeekday();
    page.querySelector("[data-atlas-ics]").addEventListener("click", function () {
      var events = Array.prototype.map.call(page.querySelectorAll(".atlas-timeline-stop"), function (li) {
        return { id: li.dataset.stopId, name: li.dataset.name, address: li.dataset.address, arrive: +li.dataset.arrive, leave: +li.dataset.leave };
      });
      var title = document.querySelector("h1") ? document.querySelector("h1").textContent.trim() : "研学路线";
      download(ics(events, dateInput.value || nextWeekday(), "route-" + page.dataset.routeId, title, location.href.split("#")[0]), page.dataset.routeId + ".ics");
    });
  }

  var planner = document.querySelector(".atlas-planner");
  if (planner) window.atlasPlanner = { ics: ics };
  if (planner) startPlanner(planner);

  // --- the planner ---------------------------------------------------------------------------------
  function startPlanner(box) {
    var config = JSON.parse(box.dataset.planner), pace = config.pace;
    var form = {
      date: box.querySelector("[name=date]"), start: box.querySelector("[name=start]"),
      size: box.querySelector("[name=size]"), origin: box.querySelector("[name=origin]")
    };
    var list = box.querySelector(".atlas-plan-stops"), message = box.querySelector(".atlas-planner-message");
    var mapBox = box.querySelector(".atlas-plan-map"), map = config.basemap ? new RouteMap(mapBox, config.basemap, pickOrigin) : null;
    var state = { stops: [], start: "08:30", size: "", date: "", origin: "" }, byId = {};

    function fromQuery(query) {
      var p = new URLSearchParams(query), ids = (p.get("stops") || "").split(",").filter(Boolean);
      var minutes = (p.get("minutes") || "").split(",");
      return {
        stops: ids.map(function (id, i) { return { id: id, minutes: +minutes[i] > 0 && +minutes[i] <= 600 ? +minutes[i] : null }; }),
        start: T.parseClock(p.get("start")) !== null ? p.get("start") : "08:30",
        size: /^\d{1,4}$/.test(p.get("size") || "") ? p.get("size") : "",
        date: /^\d{4}-\d{2}-\d{2}$/.test(p.get("date") || "") ? p.get("date") : "",
        origin: p.get("origin") || ""
      };
    }
    function toQuery() {
      var p = new URLSearchParams();
      if (state.stops.length) p.set("stops", state.stops.map(function (s) { return s.id; }).join(","));
      if (state.stops.some(function (s) { return s.minutes; })) p.set("minutes", state.stops.map(function (s) { return s.minutes || ""; }).join(","));
      p.set("start", state.start);
      if (state.size) p.set("size", state.size);
      if (state.date) p.set("date", state.date);
      if (state.origin) p.set("origin", state.origin);
      return "?" + p.toString().replace(/%2C/g, ",").replace(/%3A/g, ":");
    }
    function save() {
      history.replaceState(null, "", toQuery() + location.hash);
      try { localStorage.setItem(STORE, toQuery()); } catch (e) { /* private mode: the URL still holds the plan */ }
    }
    function originPoint() {
      if (!state.origin) return null;
      var xy = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(state.origin);
      if (xy) return [+xy[1], +xy[2]];
      var street = config.streets.filter(function (s) { return s.name === state.origin; })[0];
      return street ? street.seat : null;
    }
    function pickOrigin(point) {
      state.origin = point[0].toFixed(5) + "," + point[1].toFixed(5);
      render();
      say("已把地图上点选的位置设为出发地。");
    }
    function say(text) { message.textContent = text; }

    function stopRows() {
      return state.stops.map(function (s) {
        var facts = byId[s.id];
        var minutes = s.minutes || facts.minutes || 60;
        return { id: s.id, facts: facts, minutes: minutes, origin: s.minutes ? "plan" : facts.minutes ? "resource" : "default" };
      });
    }

    function button(text, label, handler) {
      var b = el("button", "atlas-button atlas-small", text);
      b.type = "button";
      b.setAttribute("aria-label", label);
      b.addEventListener("click", handler);
      return b;
    }
    function move(from, to) {
      if (to < 0 || to >= state.stops.length) return;
      var item = state.stops.splice(from, 1)[0];
      state.stops.splice(to, 0, item);
      render();
      var again = list.children[to] && list.children[to].querySelector(to < from ? "[data-up]" : "[data-down]");
      if (again && !again.disabled) again.focus();
    }

    // Drag by the handle with a finger or a mouse: pointer events, the list reorders as it moves.
    function dragHandle(li, index) {
      var handle = el("span", "atlas-drag", "⠿");
      handle.setAttribute("aria-hidden", "true");
      handle.addEventListener("pointerdown", function (down) {
        down.preventDefault();
        li.classList.add("atlas-dragging");
        // Listened for on the document: moving the item in the list would drop a pointer capture.
        function over(e) {
          var items = Array.prototype.slice.call(list.children);
          var target = items.filter(function (other) { var r = other.getBoundingClientRect(); return other !== li && e.clientY > r.top && e.clientY < r.bottom; })[0];
          if (!target) return;
          var r = target.getBoundingClientRect(), before = e.clientY < r.top + r.height / 2 ? target : target.nextSibling;
          if (before !== li && before !== li.nextSibling) list.insertBefore(li, before);
        }
        function up() {
          document.removeEventListener("pointermove", over);
          document.removeEventListener("pointerup", up);
          document.removeEventListener("pointercancel", up);
          li.classList.remove("atlas-dragging");
          var ids = Array.prototype.map.call(list.children, function (item) { return +item.dataset.index; });
          state.stops = ids.map(function (i) { return state.stops[i]; });
          render();
        }
        document.addEventListener("pointermove", over);
        document.addEventListener("pointerup", up);
        document.addEventListener("pointercancel", up);
      });
      return handle;
    }

    function render() {
      var rows = stopRows(), n = rows.length;
      box.querySelector(".atlas-plan-empty").hidden = n > 0;
      list.textContent = "";
      rows.forEach(function (row, i) {
        var li = el("li", "atlas-plan-stop");
        li.dataset.index = i;
        li.dataset.stopId = row.id;
        li.appendChild(dragHandle(li, i));
        var name = el("a", "atlas-plan-name", (i + 1) + ". " + row.facts.name);
        name.href = root + "r/" + encodeURIComponent(row.id) + "/";
        li.appendChild(name);
        var minutes = el("label", "atlas-plan-minutes", "停留 ");
        var input = el("input");
        input.type = "number"; input.min = 5; input.max = 600; input.step = 5; input.value = row.minutes; input.inputMode = "numeric";
        input.addEventListener("change", function () { state.stops[i].minutes = +input.value > 0 && +input.value <= 600 ? +input.value : null; render(); });
        minutes.appendChild(input);
        minutes.appendChild(document.createTextNode(" 分钟"));
        li.appendChild(minutes);
        var tools = el("span", "atlas-plan-tools");
        var upButton = button("上移", "上移 " + row.facts.name, function () { move(i, i - 1); });
        upButton.dataset.up = ""; upButton.disabled = i === 0;
        var downButton = button("下移", "下移 " + row.facts.name, function () { move(i, i + 1); });
        downButton.dataset.down = ""; downButton.disabled = i === n - 1;
        tools.appendChild(upButton);
        tools.appendChild(downButton);
        tools.appendChild(button("移除", "移除 " + row.facts.name, function () { state.stops.splice(i, 1); render(); }));
        li.appendChild(tools);
        list.appendChild(li);
      });
      form.start.value = state.start; form.size.value = state.size; form.date.value = state.date;
      form.origin.value = config.streets.some(function (s) { return s.name === state.origin; }) ? state.origin : "";
      if (state.origin && !form.origin.value) {
        var picked = el("option", "", "地图上点选的位置"); picked.value = state.origin; form.origin.appendChild(picked); form.origin.value = state.origin;
      }
      var result = n ? T.day(rows.map(function (r) { return [r.facts.point || null, r.minutes]; }), T.parseClock(state.start), pace) : null;
      box.querySelector(".atlas-plan-day").replaceChildren.apply(box.querySelector(".atlas-plan-day"), result ? timelineNodes(rows, result) : []);
      warnings(rows, result);
      checklist(rows);
      drawMap(rows);
      save();
      if (n) afterPaint(function () { drawQr(box.querySelector(".atlas-print-qr"), location.href); });
    }

    function timelineNodes(rows, result) {
      var summary = el("p", "atlas-day-total");
      var road = result.unknownLegs === rows.length - 1 && rows.length > 1 ? "路程未知（站点缺少坐标）" : "路上约 " + km(result.metres) + (result.unknownLegs ? "，另有 " + result.unknownLegs + " 段路程未知（站点缺少坐标）" : "");
      summary.textContent = "全程 " + T.clock(result.start) + "–" + T.clock(result.end) + "，约 " + duration(result.end - result.start) + (result.unknownLegs ? "（未含未知路程）" : "") + (rows.length > 1 ? "；" + road : "");
      var ol = el("ol", "atlas-timeline");
      result.rows.forEach(function (r, i) {
        var row = rows[i], li = el("li", "atlas-timeline-stop");
        li.dataset.stopId = row.id;
        li.appendChild(el("p", "atlas-timeline-time", T.clock(r.arrive) + "–" + T.clock(r.leave) + (r.afterUnknown ? "（未计入前面的未知路程）" : "")));
        var h = el("h3");
        h.appendChild(el("span", "atlas-stop-number", String(i + 1)));
        h.appendChild(document.createTextNode(" " + row.facts.name));
        li.appendChild(h);
        var origin = row.origin === "plan" ? "（自定）" : row.origin === "resource" ? "（场馆建议时长）" : "（场馆未注明，按 60 分钟估算）";
        li.appendChild(el("p", "atlas-card-meta", "开放：" + (row.facts.hours_text || "未核实，出行前请电话确认")));
        li.appendChild(el("p", "atlas-card-meta", row.facts.street + " · 停留 " + row.minutes + " 分钟" + origin + " · 团体：" + (row.facts.capacity ? "每批最多 " + row.facts.capacity + " 人" : "未注明") + " · 费用：" + (row.facts.fee || "未核实")));
        ol.appendChild(li);
        if (r.leg) ol.appendChild(el("li", "atlas-timeline-leg", "路上：" + (r.leg.metres === null ? "路程未知（站点缺少坐标），请自行估算车程" : "约 " + km(r.leg.metres) + "，车程约 " + r.leg.minutes + " 分钟")));
      });
      var note = el("p", "atlas-note", "车程按直线距离 × " + pace.detour + "、大巴时速 " + pace.speed + " 公里估算，向上取整到 5 分钟。");
      return [el("h2", "", "时间安排"), summary, ol, note];
    }

    function warnings(rows, result) {
      var out = box.querySelector(".atlas-plan-warnings"), items = [], size = +state.size;
      rows.forEach(function (row, i) {
        var f = row.facts, label = "第 " + (i + 1) + " 站 " + f.name + "：";
        if (size && f.capacity && size > f.capacity) items.push(label + "每批最多 " + f.capacity + " 人，" + size + " 人需分 " + T.batches(size, f.capacity) + " 批");
        if (f.status === "closed") items.push(label + "已关闭，不再开放");
        else if (f.status === "temporarily_closed") items.push(label + "暂停开放");
        else if (state.date && T.closedOn(f.hours, state.date)) items.push(label + state.date + " 不开放");
        else if (state.date && result && f.hours && !T.openThrough(f.hours, state.date, result.rows[i].arrive, result.rows[i].leave)) {
          items.push(label + T.clock(result.rows[i].arrive) + "–" + T.clock(result.rows[i].leave) + " 不全在开放时间内（当天 " + window.atlasHours.today(f.hours, new Date(state.date + "T12:00:00+08:00")) + "）");
        }
      });
      if (result && result.end > pace.end) items.push("行程约 " + T.clock(result.end) + " 结束，晚于 " + T.clock(pace.end) + "，请减少站点或缩短停留");
      out.textContent = "";
      if (!items.length) return;
      out.appendChild(el("h2", "", "注意"));
      var ul = el("ul");
      items.forEach(function (text) { ul.appendChild(el("li", "", "⚠️ " + text)); });
      out.appendChild(ul);
    }

    function checklist(rows) {
      var out = box.querySelector(".atlas-plan-checklist");
      out.textContent = "";
      if (!rows.length) return;
      out.appendChild(el("h2", "", "预约清单"));
      var table = el("table", "atlas-checklist"), head = el("tr");
      ["站点", "预约方式", "电话", "提前量"].forEach(function (t) { var th = el("th", "", t); th.scope = "col"; head.appendChild(th); });
      table.appendChild(el("thead")).appendChild(head);
      var body = el("tbody");
      rows.forEach(function (row, i) {
        var f = row.facts, tr = el("tr");
        tr.appendChild(el("td", "", (i + 1) + ". " + f.name));
        var how = el("td", "", f.booking || (f.booking_url ? "" : "未核实，请电话咨询"));
        if (f.booking_url) {
          var a = el("a", "", " 在线预约");
          a.href = f.booking_url; a.rel = "noopener nofollow";
          how.appendChild(a);
          how.appendChild(el("span", "atlas-print-only", " " + f.booking_url));
        }
        tr.appendChild(how);
        var phones = el("td");
        if (f.phones) f.phones.forEach(function (p, k) { var a = el("a", "", p.display); a.href = p.href; if (k) phones.appendChild(document.createTextNode("、")); phones.appendChild(a); });
        else { phones.appendChild(document.createTextNode("未核实（可拨 ")); var t = el("a", "", "12345"); t.href = "tel:12345"; phones.appendChild(t); phones.appendChild(document.createTextNode(" 咨询）")); }
        tr.appendChild(phones);
        tr.appendChild(el("td", "", f.lead || "未注明"));
        body.appendChild(tr);
      });
      table.appendChild(body);
      out.appendChild(table);
    }

    function drawMap(rows) {
      if (!map) return;
      var stops = [];
      rows.forEach(function (r, i) { if (r.facts.point) stops.push([i + 1, r.facts.point[0], r.facts.point[1], r.facts.name]); });
      var origin = originPoint();
      mapBox.hidden = !stops.length && !origin && !map.picking;
      if (!mapBox.hidden) map.draw(stops, origin);
    }

    function suggest() {
      var start = originPoint();
      if (!start) { say("先选出发地：选一个镇街，或在地图上点选学校。"); form.origin.focus(); return; }
      var placed = state.stops.filter(function (s) { return byId[s.id].point; }), rest = state.stops.filter(function (s) { return !byId[s.id].point; });
      var tour = T.order(placed.map(function (s) { return byId[s.id].point; }), start);
      state.stops = tour.map(function (i) { return placed[i]; }).concat(rest);
      render();
      say("已按就近顺序排列（最近邻 + 2-opt）" + (rest.length ? "；" + rest.length + " 个站点缺少坐标，排在最后" : "") + "。");
    }

    form.start.addEventListener("change", function () { if (T.parseClock(form.start.value) !== null) state.start = form.start.value; render(); });
    form.size.addEventListener("input", function () { state.size = /^\d{1,4}$/.test(form.size.value) ? form.size.value : ""; render(); });
    form.date.addEventListener("change", function () { state.date = form.date.value; render(); });
    form.origin.addEventListener("change", function () { state.origin = form.origin.value; render(); });
    box.querySelector("[data-plan-order]").addEventListener("click", suggest);
    box.querySelector("[data-plan-pick]").addEventListener("click", function () {
      if (!map) return;
      map.picking = true;
      mapBox.hidden = false;
      mapBox.classList.add("atlas-picking");
      drawMap(stopRows());
      mapBox.scrollIntoView({ block: "center" });
      say("在地图上点一下学校的位置。");
    });
    box.querySelector("[data-plan-clear]").addEventListener("click", function () { state.stops = []; render(); say("已清空站点。"); });
    box.querySelector("[data-atlas-share]").addEventListener("click", function () {
      var url = location.href;
      (navigator.clipboard ? navigator.clipboard.writeText(url) : Promise.reject()).then(function () { say("分享链接已复制。"); }, function () { say("分享链接：" + url); });
    });
    box.querySelector("[data-atlas-ics]").addEventListener("click", function () {
      var rows = stopRows();
      if (!rows.length) { say("还没有站点。"); return; }
      var result = T.day(rows.map(function (r) { return [r.facts.point || null, r.minutes]; }), T.parseClock(state.start), pace);
      var date = state.date || nextWeekday();
      var events = rows.map(function (r, i) { return { id: r.id, name: r.facts.name, address: r.facts.address, arrive: result.rows[i].arrive, leave: result.rows[i].leave }; });
      var uid = "plan-" + rows.map(function (r) { return r.id; }).join("+").slice(0, 120);
      download(ics(events, date, uid, "研学路线", location.href), "研学路线-" + date + ".ics");
      if (!state.date) say("没有选日期，日历按 " + date + " 导出。");
    });

    fetch(box.dataset.stopsUrl).then(function (r) { return r.json(); }).then(function (data) {
      data.stops.forEach(function (r) {
        if (r.hours !== undefined) r.hours = data.tables[r.hours];
        byId[r.id] = r;
      });
      var stored = null;
      try { stored = localStorage.getItem(STORE); } catch (e) { /* private mode */ }
      var query = /[?&]stops=/.test(location.search) ? location.search : stored || location.search;
      var wanted = fromQuery(query);
      var unknown = wanted.stops.filter(function (s) { return !byId[s.id]; }).map(function (s) { return s.id; });
      state = wanted;
      state.stops = wanted.stops.filter(function (s) { return byId[s.id]; });
      var seen = {};
      state.stops = state.stops.filter(function (s) { if (seen[s.id]) return false; seen[s.id] = true; return true; });
      render();
      if (unknown.length) say("链接里有 " + unknown.length + " 个站点在图谱中找不到（编号可能有误或已下线）：" + unknown.join("、") + "。其余站点已载入。");
    }, function () { say("站点数据没有载入，请检查网络后刷新。"); });
  }
})();
