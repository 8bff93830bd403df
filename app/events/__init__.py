"""Live events: what changed for a user, published after the commit and streamed to the SPA."""
