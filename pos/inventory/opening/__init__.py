"""Stok awal: the goods a new outlet already owns, brought in as opening stock (``service``)."""
