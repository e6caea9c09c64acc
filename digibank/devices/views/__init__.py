"""Device pages. Thin views: reads through selectors, writes through services."""
