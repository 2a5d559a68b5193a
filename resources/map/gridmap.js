/* GridStation live map: the page side of gridstation/app/mapview.py.
 *
 * Python talks to this page through one QWebChannel object, `bridge`:
 *   bridge.batch (signal, JSON string)  {seq, ops: [...]}   Python -> page, one per event-loop turn
 *   bridge.command(JSON string)         {type: ready|grid|case|point|applied|error}   page -> Python
 * Everything is drawn on canvas (thousands of grids and cases); only cluster bubbles, labels and
 * the focus ring are DOM/SVG.
 */
(function () {
  "use strict";

  var LIGHT = { green: "#2e9d5b", yellow: "#e0a800", red: "#d64541", parked: "#8a8f98" };
  var RANK = { red: 3, yellow: 2, green: 1, parked: 0 };
  // 1, 2, 3-4, 5+ cases
  var BLUE = ["#cfe1f3", "#a6c8e8", "#78a9d6", "#4d88c2"];
  var HOT = ["#f4a259", "#ec7c3c", "#dc5631", "#b83227"];
  var BLUE_DARK = ["#1d3b5e", "#235283", "#2b6cb0", "#3d8bd9"]; // the dark wall: brighter is more
  var OUTLINE = [ // reassigned for the dark wall
    { color: "#4a5563", weight: 2.6, opacity: 0.9 },
    { color: "#6b7683", weight: 1.6, opacity: 0.85 },
    { color: "#8c96a1", weight: 1.0, opacity: 0.8, dashArray: "4 3" },
  ];
  var LABEL_MIN_PX = 90; // a level's labels show when its regions are this wide on screen

  var GM = (window.GridMap = {
    map: null,
    bridge: null,
    cfg: null,
    grids: {}, // id -> polygon layer
    stats: {}, // id -> [open, overdue]
    cases: {}, // id -> circleMarker (with .gm = row)
    choro: null, // {title, items: [{name, text, colour}], grids: {grid id: item index}, legend: [[colour, label]]}
    choroLegend: null,
    gridLayer: null,
    caseLayer: null,
    componentLayer: null,
    outlineLayer: null,
    labelGroups: [],
    highlightLayer: null,
    focusLayer: null,
    lastSeq: 0,
    timings: [],
  });

  function send(msg) {
    if (GM.bridge) GM.bridge.command(JSON.stringify(msg));
  }

  function step(n) {
    return n <= 1 ? 0 : n === 2 ? 1 : n <= 4 ? 2 : 3;
  }

  function text(s) {
    return String(s === undefined || s === null ? "" : s)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function getJSON(url) {
    // XHR, not fetch: the gridmap scheme is CORS-enabled, which XHR needs and fetch does not honour
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", url);
      xhr.responseType = "json";
      xhr.onload = function () {
        if (xhr.response) resolve(xhr.response);
        else reject(new Error("no JSON at " + url + " (status " + xhr.status + ")"));
      };
      xhr.onerror = function () { reject(new Error("cannot load " + url)); };
      xhr.send();
    });
  }

  // ------------------------------------------------------------------ styles

  // The drill-down on the map: every grid takes the colour of the child region it lies in.
  function choroStyle(id) {
    var k = GM.choro.grids[id], dark = GM.dark;
    if (k === undefined) return { stroke: false, fill: true, fillColor: "#ffffff", fillOpacity: 0 };
    var it = GM.choro.items[k];
    return { stroke: true, color: it.colour, weight: 0.4, opacity: 0.9, fill: true, fillColor: it.colour,
             fillOpacity: dark ? 0.85 : 0.78 };
  }

  GM.gridStyle = function (id) {
    if (GM.choro) return choroStyle(id);
    var s = GM.stats[id], dark = GM.dark;
    if (!s || (s[0] <= 0 && s[1] <= 0)) {
      return dark ? { stroke: true, color: "#2b3d57", weight: 0.6, opacity: 0.7, fill: true, fillColor: "#0f1a2c", fillOpacity: 0 }
                  : { stroke: true, color: "#9aa3ad", weight: 0.6, opacity: 0.45, fill: true, fillColor: "#ffffff", fillOpacity: 0 };
    }
    if (s[1] > 0) {
      return { stroke: true, color: dark ? "#ff8a65" : "#a8432a", weight: 0.9, opacity: 0.8, fill: true,
               fillColor: HOT[step(s[1])], fillOpacity: dark ? 0.8 : 0.6 };
    }
    return { stroke: true, color: dark ? "#3b6ea8" : "#6f8fb0", weight: 0.8, opacity: 0.7, fill: true,
             fillColor: (dark ? BLUE_DARK : BLUE)[step(s[0])], fillOpacity: dark ? 0.75 : 0.65 };
  };

  function caseStyle(light) {
    return { radius: 6, stroke: true, color: "#ffffff", weight: 1.5, opacity: 1, fill: true,
             fillColor: LIGHT[light] || LIGHT.parked, fillOpacity: 0.95 };
  }

  function clusterIcon(cluster) {
    var worst = "parked", rank = -1, children = cluster.getAllChildMarkers();
    for (var i = 0; i < children.length; i++) {
      var r = RANK[children[i].gm[3]];
      if (r > rank) { rank = r; worst = children[i].gm[3]; if (r === 3) break; }
    }
    var n = cluster.getChildCount();
    var size = n < 10 ? 28 : n < 100 ? 34 : n < 1000 ? 40 : 46;
    return L.divIcon({
      html: "<div><span>" + n + "</span></div>",
      className: "gm-cluster gm-cluster-" + worst,
      iconSize: L.point(size, size),
    });
  }

  // ------------------------------------------------------------------ start

  GM.start = function (map, cfg) {
    GM.map = map;
    GM.cfg = cfg;
    GM.dark = cfg.theme === "dark";
    if (GM.dark) {
      document.body.classList.add("gm-dark");
      OUTLINE = [
        { color: "#9fc3ea", weight: 2.6, opacity: 0.95 },
        { color: "#6f93bb", weight: 1.6, opacity: 0.9 },
        { color: "#4c6a8c", weight: 1.0, opacity: 0.85, dashArray: "4 3" },
      ];
    }
    if (cfg.wall) {
      document.body.classList.add("gm-wall");
      if (map.zoomControl) map.removeControl(map.zoomControl);
    }
    var L_ = cfg.legend || {};
    window.onerror = function (msg, src, line) { send({ type: "error", message: msg + " (" + src + ":" + line + ")" }); };

    map.createPane("gm-outlines").style.zIndex = 350;
    map.createPane("gm-components").style.zIndex = 380;
    map.createPane("gm-labels").style.zIndex = 450;
    map.createPane("gm-focus").style.zIndex = 640;
    map.getPane("gm-outlines").style.pointerEvents = "none";
    map.getPane("gm-components").style.pointerEvents = "none";
    map.getPane("gm-labels").style.pointerEvents = "none";
    map.getPane("gm-focus").style.pointerEvents = "none";
    // One interactive canvas for grids, components and cases: a second interactive canvas on top
    // would swallow the clicks meant for the one below.
    GM.canvas = L.canvas({ padding: 0.3, tolerance: 3 });
    GM.outlineCanvas = L.canvas({ pane: "gm-outlines", padding: 0.3 });
    // components are background: under the grid fills and the cases, never clickable
    GM.componentCanvas = L.canvas({ pane: "gm-components", padding: 0.3 });
    GM.focusSvg = L.svg({ pane: "gm-focus" });
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);

    var base = cfg.base || { type: "outlines" };
    var baseLayers = {};
    if (base.type === "tiles") {
      document.body.classList.add("gm-tiles");
      var tiles = L.tileLayer(base.url, {
        minNativeZoom: base.minNativeZoom, maxNativeZoom: base.maxNativeZoom, maxZoom: cfg.maxZoom,
        attribution: base.attribution || "", keepBuffer: 2,
      }).addTo(map);
      baseLayers[text(L_.base_tiles)] = tiles;
      GM.tileLayer = tiles;
    } else {
      document.body.classList.add("gm-outline-base");
      baseLayers[text(L_.base_outlines)] = L.layerGroup().addTo(map);
    }
    // leave room for the zoom buttons (left) and the layer switch and legend (right)
    if (cfg.wall) {
      // nobody zooms the wall: fill the panel with the city (fractional zoom), keep the legend clear
      map.options.zoomSnap = 0.1;
      if (cfg.bounds) map.fitBounds(cfg.bounds, { paddingTopLeft: [12, 12], paddingBottomRight: [150, 12], animate: false });
    } else if (cfg.bounds) map.fitBounds(cfg.bounds, { paddingTopLeft: [56, 16], paddingBottomRight: [180, 16], animate: false });

    GM.caseLayer = L.markerClusterGroup({
      maxClusterRadius: 44,
      disableClusteringAtZoom: 16,
      spiderfyOnMaxZoom: false,
      showCoverageOnHover: false,
      animate: false,
      iconCreateFunction: clusterIcon,
    });
    GM.componentLayer = L.featureGroup();
    GM.highlightLayer = L.featureGroup().addTo(map);
    GM.focusLayer = L.featureGroup().addTo(map);

    map.on("click", function (e) {
      send({ type: "point", lon: e.latlng.lng, lat: e.latlng.lat });
    });
    map.on("zoomend", updateLabels);
    map.on("moveend", declutter);

    var channel = new Promise(function (resolve) {
      new QWebChannel(qt.webChannelTransport, function (ch) {
        GM.bridge = ch.objects.bridge;
        GM.bridge.batch.connect(onBatch);
        resolve();
      });
    });
    Promise.all([getJSON(cfg.grids), getJSON(cfg.outlines), channel])
      .then(function (res) {
        buildOutlines(res[1]);
        buildGrids(res[0]);
        GM.caseLayer.addTo(map);
        var overlays = {};
        overlays[text(L_.outlines)] = GM.outlineLayer;
        overlays[text(L_.grids)] = GM.gridLayer;
        overlays[text(L_.cases)] = GM.caseLayer;
        overlays[text(L_.components)] = GM.componentLayer;
        if (!cfg.wall) L.control.layers(baseLayers, overlays, { position: "topright", collapsed: false }).addTo(map);
        legend(L_).addTo(map);
        updateLabels();
        send({ type: "ready", grids: Object.keys(GM.grids).length });
      })
      .catch(function (err) {
        send({ type: "error", message: String(err && err.stack || err) });
      });
  };

  // ------------------------------------------------------------------ base map: region outlines

  function buildOutlines(fc) {
    var depths = fc.features.map(function (f) { return f.properties.depth; });
    var top = depths.length ? Math.min.apply(null, depths) : 0;
    GM.labelGroups = [];
    var lines = L.geoJSON(fc, {
      renderer: GM.outlineCanvas,
      pane: "gm-outlines",
      interactive: false,
      style: function (f) { return OUTLINE[Math.min(f.properties.depth - top, OUTLINE.length - 1)]; },
      onEachFeature: function (f, layer) {
        var rank = Math.min(f.properties.depth - top, 2);
        var g = GM.labelGroups[rank] || (GM.labelGroups[rank] = { group: L.layerGroup(), widths: [] });
        var b = layer.getBounds();
        g.widths.push([b.getSouthWest(), b.getNorthEast()]);
        var at = f.properties.label;
        if (!at) { var c = b.getCenter(); at = [c.lng, c.lat]; }
        L.marker([at[1], at[0]], {
          pane: "gm-labels", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "gm-label gm-label-" + rank, html: "<span>" + text(f.properties.name) + "</span>",
                            iconSize: null }),
        }).addTo(g.group);
      },
    });
    GM.outlineLayer = L.layerGroup([lines]).addTo(GM.map);
    GM.outlineLines = lines;
  }

  function medianWidthPx(boxes) {
    var map = GM.map, zoom = map.getZoom();
    var w = boxes.map(function (bb) {
      var a = map.project(bb[0], zoom), b = map.project(bb[1], zoom);
      return Math.min(Math.abs(b.x - a.x), Math.abs(b.y - a.y) * 1.6);
    }).sort(function (a, b) { return a - b; });
    return w.length ? w[Math.floor(w.length / 2)] : 0;
  }

  // The deepest level whose regions are wide enough to hold a name, and the level above it.
  function updateLabels() {
    var groups = GM.labelGroups, deepest = -1;
    for (var r = 0; r < groups.length; r++) {
      if (groups[r] && medianWidthPx(groups[r].widths) >= LABEL_MIN_PX) deepest = r;
    }
    var outlinesOn = GM.outlineLayer && GM.map.hasLayer(GM.outlineLayer);
    for (var k = 0; k < groups.length; k++) {
      if (!groups[k]) continue;
      var show = outlinesOn && (k === deepest || k === deepest - 1 || (deepest < 0 && k === 0));
      if (show && !GM.outlineLayer.hasLayer(groups[k].group)) GM.outlineLayer.addLayer(groups[k].group);
      if (!show && GM.outlineLayer.hasLayer(groups[k].group)) GM.outlineLayer.removeLayer(groups[k].group);
    }
    declutter();
  }

  // Greedy placement: higher levels first; a name that would overlap one already placed is hidden
  // (a street with a single community has both names at the same point).
  function declutter() {
    var placed = [], size = GM.map.getSize();
    GM.labelGroups.forEach(function (g) {
      if (!g || !GM.outlineLayer.hasLayer(g.group)) return;
      g.group.eachLayer(function (m) {
        var el = m.getElement();
        if (!el) return;
        var p = GM.map.latLngToContainerPoint(m.getLatLng());
        if (p.x < -200 || p.y < -50 || p.x > size.x + 200 || p.y > size.y + 50) { el.style.visibility = ""; return; }
        var span = el.firstChild, w = span.offsetWidth, h = span.offsetHeight;
        var box = [p.x - w / 2 - 4, p.y - h / 2 - 2, p.x + w / 2 + 4, p.y + h / 2 + 2];
        var clash = placed.some(function (b) { return box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]; });
        el.style.visibility = clash ? "hidden" : "";
        if (!clash) placed.push(box);
      });
    });
  }
  GM.visibleLabelLevels = function () {
    return GM.labelGroups.map(function (g, k) { return g && GM.outlineLayer.hasLayer(g.group) ? k : -1; })
      .filter(function (k) { return k >= 0; });
  };

  // ------------------------------------------------------------------ unit grids

  function gridTip(layer) {
    var p = layer.feature.properties, s = GM.stats[p.id] || [0, 0], L_ = GM.cfg.legend || {};
    if (GM.choro && GM.choro.grids[p.id] !== undefined) {
      var it = GM.choro.items[GM.choro.grids[p.id]];
      return "<b>" + text(it.name) + "</b><br>" + text(GM.choro.title) + ": " + text(it.text);
    }
    var html = "<b>" + text(p.name) + "</b> <span class='gm-code'>" + text(p.code) + "</span>";
    if (s[0] > 0) html += "<br>" + s[0] + " " + text(L_.open) + (s[1] > 0 ? " · <span class='gm-over'>" + s[1] + " " + text(L_.overdue) + "</span>" : "");
    return html;
  }

  function buildGrids(fc) {
    GM.gridLayer = L.geoJSON(fc, {
      renderer: GM.canvas,
      style: function (f) { return GM.gridStyle(f.properties.id); },
      onEachFeature: function (f, layer) {
        GM.grids[f.properties.id] = layer;
        layer.bindTooltip(gridTip, { sticky: true, direction: "top", className: "gm-tip", opacity: 0.95 });
        layer.on("click", function (e) {
          var k = GM.choro ? GM.choro.grids[f.properties.id] : undefined;
          if (k !== undefined) send({ type: "choro", index: k });
          else send({ type: "grid", id: f.properties.id, lon: e.latlng.lng, lat: e.latlng.lat });
        });
      },
    }).addTo(GM.map);
  }

  function applyStats(op) {
    var id, changed = {};
    if (op.replace) {
      for (id in GM.stats) changed[id] = true;
      GM.stats = {};
    }
    for (id in op.stats) {
      var v = op.stats[id];
      if (v[0] > 0 || v[1] > 0) GM.stats[id] = v;
      else delete GM.stats[id];
      changed[id] = true;
    }
    for (id in changed) {
      var layer = GM.grids[id];
      if (layer) layer.setStyle(GM.gridStyle(id));
    }
  }

  // ------------------------------------------------------------------ cases

  function newCase(row) {
    var m = L.circleMarker([row[2], row[1]], L.extend({ renderer: GM.canvas, bubblingMouseEvents: false }, caseStyle(row[3])));
    m.gm = row;
    m.bindTooltip(function () { return "<b>" + text(m.gm[4]) + "</b>"; }, { direction: "top", className: "gm-tip", offset: [0, -6] });
    m.on("click", function () { send({ type: "case", id: m.gm[0] }); });
    return m;
  }

  function applyCases(op) {
    var group = GM.caseLayer, add = [], drop = [], recolour = [], fresh = [], i, m;
    if (op.reset) {
      group.clearLayers();
      GM.cases = {};
    }
    for (i = 0; i < op.remove.length; i++) {
      m = GM.cases[op.remove[i]];
      if (m) { drop.push(m); delete GM.cases[op.remove[i]]; }
    }
    for (i = 0; i < op.upsert.length; i++) {
      var row = op.upsert[i];
      m = GM.cases[row[0]];
      if (!m) {
        m = GM.cases[row[0]] = newCase(row);
        add.push(m);
        fresh.push(m);
      } else if (m.gm[1] !== row[1] || m.gm[2] !== row[2]) {
        drop.push(m); // moved: re-cluster it
        m.gm = row;
        m.setLatLng([row[2], row[1]]);
        m.setStyle(caseStyle(row[3]));
        add.push(m);
      } else {
        if (m.gm[3] !== row[3]) { m.setStyle(caseStyle(row[3])); recolour.push(m); }
        m.gm = row;
      }
    }
    if (drop.length) group.removeLayers(drop);
    if (add.length) group.addLayers(add);
    if (recolour.length) group.refreshClusters(recolour);
    if (!op.initial && fresh.length && fresh.length <= 20) fresh.forEach(function (mk) { pulse(mk.getLatLng(), LIGHT[mk.gm[3]]); });
  }

  function pulse(latlng, colour) {
    var ring = L.circleMarker(latlng, { renderer: GM.focusSvg, radius: 10, color: colour || "#1565c0", weight: 3, fill: false,
                                        interactive: false, className: "gm-pulse" }).addTo(GM.map);
    setTimeout(function () { GM.map.removeLayer(ring); }, 2400);
  }

  // long pulses (the wall): one ring per new case for as long as Python says, replaced if the
  // same case pulses again; at most 60 at a time
  GM.pulses = {};
  function applyPulses(op) {
    op.points.forEach(function (p) {
      var id = p[0], old = GM.pulses[id];
      if (old) { clearTimeout(old.timer); GM.map.removeLayer(old.ring); }
      var ring = L.circleMarker(L.latLng(p[2], p[1]), { renderer: GM.focusSvg, radius: 12, color: "#38bdf8", weight: 3,
                                                       fill: false, interactive: false, className: "gm-pulse-long" }).addTo(GM.map);
      var timer = setTimeout(function () { GM.map.removeLayer(ring); delete GM.pulses[id]; }, Math.max(0, p[3]) * 1000);
      GM.pulses[id] = { ring: ring, timer: timer };
    });
    var ids = Object.keys(GM.pulses);
    for (var i = 0; i < ids.length - 60; i++) {
      var o = GM.pulses[ids[i]];
      clearTimeout(o.timer); GM.map.removeLayer(o.ring); delete GM.pulses[ids[i]];
    }
  }

  // ------------------------------------------------------------------ components

  function applyComponents(op) {
    GM.componentLayer.clearLayers();
    var style = { renderer: GM.componentCanvas, pane: "gm-components", radius: 2, stroke: false, fill: true,
                  fillOpacity: 0.55, interactive: false };
    op.rows.forEach(function (r) {
      var colour = r[4] === "damaged" || r[4] === "lost" ? "#a0643a" : "#6b7a8c"; // 破损/丢失 stand out
      GM.componentLayer.addLayer(L.circleMarker([r[2], r[1]], L.extend({ fillColor: colour }, style)));
    });
  }

  // ------------------------------------------------------------------ highlight and focus

  function applyHighlight(op) {
    GM.highlightLayer.clearLayers();
    var layer = op.id === null || op.id === undefined ? null : GM.grids[op.id];
    if (!layer) return;
    L.polygon(layer.getLatLngs(), { renderer: GM.focusSvg, color: "#1565c0", weight: 3, fill: false, interactive: false })
      .addTo(GM.highlightLayer);
  }

  function ring(latlng) {
    GM.focusLayer.clearLayers();
    L.circleMarker(latlng, { renderer: GM.focusSvg, radius: 15, color: "#1565c0", weight: 3, fill: false, interactive: false,
                             className: "gm-focus" }).addTo(GM.focusLayer);
  }

  // Not markercluster's zoomToShowLayer: it waits for a 'moveend' that never comes when the
  // map need not move, and it expects DOM icons rather than canvas dots.
  function focusCase(op) {
    var m = GM.cases[op.id];
    var at = m ? m.getLatLng() : L.latLng(op.lat, op.lon);
    var shown = m && GM.map.hasLayer(GM.caseLayer) && GM.caseLayer.getVisibleParent(m) === m;
    if (!shown || !GM.map.getBounds().pad(-0.1).contains(at)) {
      GM.map.setView(at, Math.max(GM.map.getZoom(), GM.caseLayer.options.disableClusteringAtZoom), { animate: false });
    }
    ring(at);
  }

  function focusGrid(op) {
    var layer = GM.grids[op.id];
    if (layer) GM.map.fitBounds(layer.getBounds(), { maxZoom: 18, padding: [60, 60], animate: false });
  }

  // ------------------------------------------------------------------ legend

  function legend(t) {
    var ctl = L.control({ position: "bottomright" });
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "gm-legend");
      function swatch(cls, style, label) {
        return "<div class='gm-row'><i class='" + cls + "' style='" + style + "'></i>" + text(label) + "</div>";
      }
      var html = "<div class='gm-legend-title'>" + text(t.title) + "</div>";
      html += "<div class='gm-legend-head'>" + text(t.cases) + "</div>";
      ["green", "yellow", "red", "parked"].forEach(function (k) { html += swatch("gm-dot", "background:" + LIGHT[k], t[k]); });
      html += "<div class='gm-legend-grids'><div class='gm-legend-head'>" + text(t.grids) + "</div>";
      html += swatch("gm-box", "background:transparent;border-color:#9aa3ad", t.grid_none);
      html += swatch("gm-box gm-ramp", "background:linear-gradient(90deg," + BLUE.join(",") + ");border-color:#6f8fb0", t.grid_open);
      html += swatch("gm-box gm-ramp", "background:linear-gradient(90deg," + HOT.join(",") + ");border-color:#a8432a", t.grid_overdue);
      html += "</div>";
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    return ctl;
  }

  // ------------------------------------------------------------------ the drill-down layer

  function applyChoro(op) {
    GM.choro = op.layer || null;
    // the grids now wear the drill-down's colours: the live legend's grid part does not apply
    document.body.classList.toggle("gm-choro", !!GM.choro);
    for (var id in GM.grids) GM.grids[id].setStyle(GM.gridStyle(id));
    if (GM.choroLegend) { GM.map.removeControl(GM.choroLegend); GM.choroLegend = null; }
    if (!GM.choro) return;
    var c = GM.choro;
    var ctl = L.control({ position: "bottomleft" });
    ctl.onAdd = function () {
      var div = L.DomUtil.create("div", "gm-legend gm-choro-legend");
      var html = "<div class='gm-legend-title'>" + text(c.title) + "</div>";
      if (c.subtitle) html += "<div class='gm-legend-head'>" + text(c.subtitle) + "</div>";
      c.legend.forEach(function (row) {
        html += "<div class='gm-row'><i class='gm-box' style='background:" + row[0] + ";border-color:" + row[0] +
                "'></i>" + text(row[1]) + "</div>";
      });
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    GM.choroLegend = ctl.addTo(GM.map);
    if (op.fit) {
      var b = null;
      for (var gid in c.grids) {
        var l = GM.grids[gid];
        if (!l) continue;
        if (b) b.extend(l.getBounds()); else b = L.latLngBounds(l.getBounds().getSouthWest(), l.getBounds().getNorthEast());
      }
      if (b) GM.map.fitBounds(b, { padding: [24, 24], animate: false });
    }
  }

  // ------------------------------------------------------------------ the batch

  function onBatch(json) {
    var t0 = performance.now(), msg;
    try {
      msg = JSON.parse(json);
      msg.ops.forEach(function (op) {
        if (op.op === "stats") applyStats(op);
        else if (op.op === "cases") applyCases(op);
        else if (op.op === "components") applyComponents(op);
        else if (op.op === "highlight") applyHighlight(op);
        else if (op.op === "focusCase") focusCase(op);
        else if (op.op === "focusGrid") focusGrid(op);
        else if (op.op === "pulse") applyPulses(op);
        else if (op.op === "choro") applyChoro(op);
      });
    } catch (err) {
      send({ type: "error", message: String(err && err.stack || err) });
    }
    if (msg) {
      GM.lastSeq = msg.seq;
      GM.timings.push([msg.seq, performance.now() - t0]);
      if (GM.timings.length > 50) GM.timings.shift();
      send({ type: "applied", seq: msg.seq });
    }
  }

  // ------------------------------------------------------------------ probes for tests

  GM.count = function (what) {
    if (what === "grids") return Object.keys(GM.grids).length;
    if (what === "cases") return GM.caseLayer.getLayers().length;
    if (what === "components") return GM.componentLayer.getLayers().length;
    if (what === "pulses") return Object.keys(GM.pulses).length;
    return -1;
  };
  GM.caseColor = function (id) { var m = GM.cases[id]; return m ? m.options.fillColor : null; };
  GM.gridFill = function (id) {
    var l = GM.grids[id];
    return l ? { color: l.options.fillColor, opacity: l.options.fillOpacity } : null;
  };
  GM.choroLegendText = function () {
    return GM.choroLegend ? GM.choroLegend.getContainer().innerText : null;
  };
  GM.simulateClick = function (kind, id) {
    if (kind === "case") GM.cases[id].fire("click");
    else if (kind === "grid") {
      var l = GM.grids[id];
      l.fire("click", { latlng: l.getBounds().getCenter() });
    }
  };
  GM.probeImage = function (url) {
    var key = "probe:" + url;
    GM[key] = "pending";
    var img = new Image();
    img.onload = function () { GM[key] = img.naturalWidth + "x" + img.naturalHeight; };
    img.onerror = function () { GM[key] = "error"; };
    img.src = url;
    return key;
  };
})();
