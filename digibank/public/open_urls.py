"""Open data: HSDS 3.0 JSON and iCal feeds (public, no log-in)."""

urlpatterns = []
