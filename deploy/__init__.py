"""Deployment: several app processes behind nginx (deploy/cluster.py, deploy/nginx/)."""
