"""Deployment: the logic behind fabfile.py, gunicorn/systemd/nginx templates, the probe."""
