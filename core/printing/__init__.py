"""Printing: Code 128 labels and sheets, and every document as fixed-width text and as PDF with Chinese.

Callable from the CLI and the screens alike: `documents.print_document` (or `document_text`,
`document_pdf`) for a document, `labels` for what a label shows, `label_files` for SVG, PNG, PDF and
sheet files, `output` to write a file whole and pipe it to the printer command.
"""
