"""`commonground serve`: the web platform, optionally with the camera dispute ready as a demo."""

from __future__ import annotations

import typer

from commonground.core.settings import load_settings


def serve(
    demo: bool = typer.Option(
        False, "--demo", help="Seed the camera dispute and print its invitation links."
    ),
    host: str | None = typer.Option(None, help="Address to listen on (setting platform.host)."),
    port: int | None = typer.Option(None, help="Port to listen on (setting platform.port)."),
) -> None:
    """Start the web platform (HTTP, WebSockets, pages) on the configured database."""
    import uvicorn

    from commonground.platform.app import create_app
    from commonground.platform.demo import seed_demo

    overrides = {key: value for key, value in (("host", host), ("port", port)) if value is not None}
    settings = load_settings()
    if overrides:
        settings = settings.model_copy(update={"platform": settings.platform.model_copy(update=overrides)})
    app = create_app(settings)
    if demo:
        for name, url in seed_demo(app.state.platform).items():
            typer.echo(f"{name:>13}: {url}")
    else:
        typer.echo(
            f"Administrator: http://{settings.platform.host}:{settings.platform.port}/admin?key={app.state.platform.admin_key}"
        )
    uvicorn.run(
        app,
        host=settings.platform.host,
        port=settings.platform.port,
        log_level="info",
        ws="websockets-sansio",
    )


def register(app: typer.Typer) -> None:
    app.command()(serve)
