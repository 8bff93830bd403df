"""Campuses as data: their email domains, time zone and pickup spots (docs/CAMPUSES.md)."""
