"""Users: accounts, passwords, sessions, roles and password resets."""
