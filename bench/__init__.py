"""Speed benchmark of Gerai POS: the app's scan and checkout against raw SQLite floors."""
