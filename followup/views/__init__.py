"""Pages of the individual follow-up (French; from the person's custody-life page and the
prison's navigation). Each is scoped at the door (`.visible_to`, another prison's record: 404), reads
through followup.reads (audited) and writes through one service."""
