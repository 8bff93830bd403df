"""What every area shares: constants, helpers, JSON responses, errors and form tools."""
