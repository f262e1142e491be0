"use strict";
// The report map: click to place the problem (or use the phone's location); on the public
// page, the open reports as markers. Without JavaScript the latitude/longitude fields work.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("map");
  if (!box || typeof L === "undefined") return;
  var lat = document.getElementById("lat");
  var lng = document.getElementById("long");
  var start = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lng)];
  if (lat && lat.value && lng && lng.value) start = [parseFloat(lat.value), parseFloat(lng.value)];
  var map = L.map(box).setView(start, 14);
  L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
  if (box.dataset.points) {
    JSON.parse(document.getElementById(box.dataset.points).textContent).forEach(function (p) {
      L.marker([p.lat, p.lng]).addTo(map).bindPopup(p.number + " · " + p.title + " · " + p.status);
    });
    return;
  }
  var marker = null;
  function place(point) {
    if (marker) marker.setLatLng(point); else marker = L.marker(point).addTo(map);
    lat.value = point.lat.toFixed(6);
    lng.value = point.lng.toFixed(6);
  }
  if (lat.value && lng.value) place(L.latLng(start[0], start[1]));
  map.on("click", function (event) { place(event.latlng); });
  var locate = document.getElementById("locate");
  if (navigator.geolocation && locate) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        var point = L.latLng(position.coords.latitude, position.coords.longitude);
        map.setView(point, 17);
        place(point);
      });
    });
  }
});
