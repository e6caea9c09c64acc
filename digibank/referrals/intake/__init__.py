"""Intake rules: a cap on open requests per referring organisation, so that every partner gets a turn,
and when a request without a referral is flagged. Edited by the coordinator (``service.manage``)."""
