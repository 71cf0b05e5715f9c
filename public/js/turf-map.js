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
  if (data.tiles && data.tiles.url) {
    L.tileLayer(data.tiles.url, { maxZoom: 19, attribution: data.tiles.attribution || "" }).addTo(map);
  } else {
    box.classList.add("no-tiles");
  }

  const seat = data.seat.boundary
    ? L.geoJSON(data.seat.boundary, { style: { color: "#1d4d3a", weight: 3, fill: false }, pmIgnore: true, interactive: false }).addTo(map)
    : null;
  for (const ward of data.wards) {
    if (!ward.boundary) continue;
    const layer = L.geoJSON(ward.boundary, {
      style: { color: "#1d4d3a", weight: 1.5, fillColor: "#1d4d3a", fillOpacity: 0.04 },
      pmIgnore: true,
    }).addTo(map);
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
  holder.dataset.ready = "true";
  say("Map of " + data.seat.name + ": " + data.doors.length.toLocaleString("en-GB") + " doors. Draw an area, or click a ward to choose it.");
}

start().catch((error) => say("The map could not be loaded (" + error.message + "). The form and the table below still work."));
