/* /map/: markers from markers.json into the folium-built map; filters, near me, list view.
   Every text from the data goes in through textContent, never as HTML. */
(function () {
  "use strict";
  var page = document.querySelector(".atlas-map-page");
  if (!page) return;
  var map = window[page.dataset.map];
  var cluster = window[page.dataset.cluster];
  var root = page.dataset.root;
  var form = page.querySelector(".atlas-map-filters");
  var status = page.querySelector(".atlas-map-status");
  var list = page.querySelector(".atlas-map-list");
  var data, markers = [];

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function href(id) { return root + "r/" + encodeURIComponent(id) + "/"; }

  function popup(row) {
    var category = data.categories[row[2]];
    var box = el("div", "atlas-popup");
    var link = el("a", "atlas-popup-name", row[1]);
    link.href = href(row[0]);
    box.appendChild(link);
    box.appendChild(el("div", "atlas-popup-meta", category.label + " · " + data.streets[row[3]]));
    box.appendChild(el("div", "atlas-popup-address", row[4]));
    return box;
  }

  function icon(color) {
    var pin = el("span", "atlas-pin");
    pin.style.setProperty("--atlas-c", color);
    return L.divIcon({ className: "atlas-pin-icon", html: pin.outerHTML, iconSize: [18, 18], iconAnchor: [9, 9] });
  }

  function visible() {
    var category = form.category.value, street = form.street.value;
    return markers.filter(function (m) {
      return (!category || data.categories[m.row[2]].code === category) && (!street || data.streets[m.row[3]] === street);
    });
  }

  // fit: after the reader changes a filter, bring what is left into view.
  function render(fit) {
    var shown = visible();
    cluster.clearLayers();
    cluster.addLayers(shown.map(function (m) { return m.marker; }));
    if (fit === true && shown.length) map.fitBounds(cluster.getBounds(), { maxZoom: 15, padding: [24, 24] });
    status.textContent = "地图上显示 " + shown.length + " 处";
    if (!list.hidden) fillList(shown);
    var params = new URLSearchParams();
    if (form.category.value) params.set("category", form.category.value);
    if (form.street.value) params.set("street", form.street.value);
    history.replaceState(null, "", params.toString() ? "?" + params : location.pathname);
  }

  function card(m) {
    var item = el("li", "atlas-card-item");
    item.dataset.resourceId = m.row[0];
    var link = el("a", "atlas-card-name", m.row[1]);
    link.href = href(m.row[0]);
    item.appendChild(link);
    item.appendChild(el("span", "atlas-card-meta", data.categories[m.row[2]].label + " · " + data.streets[m.row[3]]));
    item.appendChild(el("span", "atlas-card-address", m.row[4]));
    if (m.distance !== undefined) item.appendChild(el("span", "atlas-distance", km(m.distance)));
    return item;
  }

  function fillList(shown) {
    list.textContent = "";
    shown.slice().sort(function (a, b) { return (a.distance || 0) - (b.distance || 0) || a.row[1].localeCompare(b.row[1], "zh"); })
      .forEach(function (m) { list.appendChild(card(m)); });
  }

  var km = window.atlasCoords.label;

  function nearMe() {
    if (!navigator.geolocation) { status.textContent = "此浏览器不能获取位置"; return; }
    status.textContent = "正在获取位置…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      // The phone reports WGS-84; the markers are in the basemap's datum.
      var here = window.atlasCoords.fromWgs84(pos.coords.latitude, pos.coords.longitude, page.dataset.datum);
      markers.forEach(function (m) { m.distance = window.atlasCoords.distance(here, [m.row[5], m.row[6]]); });
      var nearest = visible().slice().sort(function (a, b) { return a.distance - b.distance; }).slice(0, 5);
      var five = page.querySelector(".atlas-nearest-five");
      five.textContent = "";
      nearest.forEach(function (m) { five.appendChild(card(m)); });
      five.hidden = false;
      L.circleMarker(here, { radius: 8, color: "#1565c0", fillOpacity: 0.8 }).addTo(map);
      map.setView(here, 14);
      status.textContent = "离你最近的 " + nearest.length + " 处（位置只在你的手机上使用）";
      if (!list.hidden) fillList(visible());
    }, function () { status.textContent = "没有获得位置权限"; }, { timeout: 10000, maximumAge: 60000 });
  }

  function toggle() {
    var button = form.querySelector(".atlas-map-toggle");
    var showList = list.hidden;
    list.hidden = !showList;
    page.querySelector(".atlas-map-frame").hidden = showList;
    button.textContent = showList ? "地图" : "列表";
    button.setAttribute("aria-pressed", String(showList));
    if (showList) fillList(visible()); else map.invalidateSize();
  }

  var params = new URLSearchParams(location.search);
  form.category.value = params.get("category") || "";
  form.street.value = params.get("street") || "";
  form.addEventListener("change", function () { render(true); });
  form.querySelector(".atlas-near-me").addEventListener("click", nearMe);
  form.querySelector(".atlas-map-toggle").addEventListener("click", toggle);

  fetch(page.dataset.markers).then(function (r) { return r.json(); }).then(function (json) {
    data = json;
    var icons = data.categories.map(function (c) { return icon(c.color); });
    markers = data.markers.map(function (row) {
      var marker = L.marker([row[5], row[6]], { icon: icons[row[2]], title: row[1] });
      marker.bindPopup(function () { return popup(row); });
      return { row: row, marker: marker };
    });
    render(Boolean(form.category.value || form.street.value));
  });
})();
