"""Pages of the digipunten capability, one module per part of the flow."""
