"""The web platform: real-time mediated conversations for parties, mediators and administrators.

`commonground.platform.app.create_app(settings)` builds the FastAPI application.
"""
