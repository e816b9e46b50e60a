"""Server-rendered pages (a landing page for now; full Jinja + HTMX pages come with their issue)."""
