"""The interactive linkage map: its data, layout and page."""

# The map draws every enterprise up to this many, groups above. Measured in
# headless Chromium with software drawing (docs/methods.md, "Drawing the map"):
# with 5,000 enterprises and 20,000 links a pan or zoom frame takes 28 ms and a
# tooltip answers in 0.2 s; with 10,000, 166 ms a frame.
DRAWN_IN_FULL = 5000
