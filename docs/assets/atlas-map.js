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

  // markers.json rows: [id, name, category, street, address, lat, lon (basemap datum), tel:
  // link, phone, index of the hours table in data.hours or -1]. Popups and list items are the same card (atlas.js).
  function info(row, distance) {
    return {
      id: row[0], name: row[1], href: href(row[0]), meta: data.categories[row[2]].label + " · " + data.streets[row[3]], address: row[4],
      tel: row[7], phone: row[8], hours: data.hours[row[9]], nav: window.atlasLinks.route(row[5], row[6], data.datum, row[1]), distance: distance,
    };
  }

  function popup(row) { return window.atlasCard(info(row), "div"); }

  // A coloured disc with the category's character: colour is never the only cue.
  function icon(category) {
    var pin = el("span", "atlas-pin", category.mark);
    pin.style.setProperty("--atlas-c", category.color);
    return L.divIcon({ className: "atlas-pin-icon", html: pin.outerHTML, iconSize: [24, 24], iconAnchor: [12, 12] });
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

  function card(m) { return window.atlasCard(info(m.row, m.distance)); }

  function fillList(shown) {
    list.textContent = "";
    // markers.json lists the markers in pinyin order (atlas/collate.py): their index is the rank.
    shown.slice().sort(function (a, b) { return (a.distance || 0) - (b.distance || 0) || a.index - b.index; })
      .forEach(function (m) { list.appendChild(card(m)); });
  }

  var here;

  function nearMe() {
    window.atlasNearby.locate(status, data ? data.seats : [], function (wgs84, who) {
      // Positions are WGS-84; the markers are in the basemap's datum.
      var point = window.atlasCoords.fromWgs84(wgs84[0], wgs84[1], page.dataset.datum);
      markers.forEach(function (m) { m.distance = window.atlasCoords.distance(point, [m.row[5], m.row[6]]); });
      var nearest = visible().slice().sort(function (a, b) { return a.distance - b.distance; }).slice(0, 5);
      var five = page.querySelector(".atlas-nearest-five");
      five.textContent = "";
      nearest.forEach(function (m) { five.appendChild(card(m)); });
      five.hidden = false;
      page.querySelector(".atlas-nearest-title").hidden = false;
      if (here) here.remove();
      here = L.circleMarker(point, { radius: 8, color: "#1565c0", fillOpacity: 0.8 }).addTo(map);
      map.setView(point, 14);
      status.textContent = "离" + who + "最近的 " + nearest.length + " 处" + (who === "你" ? "（位置只在你的手机上使用）" : "");
      if (!list.hidden) fillList(visible());
      window.atlasNearby.show(page.querySelector(".atlas-nearest-title"));
    });
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
    var icons = data.categories.map(icon);
    markers = data.markers.map(function (row, index) {
      var marker = L.marker([row[5], row[6]], { icon: icons[row[2]], title: row[1] });
      marker.bindPopup(function () { return popup(row); });
      return { row: row, marker: marker, index: index };
    });
    render(Boolean(form.category.value || form.street.value));
  });
})();
