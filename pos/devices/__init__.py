"""Device tools for managers: printer test, cash drawer, print queue, scale and label codes."""
