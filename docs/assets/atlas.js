/* 九龙坡区协同育人资源图谱: small progressive enhancements. Every page works without it. */
// WGS-84 -> GCJ-02/BD-09 for the phone's position (the same formulas as atlas/coords.py), and
// the one distance (great circle) and distance label every page uses: map, holiday, finder.
window.atlasCoords = (function () {
  var A = 6378245.0, EE = 0.00669342162296594323, PI = Math.PI;
  function delta(lat, lon) {
    var x = lon - 105.0, y = lat - 35.0;
    var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    dLat += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    dLat += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
    dLat += (160.0 * Math.sin(y / 12.0 * PI) + 320 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
    var dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    dLon += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
    dLon += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
    dLon += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
    var rad = lat / 180.0 * PI, magic = 1 - EE * Math.pow(Math.sin(rad), 2), sqrtMagic = Math.sqrt(magic);
    return [(dLat * 180.0) / ((A * (1 - EE)) / (magic * sqrtMagic) * PI), (dLon * 180.0) / (A / sqrtMagic * Math.cos(rad) * PI)];
  }
  function toGcj02(lat, lon) {
    if (!(lat >= 0.8293 && lat <= 55.8271 && lon >= 72.004 && lon <= 137.8347)) return [lat, lon];
    var d = delta(lat, lon);
    return [lat + d[0], lon + d[1]];
  }
  function toBd09(lat, lon) {
    var g = toGcj02(lat, lon), x = g[1], y = g[0], k = PI * 3000.0 / 180.0;
    var z = Math.sqrt(x * x + y * y) + 0.00002 * Math.sin(y * k), theta = Math.atan2(y, x) + 0.000003 * Math.cos(x * k);
    return [z * Math.sin(theta) + 0.006, z * Math.cos(theta) + 0.0065];
  }
  function fromWgs84(lat, lon, datum) {
    return datum === "gcj02" ? toGcj02(lat, lon) : datum === "bd09" ? toBd09(lat, lon) : [lat, lon];
  }
  function distance(a, b) {
    var r = PI / 180, dLat = (b[0] - a[0]) * r, dLon = (b[1] - a[1]) * r;
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a[0] * r) * Math.cos(b[0] * r) * Math.pow(Math.sin(dLon / 2), 2);
    return 12742017.6 * Math.asin(Math.sqrt(h));
  }
  // The exact inverses, as atlas/coords.py computes them: GCJ-02 has no closed form, so the
  // guess is refined until it maps onto the input (the one-step inverse is 1-2 m off).
  function fromGcj02(lat, lon) {
    if (!(lat >= 0.8293 && lat <= 55.8271 && lon >= 72.004 && lon <= 137.8347)) return [lat, lon];
    var guess = [lat, lon];
    for (var i = 0; i < 30; i++) {
      var got = toGcj02(guess[0], guess[1]);
      guess = [guess[0] - (got[0] - lat), guess[1] - (got[1] - lon)];
      if (distance(got, [lat, lon]) < 0.01) break;
    }
    return guess;
  }
  function fromBd09(lat, lon) {
    var x = lon - 0.0065, y = lat - 0.006, k = PI * 3000.0 / 180.0;
    var z = Math.sqrt(x * x + y * y) - 0.00002 * Math.sin(y * k), theta = Math.atan2(y, x) - 0.000003 * Math.cos(x * k);
    return fromGcj02(z * Math.sin(theta), z * Math.cos(theta));
  }
  function toWgs84(lat, lon, datum) {
    return datum === "gcj02" ? fromGcj02(lat, lon) : datum === "bd09" ? fromBd09(lat, lon) : [lat, lon];
  }
  function label(metres) { return metres < 1000 ? Math.round(metres) + " 米" : (metres / 1000).toFixed(1) + " 公里"; }
  return { fromWgs84: fromWgs84, toWgs84: toWgs84, distance: distance, label: label };
})();

// The 高德 route link of atlas/links.py, for cards built in the browser: to=lon,lat,name in
// GCJ-02 (高德's navigation URI documents no datum flag); an empty from is the phone's position.
window.atlasLinks = (function () {
  var WIDE = { ";": "；", ":": "：", "|": "｜", ",": "，", "(": "（", ")": "）" };
  function field(text) { return encodeURIComponent(text.replace(/[;:|,()]/g, function (c) { return WIDE[c]; })); }
  function route(lat, lon, datum, name) {
    var g = datum === "gcj02" ? [lat, lon] : window.atlasCoords.fromWgs84(lat, lon, "gcj02");
    return "https://uri.amap.com/navigation?to=" + g[1].toFixed(6) + "," + g[0].toFixed(6) + "," + field(name) + "&mode=car&src=jlp-atlas&callnative=1";
  }
  return { route: route };
})();

// Today's hours in a list item or popup: open or not now, and today's times, looked up in the
// resource's hours table (atlas-hours.js; null when the table is empty). The one function the
// cards, map popups and nearest lists use.
window.atlasToday = function (table, date) {
  var s = window.atlasHours.status(table, date), today = window.atlasHours.today(table, date);
  if (!s) return null;
  return (s.open ? "正在开放" : "未开放") + " · " + (/^\d/.test(today) ? "今天 " + today : today);
};

// A site script fetched when first needed, once per page: the search box, the finder and the
// planner load theirs through this. One that failed to download is fetched again next time.
window.atlasScript = (function () {
  var loading = {};
  return function (src) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        var js = document.createElement("script");
        js.src = src;
        js.onload = resolve;
        js.onerror = function () { delete loading[src]; reject(new Error(src + " did not load")); };
        document.head.appendChild(js);
      });
    }
    return loading[src];
  };
})();

// 离我最近 on every page that has it: the phone's position (never sent anywhere) or, when the
// phone gives none, the seat of a street/town the reader picks (选择镇街) — never a dead end.
window.atlasNearby = (function () {
  function locate(status, seats, done) {
    var picker = status.parentNode.querySelector(".atlas-seat-picker");
    if (picker) picker.remove();
    function offerStreets(reason) {
      status.textContent = reason + "可以选择你所在的镇街，按离镇街中心的距离排列：";
      if (!seats || !seats.length) return;
      var label = document.createElement("label");
      label.className = "atlas-seat-picker";
      var select = document.createElement("select");
      select.name = "seat";
      select.appendChild(new Option("选择镇街", ""));
      seats.forEach(function (s) { select.appendChild(new Option(s[0], s[0])); });
      label.appendChild(document.createTextNode("镇街 "));
      label.appendChild(select);
      status.parentNode.insertBefore(label, status.nextSibling);
      select.addEventListener("change", function () {
        var seat = seats.filter(function (s) { return s[0] === select.value; })[0];
        if (seat) done([seat[1], seat[2]], seat[0] + "中心");
      });
    }
    if (!navigator.geolocation) { offerStreets("此浏览器不能获取位置。"); return; }
    status.textContent = "正在获取位置…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      done([pos.coords.latitude, pos.coords.longitude], "你");
    }, function (error) {
      offerStreets(error && error.code === 1 ? "没有获得位置权限。" : "暂时无法获取你的位置。");
    }, { timeout: 10000, maximumAge: 60000 });
  }
  // Bring a list that just appeared into view, below the sticky header.
  function show(node) {
    if (node && node.scrollIntoView) node.scrollIntoView({ block: "start", behavior: "smooth" });
  }
  return { locate: locate, show: show };
})();

// A list item or popup built in the browser (map lists and popups, the split holiday page's
// nearest list): name, what and where, today's hours, call and a route — like the cards the
// build writes. Every text goes in through textContent, never as HTML.
window.atlasCard = function (info, tag) {
  function el(name, className, text) {
    var node = document.createElement(name);
    node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  var item = el(tag || "li", tag ? "atlas-popup" : "atlas-card-item");
  item.dataset.resourceId = info.id;
  var name = el("a", "atlas-card-name", info.name);
  name.href = info.href;
  item.appendChild(name);
  item.appendChild(el("span", "atlas-card-meta", info.meta));
  if (info.address) item.appendChild(el("span", "atlas-card-address", info.address));
  if (info.extra) item.appendChild(el("span", "atlas-card-extra", info.extra));
  var state = info.hours ? window.atlasHours.status(info.hours) : null;
  if (state) item.appendChild(el("span", "atlas-card-hours atlas-open-status " + (state.open ? "is-open" : "is-closed"), window.atlasToday(info.hours)));
  var actions = el("span", "atlas-card-actions");
  var call = el("a", "atlas-button" + (info.tel ? " atlas-call" : ""), info.tel ? "拨打 " + info.phone : "咨询 12345");
  call.href = info.tel || "tel:12345";
  actions.appendChild(call);
  var nav = el("a", "atlas-button", "导航");
  nav.href = info.nav;
  nav.rel = "noopener";
  actions.appendChild(nav);
  if (info.distance !== undefined) actions.appendChild(el("span", "atlas-distance", window.atlasCoords.label(info.distance)));
  item.appendChild(actions);
  return item;
};

(function () {
  "use strict";
  var DAY = 86400000;
  var base = (document.currentScript && document.currentScript.src.replace(/assets\/atlas\.js.*$/, "")) || "/";

  function today() { var d = new Date(); return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()); }
  function ageInDays(iso) { var p = iso.split("-"); return (today() - Date.UTC(+p[0], p[1] - 1, +p[2])) / DAY; }

  // 信息待核实: judged against today's date in the browser, so a static build never goes stale.
  function freshness() {
    document.querySelectorAll(".atlas-unverified[data-verified]").forEach(function (el) {
      if (ageInDays(el.dataset.verified) > +el.dataset.staleDays) el.hidden = false;
    });
    var page = document.querySelector(".atlas-freshness-page");
    if (!page) return;
    var limit = +page.dataset.staleDays;
    page.querySelectorAll(".atlas-stale-count[data-dates]").forEach(function (cell) {
      var dates = cell.dataset.dates.split(" ").filter(Boolean);
      cell.textContent = String(dates.filter(function (d) { return ageInDays(d) > limit; }).length);
    });
  }

  function copyText(text, button, done) {
    var ok = function () { var old = button.textContent; button.textContent = done; setTimeout(function () { button.textContent = old; }, 2000); };
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(ok, function () {});
  }

  function buttons() {
    document.querySelectorAll(".atlas-copy[data-copy-target]").forEach(function (button) {
      button.addEventListener("click", function () {
        copyText(document.getElementById(button.dataset.copyTarget).textContent, button, "已复制");
      });
    });
    document.querySelectorAll(".atlas-share").forEach(function (button) {
      button.addEventListener("click", function () {
        var data = { title: button.dataset.title, url: location.href };
        if (navigator.share) navigator.share(data).catch(function () {});
        else copyText(location.href, button, "链接已复制");
      });
    });
  }

  // Open now / opens at on a resource page, and today's hours in list items: lookups in the
  // hours table the build made (atlas-hours.js), through one small function each.
  function openStatus() {
    document.querySelectorAll(".atlas-open-status[data-hours]").forEach(function (slot) {
      var text = slot.dataset.today ? window.atlasToday(slot.dataset.hours) : window.atlasHours.say(slot.dataset.hours);
      var s = window.atlasHours.status(slot.dataset.hours);
      if (!s || !text) return;
      slot.classList.add(s.open ? "is-open" : "is-closed");
      slot.textContent = text;
    });
  }

  // 离我最近: by distance from the phone's position or a chosen street/town's seat. The
  // one-page holiday page sorts each of its sections (托管点 stay first) and can go back to
  // the street order; a split one (button[data-sites]) fetches every site's point on the
  // first tap and lists the nearest, PAGE at a time.
  var PAGE = 20;

  function nearest() {
    var button = document.querySelector(".atlas-nearest");
    if (!button) return;
    var status = document.querySelector(".atlas-nearest-status");
    var seats = button.dataset.seats ? JSON.parse(button.dataset.seats) : [];
    var back = document.querySelector(".atlas-street-order");
    if (back) back.addEventListener("click", function () { streetOrder(status); });
    button.addEventListener("click", function () {
      var sites = button.dataset.sites ? fetch(button.dataset.sites).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }) : null;
      if (sites) sites.catch(function () {});  // handled below; the position may never come
      window.atlasNearby.locate(status, seats, function (here, who) {
        if (!sites) { sortCards(here, who, status); return; }
        status.textContent = "正在计算距离…";
        sites.then(function (data) { listNearest(data, here, who, button.dataset.street || "", status); },
                   function () { status.textContent = "没有取到托管点列表，请稍后再试"; });
      });
    });
  }

  function showDistance(label, metres) {
    label.hidden = false;
    label.textContent = window.atlasCoords.label(metres);
  }

  // Each section's cards in one list by distance (street headings hidden); cards without a
  // point keep their place at the end. streetOrder() puts every card back where it was.
  function sortCards(here, who, status) {
    streetOrder(status);
    var root = document.querySelector(".atlas-browse");
    var sections = root.querySelectorAll(".atlas-holiday-section");
    (sections.length ? Array.prototype.slice.call(sections) : [root]).forEach(function (section) {
      var items = Array.prototype.slice.call(section.querySelectorAll(".atlas-card-item"));
      if (!items.length) return;
      items.forEach(function (li, i) {
        li.home = li.parentNode;
        li.order = i;
        li.distance = li.dataset.lat ? window.atlasCoords.distance(here, [+li.dataset.lat, +li.dataset.lon]) : Infinity;
        if (li.dataset.lat) showDistance(li.querySelector(".atlas-distance"), li.distance);
      });
      items.sort(function (a, b) { return a.distance - b.distance || a.order - b.order; });
      var list = document.createElement("ul");
      list.className = "atlas-cards atlas-sorted";
      items.forEach(function (li) { list.appendChild(li); });
      section.querySelectorAll(".atlas-street-group").forEach(function (group) { group.hidden = true; });
      var firstList = section.querySelector("ul.atlas-cards");
      if (section === root && firstList) firstList.parentNode.insertBefore(list, firstList);
      else section.appendChild(list);
    });
    var order = root.querySelector(".atlas-holiday-order");
    if (order) order.textContent = "按离" + who + "的距离排列：公益假期托管点在前，其后是假期开放的场馆。";
    var back = root.querySelector(".atlas-holiday-back");
    status.textContent = "已按离" + who + "的距离排列";
    if (back) {
      back.hidden = false;
      back.querySelector(".atlas-holiday-sorted").textContent = status.textContent + "，托管点在前。";
    }
    filter();
    window.atlasNearby.show(back || root.querySelector(".atlas-sorted"));
  }

  function streetOrder(status) {
    var root = document.querySelector(".atlas-browse");
    if (!root || !root.querySelector(".atlas-sorted")) return;
    root.querySelectorAll(".atlas-sorted").forEach(function (list) {
      Array.prototype.slice.call(list.children).sort(function (a, b) { return a.order - b.order; })
        .forEach(function (li) { li.home.appendChild(li); li.querySelector(".atlas-distance").hidden = true; });
      list.remove();
    });
    root.querySelectorAll(".atlas-street-group").forEach(function (group) { group.hidden = false; });
    var order = root.querySelector(".atlas-holiday-order");
    if (order) order.textContent = order.dataset.streetOrder;
    var back = root.querySelector(".atlas-holiday-back");
    if (back) back.hidden = true;
    status.textContent = "";
    filter();
  }

  // The holiday filters: services (any of those ticked) and 只看托管; counts follow.
  function filter() {
    var form = document.querySelector(".atlas-holiday-filters");
    if (!form) return;
    var wanted = Array.prototype.slice.call(form.querySelectorAll("input[name=service]:checked")).map(function (box) { return box.value; });
    var careOnly = form.querySelector("input[name=care]").checked;
    document.querySelectorAll(".atlas-holiday-section").forEach(function (section) {
      var shown = 0;
      section.hidden = careOnly && section.id !== "care";
      section.querySelectorAll(".atlas-card-item").forEach(function (li) {
        var services = (li.dataset.services || "").split(" ");
        li.hidden = wanted.length > 0 && !wanted.some(function (w) { return services.indexOf(w) >= 0; });
        if (!li.hidden) shown++;
      });
      section.querySelectorAll(".atlas-street-group").forEach(function (group) {
        if (!group.querySelector("ul.atlas-cards")) return;
        group.classList.toggle("atlas-empty", !group.querySelector(".atlas-card-item:not([hidden])"));
      });
      var count = document.querySelector("[data-count='" + section.id + "']");
      if (count) count.textContent = section.hidden ? "0" : String(shown);
    });
  }

  function filters() {
    var form = document.querySelector(".atlas-holiday-filters");
    if (form) form.addEventListener("change", filter);
  }

  // sites.json rows: [id, name, street index, 1 if a 公益假期托管点, holiday services, lat, lon,
  // tel: link, phone, index of the hours table in data.hours or -1] in WGS-84; 托管点 first, each by distance. Every text
  // goes in through textContent, never as HTML.
  function listNearest(data, here, who, street, status) {
    var rows = data.sites.filter(function (row) { return !street || data.streets[row[2]] === street; });
    rows.forEach(function (row) { row.distance = window.atlasCoords.distance(here, [row[5], row[6]]); });
    rows.sort(function (a, b) { return b[3] - a[3] || a.distance - b.distance; });
    var list = document.querySelector(".atlas-nearest-list");
    var more = document.querySelector(".atlas-nearest-more");
    var shown = 0;
    list.textContent = "";
    list.hidden = false;
    function page() {
      rows.slice(shown, shown + PAGE).forEach(function (row) {
        list.appendChild(window.atlasCard({
          id: row[0], name: row[1], href: base + "r/" + encodeURIComponent(row[0]) + "/",
          meta: [row[3] ? "公益假期托管点" : "假期开放的场馆", data.streets[row[2]]].join(" · "), extra: row[4],
          tel: row[7], phone: row[8], hours: data.hours[row[9]], nav: window.atlasLinks.route(row[5], row[6], "wgs84", row[1]), distance: row.distance,
        }));
      });
      shown = Math.min(rows.length, shown + PAGE);
      more.hidden = shown >= rows.length;
      status.textContent = "离" + who + "最近的 " + shown + " 处，托管点在前（共 " + rows.length + " 处有坐标）";
    }
    more.onclick = page;
    page();
    window.atlasNearby.show(list);
  }

  freshness();
  buttons();
  nearest();
  filters();
  if (document.readyState === "complete") openStatus();
  else window.addEventListener("load", openStatus);
})();

/* /map/, /routes/ and the coordinate picker: Leaflet and the maps' own scripts load once the page has painted, so a
   slow phone shows the filters, notes and stops at once instead of after ~200 KB of map code
   has run (the routes page's LCP waited for it). */
(function () {
  "use strict";
  var page = document.querySelector("[data-scripts]");
  if (!page) return;
  function load() {
    page.dataset.styles.split(" ").forEach(function (href) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = href;
      document.head.appendChild(css);
    });
    page.dataset.scripts.split(" ").forEach(function (src) {
      var js = document.createElement("script");
      js.src = src;
      js.async = false;  // in order: Leaflet, its controls in Chinese, (cluster plugin,) the folium maps, atlas-map.js
      document.body.appendChild(js);
    });
  }
  function afterPaint() { requestAnimationFrame(function () { setTimeout(load, 0); }); }
  if (document.readyState === "complete") afterPaint();
  else window.addEventListener("load", afterPaint);
})();

/* Mini-map on resource pages: nothing map-related loads until the map scrolls into view. */
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".atlas-minimap[data-basemap]");
  if (!boxes.length || !("IntersectionObserver" in window)) return;
  var base = document.currentScript.src.replace(/assets\/atlas\.js.*$/, "");
  var leaflet;

  function loadLeaflet() {
    if (leaflet) return leaflet;
    leaflet = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = base + "assets/vendor/leaflet/leaflet.css";
      document.head.appendChild(css);
      ["assets/vendor/leaflet/leaflet.js", "assets/atlas-leaflet.js"].forEach(function (src, i) {
        var js = document.createElement("script");
        js.src = base + src;
        js.async = false;  // in order: Leaflet, then its controls in Chinese
        if (i) { js.onload = resolve; }
        js.onerror = reject;
        document.head.appendChild(js);
      });
    });
    return leaflet;
  }

  function draw(box) {
    var tiles = JSON.parse(box.dataset.basemap);
    var point = [+box.dataset.lat, +box.dataset.lon];
    box.textContent = "";
    var map = L.map(box, { scrollWheelZoom: false, dragging: !L.Browser.mobile, tap: false }).setView(point, 16);
    var options = { attribution: tiles.attribution, maxZoom: tiles.maxZoom };
    if (tiles.subdomains) options.subdomains = tiles.subdomains;
    L.tileLayer(tiles.url, options).addTo(map);
    if (tiles.overlay) L.tileLayer(tiles.overlay, options).addTo(map);
    var pin = document.createElement("span");
    pin.className = "atlas-pin";
    L.marker(point, { icon: L.divIcon({ className: "atlas-pin-icon", html: pin.outerHTML, iconSize: [18, 18], iconAnchor: [9, 9] }), title: box.dataset.name }).addTo(map);
    box.dataset.ready = "true";
  }

  var observer = new IntersectionObserver(function (seen) {
    seen.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      observer.unobserve(entry.target);
      loadLeaflet().then(function () { draw(entry.target); });
    });
  }, { rootMargin: "200px" });
  boxes.forEach(function (box) { observer.observe(box); });
})();

/* 加入路线 on resource pages and finder cards: one delegated handler for any
   [data-atlas-add-stop] button; the planner (/routes/plan/) reads the plan it keeps. */
(function () {
  "use strict";
  var base = (document.currentScript && document.currentScript.src.replace(/assets\/atlas\.js.*$/, "")) || "/";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-atlas-add-stop]");
    if (!button) return;
    var id = button.dataset.atlasAddStop, plan;
    try { plan = new URLSearchParams(localStorage.getItem("atlas-plan") || ""); } catch (e) { plan = new URLSearchParams(); }
    var ids = (plan.get("stops") || "").split(",").filter(Boolean);
    if (ids.indexOf(id) < 0) {
      ids.push(id);
      if (plan.get("minutes") !== null) plan.set("minutes", plan.get("minutes") + ",");
    }
    plan.set("stops", ids.join(","));
    try { localStorage.setItem("atlas-plan", "?" + plan.toString().replace(/%2C/g, ",").replace(/%3A/g, ":")); } catch (e) { /* private mode */ }
    button.textContent = "已加入路线（共 " + ids.length + " 站）";
    var link = button.parentNode.querySelector(".atlas-plan-link");
    if (!link) {
      link = document.createElement("a");
      link.className = "atlas-button atlas-plan-link";
      link.textContent = "查看路线";
      button.parentNode.insertBefore(link, button.nextSibling);
    }
    link.href = base + "routes/plan/?" + plan.toString().replace(/%2C/g, ",").replace(/%3A/g, ":");
  });
})();
