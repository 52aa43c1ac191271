"""Offline training of the service's learned models (development only: scikit-learn is a dev
dependency, and the service loads only the weights these scripts write)."""
