"""Views of the public site (public_view), its open data and the team's pages (staff_view)."""
