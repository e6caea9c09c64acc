"""Help with the social internet tariff: the desk helps a resident apply and follows the outcome."""
