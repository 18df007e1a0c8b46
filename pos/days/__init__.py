"""Business days: a closed day is locked against any change (``service.ensure_open``)."""
