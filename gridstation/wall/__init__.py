"""The wall display's core (Qt-free): what the command hall's big screen shows, and how its
layout file is read. The Qt layer is ``gridstation.app.wall``."""
