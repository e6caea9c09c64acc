"""PDF documents (agreements, certificates, labels, letters, exports) from Django templates.

WeasyPrint renders our own HTML and CSS; it never fetches anything from the network
(the URL fetcher refuses everything but data: URIs and our static files).
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _local_fetcher(url: str, *args, **kwargs):
    from weasyprint.urls import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url)
    if url.startswith("static:"):
        path = finders.find(url.removeprefix("static:"))
        if path:
            return default_url_fetcher("file://" + path)
    raise ValueError(f"PDFs may not load external resources: {url}")


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render ``template_name`` to PDF bytes. Reference our CSS as ``static:digibank/print.css``."""
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, url_fetcher=_local_fetcher, base_url="static:").write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False):
    from django.http import HttpResponse

    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
