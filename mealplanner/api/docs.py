"""GET /api/docs: Swagger UI over /api/openapi.json, from vendored files (no CDN, no inline
script, so it works offline and under a strict Content-Security-Policy)."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

SWAGGER_UI_VERSION = "5.35.0"  # npm swagger-ui-dist; static/swagger-ui/README.md says how to update
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")

blp = Blueprint("api_ui", __name__, url_prefix="/api", static_folder="static",
                static_url_path="/static", template_folder="templates")


@blp.get("/docs")
def docs():
    """Interactive API documentation."""
    html = render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json"),
                           swagger_ui_version=SWAGGER_UI_VERSION)
    return html, 200, {"Content-Security-Policy": DOCS_CSP}
