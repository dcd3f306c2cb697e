/* window.atlasTimeline: a 研学 day's arithmetic, the twin of atlas/timeline.py — change both
   together (tests/test_browser_routes.py checks they agree). Points are WGS-84 [lat, lon] or
   null; a leg with a null end is unknown ({metres: null, minutes: null}), never 0 km.
     leg(a, b, pace)            -> {metres, minutes}
     day(stops, start, pace)    -> {rows: [{arrive, leave, afterUnknown, leg}], start, end, metres, unknownLegs, onSite}
                                   stops: [[point, minutes]], start: minutes after midnight
     batches(size, limit)       -> groups a class splits into
     closedOn(table, iso)       -> true/false from an atlasHours table, null without one
     openThrough(table, iso, a, b) -> one open span holds a..b (true when unknown)
     order(points, start)       -> indexes: nearest neighbour, then 2-opt
   pace: {detour, speed (km/h), end (minutes)}. */
window.atlasTimeline = (function () {
  "use strict";
  var distance = window.atlasCoords.distance;

  function travelMinutes(metres, pace) { return 5 * Math.ceil(metres / (pace.speed * 1000 / 60) / 5); }

  function leg(a, b, pace) {
    if (!a || !b) return { metres: null, minutes: null };
    var metres = distance(a, b) * pace.detour;
    return { metres: metres, minutes: travelMinutes(metres, pace) };
  }

  function day(stops, start, pace) {
    var rows = [], clock = start, unknown = 0, metres = 0, afterUnknown = false, onSite = 0;
    stops.forEach(function (stop, i) {
      var arrive = clock, leave = clock + stop[1];
      var next = i + 1 < stops.length ? leg(stop[0], stops[i + 1][0], pace) : null;
      rows.push({ arrive: arrive, leave: leave, afterUnknown: afterUnknown, leg: next });
      clock = leave;
      onSite += stop[1];
      if (next) {
        if (next.minutes === null) { unknown += 1; afterUnknown = true; }
        else { clock += next.minutes; metres += next.metres; }
      }
    });
    return { rows: rows, start: start, end: rows.length ? rows[rows.length - 1].leave : start, metres: metres, unknownLegs: unknown, onSite: onSite };
  }

  function clock(minutes) { return ("0" + Math.floor(minutes / 60)).slice(-2) + ":" + ("0" + minutes % 60).slice(-2); }

  function parseClock(text) {
    var m = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text || "");
    return m && +m[1] < 24 && +m[2] < 60 ? +m[1] * 60 + +m[2] : null;
  }

  function batches(size, limit) { return !limit || size <= limit ? 1 : Math.ceil(size / limit); }

  // The day's open spans from the build's table (atlas/hours_table.py): a date the table
  // lists apart, else its weekday; beyond the table's window nothing is known.
  function closedOn(table, iso) {
    if (!table || !iso || iso < table.from || iso > table.to) return null;
    var p = iso.split("-"), weekday = (new Date(Date.UTC(+p[0], p[1] - 1, +p[2])).getUTCDay() + 6) % 7;
    var spans = table.x[iso] || table.w[weekday];
    return !spans.length;
  }

  // Whether one open span holds the whole visit (from arrival to leaving) on that date.
  function openThrough(table, iso, arrive, leave) {
    if (closedOn(table, iso) !== false) return !closedOn(table, iso);
    var p = iso.split("-"), weekday = (new Date(Date.UTC(+p[0], p[1] - 1, +p[2])).getUTCDay() + 6) % 7;
    return (table.x[iso] || table.w[weekday]).some(function (s) { return s[0] <= arrive && leave <= s[1]; });
  }

  function pathLength(tour, points, start) {
    var total = 0, here = start;
    tour.forEach(function (i) { total += distance(here, points[i]); here = points[i]; });
    return total;
  }

  function twoOpt(tour, points, start) {
    var best = tour.slice(), bestLength = pathLength(best, points, start), improved = true;
    while (improved) {
      improved = false;
      for (var i = 0; i < best.length - 1; i++) {
        for (var j = i + 1; j < best.length; j++) {
          var candidate = best.slice(0, i).concat(best.slice(i, j + 1).reverse(), best.slice(j + 1));
          var length = pathLength(candidate, points, start);
          if (length < bestLength - 1e-6) { best = candidate; bestLength = length; improved = true; }
        }
      }
    }
    return best;
  }

  function order(points, start) {
    var tour = [], left = points.map(function (_, i) { return i; }), here = start;
    while (left.length) {
      var nearest = left[0];
      left.forEach(function (i) { if (distance(here, points[i]) < distance(here, points[nearest])) nearest = i; });
      tour.push(nearest);
      left.splice(left.indexOf(nearest), 1);
      here = points[nearest];
    }
    return twoOpt(tour, points, start);
  }

  return { leg: leg, day: day, clock: clock, parseClock: parseClock, batches: batches, closedOn: closedOn, openThrough: openThrough, order: order, twoOpt: twoOpt, pathLength: pathLength };
})();
