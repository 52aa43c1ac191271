"""HTTP only: the Litestar app factory, routes, request bodies, error mapping. No NLP here: every
handler calls the application package (``claimcheck``)."""

from api.app import create_app

__all__ = ["create_app"]
