"""Printing: Code 128 labels and sheets, and every document as fixed-width text and as PDF with Chinese.

Callable from the CLI and the screens alike: `documents.print_document` (or `document_text`,
`document_pdf`) for a document, `labels` for what a label shows, `label_files` for SVG, PNG, PDF and
sheet files, `output` to write a file whole and pipe it to the printer command. Each paper is built once
as a structured document (`model`) by `counter_forms` or `receiving_forms`, and laid out by `text` or
`pdf`; which kinds there are, their numbers and titles, is the registry in core.documents.
"""
