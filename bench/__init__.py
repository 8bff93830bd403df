"""The Dibz benchmark harness: `make bench` (or `python -m bench --help`).

It builds a database with the project's migrations and bulk inserts, serves the app with
gunicorn under the production config, drives it with wrk, and compares every endpoint with a
bare Flask app serving the same bytes from memory. See bench/RESULTS.md.
"""
