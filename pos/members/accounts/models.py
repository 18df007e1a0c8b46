"""Member credit and savings documents."""
