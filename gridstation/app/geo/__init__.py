"""The map: the live Leaflet map in QtWebEngine (``mapview``) and the case pane's mini map
(``minimap``)."""
