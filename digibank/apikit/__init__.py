"""What every part of the API is written with (foundation): token authentication and the
permission check (``requires``), the audit of what an answer shows, JSON errors, pagination,
the shared schemas, and the registry of routers that ``digibank.api`` mounts under /api/v1/.

An app with endpoints keeps them in its own ``api.py`` and registers its router from its
AppConfig.ready(): ``register_router("/devices", router)``.
"""
