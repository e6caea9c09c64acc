"""How a capability reaches pages that are not its own (foundation).

A capability never imports another capability, and the shell (core) and the resident page do
not import capabilities either: each capability *registers* what it adds, from its
AppConfig.ready(), in one of these registries:

- ``navigation``: its entries in the main navigation (label, URL, permission, order);
- ``home``: widgets on the home page (what waits for this person: repairs, triage, shifts …);
- ``panels``: sections on another app's page — the resident page, the device page …;
- ``search``: what the global search finds besides residents (devices by asset tag …).

Registration is explicit and idempotent (a key replaces an earlier entry with the same key),
so ``AppConfig.ready()`` running twice in tests does no harm.
"""
