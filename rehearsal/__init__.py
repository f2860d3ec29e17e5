"""The hall rehearsal: a whole expo day played against a real hub on loopback, with faults on a schedule,
audited at the end (python -m rehearsal)."""
