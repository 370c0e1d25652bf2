/*
 * smartmap's map behaviour, served by the app itself like Leaflet (smartmap/render/assets.py).
 *
 * - legends: compact, collapsible (<details>), folded on narrow maps, and faded while a
 *   tooltip lies under them, so a legend never hides a tooltip;
 * - markers: many circle markers from one JSON array; markers that overlap on screen are
 *   stacked into one numbered marker that fans out (spiderfies) on click or Enter, every
 *   marker's leg pointing at its true location (nothing is moved in the data);
 * - focus: zoom to a chosen municipality or environment once per choice.
 */
(function () {
  "use strict";
  var SM = (window.smartmap = window.smartmap || {});
  var NARROW = 560; // px: below this map width legends start folded

  function overlaps(a, b) {
    return !(a.right < b.left || b.right < a.left || a.bottom < b.top || b.bottom < a.top);
  }

  /* Fade every legend (and the layer list) that lies under an open tooltip or popup (checked as
     the tooltip moves), so a legend never hides what the user points at. */
  SM.guardTooltips = function (map) {
    var pending = false;
    function check() {
      pending = false;
      var box = map.getContainer();
      var tips = box.querySelectorAll(".leaflet-tooltip, .leaflet-popup");
      var legends = box.querySelectorAll(".sm-legend, .leaflet-control-layers");
      for (var i = 0; i < legends.length; i++) {
        var rect = legends[i].getBoundingClientRect();
        var under = false;
        for (var j = 0; j < tips.length; j++) {
          if (tips[j].style.opacity === "0") { continue; }  // fading out after closing
          if (overlaps(rect, tips[j].getBoundingClientRect())) { under = true; break; }
        }
        legends[i].classList.toggle("sm-under-tooltip", under);
      }
    }
    function later() {
      if (!pending) { pending = true; window.requestAnimationFrame(check); }
    }
    map.on("tooltipopen popupopen mousemove moveend", later);
    map.on("tooltipclose popupclose", function () { later(); window.setTimeout(later, 250); });
  };

  /* A legend control that lives with its feature group (shown while the group is on the map). */
  SM.legend = function (group, spec) {
    var control = L.control({ position: spec.position });
    var chosen = false; // the user folded or unfolded it: the window no longer decides
    function fit(map, box) {
      if (!chosen) { box.open = !spec.folded && map.getSize().x >= NARROW; }
    }
    control.onAdd = function (map) {
      var box = L.DomUtil.create("details", "sm-legend");
      box.setAttribute("aria-label", spec.title);
      box.innerHTML = spec.html;
      fit(map, box);
      box.querySelector("summary").addEventListener("click", function () { chosen = true; });
      box.querySelector("summary").addEventListener("keydown", function () { chosen = true; });
      control.smResize = function () { fit(map, box); };
      map.on("resize", control.smResize);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.onRemove = function (map) { map.off("resize", control.smResize); };
    var shown = false;
    group.on("add", function () {
      if (!shown && group._map) { control.addTo(group._map); shown = true; }
    });
    group.on("remove", function () { if (shown) { control.remove(); shown = false; } });
    return control;
  };

  function bindRow(marker, row, maxWidth) {
    if (row.tooltip) { marker.bindTooltip("<div>" + row.tooltip + "</div>", { sticky: true }); }
    if (row.popup) { marker.bindPopup(row.popup, { maxWidth: maxWidth }); }
    marker.smRow = row;
    return marker;
  }

  /* Circle markers from rows; with opts.stack, markers overlapping on screen are stacked. */
  SM.markers = function (group, rows, opts) {
    opts = opts || {};
    var markers = rows.map(function (r) {
      return bindRow(L.circleMarker([r.lat, r.lon], r.options), r, opts.maxWidth || 340);
    });
    if (!opts.stack) {
      markers.forEach(function (m) { m.addTo(group); });
      return null;
    }
    var stacker = new Stacker(markers, opts);
    group.addLayer(stacker);
    return stacker;
  };

  var Stacker = L.LayerGroup.extend({
    initialize: function (markers, opts) {
      L.LayerGroup.prototype.initialize.call(this);
      this._markers = markers;
      this._opts = opts;
      this._radius = opts.stackPixels || 12;
      this._open = null;
    },
    onAdd: function (map) {
      this._map = map;
      map.on("zoomend", this._regroup, this);
      map.on("click zoomstart", this._close, this);
      this._regroup();
    },
    onRemove: function (map) {
      map.off("zoomend", this._regroup, this);
      map.off("click zoomstart", this._close, this);
      this._close();
      this.clearLayers();
    },
    /* The markers that overlap at this zoom, greedily from the first row: each group is drawn
       at the true location of its member nearest the group's middle. */
    _regroup: function () {
      var map = this._map;
      this._close();
      this.clearLayers();
      var points = this._markers.map(function (m) { return map.latLngToLayerPoint(m.getLatLng()); });
      var taken = this._markers.map(function () { return false; });
      var r2 = this._radius * this._radius;
      for (var i = 0; i < this._markers.length; i++) {
        if (taken[i]) { continue; }
        var members = [i];
        taken[i] = true;
        for (var j = i + 1; j < this._markers.length; j++) {
          if (!taken[j]) {
            var dx = points[i].x - points[j].x, dy = points[i].y - points[j].y;
            if (dx * dx + dy * dy <= r2) { members.push(j); taken[j] = true; }
          }
        }
        if (members.length === 1) {
          this.addLayer(this._markers[i]);
        } else {
          this.addLayer(this._stackMarker(members, points));
        }
      }
    },
    _stackMarker: function (members, points) {
      var sx = 0, sy = 0;
      members.forEach(function (k) { sx += points[k].x; sy += points[k].y; });
      var mx = sx / members.length, my = sy / members.length, best = members[0], bestD = Infinity;
      members.forEach(function (k) {
        var d = (points[k].x - mx) * (points[k].x - mx) + (points[k].y - my) * (points[k].y - my);
        if (d < bestD) { bestD = d; best = k; }
      });
      var items = members.map(function (k) { return this._markers[k]; }, this);
      var approx = items.every(function (m) { return m.smRow.approx; });
      var n = items.length;
      var size = Math.min(34, 20 + 2 * Math.ceil(Math.log2(n)));
      var label = (this._opts.stackLabel || "{n}").replace("{n}", n);
      var icon = L.divIcon({
        className: "sm-stack" + (approx ? " sm-stack-approx" : ""),
        html: '<span data-count="' + n + '">' + n + "</span>",
        iconSize: [size, size],
      });
      var stack = L.marker(this._markers[best].getLatLng(), {
        icon: icon, keyboard: true, title: label, alt: label, riseOnHover: true,
      });
      stack.smMembers = items;
      stack.bindTooltip(label, { direction: "top", offset: [0, -size / 2] });
      stack.on("click", function (e) {
        L.DomEvent.stop(e);
        this._toggle(stack);
      }, this);
      stack.on("keypress", function (e) {  // Enter or Space on the focused stack
        var key = e.originalEvent && e.originalEvent.key;
        if (key === "Enter" || key === " ") {
          L.DomEvent.preventDefault(e.originalEvent);
          this._toggle(stack);
        }
      }, this);
      return stack;
    },
    _toggle: function (stack) {
      if (this._open && this._open.stack === stack) { this._close(); return; }
      this._close();
      this._spiderfy(stack);
    },
    /* Fan the members out around the stack; a leg joins each to its true location. */
    _spiderfy: function (stack) {
      var map = this._map;
      var centre = map.latLngToLayerPoint(stack.getLatLng());
      var n = stack.smMembers.length;
      var legs = [], shown = [];
      var step = (2 * Math.PI) / Math.max(n, 1);
      var distance = Math.max(26, (n * 18) / (2 * Math.PI));
      stack.smMembers.forEach(function (m, k) {
        var angle = k * step - Math.PI / 2;
        var ring = n > 12 ? distance + 10 * Math.floor(k / 12) : distance;
        var at = map.layerPointToLatLng(L.point(centre.x + ring * Math.cos(angle),
                                                centre.y + ring * Math.sin(angle)));
        var copy = bindRow(L.circleMarker(at, m.options), m.smRow, this._opts.maxWidth || 340);
        copy.smCopy = true;
        legs.push(L.polyline([m.getLatLng(), at], {
          color: "#333333", weight: 1, opacity: 0.8, interactive: false, className: "sm-leg",
        }));
        shown.push(copy);
      }, this);
      legs.forEach(function (leg) { this.addLayer(leg); }, this);
      shown.forEach(function (m) { this.addLayer(m); }, this);
      stack.getElement() && stack.getElement().classList.add("sm-stack-open");
      this._open = { stack: stack, layers: legs.concat(shown) };
    },
    _close: function () {
      if (!this._open) { return; }
      this._open.layers.forEach(function (l) { this.removeLayer(l); }, this);
      var el = this._open.stack.getElement();
      if (el) { el.classList.remove("sm-stack-open"); }
      this._open = null;
    },
  });
  SM.Stacker = Stacker;

  /* Zoom to a chosen place once per choice (token), however often the layers are redrawn. */
  SM.focus = function (map, spec) {
    if (!spec || map.smFocusToken === spec.token) { return; }
    map.smFocusToken = spec.token;
    if (spec.bounds) {
      map.fitBounds(spec.bounds, { padding: [24, 24], maxZoom: spec.maxZoom || 13 });
    } else if (spec.point && spec.exact) {
      map.setView(spec.point, spec.zoom);
    } else if (spec.point) {
      map.setView(spec.point, Math.max(map.getZoom(), spec.zoom || 13));
    }
  };

  /* Focus when the group holding the spec is on the map (st_folium adds it after building it). */
  SM.focusOn = function (group, spec) {
    function go() {
      if (!group._map) { return; }
      var fresh = group._map.smFocusToken !== spec.token;
      SM.focus(group._map, spec);
      if (fresh && spec.openPopup) {
        group.eachLayer(function (l) { if (l.getPopup && l.getPopup()) { l.openPopup(); } });
      }
    }
    group.on("add", go);
    go();
  };

  SM.count = function (map) {
    /* How many environment markers the map shows, stacked ones included (for tests). */
    var n = 0;
    map.eachLayer(function (l) {
      if (l.smMembers) { n += l.smMembers.length; }
      else if (l.smRow && !l.smCopy && /\bsm-env\b/.test(l.options.className || "")) { n += 1; }
    });
    return n;
  };
})();
