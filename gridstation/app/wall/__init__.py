"""The wall display (大屏): the command hall's unattended big screen. ``run_wall`` starts it;
the panels live in ``panels``, the data flow in ``controller``; the layout file is read by the
Qt-free ``gridstation.wall.layout``."""
