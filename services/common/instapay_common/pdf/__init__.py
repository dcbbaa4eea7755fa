"""PDF documents (receipts, statements) in English and Arabic: fpdf2 with HarfBuzz text shaping,
the Noto fonts the web app names, and right-to-left layout for Arabic. Install with the `pdf` extra."""
