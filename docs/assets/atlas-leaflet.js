/* Leaflet in Chinese, loaded right after leaflet.js and before any map is made: zoom buttons
   放大/缩小, a metric-only scale in 米/公里, the credit line without Leaflet's prefix and flag (the tile
   provider's attribution stays), and a popup close button named 关闭. */
(function (L) {
  "use strict";
  L.Control.Zoom.mergeOptions({ zoomInTitle: "放大", zoomOutTitle: "缩小" });
  L.Control.Scale.mergeOptions({ imperial: false });
  // The scale's label in 米/公里, as every distance on the site (Leaflet 1.9's _updateMetric
  // with the units in Chinese).
  L.Control.Scale.include({
    _updateMetric: function (maxMeters) {
      var meters = this._getRoundNum(maxMeters);
      this._updateScale(this._mScale, meters < 1000 ? meters + " 米" : meters / 1000 + " 公里", meters / maxMeters);
    }
  });
  L.Control.Attribution.mergeOptions({ prefix: false });
  L.Marker.mergeOptions({ alt: "" });  // markers carry their name as title; "Marker" says nothing
  L.Map.addInitHook(function () {
    this.on("popupopen", function (event) {
      var close = event.popup.getElement() && event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) { close.setAttribute("aria-label", "关闭"); close.title = "关闭"; }
    });
  });
})(window.L);
