"""PDF documents (agreements, certificates, labels, letters, exports) from Django templates.

WeasyPrint renders our own HTML and CSS; it never fetches anything from the network
(the URL fetcher refuses everything but data: URIs and our static files).
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _local_fetcher():
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 -- heavy library, loaded when a PDF is made

    class LocalFetcher(URLFetcher):
        """data: URIs and our own static files only; anything else is refused."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("static:") and (path := finders.find(url.removeprefix("static:"))):
                return super().fetch("file://" + path, headers)
            raise ValueError(f"PDFs may not load external resources: {url}")

    return LocalFetcher()


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render ``template_name`` to PDF bytes. Reference our CSS as ``static:digibank/print.css``."""
    from weasyprint import HTML  # noqa: PLC0415 -- heavy library, loaded when a PDF is made

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, url_fetcher=_local_fetcher(), base_url="static:").write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False):
    from django.http import HttpResponse  # noqa: PLC0415 -- heavy library, loaded when a PDF is made

    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
