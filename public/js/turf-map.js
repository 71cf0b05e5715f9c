// Groundwork's seat map (the map page only). Loaded as a module with the page's CSP
// nonce; it loads the vendored Leaflet and Geoman (allowed by 'strict-dynamic'), draws
// the boundaries and every door from /seats/GSS/map.json, and hands a drawn area to the
// cutting form through the hidden input #turf-polygon. Nothing is fetched from outside
// unless the campaign has set a tile URL.

const LEAFLET = "/vendor/leaflet-1.9.4/leaflet.js";
const GEOMAN = "/vendor/leaflet-geoman-free-2.20.2/leaflet-geoman.min.js";

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error("could not load " + src));
    document.head.appendChild(script);
  });
}

function say(text) {
  const status = document.getElementById("turf-map-status");
  if (status) status.textContent = text;
}

// Ray casting: is [lon, lat] inside the ring of [lon, lat] corners?
function inside(point, ring) {
  let result = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > point[1] !== yj > point[1] && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi) {
      result = !result;
    }
  }
  return result;
}

// A text label on the map, for reading only: not focusable, hidden from screen readers
// (the form lists the same wards and streets).
function label(L, latlng, text, angle, className) {
  const span = document.createElement("span");
  span.textContent = text;
  span.setAttribute("aria-hidden", "true");
  span.style.transform = "translate(-50%, -50%) rotate(" + angle.toFixed(1) + "deg)";
  const icon = L.divIcon({ className: className, html: span.outerHTML, iconSize: null });
  return L.marker(latlng, { icon, interactive: false, keyboard: false, pmIgnore: true });
}

// The offline base map: each street as a white road with a grey edge, in a pane under the
// boundaries and doors, so the map shows roads with no tile server and no network.
function drawStreets(L, map, streets) {
  map.createPane("streets").style.zIndex = 350;
  const renderer = L.svg({ pane: "streets", padding: 0.3 });
  const group = L.layerGroup();
  group.streetNames = [];
  for (const [name, parts] of streets) {
    const lines = parts.map((part) => part.map(([lon, lat]) => [lat, lon]));
    const common = { renderer, pane: "streets", interactive: false, pmIgnore: true, lineCap: "round", lineJoin: "round" };
    L.polyline(lines, { ...common, color: "#bdb6a8", weight: 6, className: "turf-street-edge" }).addTo(group);
    L.polyline(lines, { ...common, color: "#ffffff", weight: 4, className: "turf-street" }).addTo(group);
    // The name goes on the longest stretch, along it.
    let best = null;
    for (const line of lines) {
      for (let i = 1; i < line.length; i++) {
        const a = L.latLng(line[i - 1]);
        const b = L.latLng(line[i]);
        const length = a.distanceTo(b);
        if (!best || length > best.length) best = { a, b, length };
      }
    }
    if (best && best.length > 40) group.streetNames.push({ name, ...best });
  }
  return group;
}

// Street names from zoom 16 (only those in view, at most 150), ward names below it.
function labelStreets(L, map, streets, wardNames) {
  const names = L.layerGroup().addTo(map);
  const wards = L.layerGroup(wardNames).addTo(map);
  const refresh = () => {
    names.clearLayers();
    const zoom = map.getZoom();
    if (zoom < 15) wards.addTo(map);
    else wards.remove();
    if (zoom < 16 || !map.hasLayer(streets)) return;
    const view = map.getBounds().pad(0.1);
    let shown = 0;
    for (const s of streets.streetNames) {
      const middle = L.latLng((s.a.lat + s.b.lat) / 2, (s.a.lng + s.b.lng) / 2);
      if (!view.contains(middle) || shown >= 150) continue;
      const pa = map.project(s.a, zoom);
      const pb = map.project(s.b, zoom);
      let angle = (Math.atan2(pb.y - pa.y, pb.x - pa.x) * 180) / Math.PI;
      if (angle > 90) angle -= 180;
      if (angle < -90) angle += 180;
      label(L, middle, s.name, angle, "turf-street-label").addTo(names);
      shown++;
    }
  };
  map.on("zoomend moveend overlayadd overlayremove", refresh);
  refresh();
}

async function start() {
  const holder = document.getElementById("turf-map");
  if (!holder || holder.dataset.started) return;
  holder.dataset.started = "1";
  say("Loading the map…");
  const [data] = await Promise.all([
    fetch(holder.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } }).then((r) => {
      if (!r.ok) throw new Error("the server answered " + r.status);
      return r.json();
    }),
    loadScript(LEAFLET).then(() => loadScript(GEOMAN)),
  ]);
  const L = window.L;
  const canvas = L.canvas({ padding: 0.2 });
  const box = document.createElement("div");
  box.className = "turf-map-canvas";
  holder.appendChild(box);
  const map = L.map(box, { preferCanvas: true, zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Boundaries: ONS / Martin Chorley (CC BY 4.0); OS data © Crown copyright 2014");
  const tiled = Boolean(data.tiles && data.tiles.url);
  if (tiled) {
    L.tileLayer(data.tiles.url, { maxZoom: 19, attribution: data.tiles.attribution || "" }).addTo(map);
  } else {
    box.classList.add("no-tiles");
  }
  const streets = drawStreets(L, map, data.streets || []);
  if (tiled) {
    // The tiles have their own streets: ours are there to switch on, not doubled.
    L.control.layers(null, { "Streets from the register": streets }, { collapsed: false }).addTo(map);
  } else {
    streets.addTo(map);
  }
  map.attributionControl.addAttribution("Streets drawn from the register's addresses");

  const seat = data.seat.boundary
    ? L.geoJSON(data.seat.boundary, { style: { color: "#1d4d3a", weight: 3, fill: false }, pmIgnore: true, interactive: false }).addTo(map)
    : null;
  const wardNames = [];
  for (const ward of data.wards) {
    if (!ward.boundary) continue;
    const layer = L.geoJSON(ward.boundary, {
      style: { color: "#1d4d3a", weight: 1.5, fillColor: "#1d4d3a", fillOpacity: 0.04 },
      pmIgnore: true,
    }).addTo(map);
    wardNames.push(label(L, layer.getBounds().getCenter(), ward.name, 0, "turf-ward-label"));
    layer.bindTooltip(ward.name + " (click to choose)", { sticky: true });
    layer.on("click", () => {
      if (map.pm.globalDrawModeEnabled() || map.pm.globalEditModeEnabled() || map.pm.globalRemovalModeEnabled()) return;
      const box = document.querySelector('input[name="ward"][value="' + ward.id + '"]');
      if (box) {
        box.click();
        layer.setStyle({ fillOpacity: box.checked ? 0.18 : 0.04 });
        say((box.checked ? "Chose " : "Left out ") + ward.name + ".");
      }
    });
  }
  for (const district of data.districts) {
    if (!district.boundary) continue;
    L.geoJSON(district.boundary, { style: { color: "#555", weight: 1, dashArray: "4 3", fill: false }, pmIgnore: true, interactive: false })
      .bindTooltip(district.code)
      .addTo(map);
  }
  const colours = data.statuses.map((s) => s.colour);
  const points = [];
  for (const [id, lat, lon, status] of data.doors) {
    points.push([lon, lat]);
    L.circleMarker([lat, lon], {
      renderer: canvas,
      radius: 3,
      weight: 0.6,
      color: "#ffffff",
      fillColor: colours[status] || "#8a8f98",
      fillOpacity: 0.95,
      pmIgnore: true,
      interactive: false,
    }).addTo(map);
  }
  if (seat) map.fitBounds(seat.getBounds(), { padding: [8, 8] });
  else if (points.length) map.fitBounds(points.map(([lon, lat]) => [lat, lon]));
  labelStreets(L, map, streets, wardNames);

  // Drawing an area: one at a time; its corners go to the form.
  map.pm.addControls({
    position: "topleft",
    drawMarker: false,
    drawCircleMarker: false,
    drawPolyline: false,
    drawCircle: false,
    drawText: false,
    drawRectangle: true,
    drawPolygon: true,
    editMode: true,
    dragMode: false,
    cutPolygon: false,
    rotateMode: false,
    removalMode: true,
  });
  // Geoman titles the box around each button, not the button: name the buttons.
  for (const container of box.querySelectorAll(".button-container[title]")) {
    const button = container.querySelector(".leaflet-buttons-control-button");
    if (button) button.setAttribute("aria-label", container.getAttribute("title"));
  }
  const input = document.getElementById("turf-polygon");
  const status = document.getElementById("turf-polygon-status");
  let drawn = null;
  const publish = () => {
    if (!drawn) {
      if (input) input.value = "";
      if (status) status.textContent = "No area drawn on the map.";
      return;
    }
    const ring = drawn.getLatLngs()[0].map((p) => [Number(p.lng.toFixed(6)), Number(p.lat.toFixed(6))]);
    const doors = points.filter((p) => inside(p, ring)).length;
    if (input) {
      input.value = JSON.stringify(ring);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (status) status.textContent = "Area drawn: " + ring.length + " corners, " + doors.toLocaleString("en-GB") + " doors inside.";
  };
  map.on("pm:create", (e) => {
    if (drawn) map.removeLayer(drawn);
    drawn = e.layer;
    drawn.on("pm:edit", publish);
    publish();
  });
  map.on("pm:remove", (e) => {
    if (e.layer === drawn) {
      drawn = null;
      publish();
    }
  });
  const clear = document.getElementById("turf-clear-polygon");
  if (clear) {
    clear.addEventListener("click", () => {
      if (drawn) map.removeLayer(drawn);
      drawn = null;
      publish();
    });
  }
  holder.dataset.streets = String((data.streets || []).length);
  holder.dataset.ready = "true";
  say("Map of " + data.seat.name + ": " + data.doors.length.toLocaleString("en-GB") + " doors. Draw an area, or click a ward to choose it.");
}

start().catch((error) => say("The map could not be loaded (" + error.message + "). The form and the table below still work."));
