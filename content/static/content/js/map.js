/* Mediation-site map: progressive enhancement of the server-rendered list.
   Without JavaScript (or without tiles) the filters and the list still work. */
(function () {
  "use strict";

  var configElement = document.getElementById("site-map-config");
  var mapElement = document.getElementById("site-map");
  var form = document.getElementById("site-filters");
  if (!configElement || !mapElement || typeof L === "undefined") {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  mapElement.hidden = false;

  var map = L.map(mapElement, { preferCanvas: true }).setView(config.center, config.zoom);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  }
  var onLoaded = null;
  var clusters = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    chunkProgress: function (processed, total) {
      if (processed === total && onLoaded) { onLoaded(); }
    }
  });
  map.addLayer(clusters);
  window.siteMap = { map: map, clusters: clusters, ready: false };

  // Phones: a bar above the results switches between the list and the map.
  var switcher = document.getElementById("map-switch");
  if (switcher) {
    var buttons = switcher.querySelectorAll("[data-map-view]");
    var show = function (view) {
      document.body.setAttribute("data-map-view", view);
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.getAttribute("data-map-view") === view));
      });
      if (view === "map") { map.invalidateSize(); }
    };
    var results = document.querySelector(".map-results");
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        show(button.getAttribute("data-map-view"));
        if (results && results.getBoundingClientRect().top > window.innerHeight / 2) {
          results.scrollIntoView();
        }
      });
    });
    switcher.hidden = false;
    show("list");
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function detailUrl(feature) {
    var query = window.location.search;
    return config.detailBase + feature.id + "/" + query;
  }

  function load(url) {
    window.siteMap.ready = false;
    var started = performance.now();
    return fetch(url, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        clusters.clearLayers();
        var markers = data.features.map(function (feature) {
          var coordinates = feature.geometry.coordinates;
          var marker = L.marker([coordinates[1], coordinates[0]], {
            title: feature.properties.nom,
            alt: feature.properties.nom
          });
          marker.bindPopup(function () {
            return '<a href="' + escapeHtml(detailUrl(feature)) + '">' +
              escapeHtml(feature.properties.nom) + "</a>";
          });
          return marker;
        });
        var latLngs = markers.map(function (marker) { return marker.getLatLng(); });
        var clusterStart = performance.now();
        onLoaded = function () {
          onLoaded = null;
          if (latLngs.length) {
            map.fitBounds(L.latLngBounds(latLngs), { maxZoom: 13, padding: [20, 20] });
          }
          window.siteMap.ready = true;
          window.siteMap.count = markers.length;
          window.siteMap.drawMs = performance.now() - started;
          window.siteMap.clusterMs = performance.now() - clusterStart;
          mapElement.dispatchEvent(new CustomEvent("sites:loaded", { detail: window.siteMap }));
        };
        if (markers.length) {
          clusters.addLayers(markers);
        } else {
          onLoaded();
        }
      })
      .catch(function (error) {
        window.siteMap.ready = true;
        window.siteMap.error = String(error);
      });
  }

  load(config.geojson);

  // Filters: update the list, the count (live region) and the map without a reload.
  if (form && window.fetch && window.DOMParser) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = new URLSearchParams(new FormData(form));
      Array.from(params.keys()).forEach(function (key) {
        if (params.get(key) === "") { params.delete(key); }
      });
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "");
      fetch(url, { headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          ["site-list", "site-count"].forEach(function (id) {
            var fresh = page.getElementById(id);
            var current = document.getElementById(id);
            if (fresh && current) { current.innerHTML = fresh.innerHTML; }
          });
          window.history.replaceState(null, "", url);
          load(config.geojsonBase + (query ? "?" + query : ""));
        })
        .catch(function () { form.submit(); });
    });
  }
})();
